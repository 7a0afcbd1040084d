import Testing
@testable import KafkaModel

private func req(_ id: String = "", client: String, instance: String? = nil, protocols: [String] = ["range", "cooperative-sticky"],
                 topics: [String] = ["orders"], rebalanceTimeoutMs: Int = 300_000) -> JoinGroupRequest {
    JoinGroupRequest(memberId: id, groupInstanceId: instance, clientId: client, rebalanceTimeoutMs: rebalanceTimeoutMs,
                     protocols: protocols, topics: topics)
}

private func states(_ step: GroupStep) -> [String] {
    step.events.compactMap { if case let .stateChanged(f, t) = $0 { return "\(f)->\(t)" } else { return nil } }
}

/// Two dynamic members joined (KIP-394 round trip each), initial delay elapsed, leader synced.
private func stableGroupOfTwo() throws -> ClassicGroup {
    var g = ClassicGroup(groupId: "my-group")
    let s1 = try g.join(req(client: "consumer-my-group-1"), newMemberId: "m1", nowMs: 0)
    #expect(s1.response == .memberIdRequired(memberId: "m1"))
    #expect(g.state == .empty)
    let s2 = try g.join(req("m1", client: "consumer-my-group-1"), newMemberId: "x", nowMs: 0)
    #expect(states(s2) == ["Empty->PreparingRebalance"])
    #expect(s2.timers.contains(.initialRebalanceDelay(deadlineMs: 3000)))
    _ = try g.join(req(client: "consumer-my-group-2"), newMemberId: "m2", nowMs: 100)
    _ = try g.join(req("m2", client: "consumer-my-group-2"), newMemberId: "x", nowMs: 100)
    // a member joined during the delay: it is extended once
    let t1 = g.timerFired(.initialRebalanceDelay(deadlineMs: 3000), nowMs: 3000)
    #expect(t1.timers == [.initialRebalanceDelay(deadlineMs: 6000)])
    #expect(g.state == .preparingRebalance)
    let t2 = g.timerFired(.initialRebalanceDelay(deadlineMs: 6000), nowMs: 6000)
    #expect(states(t2) == ["PreparingRebalance->CompletingRebalance"])
    #expect(t2.events.contains(.joinCompleted(generation: 1, leader: "m1", protocol: "range", members: ["m1", "m2"])))
    let f = try g.sync(memberId: "m2", generationId: 1, nowMs: 6001)
    #expect(f.response == .syncPending)
    let l = try g.sync(memberId: "m1", generationId: 1, assignment: ["m1": tps("orders-0"), "m2": tps("orders-1")], nowMs: 6002)
    #expect(l.response == .synced(assignment: tps("orders-0")))
    #expect(states(l) == ["CompletingRebalance->Stable"])
    return g
}

@Suite("ClassicGroup state machine (§4.2–4.6)")
struct GroupCoordinatorClassicGroupTests {
    @Test func validPreviousStatesMatchKafka() {
        #expect(ClassicGroupState.empty.validPreviousStates == [.preparingRebalance])
        #expect(ClassicGroupState.preparingRebalance.validPreviousStates == [.stable, .completingRebalance, .empty])
        #expect(ClassicGroupState.completingRebalance.validPreviousStates == [.preparingRebalance])
        #expect(ClassicGroupState.stable.validPreviousStates == [.completingRebalance])
        #expect(ClassicGroupState.dead.validPreviousStates.count == 5)
    }

