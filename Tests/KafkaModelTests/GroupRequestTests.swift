import Testing
@testable import KafkaModel

/// The group coordinator as clients reach it: typed requests to a broker, Kafka's error codes back.
@Suite struct GroupRequestTests {
    let admin = RequestContext(client: .admin("test"), clientId: "adminclient-1")

    func cluster() -> Cluster {
        let c = Cluster(config: ClusterConfig(brokers: 3, seed: 1))
        try! c.createTopic("t", partitions: 3, replicationFactor: 1)
        return c
    }

    func config(_ group: String = "g") -> ConsumerConfig {
        var config = ConsumerConfig()
        config.groupId = group
        config.topics = ["t"]
        config.autoOffsetReset = .earliest
        return config
    }

    /// Java's `String.hashCode` over UTF-16 units, then Kafka's `Utils.abs` (MIN_VALUE → 0).
    func offsetsPartition(_ groupId: String) -> Int {
        var h: Int32 = 0
        for unit in groupId.utf16 { h = h &* 31 &+ Int32(unit) }
        return Int(h == .min ? 0 : abs(h)) % 50
    }

    func coordinator(_ c: Cluster, _ groupId: String) throws -> Int {
        let answer = try c.send(FindCoordinatorRequest(coordinatorKeys: [groupId]), to: 0, from: admin).coordinators[0]
        #expect(answer.error == nil)
        return answer.nodeId
    }

    @Test func findCoordinatorNamesTheLeaderOfTheGroupsOffsetsPartition() throws {
        let c = cluster()
        for group in ["g", "orders-app", "payments", "Aa", "BB", "polygenelubricants"] {
            let nodeId = try coordinator(c, group)
            let partition = offsetsPartition(group)
            #expect(c.offsetsPartition(of: group) == partition)
            #expect(nodeId == c.topics["__consumer_offsets"]!.partitions[partition].leader)
            #expect(try c.send(FindCoordinatorRequest(coordinatorKeys: [group]), to: 2, from: admin).coordinators[0].nodeId == nodeId)
        }
    }

    @Test func findCoordinatorIsNotAvailableWhileTheOffsetsTopicCannotBeCreated() throws {
        let c = cluster()
        try c.stopBroker(2)
        let answer = try c.send(FindCoordinatorRequest(coordinatorKeys: ["g"]), to: 0, from: admin).coordinators[0]
        #expect(answer.error == .coordinatorNotAvailable)
        #expect(answer.error?.errorCode == 15)
        #expect(answer.cause?.errorName == "INVALID_REPLICATION_FACTOR")
        #expect(c.topics["__consumer_offsets"] == nil)
    }

    @Test func joinGroupToAnotherBrokerIsNotCoordinator() throws {
        let c = cluster()
        let coordinator = try coordinator(c, "g")
        let other = [0, 1, 2].first { $0 != coordinator }!
        let join = JoinGroupRequest(groupId: "g", clientId: "x", topics: ["t"])
        guard case .completed(let response) = try c.send(join, to: other, from: admin) else {
            Issue.record("parked on a broker that is not the coordinator")
            return
        }
        #expect(response.error == .notCoordinator)
        #expect(response.error?.errorCode == 16)
        #expect(c.groupCoordinator.groups["g"] == nil)
    }

