#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import KafkaModel
import KafkaShell
import KafkaWire
import NIOConcurrencyHelpers
import NIOCore
import Testing
@testable import KafkaServer

/// Hostile bytes at the real listeners and the real bridge: random frames and mutated valid ones, pipelined over
/// several connections. Nothing may crash or hang, and a well-behaved client must be served throughout.
@Suite struct WireFuzzTests {
    /// At least the 100,000; `KAFKALAB_FUZZ_FRAMES` asks for a longer run (then more hostile frames reach
    /// the decoder: about one per connection, each a batch of 50 to 200 frames).
    static var targetFrames: Int {
        guard let text = getenv("KAFKALAB_FUZZ_FRAMES"), let count = Int(String(cString: text)) else { return 100_000 }
        return max(count, 100_000)
    }
    /// How often (in frames sent) the well-behaved client checks it is still served.
    static let checkEvery = 2_000
    static let fuzzConnections = 8
    /// The topic the well-behaved client looks for; no frame of the corpus deletes it, and a mutation is unlikely to
    /// spell it.
    static let watched = "watched-topic"
    /// Topics the corpus creates and deletes, so both paths run with mutated arguments (few: each creation and
    /// deletion touches the disk).
    static let churned = ["fz-a", "fz-b"]

    static var seed: UInt64 {
        if let text = getenv("KAFKALAB_FUZZ_SEED"), let value = UInt64(String(cString: text)) { return value }
        return 0x6B61_666B_616C_6162
    }

    @Test func survivesHostileFramesAndKeepsServingAWellBehavedClient() throws {
        let seed = Self.seed
        let session = Session(options: SessionOptions(brokers: 3))
        let handler = CountingRequestHandler(WireRequestHandler(session: session))
        let server = WireServer(session: session, handler: handler)
        // Stopping waits for the loop: a loop the fuzzer hung is left behind, so the failure is reported, not a hang.
        var loopAlive = true
        defer { if loopAlive { server.stop() } }
        let ports = try server.start(firstPort: 0, brokerIds: session.cluster.brokers.map(\.id))
        let created = server.execute("topic create \(Self.watched) -p 3 -r 3")
        try #require(!created.output.failed, "\(created.lines)")

        let started = monotonicMs()
        // The whole run's upper bound: a slow machine fails the count instead of running on.
        let giveUpAt = started + 150 * Int64(Self.targetFrames / 100)
        var rng = SeededGenerator(seed: seed)
        let corpus = FuzzCorpus.build()
        var fuzzer = FrameFuzzer(corpus: corpus)
        let portList = ports.keys.sorted().map { ports[$0]! }
        var connections: [FuzzConnection] = (0..<Self.fuzzConnections).map { FuzzConnection(port: portList[$0 % portList.count]) }
        var good = WellBehavedClient(ports: ports)
        var stats = FuzzStats()
        var nextCheck = Self.checkEvery
        var scratch = [UInt8](repeating: 0, count: 1 << 16)

        while stats.sent < Self.targetFrames && monotonicMs() < giveUpAt {
            if stats.sent >= nextCheck {
                nextCheck += Self.checkEvery
                good.check(&stats, seed: seed)
            }
            let now = monotonicMs()
            for connection in connections {
                if !connection.socketOpen {
                    if connection.open() { stats.connects += 1 } else { stats.connectFailures += 1; continue }
                }
                if !connection.loaded {
                    connection.load(fuzzer.batch(&rng, stats: &stats), now: now)
                }
            }
            var pollers = connections.map { connection in
                pollfd(fd: connection.fd, events: Int16(POLLIN) | (connection.hasPending ? Int16(POLLOUT) : 0), revents: 0)
            }
            _ = poll(&pollers, nfds_t(pollers.count), 20)
            for (index, connection) in connections.enumerated() where connection.socketOpen {
                let events = pollers[index].revents
                if events & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                    // Answers are read and dropped: the server stops handling a connection whose answers pile up.
                    if !connection.drain(&scratch, stats: &stats) { connection.drop(); stats.closedByServer += 1; continue }
                }
                if events & Int16(POLLOUT) != 0 {
                    if !connection.write(now: monotonicMs(), stats: &stats) { connection.drop(); stats.closedByServer += 1; continue }
                }
                // A parked request (a JoinGroup waiting for its rebalance, a Fetch with a mutated wait) holds the
                // connection's later requests, and then its reading; a tail the server took for valid leaves it
                // open: give it up rather than wait.
                if connection.stalled(now: monotonicMs()) {
                    connection.drop()
                    stats.abandoned += 1
                }
            }
        }
        connections.forEach { $0.drop() }
        connections = []
        good.check(&stats, seed: seed)
        let fuzzMs = monotonicMs() - started

