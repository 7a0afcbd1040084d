/// A classic-protocol group as the coordinator keeps it (Kafka's `ClassicGroup` plus the join/sync/heartbeat
/// handling of `GroupMetadataManager`), as a pure state machine.
///
/// Driven by explicit inputs (`join`, `sync`, `heartbeat`, `leave`, `timerFired`) that return a `GroupStep`.
/// It never reads a clock: each input carries `nowMs`, and every timeout is handed back as a `GroupTimer` deadline.
/// Not thread-safe; a value type owned by one coordinator.
public struct ClassicGroup: Sendable {
    /// `group.initial.rebalance.delay.ms` default.
    public static let defaultInitialRebalanceDelayMs = 3000
    /// `group.min.session.timeout.ms` default.
    public static let defaultMinSessionTimeoutMs = 6000
    /// `group.max.session.timeout.ms` default.
    public static let defaultMaxSessionTimeoutMs = 1_800_000
    /// How long a new member's parked JoinGroup may wait before the member is dropped
    /// (`classicGroupNewMemberJoinTimeoutMs`, 5 minutes): its session timeout does not apply yet.
    public static let newMemberJoinTimeoutMs = 300_000

    /// The group id.
    public let groupId: String
    /// Current state.
    public private(set) var state: ClassicGroupState = .empty
    /// State before the last transition.
    public private(set) var previousState: ClassicGroupState = .empty
    /// Generation id; a new group is at 0 and its first completed join makes it 1.
    public private(set) var generationId = 0
    /// `consumer` once a member joined.
    public private(set) var protocolType: String?
    /// The assignor selected for the current generation.
    public private(set) var protocolName: String?
    /// The leader's member id (first member to join, kept while it stays).
    public private(set) var leaderId: String?
    /// Members in join order.
    public private(set) var members: [ClassicGroupMember] = []
    /// `group.instance.id` → member id.
    public private(set) var staticMembers: [String: String] = [:]
    /// Ids handed out with `MEMBER_ID_REQUIRED` that have not rejoined yet.
    public private(set) var pendingMembers: Set<String> = []

    let initialRebalanceDelayMs: Int
    let minSessionTimeoutMs: Int
    let maxSessionTimeoutMs: Int
    let requireKnownMemberId: Bool
    /// Members whose JoinGroup is parked until the join phase completes (Kafka's `isAwaitingJoin`).
    private var awaitingJoin: Set<String> = []
    /// Members of the generation that have not sent SyncGroup yet (Kafka's pending-sync members).
    private var awaitingSync: Set<String> = []
    /// Members whose SyncGroup is parked until the leader's assignment arrives (Kafka's `isAwaitingSync`).
    private var parkedSync: Set<String> = []
    /// Members added in the current rebalance that have not received a JoinGroup response yet (`isNew`).
    private var newMembers: Set<String> = []
    private var newMemberAdded = false
    private var joinTimer: GroupTimer?
    private var initialDelay: (delayMs: Int, remainingMs: Int)?
    private var syncTimer: GroupTimer?

    /// A new, Empty group.
    public init(groupId: String, initialRebalanceDelayMs: Int = defaultInitialRebalanceDelayMs,
                minSessionTimeoutMs: Int = defaultMinSessionTimeoutMs, maxSessionTimeoutMs: Int = defaultMaxSessionTimeoutMs,
                requireKnownMemberId: Bool = true) {
        self.groupId = groupId
        self.initialRebalanceDelayMs = initialRebalanceDelayMs
        self.minSessionTimeoutMs = minSessionTimeoutMs
        self.maxSessionTimeoutMs = maxSessionTimeoutMs
        self.requireKnownMemberId = requireKnownMemberId
    }

    /// The member with `memberId`, if present.
    public func member(_ memberId: String) -> ClassicGroupMember? {
        members.first { $0.memberId == memberId }
    }

    /// The group's rebalance timeout: the largest of its members'.
    public var rebalanceTimeoutMs: Int { members.map(\.rebalanceTimeoutMs).max() ?? 0 }