    @Test func heartbeatWithAStaleGenerationIsIllegalAndDuringARebalanceAsksToRejoin() throws {
        let c = cluster()
        let coordinator = try coordinator(c, "g")
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 10_000)
        let c1 = c.consumers["c1"]!
        #expect(c.groupState("g") == .stable)
        let stale = HeartbeatRequest(groupId: "g", generationId: c1.generation - 1, memberId: c1.memberId)
        #expect(try c.send(stale, to: coordinator, from: admin).error?.errorCode == 22)
        let current = HeartbeatRequest(groupId: "g", generationId: c1.generation, memberId: c1.memberId)
        #expect(try c.send(current, to: coordinator, from: admin).error == nil)
        try c.startConsumer("c2", config: config())
        c.advance(byMs: 1)
        #expect(c.groupState("g") == .preparingRebalance)
        let during = try c.send(current, to: coordinator, from: admin)
        #expect(during.error == .rebalanceInProgress)
        #expect(during.error?.errorCode == 27)
    }

    @Test func offsetCommitThenOffsetFetchRoundTrips() throws {
        let c = cluster()
        let coordinator = try coordinator(c, "standalone")
        let tp0 = TopicPartition("t", 0), tp2 = TopicPartition("t", 2)
        let commit = OffsetCommitRequest(groupId: "standalone", topics: [
            tp0: .init(committedOffset: 7, committedLeaderEpoch: 0), tp2: .init(committedOffset: 3)])
        #expect(try c.send(commit, to: coordinator, from: admin).error == nil)
        let fetched = try c.send(OffsetFetchRequest(groups: [.init(groupId: "standalone")]), to: coordinator, from: admin).groups[0]
        #expect(fetched.error == nil)
        #expect(fetched.partitions[tp0]?.committedOffset == 7)
        #expect(fetched.partitions[tp0]?.committedLeaderEpoch == 0)
        #expect(fetched.partitions[tp2]?.committedOffset == 3)
        #expect(fetched.partitions[tp2]?.committedLeaderEpoch == -1)
        let one = try c.send(OffsetFetchRequest(groups: [.init(groupId: "standalone", topics: [TopicPartition("t", 1)])]),
                             to: coordinator, from: admin).groups[0]
        #expect(one.partitions[TopicPartition("t", 1)]?.committedOffset == -1)
        #expect(c.committedOffsets("standalone") == [tp0: 7, tp2: 3])
    }

    @Test func deleteGroupsOfAGroupWithMembersIsNonEmpty() throws {
        let c = cluster()
        let coordinator = try coordinator(c, "g")
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 10_000)
        let result = try c.send(DeleteGroupsRequest(groupsNames: ["g", "nobody"]), to: coordinator, from: admin).results
        #expect(result[0].error == .nonEmptyGroup)
        #expect(result[0].error?.errorCode == 68)
        #expect(c.groupState("g") == .stable)
        let other = [0, 1, 2].first { $0 != coordinator }!
        #expect(try c.send(DeleteGroupsRequest(groupsNames: ["g"]), to: other, from: admin).results[0].error == .notCoordinator)
    }

    @Test func aSimulatedConsumerReachesTheCoordinatorOnlyThroughRequests() throws {
        let c = cluster()
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 10_000)
        let coordinator = c.coordinator(of: "g")!
        let counts = c.requestCounts[coordinator] ?? [:]
        // FindCoordinator goes to any broker; the group's requests only to its coordinator.
        #expect(c.requestCounts.values.reduce(0) { $0 + ($1[.findCoordinator] ?? 0) } == 1)
        #expect(counts[.joinGroup] == 2)        // MEMBER_ID_REQUIRED, then the join with the id
        #expect(counts[.syncGroup] == 1)
        #expect(counts[.heartbeat] == 2)        // at 6 s and 9 s: joined at 3 s, heartbeat.interval.ms 3 s
        #expect(counts[.offsetFetch] == 1)
        #expect((counts[.offsetCommit] ?? 0) >= 1)
        for (broker, perApi) in c.requestCounts where broker != coordinator {
            #expect(perApi.keys.allSatisfy { ![.joinGroup, .syncGroup, .heartbeat, .offsetCommit, .offsetFetch].contains($0) })
        }
    }

    /// A parked JoinGroup from a wire connection is answered into the outbox the protocol server drains.
    @Test func parkedAnswersForAConnectionGoToTheOutbox() throws {
        let c = cluster()
        let coordinator = try coordinator(c, "wire")
        let wire = RequestContext(client: .connection(7), clientId: "rdkafka")
        var join = JoinGroupRequest(groupId: "wire", clientId: "rdkafka", topics: ["t"])
        guard case .completed(let first) = try c.send(join, to: coordinator, from: wire), first.error?.errorCode == 79 else {
            Issue.record("expected MEMBER_ID_REQUIRED")
            return
        }
        join.memberId = first.memberId
        guard case .parked = try c.send(join, to: coordinator, from: wire) else {
            Issue.record("expected the join to wait for the initial rebalance delay")
            return
        }
        #expect(c.pendingConnectionResponses.isEmpty)
        c.advance(byMs: 3000)
        #expect(c.pendingConnectionResponses.count == 1)
        guard case let .group(.joinGroup(groupId, response)) = c.pendingConnectionResponses.first?.response else {
            Issue.record("expected a JoinGroup answer")
            return
        }
        #expect(c.pendingConnectionResponses.first?.connection == 7)
        #expect(groupId == "wire")
        #expect(response.error == nil)
        #expect(response.leader == first.memberId)
        #expect(response.members.map(\.memberId) == [first.memberId])
        #expect(response.generationId == 1)
    }

    /// Real clients' protocol metadata and a client leader's assignments are opaque to the coordinator: the leader's
    /// JoinGroup answer carries each member's bytes as sent, and each member's SyncGroup answer the bytes the leader
    /// sent for it (userData and all), while the shell still sees the decoded partitions.
    @Test func aClientLeadersBytesAreRelayedUntouched() throws {
        let c = cluster()
        let coordinator = try coordinator(c, "relay")
        func member(_ connection: Int, userData: [UInt8]) throws -> (RequestContext, JoinGroupRequest) {
            let context = RequestContext(client: .connection(connection), clientId: "rdkafka")
            let subscription = ConsumerProtocol.Subscription(topics: ["t"], userData: userData)
            var join = JoinGroupRequest(groupId: "relay", clientId: "rdkafka", topics: [])
            join.protocols = [.init(name: "range", metadata: subscription.assignorSubscription(memberId: "", groupInstanceId: nil),
                                    bytes: ConsumerProtocol.serializeSubscription(subscription, version: 1))]
            guard case .completed(let first) = try c.send(join, to: coordinator, from: context) else { throw GroupError.unknownMemberId(memberId: "") }
            join.memberId = first.memberId
            return (context, join)
        }
        let (leaderContext, leaderJoin) = try member(1, userData: [1, 2, 3])
        let (followerContext, followerJoin) = try member(2, userData: [9])
        _ = try c.send(leaderJoin, to: coordinator, from: leaderContext)
        _ = try c.send(followerJoin, to: coordinator, from: followerContext)
        c.advance(byMs: 10_000)
        let joins = c.drainConnectionResponses().compactMap { r -> JoinGroupResponse? in
            if case .group(.joinGroup(_, let answer)) = r.response, r.connection == 1 { return answer }
            return nil
        }
        let leaderAnswer = try #require(joins.first)
        #expect(leaderAnswer.leader == leaderJoin.memberId)
        let sent = [leaderJoin, followerJoin].map { $0.protocols[0].bytes! }
        #expect(leaderAnswer.members.map { $0.metadata.protocolMetadata["range"]! } == sent)

        let followerBytes = ConsumerProtocol.serializeAssignment(.init(partitions: [TopicPartition("t", 2)], userData: [7, 7]), version: 1)
        let sync = { (context: RequestContext, memberId: String, assignments: [SyncGroupRequest.Assignment]) in
            try c.send(SyncGroupRequest(groupId: "relay", generationId: leaderAnswer.generationId, memberId: memberId,
                                        protocolName: "range", assignments: assignments), to: coordinator, from: context)
        }
        guard case .parked = try sync(followerContext, followerJoin.memberId, []) else { Issue.record("follower should wait"); return }
        _ = try sync(leaderContext, leaderJoin.memberId, [
            .init(memberId: leaderJoin.memberId, assignment: [TopicPartition("t", 0), TopicPartition("t", 1)]),
            .init(memberId: followerJoin.memberId, assignment: [TopicPartition("t", 2)], bytes: followerBytes),
        ])
        let syncs = c.drainConnectionResponses().compactMap { r -> SyncGroupResponse? in
            if case .group(.syncGroup(_, _, let answer)) = r.response, r.connection == 2 { return answer }
            return nil
        }
        #expect(syncs.first?.assignmentBytes == followerBytes)
        #expect(syncs.first?.assignment == [TopicPartition("t", 2)])
        #expect(c.groupCoordinator.groups["relay"]?.members.first { $0.memberId == followerJoin.memberId }?.assignment == [TopicPartition("t", 2)])
    }

    /// A killed coordinator answers nothing until the controller fences it and its `__consumer_offsets` partition moves:
    /// a consumer joining meanwhile retries FindCoordinator and JoinGroup every `retry.backoff.ms`, then joins.
    @Test func aConsumerJoiningWhileTheCoordinatorIsKilledJoinsOnceThePartitionMoves() throws {
        let c = cluster()
        try c.startConsumer("c1", config: config())
        c.advance(byMs: 10_000)
        let killed = c.coordinator(of: "g")!
        _ = try c.killBroker(killed)
        try c.startConsumer("c2", config: config())
        c.advance(byMs: 1000)
        #expect(c.groupCoordinator.groups["g"]!.members.count == 1)
        c.advance(byMs: 30_000)
        #expect(c.coordinator(of: "g") != killed)
        #expect(c.groupState("g") == .stable)
        #expect(c.groupCoordinator.groups["g"]!.members.count == 2)
        #expect(c.consumers["c2"]!.memberState == .stable)
    }
}