        // The loop still runs a shell command: the simulation's thread is neither hung nor stuck in a request.
        let commandDone = DispatchSemaphore(value: 0)
        let commandResult = NIOLockedValueBox("")
        DispatchQueue(label: "fuzz-command").async {
            let result = server.execute("topics")
            let text = result.output.failed ? "failed: \(result.lines)" : result.lines.joined(separator: "\n")
            commandResult.withLockedValue { $0 = text }
            commandDone.signal()
        }
        let commandAnswered = commandDone.wait(timeout: .now() + 10) == .success
        let counts = handler.counts.withLockedValue { $0 }
        let summary = """
            seed \(seed) (KAFKALAB_FUZZ_SEED): \(stats.sent) frames sent in \(fuzzMs) ms, \(stats.sentHostile) of them \
            mutated or random (\(stats.generated) generated: \(stats.mutated) mutated, \(stats.random) random, \(stats.refused) refused \
            APIs, \(stats.badLength) bad lengths); server handled \(counts.handled) \
            (\(counts.responded) answered, \(counts.closed) refused and closed, \(counts.parked) parked, \(counts.silent) silent) \
            on \(counts.connections) connections; \(stats.closedByServer) closes seen, \(stats.abandoned) stalled connections \
            given up, \(stats.connectFailures) failed connects, \(stats.bytesReceived) answer bytes; \(stats.checks) well-behaved \
            checks, slowest \(stats.slowestCheckMs) ms
            """
        print("WireFuzz: " + summary)

        #expect(stats.sent >= Self.targetFrames, "only \(stats.sent) frames within the time bound — \(summary)")
        #expect(stats.checks >= Self.targetFrames / Self.checkEvery, "\(summary)")
        #expect(stats.failures.isEmpty, "well-behaved client not served: \(stats.failures.prefix(5)) — \(summary)")
        // The server reads a connection's frames up to the first it refuses and drops the rest unread (as Kafka
        // does), and a debug build serves some hundreds of frames a second: most connections must still have been
        // read up to a hostile frame, not given up.
        #expect(counts.handled >= Self.targetFrames / 20, "too few frames reached the bridge — \(summary)")
        #expect(counts.closed >= counts.connections / 2, "too few connections read up to a refused frame — \(summary)")
        #expect(commandAnswered, "the server's loop did not run a shell command within 10 s — \(summary)")
        loopAlive = commandAnswered
        if commandAnswered {
            #expect(commandResult.withLockedValue { $0 }.contains(Self.watched), "\(commandResult.withLockedValue { $0 })")
        }
    }
}

struct FuzzStats {
    var generated = 0
    var mutated = 0
    var random = 0
    var badLength = 0
    var refused = 0
    var sent = 0
    var sentHostile = 0
    var connects = 0
    var connectFailures = 0
    var closedByServer = 0
    var abandoned = 0
    var bytesReceived = 0
    var checks = 0
    var slowestCheckMs: Int64 = 0
    var failures: [String] = []
}

/// One fuzzing connection: a batch of frames written as the socket takes it; a frame counts as sent once its last
/// byte is written.
final class FuzzConnection {
    let port: Int
    private var socket: FuzzSocket?
    private var pending: [UInt8] = []
    private var frameEnds: [Int] = []
    private var hostile: [Bool] = []
    private var offset = 0
    private var counted = 0
    private var lastProgressMs: Int64 = 0

    init(port: Int) { self.port = port }