    /// Kafka's `candidateProtocols`: protocols every member supports.
    public var candidateProtocols: Set<String> {
        guard let first = members.first else { return [] }
        return members.dropFirst().reduce(Set(first.protocols)) { $0.intersection($1.protocols) }
    }

    /// Kafka's `selectProtocol`: each member votes for its first candidate; most votes wins. Ties go to the protocol
    /// a Java `HashMap<String,Integer>` iterates first (bucket order of `String.hashCode`, then first vote seen).
    public func selectProtocol() -> String? {
        let candidates = candidateProtocols
        var votes: [String: Int] = [:]
        var seen: [String] = []
        for m in members {
            guard let v = m.vote(candidates) else { continue }
            if votes[v] == nil { seen.append(v) }
            votes[v, default: 0] += 1
        }
        var best: String?
        for name in JavaHashOrder.stringKeyOrder(seen) where best == nil || votes[name]! > votes[best!]! {
            best = name
        }
        return best
    }

    // MARK: - State transitions

    /// Moves to `target`, rejecting transitions Kafka forbids.
    public mutating func transition(to target: ClassicGroupState) throws(GroupError) -> GroupEvent {
        guard target.canTransition(from: state) else {
            throw .illegalStateTransition(groupId: groupId, from: state, to: target)
        }
        previousState = state
        state = target
        return .stateChanged(from: previousState, to: target)
    }

    private mutating func move(to target: ClassicGroupState, _ step: inout GroupStep) {
        do {
            step.events.append(try transition(to: target))
        } catch {
            preconditionFailure(error.description)
        }
    }

    /// Marks the group Dead (deleted, or its offsets partition moved away). All members are dropped.
    public mutating func markDead() -> GroupStep {
        var step = GroupStep()
        move(to: .dead, &step)
        members.removeAll()
        staticMembers.removeAll()
        pendingMembers.removeAll()
        awaitingJoin.removeAll()
        awaitingSync.removeAll()
        parkedSync.removeAll()
        newMembers.removeAll()
        leaderId = nil
        joinTimer = nil
        syncTimer = nil
        return step
    }

    // MARK: - JoinGroup

    /// Handles a JoinGroup. `newMemberId` is the id the coordinator generates if the request has none
    /// (`<client.id or group.instance.id>-<UUID>`; the caller draws the UUID from its seeded generator).
    public mutating func join(_ request: JoinGroupRequest, newMemberId: String, nowMs: Int64) throws(GroupError) -> GroupStep {
        if state == .dead { throw .coordinatorNotAvailable }
        guard (minSessionTimeoutMs...maxSessionTimeoutMs).contains(request.sessionTimeoutMs) else {
            throw .invalidSessionTimeout(request.sessionTimeoutMs)
        }
        if members.isEmpty {
            if request.protocolType.isEmpty || request.protocolNames.isEmpty { throw .inconsistentGroupProtocol }
        } else {
            let others = members.filter { $0.memberId != request.memberId }
            if let first = others.first {
                let candidates = others.dropFirst().reduce(Set(first.protocols)) { $0.intersection($1.protocols) }
                if request.protocolType != protocolType || !request.protocolNames.contains(where: candidates.contains) {
                    throw .inconsistentGroupProtocol
                }
            }
        }
        if request.memberId.isEmpty {
            return joinUnknownMember(request, newMemberId: newMemberId, nowMs: nowMs)
        }
        if pendingMembers.contains(request.memberId) {
            pendingMembers.remove(request.memberId)
            return addMember(request, memberId: request.memberId, nowMs: nowMs)
        }
        if let instance = request.groupInstanceId, let registered = staticMembers[instance], registered != request.memberId {
            throw .fencedInstanceId(groupInstanceId: instance, memberId: request.memberId)
        }
        guard let index = members.firstIndex(where: { $0.memberId == request.memberId }) else {
            throw .unknownMemberId(memberId: request.memberId)
        }
        return joinExistingMember(request, index: index, nowMs: nowMs)
    }

