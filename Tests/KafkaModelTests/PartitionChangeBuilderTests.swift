import Testing
@testable import KafkaModel

@Suite("PartitionChangeBuilder: the controller's leader election")
struct PartitionChangeBuilderTests {
    private func state(_ replicas: [Int], leader: Int?, isr: [Int], epoch: Int = 0) -> PartitionState {
        PartitionState(replicas: replicas, leader: leader, isr: isr, leaderEpoch: epoch)
    }

    private func alive(_ ids: Int...) -> (Int) -> Bool { { ids.contains($0) } }

    @Test("ONLINE keeps a valid current leader, even when it is not the preferred replica")
    func onlineKeepsLeader() {
        let builder = PartitionChangeBuilder(partition: state([1, 2, 3], leader: 2, isr: [2, 1, 3]), isAcceptableLeader: alive(1, 2, 3))
        #expect(builder.electLeader() == .init(leader: 2, unclean: false))
        #expect(builder.build() == nil)
    }

    @Test("ONLINE elects the first valid replica in assignment order, not ISR order; the epoch goes up")
    func onlineAssignmentOrder() throws {
        var builder = PartitionChangeBuilder(partition: state([1, 2, 3], leader: 1, isr: [1, 3, 2], epoch: 4), isAcceptableLeader: alive(2, 3))
        builder.targetIsr = [3, 2]
        let change = try #require(builder.build())
        #expect(change.partition.leader == 2)
        #expect(change.partition.isr == [3, 2])
        #expect(change.partition.leaderEpoch == 5)
        #expect(change.leaderChanged && !change.unclean)
        #expect(change.removedFromIsr == [1])
    }

    @Test("With ELR off the last ISR member stays listed when it goes: no leader, ISR unchanged")
    func lastIsrMemberStays() throws {
        var builder = PartitionChangeBuilder(partition: state([1, 2], leader: 1, isr: [1], epoch: 2), isAcceptableLeader: alive(2))
        builder.targetIsr = []
        let change = try #require(builder.build())
        #expect(change.partition.leader == nil)
        #expect(change.partition.isr == [1])
        #expect(change.partition.leaderEpoch == 3)
        #expect(change.removedFromIsr.isEmpty)
    }

    @Test("UNCLEAN takes the first acceptable replica in assignment order and resets the ISR to it")
    func unclean() throws {
        var builder = PartitionChangeBuilder(partition: state([1, 2, 3], leader: 1, isr: [1], epoch: 0), election: .unclean,
                                             isAcceptableLeader: alive(3, 2))
        builder.targetIsr = []
        #expect(builder.electLeader() == .init(leader: 2, unclean: true))
        let change = try #require(builder.build())
        #expect(change.partition.leader == 2 && change.partition.isr == [2] && change.unclean)
        #expect(change.partition.leaderEpoch == 1)
    }

    @Test("UNCLEAN still prefers a clean choice when an in-sync replica is acceptable")
    func uncleanPrefersClean() {
        let builder = PartitionChangeBuilder(partition: state([1, 2, 3], leader: nil, isr: [3]), election: .unclean, isAcceptableLeader: alive(2, 3))
        #expect(builder.electLeader() == .init(leader: 3, unclean: false))
    }

    @Test("UNCLEAN with nobody acceptable elects no one")
    func uncleanNobody() {
        let builder = PartitionChangeBuilder(partition: state([1, 2], leader: nil, isr: [1]), election: .unclean, isAcceptableLeader: alive())
        #expect(builder.electLeader() == .init(leader: nil, unclean: false))
        #expect(builder.build() == nil)
    }

    @Test("PREFERRED: replicas[0] if valid, else the current leader, else the first valid other replica")
    func preferred() {
        let p = state([1, 2, 3], leader: 3, isr: [3, 2, 1])
        #expect(PartitionChangeBuilder(partition: p, election: .preferred, isAcceptableLeader: alive(1, 2, 3)).electLeader().leader == 1)
        #expect(PartitionChangeBuilder(partition: p, election: .preferred, isAcceptableLeader: alive(2, 3)).electLeader().leader == 3)
        let leaderless = state([1, 2, 3], leader: nil, isr: [3, 2])
        #expect(PartitionChangeBuilder(partition: leaderless, election: .preferred, isAcceptableLeader: alive(2, 3)).electLeader().leader == 2)
        // Not in the ISR: not valid, however alive.
        let outOfSync = state([1, 2], leader: 2, isr: [2])
        #expect(PartitionChangeBuilder(partition: outOfSync, election: .preferred, isAcceptableLeader: alive(1, 2)).build() == nil)
    }

    @Test("ElectLeaders answers: ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE")
    func requestErrors() throws {
        let balanced = state([1, 2], leader: 1, isr: [1, 2])
        #expect(PartitionChangeBuilder.electForRequest(balanced, type: .preferred, isAcceptableLeader: alive(1, 2)) == .failure(.electionNotNeeded))
        #expect(PartitionChangeBuilder.electForRequest(balanced, type: .unclean, isAcceptableLeader: alive(1, 2)) == .failure(.electionNotNeeded))
        let moved = state([1, 2], leader: 2, isr: [2])
        #expect(PartitionChangeBuilder.electForRequest(moved, type: .preferred, isAcceptableLeader: alive(1, 2)) == .failure(.preferredLeaderNotAvailable))
        let offline = state([1, 2], leader: nil, isr: [1])
        #expect(PartitionChangeBuilder.electForRequest(offline, type: .unclean, isAcceptableLeader: alive()) == .failure(.eligibleLeadersNotAvailable))
        let change = try PartitionChangeBuilder.electForRequest(offline, type: .unclean, isAcceptableLeader: alive(2)).get()
        #expect(change.partition.leader == 2 && change.partition.isr == [2] && change.unclean)
        #expect(ElectionError.preferredLeaderNotAvailable.javaException
            == "org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: The preferred leader was not available.")
    }
}

