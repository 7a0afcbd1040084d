import Testing
@testable import KafkaModel

/// A consumer blocked in `poll()` returns as soon as records arrive, as Kafka's long poll does — also when its poll
/// loop has a timer pending for the next auto-commit (`timeToNextPoll`), which used to keep it asleep until then.
@Suite struct ConsumerWakeUpTests {
    let tp = TopicPartition("t", 0)

    func record(_ cluster: Cluster, _ value: String) -> Record {
        Record(timestamp: cluster.nowMs, key: nil, value: Array(value.utf8))
    }

    @Test func recordsEndAPollWaitingForItsAutoCommit() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 1, seed: 5))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        try cluster.startConsumer("c", config: .fromEarliest(group: "g", topic: "t"))
        cluster.advance(byMs: 10_000)
        let c = cluster.consumers["c"]!
        #expect(c.assignment == [tp])
        for (i, gapMs) in [700, 1_300, 2_100].enumerated() {
            cluster.advance(byMs: Int64(gapMs))
            // Nothing to read. After the first record, a poll is pending for the auto-commit of the position it
            // has not committed yet.
            if i > 0 { #expect(c.pollScheduled && c.awaitingRecords) }
            _ = try cluster.appendRecords([record(cluster, "v\(i)")], to: tp)
            let appendedMs = cluster.nowMs
            cluster.advance(byMs: 1)
            #expect(c.recordsConsumed == i + 1, "record \(i) waited past its append")
            let consumed = cluster.events.last { if case .group(.recordConsumed) = $0.kind { true } else { false } }
            #expect(consumed?.timestampMs == appendedMs)
        }
    }
}