    private mutating func joinUnknownMember(_ request: JoinGroupRequest, newMemberId: String, nowMs: Int64) -> GroupStep {
        if let instance = request.groupInstanceId {
            if let old = staticMembers[instance] {
                return replaceStaticMember(request, oldMemberId: old, newMemberId: newMemberId, nowMs: nowMs)
            }
            return addMember(request, memberId: newMemberId, nowMs: nowMs)
        }
        if requireKnownMemberId {
            pendingMembers.insert(newMemberId)
            return GroupStep(response: .memberIdRequired(memberId: newMemberId))
        }
        return addMember(request, memberId: newMemberId, nowMs: nowMs)
    }

    private mutating func addMember(_ request: JoinGroupRequest, memberId: String, nowMs: Int64) -> GroupStep {
        var step = GroupStep(response: .joinPending)
        var sub = request.subscription
        sub.memberId = memberId
        let member = ClassicGroupMember(
            memberId: memberId, groupInstanceId: request.groupInstanceId, clientId: request.clientId,
            clientHost: request.clientHost, sessionTimeoutMs: request.sessionTimeoutMs,
            rebalanceTimeoutMs: request.rebalanceTimeoutMs, protocols: request.protocolNames, subscription: sub,
            sessionDeadlineMs: nowMs + Int64(Self.newMemberJoinTimeoutMs))
        if members.isEmpty { protocolType = request.protocolType }
        members.append(member)
        if leaderId == nil { leaderId = memberId }
        if let instance = request.groupInstanceId { staticMembers[instance] = memberId }
        awaitingJoin.insert(memberId)
        newMembers.insert(memberId)
        if state == .preparingRebalance && generationId == 0 { newMemberAdded = true }
        step.events.append(.memberJoined(memberId: memberId, groupInstanceId: request.groupInstanceId))
        step.timers.append(.sessionExpiry(memberId: memberId, deadlineMs: member.sessionDeadlineMs))
        let reason = RebalanceReason.addingNewMember(memberId: memberId, groupInstanceId: request.groupInstanceId,
                                                     clientReason: request.reason)
        rebalanceOrCompleteJoin(reason, nowMs: nowMs, &step)
        return step
    }

    private mutating func rebalanceOrCompleteJoin(_ reason: RebalanceReason, nowMs: Int64, _ step: inout GroupStep) {
        switch state {
        case .stable, .completingRebalance, .empty: prepareRebalance(reason, nowMs: nowMs, &step)
        case .preparingRebalance: maybeCompleteJoin(nowMs: nowMs, &step)
        case .dead: break
        }
    }

    private mutating func update(_ index: Int, with request: JoinGroupRequest, nowMs: Int64) {
        members[index].protocols = request.protocolNames
        var sub = request.subscription
        sub.memberId = members[index].memberId
        members[index].subscription = sub
        members[index].clientId = request.clientId
        members[index].clientHost = request.clientHost
        members[index].sessionTimeoutMs = request.sessionTimeoutMs
        members[index].rebalanceTimeoutMs = request.rebalanceTimeoutMs
        members[index].sessionDeadlineMs = nowMs + Int64(request.sessionTimeoutMs)
        awaitingJoin.insert(members[index].memberId)
    }

    private func currentJoinResult(for memberId: String, skipAssignment: Bool = false) -> JoinGroupResult {
        JoinGroupResult(generationId: generationId, protocolName: protocolName, leaderId: leaderId, memberId: memberId,
                        members: memberId == leaderId && !skipAssignment ? members.map(\.subscription) : [],
                        skipAssignment: skipAssignment)
    }

