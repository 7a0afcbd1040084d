import Testing
@testable import KafkaModel

/// Client reads go to the partition leader (`ReplicaManager.fetchMessages`): without one they fail with
/// LEADER_NOT_AVAILABLE, and simulated consumers wait and retry until a leader returns.
@Suite struct LeaderFetchTests {
    let tp = TopicPartition("t", 0)

    /// `t` with one replica on broker 0 and one record, then broker 0 stopped: no leader.
    func offlineCluster() throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        try cluster.appendRecords([Record(timestamp: cluster.nowMs, key: nil, value: Array("hello".utf8))], to: tp)
        try cluster.stopBroker(cluster.topics["t"]!.partitions[0].leader!)
        return cluster
    }

    func consumerConfig(_ group: String) -> ConsumerConfig {
        var config = ConsumerConfig()
        config.groupId = group
        config.topics = ["t"]
        config.autoOffsetReset = .earliest
        return config
    }

    @Test func fetchWithoutALeaderFailsWithLeaderNotAvailable() throws {
        let cluster = try offlineCluster()
        #expect(cluster.topics["t"]!.partitions[0].leader == nil)
        do {
            _ = try cluster.fetch(tp, from: 0)
            Issue.record("a fetch from a partition without a leader returned records")
        } catch {
            #expect(error.errorName == "LEADER_NOT_AVAILABLE")
            #expect(error.code == 5)
            #expect(error.isRetriable)
            #expect(error.message.contains("t-0"))
        }
        #expect(throws: KafkaError.self) { try cluster.listOffsets(tp) }
        #expect(throws: KafkaError.self) { try cluster.fetch(tp, from: 0, into: FetchedRecords()) }
        #expect(cluster.highWatermark(tp) == nil)
    }

    @Test func fetchFromABrokerThatIsNotTheLeaderFailsWithNotLeaderOrFollower() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3)
        let leader = cluster.topics["t"]!.partitions[0].leader!
        let follower = cluster.topics["t"]!.partitions[0].replicas.first { $0 != leader }!
        #expect(try cluster.fetch(tp, from: 0, at: leader).isEmpty)
        do {
            _ = try cluster.fetch(tp, from: 0, at: follower)
            Issue.record("a follower answered a consumer fetch")
        } catch {
            #expect(error == .notLeaderOrFollower("Leader not local for partition t-0 on broker \(follower)"))
            #expect(error.code == 6)
        }
    }

    @Test func readsWorkAgainWhenTheLeaderReturns() throws {
        let cluster = try offlineCluster()
        try cluster.startBroker(0)
        #expect(try cluster.fetch(tp, from: 0).map(\.value) == [Array("hello".utf8)])
        #expect(cluster.highWatermark(tp) == 1)
    }

    @Test func lagIsUnknownWithoutALeader() throws {
        let cluster = try offlineCluster()
        try cluster.resetOffsets("g", [tp: 0])
        let row = try #require(cluster.lag(of: "g").first)
        #expect(row.committed == 0)
        #expect(row.highWatermark == nil)
        #expect(row.lag == nil)
    }

    @Test func aConsumerWaitsQuietlyForALeaderAndResumes() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        try cluster.appendRecords([Record(timestamp: cluster.nowMs, key: nil, value: Array("hello".utf8))], to: tp)
        // __consumer_offsets needs all 3 brokers alive to be created: let another group create it first.
        try cluster.createTopic("warm-up", partitions: 1, replicationFactor: 1)
        var warmUp = consumerConfig("other")
        warmUp.topics = ["warm-up"]
        try cluster.startConsumer("w", config: warmUp)
        cluster.advance(byMs: 5_000)
        #expect(cluster.topics["__consumer_offsets"] != nil)
        try cluster.stopConsumer("w")
        try cluster.stopBroker(cluster.topics["t"]!.partitions[0].leader!)
        try cluster.startConsumer("c1", config: consumerConfig("g"))
        let before = cluster.events.count
        cluster.advance(byMs: 300_000)
        let consumer = cluster.consumers["c1"]!
        #expect(consumer.waitingForLeader.keys.sorted() == [tp])
        #expect(consumer.recordsConsumed == 0)
        let waits = cluster.events[before...].filter { if case .group(.fetchWaiting("c1", _, _)) = $0.kind { return true } else { return false } }
        #expect(waits.count == 1, "one FetchWaiting event, not one per retry")
        // The rest of a long wait is quiet: no events besides the clock.
        let late = cluster.events[before...].filter { $0.timestampMs > cluster.nowMs - 200_000 }
        #expect(late.allSatisfy { if case .clockAdvanced = $0.kind { return true } else { return false } }, "\(late.map(\.kind).prefix(5))")

        try cluster.startBroker(0)
        let restartedAt = cluster.nowMs
        cluster.advance(byMs: 2_000)
        #expect(consumer.waitingForLeader.isEmpty)
        #expect(consumer.recordsConsumed == 1)
        let resumed = cluster.events.first { if case .group(.fetchResumed(_, _, 0)) = $0.kind { return true } else { return false } }
        let at = try #require(resumed).timestampMs
        #expect(at - restartedAt <= Cluster.consumerRetryBackoffMaxMs, "retries at most retry.backoff.max.ms apart")
    }

    @Test func aConsumerThatLosesItsLeaderMidwayRetries() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        let broker = cluster.topics["t"]!.partitions[0].leader!
        try cluster.startConsumer("c1", config: consumerConfig("g"))
        cluster.advance(byMs: 10_000)
        try cluster.stopBroker(broker)
        cluster.advance(byMs: 1_000)
        #expect(cluster.consumers["c1"]!.waitingForLeader.keys.sorted() == [tp])
        try cluster.startBroker(broker)
        try cluster.appendRecords([Record(timestamp: cluster.nowMs, key: nil, value: [1])], to: tp)
        cluster.advance(byMs: 2_000)
        #expect(cluster.consumers["c1"]!.waitingForLeader.isEmpty)
        #expect(cluster.consumers["c1"]!.recordsConsumed == 1)
    }
}
