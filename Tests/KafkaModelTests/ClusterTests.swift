import Testing
@testable import KafkaModel

@Suite("The simulated cluster")
struct ClusterTests {
    @Test("A topic gets Kafka's defaults: 1 partition, replication factor 1")
    func defaults() throws {
        let cluster = Cluster()
        try cluster.createTopic("t")
        let topic = try cluster.topic("t")
        #expect(topic.partitions.count == 1)
        #expect(topic.replicationFactor == 1)
        #expect(topic.topicId.count == 22)
        #expect(!topic.topicId.hasPrefix("-"))
    }

    @Test("The same seed gives the same topic ids; another seed gives others")
    func seeded() throws {
        let a = Cluster(config: ClusterConfig(brokers: 3, seed: 7)), b = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        let c = Cluster(config: ClusterConfig(brokers: 3, seed: 8))
        for cluster in [a, b, c] { try cluster.createTopic("t") }
        #expect(try a.topic("t").topicId == b.topic("t").topicId)
        #expect(try a.topic("t").topicId != c.topic("t").topicId)
    }

    @Test("Replication factor above the live brokers is refused with Kafka's text, and nothing changes")
    func replicationFactorTooLarge() {
        let cluster = Cluster(config: ClusterConfig(brokers: 3))
        let before = cluster.events.count
        #expect(throws: KafkaError.invalidReplicationFactor(
            "Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.")
        ) { try cluster.createTopic("t", partitions: 1, replicationFactor: 4) }
        #expect(cluster.topics.isEmpty)
        #expect(cluster.events.count == before)
    }

    @Test("Partitions only increase, with Kafka's messages")
    func partitionsOnlyIncrease() throws {
        let cluster = Cluster()
        try cluster.createTopic("t", partitions: 3, replicationFactor: 2)
        #expect(throws: KafkaError.invalidPartitions("The topic t currently has 3 partition(s); 2 would not be an increase.")) {
            try cluster.createPartitions("t", totalCount: 2)
        }
        #expect(throws: KafkaError.invalidPartitions("Topic already has 3 partition(s).")) {
            try cluster.createPartitions("t", totalCount: 3)
        }
        try cluster.createPartitions("t", totalCount: 5)
        let topic = try cluster.topic("t")
        #expect(topic.partitions.count == 5)
        #expect(topic.partitions.allSatisfy { $0.replicas.count == 2 })
    }

    @Test("A bad config value changes nothing")
    func badConfig() throws {
        let cluster = Cluster()
        #expect(throws: KafkaError.invalidConfiguration("Invalid value abc for configuration retention.ms: Not a number of type LONG")) {
            try cluster.createTopic("t", configs: ["retention.ms": "abc"])
        }
        #expect(throws: KafkaError.invalidConfiguration("Unknown topic config name: retention.mss")) {
            try cluster.createTopic("t", configs: ["retention.mss": "1"])
        }
        #expect(cluster.topics.isEmpty)
    }

    @Test("Stopping the leader's broker moves leadership to an in-sync replica; restarting brings it back into the ISR")
    func leaderFailover() throws {
        let cluster = Cluster()
        try cluster.createTopic("t", partitions: 3, replicationFactor: 3)
        try cluster.stopBroker(1)
        let topic = try cluster.topic("t")
        #expect(topic.partitions[1].leader == 2)
        #expect(topic.partitions.allSatisfy { !$0.isr.contains(1) })
        #expect(topic.partitions[1].leaderEpoch == 1)
        try cluster.startBroker(1)
        // It rejoins each ISR once its first fetch shows it has caught up (a round trip of the simulated network).
        #expect(try cluster.topic("t").partitions.allSatisfy { !$0.isr.contains(1) })
        cluster.advance(byMs: 10)
        #expect(try cluster.topic("t").partitions.allSatisfy { $0.isr.contains(1) })
        // The controller's imbalance check moves leadership back to the preferred replica.
        cluster.advance(byMs: 300_000)
        #expect(try cluster.topic("t").partitions.map(\.leader) == [0, 1, 2])
    }

    @Test("With every replica down a partition has no leader; the last in-sync replica leads when it returns")
    func offlinePartition() throws {
        // Five nodes, so that the controller quorum keeps its majority with both replicas down.
        let cluster = Cluster(config: ClusterConfig(brokers: 5))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 2)
        #expect(try cluster.topic("t").partitions[0].replicas == [0, 1])
        try cluster.stopBroker(0)
        try cluster.stopBroker(1)
        #expect(try cluster.topic("t").partitions[0].leader == nil)
        #expect(try cluster.topic("t").partitions[0].isr == [1])
        try cluster.startBroker(0)
        #expect(try cluster.topic("t").partitions[0].leader == nil, "broker 0 was not the last in-sync replica")
        try cluster.startBroker(1)
        #expect(try cluster.topic("t").partitions[0].leader == 1)
    }

    @Test("Stopping an unknown or stopped broker is refused")
    func brokerErrors() throws {
        let cluster = Cluster()
        #expect(throws: KafkaError.brokerNotAvailable("Broker 9 does not exist. Brokers: 0, 1, 2.")) { try cluster.stopBroker(9) }
        try cluster.stopBroker(2)
        #expect(throws: KafkaError.brokerNotAvailable("Broker 2 is already stopped.")) { try cluster.stopBroker(2) }
    }
}
