import Testing
@testable import KafkaModel

@Suite("Producer retries and delivery.timeout.ms")
struct ProducerRetryTests {
    @Test("retry.backoff.ms doubles up to retry.backoff.max.ms (ExponentialBackoff without jitter)")
    func backoff() {
        let config = ProducerConfig()
        #expect((0..<7).map { config.retryBackoff(attempts: $0) } == [100, 200, 400, 800, 1000, 1000, 1000])
    }

    /// A cluster of five whose topic `t` (replicas 0,1,2, min.insync.replicas=2) has an ISR of one.
    private func belowMinIsr() throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 5))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3, configs: ["min.insync.replicas": "2"])
        try cluster.stopBroker(1)
        try cluster.stopBroker(2)
        try cluster.startProducer("p", config: ProducerConfig())
        return cluster
    }

    @Test("acks=all below min.insync.replicas: retried, then expired 120000 ms after the batch was created")
    func expiry() throws {
        let cluster = try belowMinIsr()
        let start = cluster.nowMs
        let receipt = try cluster.send(producer: "p", topic: "t", key: nil, value: Array("x".utf8))
        cluster.advance(byMs: 10)
        #expect(cluster.offset(of: receipt, producer: "p") == nil)
        #expect(cluster.producers["p"]!.retryingRecords == 1)
        cluster.advance(byMs: 119_989)  // created at +0, so it expires at +120000
        #expect(cluster.offset(of: receipt, producer: "p") == nil)
        cluster.advance(byMs: 1)
        let message = "Expiring 1 record(s) for t-0:120000 ms has passed since batch creation"
        #expect(cluster.offset(of: receipt, producer: "p") == .failure(.requestTimedOut(message)))
        #expect(cluster.producers["p"]!.failedRecords == 1)
        #expect(cluster.producers["p"]!.sentRecords == 0)
        let attempts = cluster.events.filter { if case .produceFailed = $0.kind { true } else { false } }
        #expect(attempts.count == 123)
        #expect(cluster.events.contains { $0.kind == .batchExpired(producer: "p", partition: TopicPartition("t", 0), records: 1, reason: .deliveryTimeout(ageMs: 120_000)) })
        #expect(cluster.nowMs == start + 120_000)
    }

    @Test("A retry succeeds once the ISR is back to min.insync.replicas; later batches wait behind it in order")
    func recovery() throws {
        let cluster = try belowMinIsr()
        let first = try cluster.send(producer: "p", topic: "t", key: nil, value: Array("a".utf8))
        cluster.advance(byMs: 500)
        let second = try cluster.send(producer: "p", topic: "t", key: nil, value: Array("b".utf8))
        cluster.advance(byMs: 10)
        #expect(cluster.producers["p"]!.retryingRecords == 2)
        try cluster.startBroker(1)
        cluster.advance(byMs: 1_000)
        #expect(cluster.offset(of: first, producer: "p") == .success(0))
        #expect(cluster.offset(of: second, producer: "p") == .success(1))
        #expect(cluster.producers["p"]!.retrying.isEmpty)
    }

    @Test("retries=0 fails at once with the broker's error")
    func noRetries() throws {
        let cluster = try belowMinIsr()
        var config = ProducerConfig()
        config.retries = 0
        try cluster.startProducer("q", config: config)
        let receipt = try cluster.send(producer: "q", topic: "t", key: nil, value: Array("x".utf8))
        try cluster.flush(producer: "q")
        #expect(cluster.offset(of: receipt, producer: "q")
                == .failure(.notEnoughReplicas("Messages are rejected since there are fewer in-sync replicas than required.")))
    }

    @Test("acks=all with a stopped broker left in the ISR (metadata frozen) times out after request.timeout.ms, and completes when a controller is back")
    func frozenIsr() throws {
        let cluster = Cluster()
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3, configs: ["min.insync.replicas": "2"])
        try cluster.startProducer("p", config: ProducerConfig())
        try cluster.stopBroker(1)
        try cluster.stopBroker(2)
        #expect(cluster.controllerId == nil)
        let receipt = try cluster.send(producer: "p", topic: "t", key: nil, value: Array("x".utf8))
        cluster.advance(byMs: 30_004)
        #expect(!cluster.events.contains { if case .produceFailed = $0.kind { true } else { false } })
        cluster.advance(byMs: 1)  // sent at +5, answered at +30005
        let failed = cluster.events.compactMap { event -> String? in
            if case let .produceFailed(_, _, _, _, attempt, error, retry) = event.kind { "\(attempt) \(error.errorName) \(retry ?? -1)" } else { nil }
        }
        #expect(failed == ["1 REQUEST_TIMED_OUT 100"])
        #expect(cluster.offset(of: receipt, producer: "p") == nil)
        cluster.advance(byMs: 1_000)  // attempt 2 went out at +30105 and waits again in the leader's purgatory
        #expect(cluster.producers["p"]!.retrying.values.first?.first?.inFlight == true)
        // The controller drops broker 2 from the ISR; broker 1 catches up and the high watermark passes the batch.
        // The retry was a duplicate of the first attempt (the same sequence): the log holds the record once.
        try cluster.startBroker(1)
        cluster.advance(byMs: 10)
        #expect(cluster.offset(of: receipt, producer: "p") == .success(0))
        #expect(try cluster.log(TopicPartition("t", 0)).logEndOffset == 1)
    }
}