    private mutating func joinExistingMember(_ request: JoinGroupRequest, index: Int, nowMs: Int64) -> GroupStep {
        var step = GroupStep(response: .joinPending)
        let memberId = members[index].memberId
        switch state {
        case .preparingRebalance:
            update(index, with: request, nowMs: nowMs)
            maybeCompleteJoin(nowMs: nowMs, &step)
        case .completingRebalance:
            if members[index].matches(request) {
                step.response = .joined(currentJoinResult(for: memberId))
            } else {
                update(index, with: request, nowMs: nowMs)
                prepareRebalance(.updatingMetadata(memberId: memberId, state: state, clientReason: request.reason), nowMs: nowMs, &step)
            }
        case .stable:
            if memberId == leaderId || !members[index].matches(request) {
                let reason: RebalanceReason = memberId == leaderId
                    ? .leaderRejoining(memberId: memberId, state: state, clientReason: request.reason)
                    : .updatingMetadata(memberId: memberId, state: state, clientReason: request.reason)
                update(index, with: request, nowMs: nowMs)
                prepareRebalance(reason, nowMs: nowMs, &step)
            } else {
                step.response = .joined(currentJoinResult(for: memberId))
            }
        case .empty, .dead:
            step.response = .none
        }
        step.timers.append(.sessionExpiry(memberId: memberId, deadlineMs: members[index].sessionDeadlineMs))
        return step
    }

    private mutating func replaceStaticMember(_ request: JoinGroupRequest, oldMemberId: String, newMemberId: String,
                                              nowMs: Int64) -> GroupStep {
        var step = GroupStep(response: .joinPending)
        let instance = request.groupInstanceId!
        let index = members.firstIndex { $0.memberId == oldMemberId }!
        let oldProtocol = selectProtocol()
        let previous = members[index]
        members[index].memberId = newMemberId
        staticMembers[instance] = newMemberId
        if leaderId == oldMemberId { leaderId = newMemberId }
        if awaitingJoin.remove(oldMemberId) != nil { awaitingJoin.insert(newMemberId) }
        if awaitingSync.remove(oldMemberId) != nil { awaitingSync.insert(newMemberId) }
        if newMembers.remove(oldMemberId) != nil { newMembers.insert(newMemberId) }
        if parkedSync.remove(oldMemberId) != nil {
            step.events.append(.parkedRequestFailed(memberId: oldMemberId, request: .syncGroup, error: .fencedInstanceId(groupInstanceId: instance, memberId: oldMemberId)))
        }
        update(index, with: request, nowMs: nowMs)
        step.events.append(.memberRemoved(memberId: oldMemberId, reason: .fencedByStaticMember(newMemberId: newMemberId)))
        step.events.append(.staticMemberReplaced(groupInstanceId: instance, oldMemberId: oldMemberId, newMemberId: newMemberId))
        step.timers.append(.sessionExpiry(memberId: newMemberId, deadlineMs: members[index].sessionDeadlineMs))
        switch state {
        case .stable:
            if selectProtocol() == oldProtocol && members[index].protocols == previous.protocols {
                // no rebalance: the new instance gets the previous assignment back
                awaitingJoin.remove(newMemberId)
                step.response = .joined(currentJoinResult(for: newMemberId, skipAssignment: newMemberId == leaderId))
            } else {
                prepareRebalance(.staticMemberReplaced(memberId: newMemberId, groupInstanceId: instance, state: state), nowMs: nowMs, &step)
            }
        case .completingRebalance:
            prepareRebalance(.staticMemberReplaced(memberId: newMemberId, groupInstanceId: instance, state: state), nowMs: nowMs, &step)
        case .preparingRebalance:
            maybeCompleteJoin(nowMs: nowMs, &step)
        case .empty, .dead:
            break
        }
        return step
    }

    // MARK: - Rebalance phases

    private mutating func prepareRebalance(_ reason: RebalanceReason, nowMs: Int64, _ step: inout GroupStep) {
        // resetAndPropagateAssignmentWithError: parked SyncGroups are answered REBALANCE_IN_PROGRESS.
        let failedSyncs = members.map(\.memberId).filter { parkedSync.contains($0) }
        restartSessions(of: parkedSync, nowMs: nowMs, &step)
        if state == .completingRebalance {
            for i in members.indices { members[i].assignment = [] }
        }
        parkedSync.removeAll()
        awaitingSync.removeAll()
        syncTimer = nil
        let initial = state == .empty
        move(to: .preparingRebalance, &step)
        step.events.append(.rebalanceStarted(reason: reason))
        for id in failedSyncs {
            step.events.append(.parkedRequestFailed(memberId: id, request: .syncGroup, error: .rebalanceInProgress))
        }
        if initial {
            let delay = initialRebalanceDelayMs
            initialDelay = (delay, max(rebalanceTimeoutMs - delay, 0))
            let timer = GroupTimer.initialRebalanceDelay(deadlineMs: nowMs + Int64(delay))
            joinTimer = timer
            step.timers.append(timer)
        } else {
            initialDelay = nil
            let timer = GroupTimer.joinTimeout(deadlineMs: nowMs + Int64(rebalanceTimeoutMs))
            joinTimer = timer
            step.timers.append(timer)
            maybeCompleteJoin(nowMs: nowMs, &step)
        }
    }

