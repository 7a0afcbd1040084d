import Testing
@testable import KafkaModel

/// `Cluster.send(producer:topic:value:count:)` (the perf tool's batched path) must leave the cluster exactly
/// as `count` single `send`s would: the same records at the same offsets in the same batches, the same
/// producer state (accumulator, partitioner, batch results), events and timers.
@Suite struct BatchedSendTests {
    struct Scenario: Sendable, CustomStringConvertible {
        var name: String
        var producer = "p"
        var config = ProducerConfig()
        var partitions = 6
        var valueSize = 100
        var counts: [Int] = [5_000]
        var stopBroker: Int?
        var description: String { name }
    }

    static let scenarios: [Scenario] = {
        var small = ProducerConfig()
        small.batchSize = 700
        var noLinger = ProducerConfig()
        noLinger.lingerMs = 0
        var sticky = ProducerConfig()
        sticky.partitioner = .roundRobin
        var leader = ProducerConfig()
        leader.acks = .leader
        return [
            Scenario(name: "perf tool producer", producer: "_perf-producer"),
            Scenario(name: "named producer with events", counts: [1_000, 1, 2, 777]),
            Scenario(name: "small batches, several calls", config: small, partitions: 3, valueSize: 33, counts: [10, 400, 1, 999]),
            Scenario(name: "records larger than batch.size", config: small, partitions: 4, valueSize: 900, counts: [50, 3]),
            Scenario(name: "null values", config: small, partitions: 2, valueSize: -1, counts: [300]),
            Scenario(name: "linger.ms=0 falls back", config: noLinger, counts: [200]),
            Scenario(name: "round-robin falls back", config: sticky, counts: [400]),
            Scenario(name: "acks=1", config: leader, partitions: 1, counts: [2_000]),
            Scenario(name: "min.insync.replicas not met", counts: [1_500], stopBroker: 2),
        ]
    }()

    /// Runs the scenario through one path; returns the cluster after a tick that fires the linger timers.
    static func run(_ s: Scenario, batched: Bool) throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 42))
        try cluster.createTopic("t", partitions: s.partitions, replicationFactor: 3,
                                configs: ["min.insync.replicas": "3", "segment.bytes": "100000"])
        if let broker = s.stopBroker { try cluster.stopBroker(broker) }
        try cluster.startProducer(s.producer, config: s.config, reportsAppends: s.producer.hasPrefix("_") ? false : true)
        // Something waiting in the accumulator from earlier, at an earlier time.
        try cluster.send(producer: s.producer, topic: "t", key: Array("k".utf8), value: Array("early".utf8))
        cluster.advance(byMs: 2)
        let value: [UInt8]? = s.valueSize < 0 ? nil : (0..<s.valueSize).map { UInt8(65 + $0 % 26) }
        for count in s.counts {
            if batched {
                try cluster.send(producer: s.producer, topic: "t", value: value, count: count)
            } else {
                for _ in 0..<count { try cluster.send(producer: s.producer, topic: "t", key: nil, value: value) }
            }
            cluster.advance(byMs: 1)
        }
        return cluster
    }

    @Test(arguments: scenarios)
    func batchedSendEqualsSingleSends(_ s: Scenario) throws {
        let single = try Self.run(s, batched: false)
        let batched = try Self.run(s, batched: true)
        #expect(batched.producers == single.producers)
        #expect(batched.events == single.events)
        #expect(batched.scheduler.pending.map { "\($0.id) \($0.dueMs) \($0.task)" } == single.scheduler.pending.map { "\($0.id) \($0.dueMs) \($0.task)" })
        for p in 0..<s.partitions {
            let tp = TopicPartition("t", p)
            let (a, b) = (try single.log(tp), try batched.log(tp))
            #expect(a.logEndOffset == b.logEndOffset && a.size == b.size, "\(tp)")
            #expect(try a.read(from: 0) == b.read(from: 0), "\(tp)")
        }
        // Flushing later still behaves the same.
        try single.flush(producer: s.producer)
        try batched.flush(producer: s.producer)
        // acks=all answers come as the followers copy the batches, on the clock.
        single.advance(byMs: 1_000)
        batched.advance(byMs: 1_000)
        #expect(batched.producers == single.producers)
        #expect(batched.events == single.events)
        let total = (0..<s.partitions).reduce(0) { $0 + Int((try? batched.log(TopicPartition("t", $1)).logEndOffset) ?? 0) }
        #expect(total == (s.stopBroker == nil ? s.counts.reduce(1, +) : 0))
    }

    @Test func theConsumerFetchSeesEveryBatchedRecord() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 1, seed: 7))
        try cluster.createTopic("t", partitions: 3)
        try cluster.startProducer("_p", config: ProducerConfig(), reportsAppends: false)
        try cluster.send(producer: "_p", topic: "t", value: Array(repeating: 1, count: 10), count: 10_000)
        try cluster.flush(producer: "_p")
        let fetched = FetchedRecords(capacity: 4096)
        var seen = 0
        for p in 0..<3 {
            let tp = TopicPartition("t", p)
            var offset: Int64 = 0
            var views: [Record] = []
            while true {
                try cluster.fetch(tp, from: offset, maxBytes: 4096, into: fetched)
                if fetched.isEmpty { break }
                views += fetched.views.map { fetched.record($0) }
                offset = fetched.nextOffset
            }
            #expect(views == (try cluster.fetch(tp, from: 0)))
            seen += views.count
        }
        #expect(seen == 10_000)
    }

    /// The log's repeated-record append writes the bytes of the written-out batch.
    @Test(arguments: [(0, 1), (0, 300), (2, 0), (3, 70), (1, 9_000)])
    func repeatedAppendWritesTheSameBytes(prefix: Int, copies: Int) throws {
        let tp = TopicPartition("t", 0)
        let first = (0..<prefix).map { Record(timestamp: 1_000 + Int64($0), key: Array("k\($0)".utf8), value: [1, 2, 3],
                                             headers: [RecordHeader(key: "h", value: [9])]) }
        let record = Record(timestamp: 5_000, key: nil, value: Array(repeating: 66, count: 100))
        let (a, _) = try UnifiedLog.open(topicPartition: tp, storage: InMemoryLogStorage(), nowMs: 0)
        let (b, _) = try UnifiedLog.open(topicPartition: tp, storage: InMemoryLogStorage(), nowMs: 0)
        let x = try a.append(records: first + Array(repeating: record, count: copies), nowMs: 7)
        let y = try b.append(records: first, repeating: record, count: copies, nowMs: 7)
        #expect(x.sizeInBytes == y.sizeInBytes && x.lastOffset == y.lastOffset)
        #expect(try a.read(from: 0) == b.read(from: 0))
        #expect(try a.storage.readAll(a.activeSegment.logFileName) == b.storage.readAll(b.activeSegment.logFileName))
    }
}
