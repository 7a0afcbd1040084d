/// The records the coordinator writes to `__consumer_offsets` for a commit: key `OffsetCommitKey`
/// (version 1: group, topic, partition) and value `OffsetCommitValue` (version 3: offset, leader epoch,
/// metadata, commit timestamp), in Kafka's binary schema.
public enum OffsetCommitRecord {
    /// The record key for (group, topic, partition).
    public static func key(group: String, partition tp: TopicPartition) -> [UInt8] {
        var out: [UInt8] = []
        int16(1, &out)
        string(group, &out)
        string(tp.topic, &out)
        int32(Int32(tp.partition), &out)
        return out
    }

    /// The record value for a committed offset; `nil` (a tombstone) when offsets are deleted.
    public static func value(_ o: OffsetAndMetadata) -> [UInt8] {
        var out: [UInt8] = []
        int16(3, &out)
        int64(o.offset, &out)
        int32(o.leaderEpoch ?? -1, &out)
        string(o.metadata, &out)
        int64(o.commitTimestampMs, &out)
        return out
    }

    /// The record as Kafka 4.0's `OffsetsMessageFormatter` prints it (JSON key and value), or `nil`
    /// when the key is not an offset-commit key (group metadata records).
    public static func describe(key: [UInt8]?, value: [UInt8]?) -> String? {
        guard let key, var r = Reader(key), let version = r.int16(), version <= 1,
              let group = r.string(), let topic = r.string(), let partition = r.int32() else { return nil }
        let keyText = #"{"type":\#(version),"data":{"group":"\#(group)","topic":"\#(topic)","partition":\#(partition)}}"#
        guard let value, var v = Reader(value), let vv = v.int16(), let offset = v.int64(), let epoch = v.int32(),
              let metadata = v.string(), let ts = v.int64() else {
            return #"{"key":\#(keyText),"value":null}"#
        }
        let valueText = #"{"version":\#(vv),"data":{"offset":\#(offset),"leaderEpoch":\#(epoch),"metadata":"\#(metadata)","commitTimestamp":\#(ts)}}"#
        return #"{"key":\#(keyText),"value":\#(valueText)}"#
    }

    /// Decodes an offset-commit record as the coordinator does when it loads its partition:
    /// `nil` for other record types (group metadata), a `nil` offset for a tombstone.
    public static func parse(key: [UInt8]?, value: [UInt8]?) -> (group: String, partition: TopicPartition, offset: OffsetAndMetadata?)? {
        guard let key, var r = Reader(key), let version = r.int16(), version <= 1,
              let group = r.string(), let topic = r.string(), let partition = r.int32() else { return nil }
        let tp = TopicPartition(topic, Int(partition))
        guard let value else { return (group, tp, nil) }
        guard var v = Reader(value), v.int16() != nil, let offset = v.int64(), let epoch = v.int32(),
              let metadata = v.string(), let ts = v.int64() else { return nil }
        return (group, tp, OffsetAndMetadata(offset: offset, leaderEpoch: epoch < 0 ? nil : epoch, metadata: metadata, commitTimestampMs: ts))
    }

    private static func int16(_ v: Int16, _ out: inout [UInt8]) {
        out += [UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
    }
    private static func int32(_ v: Int32, _ out: inout [UInt8]) {
        for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> Int32(s))) }
    }
    private static func int64(_ v: Int64, _ out: inout [UInt8]) {
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> Int64(s))) }
    }
    private static func string(_ s: String, _ out: inout [UInt8]) {
        let bytes = Array(s.utf8)
        int16(Int16(truncatingIfNeeded: bytes.count), &out)
        out += bytes
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0
        init?(_ bytes: [UInt8]) { self.bytes = bytes }
        mutating func take(_ n: Int) -> UInt64? {
            guard n >= 0, index + n <= bytes.count else { return nil }
            var v: UInt64 = 0
            for b in bytes[index..<index + n] { v = v << 8 | UInt64(b) }
            index += n
            return v
        }
        mutating func int16() -> Int16? { take(2).map { Int16(truncatingIfNeeded: $0) } }
        mutating func int32() -> Int32? { take(4).map { Int32(truncatingIfNeeded: $0) } }
        mutating func int64() -> Int64? { take(8).map { Int64(bitPattern: $0) } }
        mutating func string() -> String? {
            guard let n = int16(), n >= 0, index + Int(n) <= bytes.count else { return nil }
            let s = String(decoding: bytes[index..<index + Int(n)], as: UTF8.self)
            index += Int(n)
            return s
        }
    }
}