    /// `rescheduleClassicGroupMemberHeartbeat` for members whose parked request was just answered.
    private mutating func restartSessions(of ids: Set<String>, nowMs: Int64, _ step: inout GroupStep) {
        for i in members.indices where ids.contains(members[i].memberId) {
            members[i].sessionDeadlineMs = nowMs + Int64(members[i].sessionTimeoutMs)
            step.timers.append(.sessionExpiry(memberId: members[i].memberId, deadlineMs: members[i].sessionDeadlineMs))
        }
    }

    private var hasAllMembersJoined: Bool {
        awaitingJoin.count == members.count && pendingMembers.isEmpty
    }

    private mutating func maybeCompleteJoin(nowMs: Int64, _ step: inout GroupStep) {
        if state == .preparingRebalance && hasAllMembersJoined && previousState != .empty {
            completeJoin(nowMs: nowMs, &step)
        }
    }

    private mutating func completeJoin(nowMs: Int64, _ step: inout GroupStep) {
        joinTimer = nil
        initialDelay = nil
        // Only dynamic members that did not rejoin are removed; static ones stay (their session or the sync
        // timeout decides), as `completeClassicGroupJoin` does.
        for m in members where !awaitingJoin.contains(m.memberId) && m.groupInstanceId == nil {
            removeMemberRecord(m.memberId)
            step.events.append(.memberRemoved(memberId: m.memberId, reason: .didNotRejoin))
        }
        // maybeElectNewJoinedLeader: a leader that did not rejoin hands over to a member that did; when no member
        // rejoined, the join phase waits another rebalance timeout for sessions to expire.
        if let leader = leaderId, !awaitingJoin.contains(leader) {
            if let joined = members.first(where: { awaitingJoin.contains($0.memberId) }) {
                leaderId = joined.memberId
            } else if !members.isEmpty {
                let timer = GroupTimer.joinTimeout(deadlineMs: nowMs + Int64(rebalanceTimeoutMs))
                joinTimer = timer
                step.timers.append(timer)
                return
            }
        }
        pendingMembers.removeAll()
        newMemberAdded = false
        generationId += 1
        if members.isEmpty {
            protocolName = nil
            move(to: .empty, &step)
            step.events.append(.joinCompleted(generation: generationId, leader: nil, protocol: nil, members: []))
        } else {
            protocolName = selectProtocol()
            move(to: .completingRebalance, &step)
            awaitingSync = Set(members.map(\.memberId))
            step.events.append(.joinCompleted(generation: generationId, leader: leaderId, protocol: protocolName,
                                              members: members.map(\.memberId)))
            let timer = GroupTimer.syncTimeout(generation: generationId, deadlineMs: nowMs + Int64(rebalanceTimeoutMs))
            syncTimer = timer
            step.timers.append(timer)
            for i in members.indices {
                members[i].sessionDeadlineMs = nowMs + Int64(members[i].sessionTimeoutMs)
                step.timers.append(.sessionExpiry(memberId: members[i].memberId, deadlineMs: members[i].sessionDeadlineMs))
            }
        }
        awaitingJoin.removeAll()
        newMembers.removeAll()
    }

    /// Removes a member's record; the leader passes to the earliest-joined remaining member.
    private mutating func removeMemberRecord(_ memberId: String) {
        guard let index = members.firstIndex(where: { $0.memberId == memberId }) else { return }
        let m = members.remove(at: index)
        if let instance = m.groupInstanceId, staticMembers[instance] == memberId { staticMembers[instance] = nil }
        awaitingJoin.remove(memberId)
        awaitingSync.remove(memberId)
        parkedSync.remove(memberId)
        newMembers.remove(memberId)
        if leaderId == memberId {
            leaderId = members.first(where: { awaitingJoin.contains($0.memberId) })?.memberId ?? members.first?.memberId
        }
        if members.isEmpty { protocolType = nil }
    }

