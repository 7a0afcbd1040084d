/// The consumer protocol's embedded formats (`org.apache.kafka.clients.consumer.internals.ConsumerProtocol`): the
/// `ConsumerProtocolSubscription` a member sends as JoinGroup protocol metadata and the `ConsumerProtocolAssignment`
/// the leader sends per member in SyncGroup, versions 0–3, each prefixed with its version as an int16.
///
/// Simulated members keep these as typed values; the bytes are what a real client sends and expects, so wire members
/// and simulated ones can share a group. Owned and assigned partitions are grouped by topic in first-seen order.
public enum ConsumerProtocol {
    /// The newest version of both formats (Kafka 4.0).
    public static let latestVersion: Int16 = 3

    /// A subscription as a member sends it.
    public struct Subscription: Sendable, Equatable {
        public var topics: [String]
        public var userData: [UInt8]?
        /// v1+.
        public var ownedPartitions: [TopicPartition]
        /// v2+; -1 when unknown.
        public var generationId: Int32
        /// v3+.
        public var rackId: String?

        public init(topics: [String], userData: [UInt8]? = nil, ownedPartitions: [TopicPartition] = [], generationId: Int32 = -1,
                    rackId: String? = nil) {
            self.topics = topics
            self.userData = userData
            self.ownedPartitions = ownedPartitions
            self.generationId = generationId
            self.rackId = rackId
        }
    }

    /// An assignment as the leader sends it.
    public struct Assignment: Sendable, Equatable {
        public var partitions: [TopicPartition]
        public var userData: [UInt8]?

        public init(partitions: [TopicPartition], userData: [UInt8]? = nil) {
            self.partitions = partitions
            self.userData = userData
        }
    }

    /// Why bytes could not be read.
    public enum DecodeError: Error, Sendable, Equatable {
        case truncated
        case negativeLength
        case invalidUTF8
    }

    public static func serializeSubscription(_ s: Subscription, version: Int16 = latestVersion) -> [UInt8] {
        var w = ProtocolWriter()
        w.int16(version)
        w.array(s.topics) { w, t in w.string(t) }
        w.nullableBytes(s.userData)
        if version >= 1 { w.topicPartitions(s.ownedPartitions) }
        if version >= 2 { w.int32(s.generationId) }
        if version >= 3 { w.nullableString(s.rackId) }
        return w.bytes
    }

    /// Reads any version; fields a version lacks keep their defaults. Bytes past the known fields are ignored,
    /// as Kafka does for a newer client's subscription.
    public static func deserializeSubscription(_ bytes: [UInt8]) throws(DecodeError) -> (version: Int16, subscription: Subscription) {
        var r = Reader(bytes: bytes)
        let version = try r.int16()
        var s = Subscription(topics: try r.array { r throws(DecodeError) in try r.string() })
        s.userData = try r.nullableBytes()
        if version >= 1 { s.ownedPartitions = try r.topicPartitions() }
        if version >= 2 { s.generationId = try r.int32() }
        if version >= 3 { s.rackId = try r.nullableString() }
        return (version, s)
    }

    public static func serializeAssignment(_ a: Assignment, version: Int16 = latestVersion) -> [UInt8] {
        var w = ProtocolWriter()
        w.int16(version)
        w.topicPartitions(a.partitions)
        w.nullableBytes(a.userData)
        return w.bytes
    }

    public static func deserializeAssignment(_ bytes: [UInt8]) throws(DecodeError) -> (version: Int16, assignment: Assignment) {
        var r = Reader(bytes: bytes)
        let version = try r.int16()
        let partitions = try r.topicPartitions()
        return (version, Assignment(partitions: partitions, userData: try r.nullableBytes()))
    }

    // MARK: - Reading the classic (non-flexible) encoding, strictly: a wrong length or bad UTF-8 is an error, not nil

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func take(_ n: Int) throws(DecodeError) -> ArraySlice<UInt8> {
            guard n >= 0 else { throw .negativeLength }
            guard at + n <= bytes.count else { throw .truncated }
            defer { at += n }
            return bytes[at..<at + n]
        }
        mutating func int16() throws(DecodeError) -> Int16 {
            let b = try take(2)
            return Int16(bitPattern: UInt16(b[b.startIndex]) << 8 | UInt16(b[b.startIndex + 1]))
        }
        mutating func int32() throws(DecodeError) -> Int32 {
            var v: UInt32 = 0
            for byte in try take(4) { v = v << 8 | UInt32(byte) }
            return Int32(bitPattern: v)
        }
        mutating func string() throws(DecodeError) -> String {
            let n = Int(try int16())
            guard let s = String(validating: try take(n), as: UTF8.self) else { throw .invalidUTF8 }
            return s
        }
        mutating func nullableString() throws(DecodeError) -> String? {
            let n = Int(try int16())
            if n == -1 { return nil }
            guard let s = String(validating: try take(n), as: UTF8.self) else { throw .invalidUTF8 }
            return s
        }
        mutating func nullableBytes() throws(DecodeError) -> [UInt8]? {
            let n = Int(try int32())
            if n == -1 { return nil }
            return Array(try take(n))
        }
        mutating func array<T>(_ body: (inout Reader) throws(DecodeError) -> T) throws(DecodeError) -> [T] {
            let n = Int(try int32())
            guard n >= 0 else { throw .negativeLength }
            var items: [T] = []
            for _ in 0..<n { items.append(try body(&self)) }
            return items
        }
        mutating func topicPartitions() throws(DecodeError) -> [TopicPartition] {
            let topics = try array { r throws(DecodeError) -> [TopicPartition] in
                let topic = try r.string()
                return try r.array { r throws(DecodeError) in TopicPartition(topic, Int(try r.int32())) }
            }
            return topics.flatMap { $0 }
        }
    }
}

extension ConsumerProtocol.Subscription {
    /// The bytes' view of a member's typed subscription.
    public init(_ s: AssignorSubscription) {
        self.init(topics: s.topics, ownedPartitions: s.ownedPartitions, generationId: Int32(s.generation ?? -1))
    }

    /// The typed subscription the assignors read, for `memberId`.
    public func assignorSubscription(memberId: String, groupInstanceId: String?) -> AssignorSubscription {
        AssignorSubscription(memberId: memberId, groupInstanceId: groupInstanceId, topics: topics, ownedPartitions: ownedPartitions,
                             generation: generationId < 0 ? nil : Int(generationId))
    }
}

/// The classic encoding's arrays (int32 count) and the protocol's topic-grouped partition lists.
private extension ProtocolWriter {
    mutating func array<T>(_ items: [T], _ body: (inout ProtocolWriter, T) -> Void) {
        int32(Int32(items.count))
        for item in items { body(&self, item) }
    }

    mutating func topicPartitions(_ partitions: [TopicPartition]) {
        var topics: [String] = []
        var byTopic: [String: [Int32]] = [:]
        for tp in partitions {
            if byTopic[tp.topic] == nil { topics.append(tp.topic) }
            byTopic[tp.topic, default: []].append(Int32(tp.partition))
        }
        array(topics) { w, topic in
            w.string(topic)
            w.array(byTopic[topic]!) { w, p in w.int32(p) }
        }
    }
}
