import Testing
@testable import KafkaModel

/// Reference §3.6 P4: an `acks=all` batch is appended by the leader, then its followers crash; the answer never
/// comes (the high watermark cannot pass it), so the producer's request times out and it retries. Every retry of a
/// plain producer is appended again; an idempotent producer's retries are recognised as the same batch.
@Suite("acks=all while the followers crash (P4)")
struct ProducerFailoverScenarioTests {
    let tp = TopicPartition("t", 0)

    func run(idempotent: Bool) throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3, configs: ["min.insync.replicas": "2"])
        var config = ProducerConfig()
        config.enableIdempotence = idempotent
        config.retries = 3
        try cluster.startProducer("p", config: config)
        try cluster.send(producer: "p", topic: "t", key: nil, value: Array("x".utf8))
        try cluster.flush(producer: "p")
        _ = try cluster.killBroker(1)
        _ = try cluster.killBroker(2)
        cluster.advance(byMs: 180_000)
        return cluster
    }

    /// The leader's own log (the high watermark is stuck, so a consumer would see none of them).
    func leaderValues(_ cluster: Cluster) throws -> [String] {
        let log = try #require(cluster.replica(tp, on: 0)).log
        return try log.read(from: 0).map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }

    func timeouts(_ cluster: Cluster) -> Int {
        cluster.events.filter {
            if case .produceFailed(_, _, _, _, _, .requestTimedOut, _) = $0.kind { true } else { false }
        }.count
    }

    @Test("A plain producer's every retry adds a copy to the leader's log, and the send still fails")
    func plainProducerDuplicates() throws {
        let cluster = try run(idempotent: false)
        #expect(try leaderValues(cluster) == ["x", "x", "x", "x"], "the first attempt and 3 retries")
        #expect(timeouts(cluster) == 4)
        #expect(cluster.producers["p"]!.failedRecords == 1)
    }

    @Test("An idempotent producer's retries are answered as duplicates: one copy, and the send still fails")
    func idempotentProducerWritesOnce() throws {
        let cluster = try run(idempotent: true)
        #expect(try leaderValues(cluster) == ["x"])
        let duplicates = cluster.events.filter {
            if case .replication(.duplicateBatchAnswered) = $0.kind { true } else { false }
        }
        #expect(duplicates.count == 3)
        #expect(cluster.producers["p"]!.failedRecords == 1)
    }
}