    private mutating func removeMember(_ memberId: String, reason: MemberRemovalReason, nowMs: Int64, _ step: inout GroupStep) {
        // A parked JoinGroup (a new member timing out mid-rebalance) is answered UNKNOWN_MEMBER_ID so that a
        // client still alive retries (`removeMemberAndUpdateClassicGroup`).
        let parkedJoin = awaitingJoin.contains(memberId)
        removeMemberRecord(memberId)
        if parkedJoin {
            step.events.append(.parkedRequestFailed(memberId: memberId, request: .joinGroup, error: .unknownMemberId(memberId: memberId)))
        }
        step.events.append(.memberRemoved(memberId: memberId, reason: reason))
        switch state {
        case .stable, .completingRebalance:
            prepareRebalance(.removingMember(memberId: memberId, reason: reason), nowMs: nowMs, &step)
        case .preparingRebalance:
            maybeCompleteJoin(nowMs: nowMs, &step)
        case .empty, .dead:
            break
        }
    }

    // MARK: - SyncGroup, Heartbeat, LeaveGroup

    /// Handles a SyncGroup. The leader passes the assignment computed by the selected assignor.
    public mutating func sync(memberId: String, generationId generation: Int,
                              assignment: [String: [TopicPartition]]? = nil, assignmentBytes: [String: [UInt8]] = [:],
                              nowMs: Int64) throws(GroupError) -> GroupStep {
        if state == .dead { throw .coordinatorNotAvailable }
        guard let index = members.firstIndex(where: { $0.memberId == memberId }) else {
            throw .unknownMemberId(memberId: memberId)
        }
        guard generation == generationId else {
            throw .illegalGeneration(memberId: memberId, generation: generation, current: generationId)
        }
        var step = GroupStep()
        switch state {
        case .empty, .dead:
            throw .unknownMemberId(memberId: memberId)
        case .preparingRebalance:
            throw .rebalanceInProgress
        case .completingRebalance:
            awaitingSync.remove(memberId)
            members[index].sessionDeadlineMs = nowMs + Int64(members[index].sessionTimeoutMs)
            step.timers.append(.sessionExpiry(memberId: memberId, deadlineMs: members[index].sessionDeadlineMs))
            guard memberId == leaderId, let assignment else {
                parkedSync.insert(memberId)
                step.response = .syncPending
                return step
            }
            var full: [String: [TopicPartition]] = [:]
            for i in members.indices {
                let parts = (assignment[members[i].memberId] ?? []).sorted(by: JavaString.topicPartitionLessThan)
                members[i].assignment = parts
                members[i].assignmentBytes = assignmentBytes[members[i].memberId]
                full[members[i].memberId] = parts
            }
            syncTimer = nil
            awaitingSync.removeAll()
            // propagateAssignment: the parked SyncGroups are answered and those members' sessions restart.
            restartSessions(of: parkedSync, nowMs: nowMs, &step)
            parkedSync.removeAll()
            move(to: .stable, &step)
            step.events.append(.generationCompleted(generation: generationId, leader: memberId,
                                                    protocol: protocolName ?? "", assignment: full))
            step.response = .synced(assignment: members[index].assignment)
        case .stable:
            members[index].sessionDeadlineMs = nowMs + Int64(members[index].sessionTimeoutMs)
            step.timers.append(.sessionExpiry(memberId: memberId, deadlineMs: members[index].sessionDeadlineMs))
            step.response = .synced(assignment: members[index].assignment)
        }
        return step
    }

