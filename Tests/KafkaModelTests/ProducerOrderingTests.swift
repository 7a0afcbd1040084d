import Testing
@testable import KafkaModel

/// `max.in.flight.requests.per.connection` and order within a partition (reference §3.5, scenario P5): a producer
/// without idempotence sends later batches while an earlier request is unanswered, so a retried batch lands after
/// them; an idempotent producer keeps the order.
@Suite("Producer ordering with requests in flight")
struct ProducerOrderingTests {
    let tp = TopicPartition("t", 0)

    /// Topic `t` (1 partition, RF 3, leader 0); producer `p` sends "first" into a lost request, then "second".
    func run(idempotent: Bool, acks: ProducerConfig.Acks = .all, maxInFlight: Int = 5) throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3)
        var config = ProducerConfig()
        config.enableIdempotence = idempotent
        config.acks = acks
        config.maxInFlightRequestsPerConnection = maxInFlight
        try cluster.startProducer("p", config: config)
        try cluster.armClientFault(broker: 0, loss: .requests, count: 1)
        for value in ["first", "second"] {
            try cluster.send(producer: "p", topic: "t", key: nil, value: Array(value.utf8))
            try cluster.flush(producer: "p")
        }
        cluster.advance(byMs: 31_000)
        return cluster
    }

    func values(_ cluster: Cluster) throws -> [String] {
        try cluster.fetch(tp, from: 0).map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }

    @Test("Without idempotence and 5 in flight, the retried batch lands after the later one (acks=1 and acks=all)",
          arguments: [ProducerConfig.Acks.leader, .all])
    func reorderedWithoutIdempotence(acks: ProducerConfig.Acks) throws {
        let cluster = try run(idempotent: false, acks: acks)
        #expect(try values(cluster) == ["second", "first"])
        #expect(cluster.producers["p"]!.sentRecords == 2)
        #expect(!cluster.hasUnfinishedBatches(producer: "p"))
    }

    @Test("With max.in.flight=1 the later batch waits for the retried one: order holds without idempotence")
    func oneInFlightKeepsOrder() throws {
        let cluster = try run(idempotent: false, maxInFlight: 1)
        #expect(try values(cluster) == ["first", "second"])
    }

    @Test("An idempotent producer keeps the order with 5 in flight")
    func idempotentKeepsOrder() throws {
        let cluster = try run(idempotent: true)
        #expect(try values(cluster) == ["first", "second"])
        #expect(cluster.producers["p"]!.sentRecords == 2)
    }

    @Test("At most max.in.flight batches are unanswered: the next one waits")
    func inFlightBound() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3)
        var config = ProducerConfig()
        config.enableIdempotence = false
        config.acks = .leader
        config.maxInFlightRequestsPerConnection = 2
        try cluster.startProducer("p", config: config)
        try cluster.armClientFault(broker: 0, loss: .requests, count: 2)
        for value in ["a", "b", "c"] {
            try cluster.send(producer: "p", topic: "t", key: nil, value: Array(value.utf8))
            try cluster.flush(producer: "p")
        }
        // a and b are lost in flight; c may not overtake a third time.
        #expect(try values(cluster) == [])
        cluster.advance(byMs: 31_000)
        #expect(Set(try values(cluster)) == ["a", "b", "c"])
        #expect(try values(cluster).last == "c", "c waited behind the two unanswered requests")
    }
}
