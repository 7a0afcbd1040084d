import Testing
@testable import KafkaModel

/// A simulated consumer with `isolation.level=read_committed` reads through Fetch with isolation 1: it stops at the last
/// stable offset, never gets aborted records or markers, and moves past them (reference §4.4, T1–T3).
@Suite struct ReadCommittedConsumerTests {
    let tp = TopicPartition("t", 0)

    func consumer(_ level: String) -> ConsumerConfig {
        var config = ConsumerConfig()
        config.groupId = "g-" + level
        config.topics = ["t"]
        config.autoOffsetReset = .earliest
        config.isolationLevel = level
        return config
    }

    /// Appends on the leader's log as the transaction coordinator will, and lets the high watermark follow (RF 1).
    func write(_ cluster: Cluster, _ body: (UnifiedLog) throws -> Void) throws {
        let log = try cluster.log(tp)
        try body(log)
        log.setHighWatermark(log.logEndOffset)
        cluster.highWatermarkAdvanced(tp)
    }

    // Each step ticks 10 s: a consumer with an auto-commit poll pending polls then, not at the append.
    func record(_ cluster: Cluster, _ value: String) -> Record { Record(timestamp: cluster.nowMs, key: nil, value: Array(value.utf8)) }

    @Test func readCommittedSeesOnlyCommittedRecordsAndSkipsMarkers() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 1, seed: 3))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        try cluster.startConsumer("rc", config: consumer("read_committed"))
        try cluster.startConsumer("ru", config: consumer("read_uncommitted"))
        cluster.advance(byMs: 5_000)
        let p0 = ProducerIdentity(producerId: 0, producerEpoch: 0, baseSequence: 0)
        // An open transaction: a, b at 0 and 1.
        try write(cluster) { log in
            _ = try log.appendAsLeader(records: [record(cluster, "a"), record(cluster, "b")], producer: p0, isTransactional: true, nowMs: cluster.nowMs)
        }
        cluster.advance(byMs: 10_000)
        #expect(try cluster.log(tp).lastStableOffset == 0)
        #expect(cluster.consumers["rc"]!.recordsConsumed == 0)
        #expect(cluster.consumers["ru"]!.recordsConsumed == 2)
        // COMMIT at 2: both records become visible, the marker is skipped.
        try write(cluster) { log in
            _ = try log.appendEndTxnMarker(producerId: 0, epoch: 1, coordinatorEpoch: 0, type: .commit, nowMs: cluster.nowMs)
        }
        cluster.advance(byMs: 10_000)
        #expect(cluster.consumers["rc"]!.recordsConsumed == 2)
        // An aborted transaction: c at 3, ABORT at 4. read_committed never sees c and moves to 5.
        let p1 = ProducerIdentity(producerId: 0, producerEpoch: 1, baseSequence: 0)
        try write(cluster) { log in
            _ = try log.appendAsLeader(records: [record(cluster, "c")], producer: p1, isTransactional: true, nowMs: cluster.nowMs)
            _ = try log.appendEndTxnMarker(producerId: 0, epoch: 2, coordinatorEpoch: 0, type: .abort, nowMs: cluster.nowMs)
        }
        cluster.advance(byMs: 10_000)
        #expect(cluster.consumers["rc"]!.recordsConsumed == 2)
        #expect(cluster.consumers["rc"]!.positions[tp] == 5)
        #expect(cluster.consumers["ru"]!.recordsConsumed == 3, "ru at \(String(describing: cluster.consumers["ru"]!.positions[tp]))")
        // ListOffsets(latest) with read_committed answers the last stable offset.
        let leader = cluster.topics["t"]!.partitions[0].leader!
        let open = ProducerIdentity(producerId: 7, producerEpoch: 0, baseSequence: 0)
        try write(cluster) { log in
            _ = try log.appendAsLeader(records: [record(cluster, "d")], producer: open, isTransactional: true, nowMs: cluster.nowMs)
        }
        let context = RequestContext(client: .admin("test"), clientId: "test")
        let committed = try cluster.send(ListOffsetsRequest(partitions: [tp: -1], isolationLevel: 1), to: leader, from: context)
        let uncommitted = try cluster.send(ListOffsetsRequest(partitions: [tp: -1]), to: leader, from: context)
        #expect(committed.partitions[tp]?.offset == 5)
        #expect(uncommitted.partitions[tp]?.offset == 6)
    }
}