    /// Handles a Heartbeat: resets the session deadline; answers `REBALANCE_IN_PROGRESS` while PreparingRebalance.
    public mutating func heartbeat(memberId: String, generationId generation: Int, nowMs: Int64) throws(GroupError) -> GroupStep {
        if state == .dead { throw .coordinatorNotAvailable }
        if state == .empty { throw .unknownMemberId(memberId: memberId) }
        guard let index = members.firstIndex(where: { $0.memberId == memberId }) else {
            throw .unknownMemberId(memberId: memberId)
        }
        guard generation == generationId else {
            throw .illegalGeneration(memberId: memberId, generation: generation, current: generationId)
        }
        members[index].sessionDeadlineMs = nowMs + Int64(members[index].sessionTimeoutMs)
        var step = GroupStep(response: .heartbeat(error: state == .preparingRebalance ? .rebalanceInProgress : nil))
        step.timers.append(.sessionExpiry(memberId: memberId, deadlineMs: members[index].sessionDeadlineMs))
        return step
    }

    /// Handles a LeaveGroup (dynamic members on close/unsubscribe; static members normally never send it).
    public mutating func leave(memberId: String, groupInstanceId: String? = nil, nowMs: Int64) throws(GroupError) -> GroupStep {
        if state == .dead { throw .coordinatorNotAvailable }
        if pendingMembers.remove(memberId) != nil {
            var step = GroupStep()
            maybeCompleteJoin(nowMs: nowMs, &step)
            return step
        }
        if let instance = groupInstanceId, let registered = staticMembers[instance], registered != memberId {
            throw .fencedInstanceId(groupInstanceId: instance, memberId: memberId)
        }
        guard member(memberId) != nil else { throw .unknownMemberId(memberId: memberId) }
        var step = GroupStep()
        removeMember(memberId, reason: .leaveGroup, nowMs: nowMs, &step)
        return step
    }

    // MARK: - Timers

    /// Reports that a timer returned earlier has reached its deadline. Stale or superseded timers do nothing.
    public mutating func timerFired(_ timer: GroupTimer, nowMs: Int64) -> GroupStep {
        var step = GroupStep()
        switch timer {
        case .initialRebalanceDelay:
            guard timer == joinTimer, state == .preparingRebalance, let (delay, remaining) = initialDelay else { return step }
            if newMemberAdded && remaining != 0 {
                newMemberAdded = false
                let newDelay = min(initialRebalanceDelayMs, remaining)
                initialDelay = (newDelay, max(remaining - delay, 0))
                let next = GroupTimer.initialRebalanceDelay(deadlineMs: nowMs + Int64(newDelay))
                joinTimer = next
                step.timers.append(next)
            } else {
                completeJoin(nowMs: nowMs, &step)
            }
        case .joinTimeout:
            guard timer == joinTimer, state == .preparingRebalance else { return step }
            completeJoin(nowMs: nowMs, &step)
        case .syncTimeout:
            guard timer == syncTimer, state == .completingRebalance else { return step }
            syncTimer = nil
            let missing = members.map(\.memberId).filter { awaitingSync.contains($0) }
            for id in missing {
                removeMemberRecord(id)
                step.events.append(.memberRemoved(memberId: id, reason: .didNotSync))
            }
            prepareRebalance(.removingMember(memberId: missing.first ?? "", reason: .didNotSync), nowMs: nowMs, &step)
        case let .sessionExpiry(memberId, deadline):
            guard let index = members.firstIndex(where: { $0.memberId == memberId }),
                  members[index].sessionDeadlineMs == deadline, nowMs >= deadline else { return step }
            // `hasSatisfiedHeartbeat`: members whose JoinGroup or SyncGroup is parked satisfy their heartbeats
            // automatically, except new members (no JoinGroup response yet), which may expire while awaiting join.
            // A member that owes a SyncGroup (e.g. a crashed leader) does not: its session runs out.
            if !newMembers.contains(memberId) && (awaitingJoin.contains(memberId) || parkedSync.contains(memberId)) {
                members[index].sessionDeadlineMs = nowMs + Int64(members[index].sessionTimeoutMs)
                step.timers.append(.sessionExpiry(memberId: memberId, deadlineMs: members[index].sessionDeadlineMs))
            } else {
                removeMember(memberId, reason: .sessionTimeout, nowMs: nowMs, &step)
            }
        }
        return step
    }
}