    var socketOpen: Bool { socket?.isOpen == true }
    var fd: Int32 { socket?.fd ?? -1 }
    var hasPending: Bool { offset < pending.count }
    /// One batch per connection: the next is not written before the server has read this one (it closes at the
    /// hostile tail), or the client would outrun it and most frames would die unread in the socket buffers.
    private(set) var loaded = false

    func open() -> Bool {
        socket = try? FuzzSocket(port: port)
        loaded = false
        pending = []
        frameEnds = []
        offset = 0
        counted = 0
        return socket != nil
    }

    func drop() {
        socket?.shut()
        socket = nil
    }

    func load(_ frames: [(bytes: [UInt8], hostile: Bool)], now: Int64) {
        pending = []
        frameEnds = []
        hostile = []
        for frame in frames {
            pending += frame.bytes
            frameEnds.append(pending.count)
            hostile.append(frame.hostile)
        }
        offset = 0
        counted = 0
        lastProgressMs = now
        loaded = true
    }

    /// False when the server has closed the connection.
    func write(now: Int64, stats: inout FuzzStats) -> Bool {
        guard let socket, hasPending else { return true }
        while hasPending {
            switch socket.sendSome(pending, from: offset) {
            case .bytes(let n):
                offset += n
                lastProgressMs = now
                while counted < frameEnds.count && frameEnds[counted] <= offset {
                    stats.sent += 1
                    if hostile[counted] { stats.sentHostile += 1 }
                    counted += 1
                }
            case .wouldBlock: return true
            case .closed: return false
            }
        }
        return true
    }

    /// Reads and discards what has arrived; false when the server has closed the connection.
    func drain(_ scratch: inout [UInt8], stats: inout FuzzStats) -> Bool {
        guard let socket else { return false }
        while true {
            let n = scratch.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                stats.bytesReceived += n
                lastProgressMs = monotonicMs()
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return true }
            return false
        }
    }

    func stalled(now: Int64) -> Bool {
        loaded && now - lastProgressMs > 250
    }
}

/// The client that behaves: one connection per broker kept open all along, each check an ApiVersions v3 and a
/// Metadata v12 pipelined, both answers decoded and compared with what the cluster is.
struct WellBehavedClient {
    let ports: [Int: Int]
    private var sockets: [Int: FuzzSocket] = [:]
    private var round = 0
    private var correlationId: Int32 = 0

    init(ports: [Int: Int]) { self.ports = ports }

    mutating func check(_ stats: inout FuzzStats, seed: UInt64) {
        let brokers = ports.keys.sorted()
        let broker = brokers[round % brokers.count]
        round += 1
        stats.checks += 1
        let started = monotonicMs()
        let failure = exchange(broker: broker, deadline: started + 5_000)
        stats.slowestCheckMs = max(stats.slowestCheckMs, monotonicMs() - started)
        if let failure {
            stats.failures.append("check \(stats.checks) at \(stats.sent) frames (seed \(seed)), broker \(broker): \(failure)")
            sockets[broker]?.shut()
            sockets[broker] = nil
        }
    }

