import Testing
@testable import KafkaModel

/// The coordinator and simulated consumers driven through the cluster.
@Suite struct ConsumerGroupClusterTests {
    func cluster(partitions: Int = 3) -> Cluster {
        let c = Cluster(config: ClusterConfig(brokers: 3, seed: 1))
        try! c.createTopic("t", partitions: partitions, replicationFactor: 1)
        return c
    }

    func config(_ group: String = "g", assignor: String? = nil, autoCommit: Bool = true) -> ConsumerConfig {
        var config = ConsumerConfig()
        config.groupId = group
        config.topics = ["t"]
        config.autoOffsetReset = .earliest
        config.enableAutoCommit = autoCommit
        if let assignor { config.assignors = [assignor] }
        return config
    }

    @Test func firstJoinWaitsForTheInitialDelayThenAssignsEverything() throws {
        let c = cluster()
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 2999)
        #expect(c.groupState("g") == .preparingRebalance)
        c.advance(byMs: 1)
        #expect(c.groupState("g") == .stable)
        #expect(c.consumers["c1"]!.assignment.count == 3)
        #expect(c.topics["__consumer_offsets"]?.partitions.count == 50)
        #expect(c.coordinator(of: "g") == c.topics["__consumer_offsets"]!.partitions[c.offsetsPartition(of: "g")].leader)
    }

    @Test func rangeSplitsAndAnIdleConsumerGetsNothing() throws {
        let c = cluster(partitions: 2)
        for n in ["c1", "c2", "c3"] { try c.startConsumer(n, config: config()) }
        c.advance(byMs: 10_000)
        #expect(c.consumers["c1"]!.assignment == [TopicPartition("t", 0)])
        #expect(c.consumers["c2"]!.assignment == [TopicPartition("t", 1)])
        #expect(c.consumers["c3"]!.assignment.isEmpty)
        #expect(c.groupCoordinator.groups["g"]!.generationId == 1)
    }

    /// `HeartbeatThread.enable()` on the JoinGroup response restarts the heartbeat timer: a member that joins
    /// mid-life heartbeats `heartbeat.interval.ms` after its JoinGroup response, not on a grid from its start.
    @Test func firstHeartbeatComesAnIntervalAfterTheJoinGroupResponse() throws {
        let c = cluster()
        let t0 = c.nowMs
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 10_000)
        try c.startConsumer("c2", config: config())      // joins at 10 s; c1 learns at its heartbeat at 12 s
        c.advance(byMs: 2000)
        let group = { c.groupCoordinator.groups["g"]! }
        #expect(group().generationId == 2)
        let c2 = c.consumers["c2"]!.memberId
        // joined and synced at 12 s: session deadline 12 s + 45 s until the first heartbeat at 15 s
        c.advance(byMs: 2999)
        #expect(group().member(c2)?.sessionDeadlineMs == t0 + 57_000)
        c.advance(byMs: 1)
        #expect(group().member(c2)?.sessionDeadlineMs == t0 + 60_000)
    }

    /// The heartbeat thread re-checks the poll timer every `retry.backoff.ms` (100 ms): a consumer stuck processing
    /// leaves at its last poll + `max.poll.interval.ms` (rounded up to that re-check), not at its next heartbeat.
    @Test func pollTimeoutLeavesAtLastPollPlusMaxPollInterval() throws {
        let c = cluster(partitions: 1)
        let t0 = c.nowMs
        var cfg = config(autoCommit: false)
        cfg.maxPollIntervalMs = 60_000
        cfg.processTimeMs = 120_000
        try c.startConsumer("c1", config: cfg)
        c.advance(byMs: 4050)                          // joined at 3 s; heartbeats at 6 s, 9 s, …
        _ = try c.appendRecords([Record(timestamp: c.nowMs, key: nil, value: Array("x".utf8))], to: TopicPartition("t", 0))
        c.advance(byMs: 70_000)                        // polled at 4.05 s, busy until 124.05 s
        let leave = c.events.first { if case .group(.pollTimeout("c1", _)) = $0.kind { true } else { false } }
        #expect(leave?.timestampMs == t0 + 64_100)
        #expect(c.groupState("g") == .empty)
    }

    /// `close()` runs `onLeavePrepare`: owned partitions are revoked; a static member sends no LeaveGroup, so the
    /// group does not rebalance; a dynamic one leaves at once.
    @Test func closeRevokesAndOnlyDynamicMembersLeave() throws {
        let c = cluster(partitions: 2)
        var staticConfig = config()
        staticConfig.groupInstanceId = "s-1"
        try c.startConsumer("s1", config: staticConfig)
        try c.startConsumer("d1", config: config())
        c.advance(byMs: 10_000)
        #expect(c.groupState("g") == .stable)
        let generation = c.groupCoordinator.groups["g"]!.generationId
        try c.stopConsumer("s1")
        #expect(c.events.contains { if case .group(.partitionsRevoked("s1", _, .closing(leaveGroup: false))) = $0.kind { true } else { false } })
        #expect(c.groupState("g") == .stable)
        #expect(c.groupCoordinator.groups["g"]!.generationId == generation)
        try c.stopConsumer("d1")
        #expect(c.events.contains { if case .group(.partitionsRevoked("d1", _, .closing(leaveGroup: true))) = $0.kind { true } else { false } })
        #expect(c.groupState("g") == .preparingRebalance)
    }

    /// Closing after the member left on a poll timeout (no generation) gives the partitions up as lost.
    @Test func closeAfterPollTimeoutLosesPartitions() throws {
        let c = cluster(partitions: 1)
        var cfg = config(autoCommit: false)
        cfg.maxPollIntervalMs = 60_000
        cfg.processTimeMs = 120_000
        try c.startConsumer("c1", config: cfg)
        c.advance(byMs: 4000)
        _ = try c.appendRecords([Record(timestamp: c.nowMs, key: nil, value: Array("x".utf8))], to: TopicPartition("t", 0))
        c.advance(byMs: 70_000)
        try c.stopConsumer("c1")
        #expect(c.events.contains { if case .group(.partitionsLost("c1", _)) = $0.kind { true } else { false } })
        #expect(!c.events.contains { if case .group(.partitionsRevoked("c1", _, _)) = $0.kind { true } else { false } })
    }

    /// FindCoordinator fails while `__consumer_offsets` cannot get its 3 replicas; the consumer retries with
    /// exponential backoff (100, 200, 400, 800, then every 1000 ms) and the group forms once the broker is back.
    @Test func offsetsTopicWaitsForEnoughLiveBrokers() throws {
        let c = cluster()
        try c.stopBroker(1)
        let t0 = c.nowMs
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 4000)
        #expect(c.topics["__consumer_offsets"] == nil)
        #expect(c.consumers["c1"]!.coordinatorAttempts == 7)            // at 0, 0.1, 0.3, 0.7, 1.5, 2.5, 3.5 s
        #expect(c.consumers["c1"]!.coordinatorRetryAtMs == t0 + 4500)
        let reports = c.events.filter { if case .group(.coordinatorNotAvailable) = $0.kind { true } else { false } }
        #expect(reports.count == 1)
        try c.startBroker(1)
        c.advance(byMs: 500)
        #expect(c.topics["__consumer_offsets"]?.partitions.first?.replicas.count == 3)
        c.advance(byMs: 3000)
        #expect(c.groupState("g") == .stable)
    }

    /// A one-broker cluster uses offsets.topic.replication.factor=1, as Kafka's single-node configs do.
    @Test func oneBrokerClusterCreatesOffsetsTopicWithOneReplica() throws {
        let c = Cluster(config: ClusterConfig(brokers: 1, seed: 1))
        try c.createTopic("t", partitions: 1, replicationFactor: 1)
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 3000)
        #expect(c.topics["__consumer_offsets"]?.partitions.first?.replicas == [0])
        #expect(c.groupState("g") == .stable)
    }

    @Test func crashIsNoticedAfterSessionTimeout() throws {
        let c = cluster()
        try c.startConsumer("c1", config: config())
        try c.startConsumer("c2", config: config())
        c.advance(byMs: 5000)
        try c.crashConsumer("c2")
        c.advance(byMs: 40_000)
        #expect(c.groupCoordinator.groups["g"]!.members.count == 2)
        c.advance(byMs: 10_000)
        #expect(c.groupCoordinator.groups["g"]!.members.count == 1)
        c.advance(byMs: 5000)
        #expect(c.consumers["c1"]!.assignment.count == 3)
    }

    @Test func gracefulStopLeavesAtOnceAndCommits() throws {
        let c = cluster()
        _ = try c.appendRecords([Record(timestamp: 0, key: nil, value: [1])], to: TopicPartition("t", 0))
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 3100)
        try c.stopConsumer("c1")
        #expect(c.groupState("g") == .empty)
        #expect(c.committedOffsets("g")[TopicPartition("t", 0)] == 1)
        let log = try c.log(TopicPartition("__consumer_offsets", c.offsetsPartition(of: "g")))
        let records = try log.read(from: 0)
        let texts = records.compactMap { OffsetCommitRecord.describe(key: $0.key, value: $0.value) }
        #expect(texts.contains { $0.contains(#""topic":"t","partition":0}},"value":{"version":3,"data":{"offset":1,"#) })
    }

    @Test func cooperativeJoinWithholdsThenHandsOver() throws {
        let c = cluster()
        try c.startConsumer("c1", config: config(assignor: "cooperative-sticky"))
        c.advance(byMs: 3000)
        try c.startConsumer("c2", config: config(assignor: "cooperative-sticky"))
        c.advance(byMs: 3500)
        #expect(c.consumers["c1"]!.assignment.count == 2)
        c.advance(byMs: 10_000)
        #expect(c.consumers["c2"]!.assignment == [TopicPartition("t", 2)])
        #expect(c.consumers["c1"]!.assignment == [TopicPartition("t", 0), TopicPartition("t", 1)])
    }

    @Test func staticMemberComesBackWithoutRebalance() throws {
        let c = cluster()
        var cfg = config()
        cfg.groupInstanceId = "i1"
        try c.startConsumer("c1", config: cfg)
        var cfg2 = config()
        cfg2.groupInstanceId = "i2"
        try c.startConsumer("c2", config: cfg2)
        c.advance(byMs: 10_000)
        let before = c.consumers["c1"]!.assignment
        let generation = c.groupCoordinator.groups["g"]!.generationId
        try c.stopConsumer("c1")
        try c.restartConsumer("c1")
        c.advance(byMs: 1000)
        #expect(c.groupCoordinator.groups["g"]!.generationId == generation)
        #expect(c.consumers["c1"]!.assignment == before)
    }

    @Test func resetRefusedForActiveGroupAndNothingChanges() throws {
        let c = cluster()
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 6000)
        let before = c.committedOffsets("g")
        #expect(throws: ResetOffsetsError.groupNotInactive(groupId: "g", state: .stable)) {
            try c.resetOffsets("g", [TopicPartition("t", 0): 0])
        }
        #expect(c.committedOffsets("g") == before)
    }

    @Test func autoOffsetResetNoneFailsThePoll() throws {
        let c = cluster()
        var cfg = config()
        cfg.autoOffsetReset = .none
        try c.startConsumer("c1", config: cfg)
        c.advance(byMs: 4000)
        #expect(c.consumers["c1"]!.status == .stopped)
        #expect(c.events.contains { if case .group(.consumerFailed(_, let text)) = $0.kind { text.contains("Undefined offset with no reset policy for partitions: [t-0, t-1, t-2]") } else { false } })
    }
}