@Suite("Unclean leader election in the cluster")
struct UncleanElectionClusterTests {
    /// One partition with RF 2 on a 5-broker cluster (the quorum survives two stopped brokers).
    private func offlinePartition(unclean: Bool) throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 5))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 2, configs: unclean ? ["unclean.leader.election.enable": "true"] : [:])
        return cluster
    }

    @Test("With unclean election enabled, fencing a leader still elects an in-sync replica first (a clean choice wins)")
    func uncleanOnFence() throws {
        let cluster = try offlinePartition(unclean: true)
        let replicas = cluster.topics["t"]!.partitions[0].replicas
        try cluster.stopBroker(replicas[1])   // ISR → [r0]
        try cluster.startBroker(replicas[1])
        cluster.advance(byMs: 1_000)  // catches up: ISR [r0, r1]
        #expect(cluster.topics["t"]!.partitions[0].isr.count == 2)
        // Without the catch-up the out-of-sync replica would be the unclean choice; with both in sync the fence is clean.
        try cluster.stopBroker(replicas[0])
        let p = cluster.topics["t"]!.partitions[0]
        #expect(p.leader == replicas[1] && p.isr == [replicas[1]])
    }

    @Test("A leaderless partition stays offline without unclean election; the periodic task elects once it is enabled")
    func periodicTask() throws {
        let cluster = try offlinePartition(unclean: false)
        let r = cluster.topics["t"]!.partitions[0].replicas
        try cluster.stopBroker(r[1])
        try cluster.stopBroker(r[0])
        try cluster.startBroker(r[1])
        var p = cluster.topics["t"]!.partitions[0]
        #expect(p.leader == nil && p.isr == [r[0]])
        let epoch = p.leaderEpoch
        cluster.advance(byMs: 600_000)
        #expect(cluster.topics["t"]!.partitions[0].leader == nil)
        try cluster.alterTopicConfig("t", set: ["unclean.leader.election.enable": "true"])
        cluster.advance(byMs: Cluster.uncleanLeaderElectionIntervalMs)
        p = cluster.topics["t"]!.partitions[0]
        #expect(p.leader == r[1] && p.isr == [r[1]] && p.leaderEpoch == epoch + 1)
        #expect(cluster.events.contains { if case .leaderElected(_, r[1], _, .unclean) = $0.kind { return true } else { return false } })
    }

    @Test("Unfencing a replica of a leaderless partition elects it uncleanly when the topic allows it")
    func uncleanOnUnfence() throws {
        let cluster = try offlinePartition(unclean: true)
        let r = cluster.topics["t"]!.partitions[0].replicas
        try cluster.stopBroker(r[1])
        try cluster.stopBroker(r[0])
        #expect(cluster.topics["t"]!.partitions[0].leader == nil)
        try cluster.startBroker(r[1])
        let p = cluster.topics["t"]!.partitions[0]
        #expect(p.leader == r[1] && p.isr == [r[1]])
    }

    @Test("electLeaders: UNCLEAN and PREFERRED answers, and all partitions leaves out those needing none")
    func electLeaders() throws {
        let cluster = try offlinePartition(unclean: false)
        let r = cluster.topics["t"]!.partitions[0].replicas
        let tp = TopicPartition("t", 0)
        #expect(try cluster.electLeaders(type: .preferred, partitions: [tp]) == [LeaderElectionResult(partition: tp, error: .electionNotNeeded)])
        #expect(try cluster.electLeaders(type: .preferred, partitions: nil).isEmpty)
        try cluster.stopBroker(r[1])
        try cluster.stopBroker(r[0])
        #expect(try cluster.electLeaders(type: .unclean, partitions: [tp]) == [LeaderElectionResult(partition: tp, error: .eligibleLeadersNotAvailable)])
        try cluster.startBroker(r[1])
        #expect(try cluster.electLeaders(type: .unclean, partitions: [tp]) == [LeaderElectionResult(partition: tp, error: nil)])
        #expect(cluster.topics["t"]!.partitions[0].isr == [r[1]])
        try cluster.startBroker(r[0])
        cluster.advance(byMs: 1_000)  // r0 truncates to the new leader's log, catches up and rejoins
        #expect(cluster.topics["t"]!.partitions[0].isr == [r[1], r[0]])
        #expect(try cluster.electLeaders(type: .preferred, partitions: nil) == [LeaderElectionResult(partition: tp, error: nil)])
        #expect(cluster.topics["t"]!.partitions[0].leader == r[0])
        let missing = TopicPartition("t", 5)
        #expect(try cluster.electLeaders(type: .preferred, partitions: [missing])
            == [LeaderElectionResult(partition: missing, error: .unknownTopicOrPartition("No such partition as t-5"))])
    }
}