    private mutating func exchange(broker: Int, deadline: Int64) -> String? {
        if sockets[broker] == nil {
            do { sockets[broker] = try FuzzSocket(port: ports[broker]!) } catch { return "cannot connect: \(error)" }
        }
        let socket = sockets[broker]!
        correlationId += 2
        let versionsId = correlationId - 1
        let metadataId = correlationId
        var request = FuzzCorpus.frame(apiKey: 18, version: 3, correlationId: versionsId, clientId: "well-behaved") {
            var r = Wire.ApiVersionsRequest(); r.clientSoftwareName = "kafkalab-fuzz"; r.clientSoftwareVersion = "1.0"
            r.encode(into: &$0, version: 3)
        }
        request += FuzzCorpus.frame(apiKey: 3, version: 12, correlationId: metadataId, clientId: "well-behaved") {
            var r = Wire.MetadataRequest(); r.topics = [FuzzCorpus.metadataTopic(WireFuzzTests.watched)]
            r.allowAutoTopicCreation = false; r.encode(into: &$0, version: 12)
        }
        guard socket.sendAll(request, deadline: deadline) else { return "cannot send the requests" }

        let versionsFrame: [UInt8]
        do { versionsFrame = try socket.readFrame(deadline: deadline) } catch { return "ApiVersions: \(error)" }
        do {
            var body = ByteBuffer(bytes: versionsFrame)
            let header = try Wire.ResponseHeader.decode(from: &body, apiKey: 18, apiVersion: 3)
            guard header.correlationId == versionsId else { return "ApiVersions correlation id \(header.correlationId), expected \(versionsId)" }
            let versions = try Wire.ApiVersionsResponse(from: &body, version: 3)
            guard versions.errorCode == 0, body.readableBytes == 0,
                  versions.apiKeys.contains(where: { $0.apiKey == 3 && $0.maxVersion == 12 }) else {
                return "unexpected ApiVersions answer: \(versions)"
            }
        } catch {
            return "ApiVersions answer cannot be decoded: \(error)"
        }

        let metadataFrame: [UInt8]
        do { metadataFrame = try socket.readFrame(deadline: deadline) } catch { return "Metadata: \(error)" }
        do {
            var body = ByteBuffer(bytes: metadataFrame)
            let header = try Wire.ResponseHeader.decode(from: &body, apiKey: 3, apiVersion: 12)
            guard header.correlationId == metadataId else { return "Metadata correlation id \(header.correlationId), expected \(metadataId)" }
            let metadata = try Wire.MetadataResponse(from: &body, version: 12)
            let brokerPorts = Set(metadata.brokers.map { Int($0.port) })
            guard brokerPorts == Set(ports.values), body.readableBytes == 0 else {
                return "Metadata lists brokers on \(brokerPorts.sorted()), expected \(ports.values.sorted())"
            }
            guard let topic = metadata.topics.first(where: { $0.name == WireFuzzTests.watched }), topic.errorCode == 0,
                  topic.partitions.count == 3, topic.partitions.allSatisfy({ ports[Int($0.leaderId)] != nil }) else {
                return "Metadata does not describe \(WireFuzzTests.watched) with 3 led partitions: \(metadata.topics)"
            }
        } catch {
            return "Metadata answer cannot be decoded: \(error)"
        }
        return nil
    }
}

/// Valid request frames of every API the bridge serves (and some it refuses), encoded with the generated codec.
enum FuzzCorpus {
    static func frame(apiKey: Int16, version: Int16, correlationId: Int32 = 1, clientId: String? = "fuzz",
                      _ body: (inout ByteBuffer) -> Void) -> [UInt8] {
        let header = Wire.RequestHeader(apiKey: apiKey, apiVersion: version, correlationId: correlationId, clientId: clientId)
        let buffer = Wire.encodeRequestFrame(header: header, allocator: ByteBufferAllocator(), body: body)
        return Array(buffer.readableBytesView)
    }

    static func metadataTopic(_ name: String) -> Wire.MetadataRequest.MetadataRequestTopic {
        var topic = Wire.MetadataRequest.MetadataRequestTopic()
        topic.name = name
        return topic
    }

