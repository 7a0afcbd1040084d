// Answers to parked requests travel like any response: to the client that sent the request, routed by its
// `RequestClient`. They queue in the order the coordinator completed them and leave one at a time; a client
// handling one may send requests (a member's SyncGroup after its JoinGroup answer), and answers those complete
// wait behind the ones already on their way — as on a network, never inside the handler that completed them.

/// A JoinGroup or SyncGroup answer that was parked.
public enum ParkedGroupResponse: Sendable, Equatable {
    case joinGroup(groupId: String, JoinGroupResponse)
    case syncGroup(groupId: String, memberId: String, SyncGroupResponse)
}

extension Cluster {
    /// The JoinGroup answer for one member from the coordinator's result.
    func joinGroupResponse(_ groupId: String, _ result: JoinGroupResult) -> JoinGroupResponse {
        let group = groupCoordinator.groups[groupId]
        let instances = Dictionary((group?.members ?? []).map { ($0.memberId, $0.groupInstanceId) }, uniquingKeysWith: { a, _ in a })
        return JoinGroupResponse(
            generationId: result.generationId, protocolType: group?.protocolType, protocolName: result.protocolName,
            leader: result.leaderId ?? "", skipAssignment: result.skipAssignment, memberId: result.memberId,
            members: result.members.map { .init(memberId: $0.memberId, groupInstanceId: instances[$0.memberId] ?? nil, metadata: $0) })
    }

    /// `completeClassicGroupJoin`: every parked JoinGroup is answered. The followers' answers leave first: the
    /// leader's carries every member's subscription and its SyncGroup needs the assignor, so it syncs last.
    func answerParkedJoins(_ groupId: String) {
        guard let group = groupCoordinator.groups[groupId], let parked = groupCoordinator.parkedJoins[groupId] else { return }
        let waiting = group.members.filter { parked[$0.memberId] != nil }
        let ordered = waiting.filter { $0.memberId != group.leaderId } + waiting.filter { $0.memberId == group.leaderId }
        for member in ordered {
            let client = parked[member.memberId]!
            groupCoordinator.unpark(.joinGroup, groupId, member.memberId)
            let result = JoinGroupResult(
                generationId: group.generationId, protocolName: group.protocolName, leaderId: group.leaderId,
                memberId: member.memberId, members: member.memberId == group.leaderId ? group.members.map(\.subscription) : [],
                skipAssignment: false)
            parkedResponseQueue.append((client, .joinGroup(groupId: groupId, joinGroupResponse(groupId, result))))
        }
    }

    /// `propagateAssignment`: every parked SyncGroup, the leader's included, is answered in member order.
    func answerParkedSyncs(_ groupId: String) {
        guard let group = groupCoordinator.groups[groupId], let parked = groupCoordinator.parkedSyncs[groupId] else { return }
        for member in group.members {
            guard let client = parked[member.memberId] else { continue }
            groupCoordinator.unpark(.syncGroup, groupId, member.memberId)
            let response = SyncGroupResponse(protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment,
                                             assignmentBytes: member.assignmentBytes)
            parkedResponseQueue.append((client, .syncGroup(groupId: groupId, memberId: member.memberId, response)))
        }
    }

    /// A parked request answered with an error (the member was removed, a new rebalance began).
    func failParked(_ groupId: String, memberId: String, request: GroupEvent.ParkedRequest, error: GroupError) {
        guard let client = (request == .joinGroup ? groupCoordinator.parkedJoins : groupCoordinator.parkedSyncs)[groupId]?[memberId] else { return }
        groupCoordinator.unpark(request, groupId, memberId)
        switch request {
        case .joinGroup:
            parkedResponseQueue.append((client, .joinGroup(groupId: groupId, JoinGroupResponse(error: error, memberId: memberId))))
        case .syncGroup:
            parkedResponseQueue.append((client, .syncGroup(groupId: groupId, memberId: memberId, SyncGroupResponse(error: error))))
        }
    }

    /// Delivers the queued answers, one at a time, unless a delivery further up the stack is already doing so.
    func deliverParkedResponses() {
        guard !deliveringParkedResponses else { return }
        deliveringParkedResponses = true
        defer { deliveringParkedResponses = false }
        while !parkedResponseQueue.isEmpty {
            let (context, response) = parkedResponseQueue.removeFirst()
            switch context.client {
            case .consumer(let name):
                if let c = consumers[name] { consumerReceived(response, c) }
            case .connection(let n):
                pendingConnectionResponses.append(ConnectionResponse(connection: n, correlationId: context.correlationId,
                                                                     response: .group(response)))
            case .producer, .admin:
                break
            }
        }
    }
}
