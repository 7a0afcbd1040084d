import Testing
@testable import KafkaModel

/// A consumer whose group coordinator dies between JoinGroup and SyncGroup rejoins at the next coordinator (as
/// `SyncGroupResponseHandler` does after a disconnect) instead of waiting in CompletingRebalance for good.
@Suite struct SyncGroupLostTests {
    @Test func aLeaderWhoseSyncGroupWasLostRejoinsAndAssigns() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3)
        var config = ConsumerConfig()
        config.groupId = "g"
        config.topics = ["t"]
        try cluster.startConsumer("c", config: config)
        cluster.advance(byMs: 1_000)
        #expect(cluster.consumers["c"]!.memberState == .joining, "the join waits out group.initial.rebalance.delay.ms")
        let coordinator = cluster.topics[GroupCoordinator.offsetsTopic]!.partitions[cluster.offsetsPartition(of: "g")].leader!
        _ = try cluster.killBroker(coordinator)
        cluster.advance(byMs: 60_000)
        let consumer = cluster.consumers["c"]!
        #expect(consumer.memberState == .stable)
        #expect(consumer.assignment == [TopicPartition("t", 0)])
        #expect(cluster.events.contains {
            if case .group(.rejoining("c", .requestFailed(.syncGroup, .coordinatorNotAvailable))) = $0.kind { return true }
            return false
        })
    }
}