    static func build() -> [[UInt8]] {
        let watched = WireFuzzTests.watched
        var frames: [[UInt8]] = []
        func add(_ apiKey: Int16, _ versions: [Int16], _ body: @escaping (Int16, inout ByteBuffer) -> Void) {
            for version in versions { frames.append(frame(apiKey: apiKey, version: version) { body(version, &$0) }) }
        }

        add(18, [0, 3]) { v, b in var r = Wire.ApiVersionsRequest(); r.clientSoftwareName = "fuzz"; r.clientSoftwareVersion = "0.1"; r.encode(into: &b, version: v) }
        add(3, [1, 12]) { v, b in var r = Wire.MetadataRequest(); r.topics = [metadataTopic(watched)]; r.allowAutoTopicCreation = false; r.encode(into: &b, version: v) }
        add(3, [12]) { v, b in var r = Wire.MetadataRequest(); r.topics = nil; r.allowAutoTopicCreation = false; r.encode(into: &b, version: v) }

        let records = [Record(timestamp: 1_764_000_000_000, key: "k", value: "v", headers: [RecordHeader(key: "h", value: [1, 2])]),
                       Record(offset: 1, timestamp: 1_764_000_000_001, key: nil, value: "second")]
        let batch = RecordBatch(baseOffset: 0, records: records).encoded()
        // Not acks=all: it parks until the followers have fetched, which holds the connection's later frames.
        for acks: Int16 in [1, 0] {
            add(0, [3, 7, 9]) { v, b in
                var r = Wire.ProduceRequest(); r.acks = acks; r.timeoutMs = 1000
                var t = Wire.ProduceRequest.TopicProduceData(); t.name = watched
                var p = Wire.ProduceRequest.TopicProduceData.PartitionProduceData(); p.index = Int32(v % 3)
                p.records = ByteBuffer(bytes: batch)
                t.partitionData = [p]; r.topicData = [t]; r.encode(into: &b, version: v)
            }
        }
        for wait: Int32 in [0, 10] {
            add(1, [4, 11, 12]) { v, b in
                var r = Wire.FetchRequest(); r.maxWaitMs = wait; r.minBytes = 1; r.maxBytes = 4096
                var t = Wire.FetchRequest.FetchTopic(); t.topic = watched
                t.partitions = (Int32(0)..<3).map { n in
                    var p = Wire.FetchRequest.FetchTopic.FetchPartition(); p.partition = n; p.fetchOffset = Int64(n) * 7; p.partitionMaxBytes = 1024; return p
                }
                r.topics = [t]; r.encode(into: &b, version: v)
            }
        }
        add(2, [2, 7]) { v, b in
            var r = Wire.ListOffsetsRequest(); r.replicaId = -1
            var t = Wire.ListOffsetsRequest.ListOffsetsTopic(); t.name = watched
            t.partitions = [Int64(-1), -2].map { ts in var p = Wire.ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition(); p.timestamp = ts; return p }
            r.topics = [t]; r.encode(into: &b, version: v)
        }
        add(10, [2, 4]) { v, b in var r = Wire.FindCoordinatorRequest(); r.key = "g"; r.coordinatorKeys = ["g"]; r.encode(into: &b, version: v) }
        // Without a member id: answered at once with MEMBER_ID_REQUIRED (a static member would park the connection
        // for the whole rebalance delay).
        add(11, [5, 9]) { v, b in
            var r = Wire.JoinGroupRequest(); r.groupId = "g"; r.sessionTimeoutMs = 10_000; r.rebalanceTimeoutMs = 1000
            r.protocolType = "consumer"
            var p = Wire.JoinGroupRequest.JoinGroupRequestProtocol(); p.name = "range"; p.metadata = [0, 1, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 0]
            r.protocols = [p]; r.encode(into: &b, version: v)
        }
        add(14, [3, 5]) { v, b in
            var r = Wire.SyncGroupRequest(); r.groupId = "g"; r.generationId = 1; r.memberId = "m-1"; r.protocolType = "consumer"; r.protocolName = "range"
            var a = Wire.SyncGroupRequest.SyncGroupRequestAssignment(); a.memberId = "m-1"; a.assignment = [0, 1, 0, 0, 0, 0]
            r.assignments = [a]; r.encode(into: &b, version: v)
        }
        add(12, [3, 4]) { v, b in var r = Wire.HeartbeatRequest(); r.groupId = "g"; r.generationId = 1; r.memberId = "m-1"; r.encode(into: &b, version: v) }
        add(13, [1, 3]) { v, b in
            var r = Wire.LeaveGroupRequest(); r.groupId = "g"; r.memberId = "m-1"
            var m = Wire.LeaveGroupRequest.MemberIdentity(); m.memberId = "m-1"; r.members = [m]; r.encode(into: &b, version: v)
        }
        add(8, [2, 8]) { v, b in
            var r = Wire.OffsetCommitRequest(); r.groupId = "g"; r.generationIdOrMemberEpoch = -1
            var t = Wire.OffsetCommitRequest.OffsetCommitRequestTopic(); t.name = watched
            var p = Wire.OffsetCommitRequest.OffsetCommitRequestTopic.OffsetCommitRequestPartition(); p.partitionIndex = 1; p.committedOffset = 3
            t.partitions = [p]; r.topics = [t]; r.encode(into: &b, version: v)
        }
        add(9, [7, 8]) { v, b in
            var r = Wire.OffsetFetchRequest(); r.groupId = "g"
            var t = Wire.OffsetFetchRequest.OffsetFetchRequestTopic(); t.name = watched; t.partitionIndexes = [0, 1, 2]; r.topics = [t]
            var g = Wire.OffsetFetchRequest.OffsetFetchRequestGroup(); g.groupId = "g"
            var gt = Wire.OffsetFetchRequest.OffsetFetchRequestGroup.OffsetFetchRequestTopics(); gt.name = watched; gt.partitionIndexes = [0]
            g.topics = [gt]; r.groups = [g]; r.encode(into: &b, version: v)
        }
        for (name, versions) in zip(WireFuzzTests.churned, [(Int16(4), Int16(4)), (7, 6)]) {
            add(19, [versions.0]) { v, b in
                var r = Wire.CreateTopicsRequest(); r.timeoutMs = 1000
                var t = Wire.CreateTopicsRequest.CreatableTopic(); t.name = name; t.numPartitions = 2; t.replicationFactor = 2
                r.topics = [t]; r.encode(into: &b, version: v)
            }
            add(20, [versions.1]) { v, b in
                var r = Wire.DeleteTopicsRequest(); r.timeoutMs = 1000; r.topicNames = [name]
                var t = Wire.DeleteTopicsRequest.DeleteTopicState(); t.name = name; r.topics = [t]
                r.encode(into: &b, version: v)
            }
        }
        add(15, [5]) { v, b in var r = Wire.DescribeGroupsRequest(); r.groups = ["g", "other"]; r.encode(into: &b, version: v) }
        add(16, [2, 4]) { v, b in var r = Wire.ListGroupsRequest(); r.statesFilter = ["Stable"]; r.encode(into: &b, version: v) }
        add(22, [1, 4]) { v, b in var r = Wire.InitProducerIdRequest(); r.transactionalId = nil; r.transactionTimeoutMs = 60_000; r.encode(into: &b, version: v) }
        // A transactional client before transaction version 2: its coordinator, its id, its partitions and offsets,
        // a transactional batch, its EndTxn (v4 has v3's layout).
        add(10, [1, 4]) { v, b in var r = Wire.FindCoordinatorRequest(); r.key = "fz-txn"; r.keyType = 1; r.coordinatorKeys = ["fz-txn"]; r.encode(into: &b, version: v) }
        add(22, [0, 5]) { v, b in var r = Wire.InitProducerIdRequest(); r.transactionalId = "fz-txn"; r.transactionTimeoutMs = 60_000; r.encode(into: &b, version: v) }
        add(24, [0, 3]) { v, b in
            var r = Wire.AddPartitionsToTxnRequest(); r.v3AndBelowTransactionalId = "fz-txn"; r.v3AndBelowProducerId = 0; r.v3AndBelowProducerEpoch = 0
            var t = Wire.AddPartitionsToTxnRequest.AddPartitionsToTxnTopic(); t.name = watched; t.partitions = [0, 1]
            r.v3AndBelowTopics = [t]; r.encode(into: &b, version: v)
        }
        add(25, [0, 4]) { v, b in
            var r = Wire.AddOffsetsToTxnRequest(); r.transactionalId = "fz-txn"; r.producerId = 0; r.producerEpoch = 0; r.groupId = "g"
            r.encode(into: &b, version: min(v, 3))
        }
        add(28, [0, 4]) { v, b in
            var r = Wire.TxnOffsetCommitRequest(); r.transactionalId = "fz-txn"; r.groupId = "g"; r.producerId = 0; r.producerEpoch = 0
            var t = Wire.TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic(); t.name = watched
            var p = Wire.TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.TxnOffsetCommitRequestPartition(); p.partitionIndex = 1; p.committedOffset = 2
            t.partitions = [p]; r.topics = [t]; r.encode(into: &b, version: min(v, 3))
        }
        add(26, [0, 4]) { v, b in
            var r = Wire.EndTxnRequest(); r.transactionalId = "fz-txn"; r.producerId = 0; r.producerEpoch = 0; r.committed = v == 0
            r.encode(into: &b, version: min(v, 3))
        }
        let transactional = RecordBatch(baseOffset: 0, records: records, producerId: 0, producerEpoch: 0, baseSequence: 0, isTransactional: true).encoded()
        add(0, [9, 11]) { v, b in
            var r = Wire.ProduceRequest(); r.transactionalId = "fz-txn"; r.acks = 1; r.timeoutMs = 1000
            var t = Wire.ProduceRequest.TopicProduceData(); t.name = watched
            var p = Wire.ProduceRequest.TopicProduceData.PartitionProduceData(); p.index = 0; p.records = ByteBuffer(bytes: transactional)
            t.partitionData = [p]; r.topicData = [t]; r.encode(into: &b, version: v)
        }
        return frames
    }