    @Test func illegalTransitionIsRejected() throws {
        var g = ClassicGroup(groupId: "g")
        #expect(throws: GroupError.illegalStateTransition(groupId: "g", from: .empty, to: .stable)) {
            _ = try g.transition(to: .stable)
        }
        let e = GroupError.illegalStateTransition(groupId: "g", from: .empty, to: .completingRebalance)
        #expect(e.description == "Group g should be in the [PreparingRebalance] states before moving to CompletingRebalance state. Instead it is in Empty state.")
        _ = try g.transition(to: .preparingRebalance)
        #expect(g.state == .preparingRebalance)
    }

    @Test func fullJoinSyncSequence() throws {
        let g = try stableGroupOfTwo()
        #expect(g.state == .stable)
        #expect(g.generationId == 1)
        #expect(g.leaderId == "m1")
        #expect(g.member("m2")?.assignment == tps("orders-1"))
    }

    @Test func followerSyncBeforeLeaderInStableGetsAssignment() throws {
        var g = try stableGroupOfTwo()
        let s = try g.sync(memberId: "m2", generationId: 1, nowMs: 7000)
        #expect(s.response == .synced(assignment: tps("orders-1")))
    }

    @Test func heartbeatAnswers() throws {
        var g = try stableGroupOfTwo()
        #expect(try g.heartbeat(memberId: "m2", generationId: 1, nowMs: 7000).response == .heartbeat(error: nil))
        #expect(throws: GroupError.illegalGeneration(memberId: "m2", generation: 0, current: 1)) {
            _ = try g.heartbeat(memberId: "m2", generationId: 0, nowMs: 7000)
        }
        #expect(throws: GroupError.unknownMemberId(memberId: "zz")) {
            _ = try g.heartbeat(memberId: "zz", generationId: 1, nowMs: 7000)
        }
        _ = try g.join(req(client: "c3"), newMemberId: "m3", nowMs: 8000)
        let s = try g.join(req("m3", client: "c3"), newMemberId: "x", nowMs: 8000)
        #expect(states(s) == ["Stable->PreparingRebalance"])
        #expect(s.events.contains(.rebalanceStarted(reason: .addingNewMember(memberId: "m3", groupInstanceId: nil, clientReason: nil))))
        #expect(try g.heartbeat(memberId: "m1", generationId: 1, nowMs: 8100).response == .heartbeat(error: .rebalanceInProgress))
        #expect(throws: GroupError.rebalanceInProgress) { _ = try g.sync(memberId: "m1", generationId: 1, nowMs: 8100) }
    }

    @Test func rebalanceCompletesWhenAllRejoin() throws {
        var g = try stableGroupOfTwo()
        _ = try g.join(req(client: "c3"), newMemberId: "m3", nowMs: 8000)
        _ = try g.join(req("m3", client: "c3"), newMemberId: "x", nowMs: 8000)
        _ = try g.join(req("m1", client: "consumer-my-group-1"), newMemberId: "x", nowMs: 8100)
        let last = try g.join(req("m2", client: "consumer-my-group-2"), newMemberId: "x", nowMs: 8200)
        #expect(last.events.contains(.joinCompleted(generation: 2, leader: "m1", protocol: "range", members: ["m1", "m2", "m3"])))
        #expect(g.state == .completingRebalance)
    }

    @Test func joinTimeoutRemovesMembersThatDidNotRejoin() throws {
        var g = try stableGroupOfTwo()
        let s = try g.leave(memberId: "m1", nowMs: 9000)   // the leader leaves
        #expect(s.events.first == .memberRemoved(memberId: "m1", reason: .leaveGroup))
        #expect(g.state == .preparingRebalance)
        #expect(g.leaderId == "m2")
        let timer = s.timers.first { $0.key == "join" }!
        #expect(timer == .joinTimeout(deadlineMs: 9000 + 300_000))
        let t = g.timerFired(timer, nowMs: timer.deadlineMs)
        #expect(t.events.contains(.memberRemoved(memberId: "m2", reason: .didNotRejoin)))
        #expect(states(t) == ["PreparingRebalance->Empty"])
        #expect(g.generationId == 2)   // generation still increments when the group empties
    }

    @Test func sessionExpiryTriggersRebalance() throws {
        var g = try stableGroupOfTwo()
        _ = try g.heartbeat(memberId: "m1", generationId: 1, nowMs: 40_000)
        // stale timer: m1 heartbeated since
        #expect(g.timerFired(.sessionExpiry(memberId: "m1", deadlineMs: 51_002), nowMs: 51_002).events.isEmpty)
        let deadline = g.member("m2")!.sessionDeadlineMs
        let s = g.timerFired(.sessionExpiry(memberId: "m2", deadlineMs: deadline), nowMs: deadline)
        #expect(s.events.contains(.memberRemoved(memberId: "m2", reason: .sessionTimeout)))
        #expect(s.events.contains(.rebalanceStarted(reason: .removingMember(memberId: "m2", reason: .sessionTimeout))))
    }

    @Test func protocolSelectionByVote() throws {
        var g = ClassicGroup(groupId: "g", requireKnownMemberId: false)
        _ = try g.join(req(client: "a", protocols: ["cooperative-sticky", "range"]), newMemberId: "a-1", nowMs: 0)
        _ = try g.join(req(client: "b", protocols: ["range", "cooperative-sticky"]), newMemberId: "b-1", nowMs: 0)
        _ = try g.join(req(client: "c", protocols: ["cooperative-sticky", "range"]), newMemberId: "c-1", nowMs: 0)
        #expect(g.selectProtocol() == "cooperative-sticky")
        #expect(throws: GroupError.inconsistentGroupProtocol) {
            _ = try g.join(req(client: "d", protocols: ["roundrobin"]), newMemberId: "d-1", nowMs: 0)
        }
    }

    @Test func protocolVoteTieFollowsJavaHashMapOrder() throws {
        var g = ClassicGroup(groupId: "g", requireKnownMemberId: false)
        _ = try g.join(req(client: "a", protocols: ["range", "roundrobin"]), newMemberId: "a-1", nowMs: 0)
        _ = try g.join(req(client: "b", protocols: ["roundrobin", "range"]), newMemberId: "b-1", nowMs: 0)
        let expected = JavaHashOrder.stringKeyOrder(["range", "roundrobin"]).first
        #expect(g.selectProtocol() == expected)
    }

    @Test func staticMemberReplacementWithoutRebalance() throws {
        var g = ClassicGroup(groupId: "g")
        _ = try g.join(req(client: "c", instance: "instance1"), newMemberId: "instance1-A", nowMs: 0)   // static: no MEMBER_ID_REQUIRED
        _ = g.timerFired(.initialRebalanceDelay(deadlineMs: 3000), nowMs: 3000)
        _ = try g.sync(memberId: "instance1-A", generationId: 1, assignment: ["instance1-A": tps("orders-0")], nowMs: 3001)
        #expect(g.state == .stable)
        let s = try g.join(req(client: "c", instance: "instance1"), newMemberId: "instance1-B", nowMs: 5000)
        #expect(g.state == .stable)
        #expect(states(s).isEmpty)
        #expect(s.events.contains(.staticMemberReplaced(groupInstanceId: "instance1", oldMemberId: "instance1-A", newMemberId: "instance1-B")))
        guard case let .joined(result) = s.response else { Issue.record("expected immediate join"); return }
        #expect(result.generationId == 1 && result.skipAssignment)
        #expect(try g.sync(memberId: "instance1-B", generationId: 1, nowMs: 5001).response == .synced(assignment: tps("orders-0")))
        #expect(throws: GroupError.fencedInstanceId(groupInstanceId: "instance1", memberId: "instance1-A")) {
            _ = try g.join(req("instance1-A", client: "c", instance: "instance1"), newMemberId: "x", nowMs: 5002)
        }
    }

    @Test func staticMemberReplacementDuringCompletingRebalanceForcesRebalance() throws {
        var g = ClassicGroup(groupId: "g")
        _ = try g.join(req(client: "c", instance: "i1"), newMemberId: "i1-A", nowMs: 0)
        _ = g.timerFired(.initialRebalanceDelay(deadlineMs: 3000), nowMs: 3000)
        #expect(g.state == .completingRebalance)
        let s = try g.join(req(client: "c", instance: "i1"), newMemberId: "i1-B", nowMs: 3500)
        // forced rebalance; the only member has already rejoined, so the join phase completes at once
        #expect(states(s) == ["CompletingRebalance->PreparingRebalance", "PreparingRebalance->CompletingRebalance"])
        #expect(s.events.contains(.rebalanceStarted(reason: .staticMemberReplaced(memberId: "i1-B", groupInstanceId: "i1", state: .completingRebalance))))
        #expect(g.generationId == 2)
    }

    @Test func syncTimeoutRemovesMembersThatDidNotSync() throws {
        var g = ClassicGroup(groupId: "g", requireKnownMemberId: false)
        _ = try g.join(req(client: "a"), newMemberId: "a-1", nowMs: 0)
        let t = g.timerFired(.initialRebalanceDelay(deadlineMs: 3000), nowMs: 3000)
        let sync = t.timers.first { $0.key == "sync" }!
        let s = g.timerFired(sync, nowMs: sync.deadlineMs)
        #expect(s.events.contains(.memberRemoved(memberId: "a-1", reason: .didNotSync)))
        #expect(g.state == .empty)
        #expect(g.generationId == 2)
    }

    /// `hasSatisfiedHeartbeat`: a leader that owes its SyncGroup is expired by its session timeout; the follower's
    /// parked SyncGroup is answered REBALANCE_IN_PROGRESS so that it rejoins.
    @Test func leaderThatNeverSyncsExpiresAndParkedSyncFails() throws {
        var g = ClassicGroup(groupId: "g", requireKnownMemberId: false)
        _ = try g.join(req(client: "a"), newMemberId: "a-1", nowMs: 0)
        _ = try g.join(req(client: "b"), newMemberId: "b-1", nowMs: 0)
        _ = g.timerFired(.initialRebalanceDelay(deadlineMs: 3000), nowMs: 3000)
        let t = g.timerFired(.initialRebalanceDelay(deadlineMs: 6000), nowMs: 6000)
        #expect(t.timers.contains(.sessionExpiry(memberId: "a-1", deadlineMs: 51_000)))
        let parked = try g.sync(memberId: "b-1", generationId: 1, nowMs: 6000)
        #expect(parked.response == .syncPending)
        // b's own session deadline passes while its SyncGroup is parked: it is kept
        let keep = g.timerFired(.sessionExpiry(memberId: "b-1", deadlineMs: 51_000), nowMs: 51_000)
        #expect(keep.events.isEmpty)
        let expire = g.timerFired(.sessionExpiry(memberId: "a-1", deadlineMs: 51_000), nowMs: 51_000)
        #expect(expire.events.contains(.memberRemoved(memberId: "a-1", reason: .sessionTimeout)))
        #expect(expire.events.contains(.parkedRequestFailed(memberId: "b-1", request: .syncGroup, error: .rebalanceInProgress)))
        #expect(g.state == .preparingRebalance)
        let rejoin = try g.join(req("b-1", client: "b"), newMemberId: "x", nowMs: 51_000)
        #expect(rejoin.events.contains(.joinCompleted(generation: 2, leader: "b-1", protocol: "range", members: ["b-1"])))
    }

    /// A new member's parked JoinGroup is not kept alive by its session: it times out after
    /// `classicGroupNewMemberJoinTimeoutMs` and is answered UNKNOWN_MEMBER_ID.
    @Test func newMemberTimesOutWhileAwaitingJoin() throws {
        var g = ClassicGroup(groupId: "g", requireKnownMemberId: false)
        _ = try g.join(req(client: "a"), newMemberId: "a-1", nowMs: 0)
        _ = g.timerFired(.initialRebalanceDelay(deadlineMs: 3000), nowMs: 3000)
        _ = try g.sync(memberId: "a-1", generationId: 1, assignment: ["a-1": tps("orders-0")], nowMs: 3000)
        let join = try g.join(req(client: "b", rebalanceTimeoutMs: 600_000), newMemberId: "b-1", nowMs: 4000)
        #expect(join.timers.contains(.sessionExpiry(memberId: "b-1", deadlineMs: 304_000)))
        #expect(g.state == .preparingRebalance)
        // a keeps heartbeating; b's JoinGroup stays parked until the new-member join timeout
        _ = try g.heartbeat(memberId: "a-1", generationId: 1, nowMs: 300_000)
        let expire = g.timerFired(.sessionExpiry(memberId: "b-1", deadlineMs: 304_000), nowMs: 304_000)
        #expect(expire.events.contains(.parkedRequestFailed(memberId: "b-1", request: .joinGroup, error: .unknownMemberId(memberId: "b-1"))))
        #expect(g.member("b-1") == nil)
    }

    /// `completeClassicGroupJoin` removes only dynamic members that did not rejoin; a static one stays until its
    /// session expires, and a leader that did not rejoin hands over to a member that did.
    @Test func staticMemberThatDidNotRejoinStaysUntilItsSessionExpires() throws {
        var g = ClassicGroup(groupId: "g", requireKnownMemberId: false)
        _ = try g.join(req(client: "s", instance: "s-1"), newMemberId: "s-1-a", nowMs: 0)
        _ = try g.join(req(client: "d"), newMemberId: "d-1", nowMs: 0)
        _ = g.timerFired(.initialRebalanceDelay(deadlineMs: 3000), nowMs: 3000)
        _ = g.timerFired(.initialRebalanceDelay(deadlineMs: 6000), nowMs: 6000)
        _ = try g.sync(memberId: "d-1", generationId: 1, nowMs: 6000)
        _ = try g.sync(memberId: "s-1-a", generationId: 1, assignment: ["s-1-a": tps("orders-0"), "d-1": tps("orders-1")], nowMs: 6000)
        #expect(g.leaderId == "s-1-a")
        // a third member joins; only d rejoins before the rebalance timeout
        _ = try g.join(req(client: "e"), newMemberId: "e-1", nowMs: 7000)
        _ = try g.join(req("d-1", client: "d"), newMemberId: "x", nowMs: 7000)
        let done = g.timerFired(.joinTimeout(deadlineMs: 307_000), nowMs: 307_000)
        #expect(!done.events.contains { if case .memberRemoved = $0 { true } else { false } })
        #expect(done.events.contains(.joinCompleted(generation: 2, leader: "d-1", protocol: "range", members: ["s-1-a", "d-1", "e-1"])))
        let expire = g.timerFired(.sessionExpiry(memberId: "s-1-a", deadlineMs: 352_000), nowMs: 352_000)
        #expect(expire.events.contains(.memberRemoved(memberId: "s-1-a", reason: .sessionTimeout)))
        #expect(g.state == .preparingRebalance)
    }

    @Test func unknownMemberAndDeadGroupErrors() throws {
        var g = ClassicGroup(groupId: "g")
        #expect(throws: GroupError.unknownMemberId(memberId: "nobody")) {
            _ = try g.join(req("nobody", client: "c"), newMemberId: "x", nowMs: 0)
        }
        #expect(GroupError.unknownMemberId(memberId: "x").description == "The coordinator is not aware of this member.")
        #expect(throws: GroupError.invalidSessionTimeout(1000)) {
            var r = req(client: "c"); r.sessionTimeoutMs = 1000
            _ = try g.join(r, newMemberId: "x", nowMs: 0)
        }
        _ = g.markDead()
        #expect(g.state == .dead)
        #expect(throws: GroupError.coordinatorNotAvailable) { _ = try g.join(req(client: "c"), newMemberId: "x", nowMs: 0) }
    }

    @Test func initialDelayIsNotCutShortAndIsBoundedByRebalanceTimeout() throws {
        var g = ClassicGroup(groupId: "g", requireKnownMemberId: false)
        _ = try g.join(req(client: "a", rebalanceTimeoutMs: 5000), newMemberId: "a-1", nowMs: 0)
        _ = try g.join(req(client: "b", rebalanceTimeoutMs: 5000), newMemberId: "b-1", nowMs: 10)
        #expect(g.state == .preparingRebalance)   // everyone joined, but the initial delay still runs
        let t1 = g.timerFired(.initialRebalanceDelay(deadlineMs: 3000), nowMs: 3000)
        #expect(t1.timers == [.initialRebalanceDelay(deadlineMs: 5000)])   // min(3000, 5000-3000)
        _ = try g.join(req(client: "c", rebalanceTimeoutMs: 5000), newMemberId: "c-1", nowMs: 4000)
        let t2 = g.timerFired(.initialRebalanceDelay(deadlineMs: 5000), nowMs: 5000)
        #expect(g.state == .completingRebalance)   // no time remaining
        #expect(t2.events.contains(.joinCompleted(generation: 1, leader: "a-1", protocol: "range", members: ["a-1", "b-1", "c-1"])))
    }
}
