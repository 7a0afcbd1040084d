import Testing
@testable import KafkaModel

/// A new group coordinator loads `__consumer_offsets` as Kafka replays it: a transactional offset record counts only
/// once its transaction's COMMIT marker is in the log.
@Suite struct TxnOffsetsReloadTests {
    let input = TopicPartition("in", 0)

    /// Three brokers, topic `in`, and transactional producer `p` initialized.
    func cluster() throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("in", partitions: 1, replicationFactor: 3)
        var config = ProducerConfig()
        config.transactionalId = "my-txn"
        try cluster.startProducer("p", config: config)
        try cluster.initTransactions(producer: "p")
        return cluster
    }

    /// Stops the leader of the group's `__consumer_offsets` partition: another broker loads the partition.
    func moveCoordinator(_ cluster: Cluster, _ group: String) throws {
        let partition = cluster.offsetsPartition(of: group)
        let leader = cluster.topics[GroupCoordinator.offsetsTopic]!.partitions[partition].leader!
        try cluster.stopBroker(leader)
        #expect(cluster.topics[GroupCoordinator.offsetsTopic]!.partitions[partition].leader != leader)
    }

    @Test func anAbortedTransactionsOffsetsDoNotComeBackWhenTheCoordinatorMoves() throws {
        let cluster = try cluster()
        try cluster.beginTransaction(producer: "p")
        try cluster.sendOffsetsToTransaction(producer: "p", group: "g", offsets: [input: 42])
        try cluster.endTransaction(producer: "p", commit: true)
        try cluster.beginTransaction(producer: "p")
        try cluster.sendOffsetsToTransaction(producer: "p", group: "g", offsets: [input: 50])
        try cluster.endTransaction(producer: "p", commit: false)
        #expect(cluster.committedOffsets("g")[input] == 42)
        try moveCoordinator(cluster, "g")
        #expect(cluster.committedOffsets("g")[input] == 42, "the aborted 50 was loaded as committed")
    }

    @Test func anOpenTransactionsOffsetsStayPendingAcrossTheMoveAndApplyOnCommit() throws {
        let cluster = try cluster()
        try cluster.beginTransaction(producer: "p")
        try cluster.sendOffsetsToTransaction(producer: "p", group: "g", offsets: [input: 7])
        try moveCoordinator(cluster, "g")
        #expect(cluster.committedOffsets("g")[input] == nil, "pending until the marker")
        try cluster.endTransaction(producer: "p", commit: true)
        #expect(cluster.committedOffsets("g")[input] == 7)
    }
}

/// KIP-447: a consumer's OffsetFetch (requireStable) answers UNSTABLE_OFFSET_COMMIT while a transaction's offsets for
/// the partition are pending, so a consumer starting then does not take the older offsets and process inputs twice.
@Suite struct UnstableOffsetCommitTests {
    @Test func aConsumerWaitsForThePendingTransactionsOffsets() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 1, seed: 7))
        let input = TopicPartition("in", 0)
        try cluster.createTopic("in", partitions: 1, replicationFactor: 1)
        try cluster.startProducer("feed", config: ProducerConfig())
        for v in ["a", "b", "c", "d", "e", "f"] { try cluster.send(producer: "feed", topic: "in", partition: 0, key: nil, value: Array(v.utf8)) }
        try cluster.flush(producer: "feed")
        var config = ProducerConfig()
        config.transactionalId = "my-txn"
        try cluster.startProducer("p", config: config)
        try cluster.initTransactions(producer: "p")
        try cluster.beginTransaction(producer: "p")
        try cluster.sendOffsetsToTransaction(producer: "p", group: "g", offsets: [input: 2])
        try cluster.endTransaction(producer: "p", commit: true)
        try cluster.beginTransaction(producer: "p")
        try cluster.sendOffsetsToTransaction(producer: "p", group: "g", offsets: [input: 5])
        var consumer = ConsumerConfig()
        consumer.groupId = "g"
        consumer.topics = ["in"]
        consumer.enableAutoCommit = false
        consumer.isolationLevel = "read_committed"
        try cluster.startConsumer("c", config: consumer)
        cluster.advance(byMs: 10_000)
        #expect(cluster.consumers["c"]!.assignment == [input])
        #expect(cluster.consumers["c"]!.positions[input] == nil, "UNSTABLE_OFFSET_COMMIT: no position from the older offset 2")
        #expect(cluster.consumers["c"]!.recordsConsumed == 0)
        try cluster.endTransaction(producer: "p", commit: true)
        cluster.advance(byMs: 1_000)
        #expect(cluster.consumers["c"]!.positions[input] == 6)
        #expect(cluster.consumers["c"]!.recordsConsumed == 1, "only f, after the committed 5")
    }
}