    /// Frames a broker closes the connection for: unknown API keys, versions outside the advertised ranges.
    static func refused() -> [[UInt8]] {
        [(57, 0), (99, 1), (-1, 0), (3, 13), (1, 3), (0, 2), (68, 0), (Int16.max, Int16.min)].map { (key: Int16, version: Int16) in
            frame(apiKey: key, version: version) { $0.writeBytes([0, 0, 0, 0, 1]) }
        } + [frame(apiKey: 18, version: 9) { _ in }]
    }
}

/// Makes the frames of the fuzz run: valid ones from the corpus, mutated ones, random bytes, and now and then a
/// length Kafka refuses outright.
struct FrameFuzzer {
    let corpus: [[UInt8]]
    let refused = FuzzCorpus.refused()
    private var correlationId: Int32 = 0

    init(corpus: [[UInt8]]) { self.corpus = corpus }

    /// A batch to pipeline: valid frames (some with odd client ids), then a tail of mutated and random ones. The
    /// server stops reading a connection at the first frame it cannot serve and drops what follows, so hostile frames
    /// go last: the valid ones before them still reach the bridge.
    mutating func batch(_ rng: inout SeededGenerator, stats: inout FuzzStats) -> [(bytes: [UInt8], hostile: Bool)] {
        let count = Int.random(in: 50...200, using: &rng)
        let tail = count - Int.random(in: 0...(count / 4), using: &rng)
        var frames: [(bytes: [UInt8], hostile: Bool)] = []
        frames.reserveCapacity(count + 1)
        for _ in 0..<(count - tail) {
            frames.append((validFrame(&rng), false))
        }
        for _ in 0..<tail {
            let roll = Int.random(in: 0..<100, using: &rng)
            if roll < 15 {
                stats.random += 1
                frames.append((randomFrame(&rng), true))
            } else if roll < 25 {
                stats.refused += 1
                frames.append((refused.randomElement(using: &rng)!, true))
            } else {
                stats.mutated += 1
                var frame = validFrame(&rng)
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    mutate(&frame, &rng)
                }
                frames.append((frame, true))
            }
        }
        // The batch ends with a frame the server surely closes at, so the connection is over once the server has
        // read it (a tail that happens to be valid would leave it open and idle): now and then a bad length, else a
        // refused API.
        if Int.random(in: 0..<40, using: &rng) == 0 {
            let size: Int32 = [Int32(-1), Int32.min, -Int32.random(in: 2...Int32.max, using: &rng),
                               104_857_601, Int32.max, Int32.random(in: 104_857_601...Int32.max, using: &rng)].randomElement(using: &rng)!
            frames.append((Self.bytes(of: size) + [0, 18, 0, 3, 0, 0, 0, 1], true))
            stats.badLength += 1
        } else {
            frames.append((refused.randomElement(using: &rng)!, true))
            stats.refused += 1
        }
        stats.generated += frames.count
        return frames
    }

    /// A corpus frame with a fresh correlation id; one in four with another client id (null, empty, long, odd
    /// characters), which the header allows and the bridge shows to the learner.
    private mutating func validFrame(_ rng: inout SeededGenerator) -> [UInt8] {
        var frame = corpus.randomElement(using: &rng)!
        correlationId &+= 1
        frame.replaceSubrange(8..<12, with: Self.bytes(of: correlationId))
        guard Int.random(in: 0..<4, using: &rng) == 0 else { return frame }
        // Every corpus frame's client id is "fuzz": an int16 length of 4 at 12, its bytes at 14..<18.
        let clientId: [UInt8]
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: clientId = Self.bytes(of: Int16(-1))
        case 1: clientId = Self.bytes(of: Int16(0))
        case 2:
            let text = (0..<Int.random(in: 1...300, using: &rng)).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }
            clientId = Self.bytes(of: Int16(text.count)) + text
        default:
            let text = Array("cl\u{00e9}ent-\u{1F600}-\n\t\u{0}".utf8)
            clientId = Self.bytes(of: Int16(text.count)) + text
        }
        frame.replaceSubrange(12..<18, with: clientId)
        setLength(&frame)
        return frame
    }

    /// A length the frame keeps (so the stream stays in step), then random bytes: sometimes a plausible header.
    private func randomFrame(_ rng: inout SeededGenerator) -> [UInt8] {
        var body = (0..<Int.random(in: 0...256, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        if body.count >= 4 && Bool.random(using: &rng) {
            body[0] = 0
            body[1] = UInt8.random(in: 0...23, using: &rng)
            body[2] = 0
            body[3] = UInt8.random(in: 0...13, using: &rng)
        }
        return Self.bytes(of: Int32(body.count)) + body
    }

    private func mutate(_ frame: inout [UInt8], _ rng: inout SeededGenerator) {
        let bodyRange = 4..<max(frame.count, 5)
        guard frame.count > 4 else { return }
        switch Int.random(in: 0..<9, using: &rng) {
        case 0:
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let at = Int.random(in: bodyRange, using: &rng)
                frame[at] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            }
        case 1:
            let value: UInt8 = [0x00, 0xFF, 0x7F, 0x80].randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                frame[Int.random(in: bodyRange, using: &rng)] = value
            }
        case 2:
            // Truncated, with a length that says so: the decoder, not the framing, finds the end too early.
            frame.removeSubrange(Int.random(in: bodyRange, using: &rng)...)
            setLength(&frame)
        case 3:
            frame += (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            setLength(&frame)
        case 4:
            guard frame.count >= 8 else { return }
            let key = Bool.random(using: &rng) ? Int16.random(in: -2...70, using: &rng) : Int16.random(in: .min ... .max, using: &rng)
            frame.replaceSubrange(4..<6, with: Self.bytes(of: key))
        case 5:
            guard frame.count >= 8 else { return }
            let version = Bool.random(using: &rng) ? Int16.random(in: -1...16, using: &rng) : Int16.random(in: .min ... .max, using: &rng)
            frame.replaceSubrange(6..<8, with: Self.bytes(of: version))
        case 6:
            // A length or count inside that promises far more than the frame holds (int32, int16, varint).
            let at = Int.random(in: 12..<max(frame.count, 13), using: &rng)
            guard at < frame.count else { return }
            let huge: [[UInt8]] = [[0x7F, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0xFE], [0x7F, 0xFF], [0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
                                   [0x80, 0x80, 0x80, 0x80, 0x80, 0x80], [0x00, 0x10, 0x00, 0x00]]
            let bytes = huge.randomElement(using: &rng)!
            let end = min(at + bytes.count, frame.count)
            frame.replaceSubrange(at..<end, with: bytes[0..<(end - at)])
        case 7:
            // The header of one frame on the body of another.
            let other = corpus.randomElement(using: &rng)!
            guard frame.count >= 12, other.count >= 12 else { return }
            frame = Array(frame[0..<12]) + Array(other[12...])
            setLength(&frame)
        default:
            // Bytes inserted or removed in the middle: every later field shifts.
            let at = Int.random(in: bodyRange, using: &rng)
            if Bool.random(using: &rng) {
                frame.insert(contentsOf: (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            } else {
                frame.removeSubrange(at..<min(frame.count, at + Int.random(in: 1...8, using: &rng)))
            }
            setLength(&frame)
        }
    }

    private func setLength(_ frame: inout [UInt8]) {
        frame.replaceSubrange(0..<4, with: Self.bytes(of: Int32(frame.count - 4)))
    }

    static func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }
}
