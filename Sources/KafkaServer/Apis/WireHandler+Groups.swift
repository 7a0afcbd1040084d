import KafkaModel
import KafkaWire
import NIOCore

extension WireRequestHandler {
    func findCoordinator(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.FindCoordinatorRequest(from: &body, version: request.version)
        let keys = request.version >= 4 ? wire.coordinatorKeys : [wire.key]
        let model = FindCoordinatorRequest(keyType: wire.keyType == 1 ? .transaction : .group, coordinatorKeys: keys)
        let answer = try cluster.send(model, to: request.broker, from: request.context)
        var response = Wire.FindCoordinatorResponse()
        let coordinators = answer.coordinators.map { c in
            var entry = Wire.FindCoordinatorResponse.Coordinator()
            entry.key = c.key
            entry.nodeId = Int32(c.nodeId)
            if c.nodeId >= 0 { (entry.host, entry.port) = listener(of: c.nodeId) } else { entry.port = -1 }
            entry.errorCode = c.error?.errorCode ?? 0
            entry.errorMessage = c.error.map { "\($0)" }
            return entry
        }
        if request.version >= 4 {
            response.coordinators = coordinators
        } else if let only = coordinators.first {
            response.errorCode = only.errorCode
            response.errorMessage = only.errorMessage
            response.nodeId = only.nodeId
            response.host = only.host
            response.port = only.port
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    /// JoinGroup: the member's protocol metadata is kept as the bytes the client sent (the leader gets them back
    /// untouched) and decoded only so the shell can show subscriptions and a simulated leader can assign.
    func joinGroup(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.JoinGroupRequest(from: &body, version: request.version)
        let host = connections[request.connection].map { "/" + ($0.remote.split(separator: ":").first.map(String.init) ?? $0.remote) } ?? "/127.0.0.1"
        var model = JoinGroupRequest(groupId: wire.groupId, memberId: wire.memberId, groupInstanceId: wire.groupInstanceId,
                                     clientId: request.context.clientId, clientHost: host,
                                     sessionTimeoutMs: Int(wire.sessionTimeoutMs),
                                     rebalanceTimeoutMs: Int(request.version >= 1 ? wire.rebalanceTimeoutMs : wire.sessionTimeoutMs),
                                     protocolType: wire.protocolType, protocols: [], topics: [], reason: wire.reason)
        model.protocols = wire.protocols.map { p in
            var subscription = AssignorSubscription(memberId: wire.memberId, groupInstanceId: wire.groupInstanceId, topics: [])
            if wire.protocolType == "consumer", let decoded = try? ConsumerProtocol.deserializeSubscription(p.metadata) {
                subscription = decoded.subscription.assignorSubscription(memberId: wire.memberId, groupInstanceId: wire.groupInstanceId)
            }
            return .init(name: p.name, metadata: subscription, bytes: p.metadata)
        }
        switch try cluster.send(model, to: request.broker, from: request.context) {
        case .completed(let answer): return joinGroupResponse(request, groupId: wire.groupId, answer)
        case .parked:
            parked[request.connection] = .group(request)
            return .parked
        }
    }

    func joinGroupResponse(_ request: WireRequest, groupId: String, _ answer: JoinGroupResponse) -> WireOutcome {
        var response = Wire.JoinGroupResponse()
        response.errorCode = answer.error?.errorCode ?? 0
        response.generationId = Int32(answer.generationId)
        response.protocolType = answer.protocolType
        response.protocolName = answer.protocolName
        response.leader = answer.leader
        response.skipAssignment = answer.skipAssignment
        response.memberId = answer.memberId
        let protocolName = answer.protocolName ?? ""
        response.members = answer.members.map { m in
            var member = Wire.JoinGroupResponse.JoinGroupResponseMember()
            member.memberId = m.memberId
            member.groupInstanceId = m.groupInstanceId
            member.metadata = m.metadata.protocolMetadata[protocolName]
                ?? ConsumerProtocol.serializeSubscription(ConsumerProtocol.Subscription(m.metadata))
            return member
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    /// SyncGroup: a client leader's assignment bytes go to each member as sent.
    func syncGroup(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.SyncGroupRequest(from: &body, version: request.version)
        let assignments = wire.assignments.map { a in
            let partitions = (try? ConsumerProtocol.deserializeAssignment(a.assignment))?.assignment.partitions ?? []
            return SyncGroupRequest.Assignment(memberId: a.memberId, assignment: partitions, bytes: a.assignment)
        }
        let model = SyncGroupRequest(groupId: wire.groupId, generationId: Int(wire.generationId), memberId: wire.memberId,
                                     groupInstanceId: wire.groupInstanceId, protocolType: wire.protocolType,
                                     protocolName: wire.protocolName, assignments: assignments)
        switch try cluster.send(model, to: request.broker, from: request.context) {
        case .completed(let answer): return syncGroupResponse(request, answer)
        case .parked:
            parked[request.connection] = .group(request)
            return .parked
        }
    }

    func syncGroupResponse(_ request: WireRequest, _ answer: SyncGroupResponse) -> WireOutcome {
        var response = Wire.SyncGroupResponse()
        response.errorCode = answer.error?.errorCode ?? 0
        response.protocolType = answer.protocolType
        response.protocolName = answer.protocolName
        if answer.error == nil {
            response.assignment = answer.assignmentBytes
                ?? ConsumerProtocol.serializeAssignment(ConsumerProtocol.Assignment(partitions: answer.assignment))
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    func heartbeat(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.HeartbeatRequest(from: &body, version: request.version)
        let answer = try cluster.send(HeartbeatRequest(groupId: wire.groupId, generationId: Int(wire.generationId),
                                                       memberId: wire.memberId, groupInstanceId: wire.groupInstanceId),
                                      to: request.broker, from: request.context)
        var response = Wire.HeartbeatResponse()
        response.errorCode = answer.error?.errorCode ?? 0
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    func leaveGroup(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.LeaveGroupRequest(from: &body, version: request.version)
        let members = request.version >= 3
            ? wire.members.map { LeaveGroupRequest.Member(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, reason: $0.reason) }
            : [LeaveGroupRequest.Member(memberId: wire.memberId)]
        let answer = try cluster.send(LeaveGroupRequest(groupId: wire.groupId, members: members), to: request.broker, from: request.context)
        var response = Wire.LeaveGroupResponse()
        response.errorCode = answer.error?.errorCode ?? 0
        if request.version < 3, response.errorCode == 0, let first = answer.members.first?.error {
            response.errorCode = first.errorCode
        }
        response.members = answer.members.map { m in
            var member = Wire.LeaveGroupResponse.MemberResponse()
            member.memberId = m.memberId
            member.groupInstanceId = m.groupInstanceId
            member.errorCode = m.error?.errorCode ?? 0
            return member
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    func offsetCommit(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.OffsetCommitRequest(from: &body, version: request.version)
        var topics: [TopicPartition: OffsetCommitRequest.Partition] = [:]
        for t in wire.topics {
            for p in t.partitions {
                topics[TopicPartition(t.name, Int(p.partitionIndex))] = .init(
                    committedOffset: p.committedOffset, committedLeaderEpoch: p.committedLeaderEpoch,
                    committedMetadata: p.committedMetadata ?? "")
            }
        }
        let model = OffsetCommitRequest(groupId: wire.groupId, generationId: Int(wire.generationIdOrMemberEpoch),
                                        memberId: wire.memberId, groupInstanceId: wire.groupInstanceId, topics: topics)
        let answer = try cluster.send(model, to: request.broker, from: request.context)
        var response = Wire.OffsetCommitResponse()
        response.topics = wire.topics.map { t in
            var topic = Wire.OffsetCommitResponse.OffsetCommitResponseTopic()
            topic.name = t.name
            topic.partitions = t.partitions.map { p in
                var partition = Wire.OffsetCommitResponse.OffsetCommitResponseTopic.OffsetCommitResponsePartition()
                partition.partitionIndex = p.partitionIndex
                partition.errorCode = (answer.topics[TopicPartition(t.name, Int(p.partitionIndex))] ?? nil)?.errorCode ?? 0
                return partition
            }
            return topic
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    /// OffsetFetch: one group before v8, a batch of groups from v8; no topics (null) means every committed one.
    func offsetFetch(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.OffsetFetchRequest(from: &body, version: request.version)
        var groups: [OffsetFetchRequest.Group] = []
        if request.version >= 8 {
            groups = wire.groups.map { g in
                OffsetFetchRequest.Group(groupId: g.groupId, topics: g.topics.map { ts in
                    ts.flatMap { t in t.partitionIndexes.map { TopicPartition(t.name, Int($0)) } }
                })
            }
        } else {
            groups = [OffsetFetchRequest.Group(groupId: wire.groupId, topics: wire.topics.map { ts in
                ts.flatMap { t in t.partitionIndexes.map { TopicPartition(t.name, Int($0)) } }
            })]
        }
        let answer = try cluster.send(OffsetFetchRequest(groups: groups, requireStable: wire.requireStable),
                                      to: request.broker, from: request.context)
        var response = Wire.OffsetFetchResponse()
        for (asked, found) in zip(groups, answer.groups) {
            let partitions = asked.topics ?? found.partitions.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
            var topics: [String] = []
            var byTopic: [String: [(Int32, OffsetFetchResponse.Partition)]] = [:]
            for tp in partitions {
                if byTopic[tp.topic] == nil { topics.append(tp.topic) }
                byTopic[tp.topic, default: []].append((Int32(tp.partition), found.partitions[tp] ?? OffsetFetchResponse.Partition()))
            }
            if request.version >= 8 {
                var group = Wire.OffsetFetchResponse.OffsetFetchResponseGroup()
                group.groupId = found.groupId
                group.errorCode = found.error?.errorCode ?? 0
                group.topics = topics.map { name in
                    var topic = Wire.OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics()
                    topic.name = name
                    topic.partitions = (byTopic[name] ?? []).map { index, p in
                        var partition = Wire.OffsetFetchResponse.OffsetFetchResponseGroup.OffsetFetchResponseTopics.OffsetFetchResponsePartitions()
                        partition.partitionIndex = index
                        partition.committedOffset = p.committedOffset
                        partition.committedLeaderEpoch = p.committedLeaderEpoch
                        partition.metadata = p.metadata
                        partition.errorCode = p.error?.errorCode ?? 0
                        return partition
                    }
                    return topic
                }
                response.groups.append(group)
            } else {
                response.errorCode = found.error?.errorCode ?? 0
                response.topics = topics.map { name in
                    var topic = Wire.OffsetFetchResponse.OffsetFetchResponseTopic()
                    topic.name = name
                    topic.partitions = (byTopic[name] ?? []).map { index, p in
                        var partition = Wire.OffsetFetchResponse.OffsetFetchResponseTopic.OffsetFetchResponsePartition()
                        partition.partitionIndex = index
                        partition.committedOffset = p.committedOffset
                        partition.committedLeaderEpoch = p.committedLeaderEpoch
                        partition.metadata = p.metadata
                        partition.errorCode = p.error?.errorCode ?? 0
                        return partition
                    }
                    return topic
                }
            }
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    func describeGroups(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.DescribeGroupsRequest(from: &body, version: request.version)
        let answer = try cluster.send(DescribeGroupsRequest(groups: wire.groups), to: request.broker, from: request.context)
        var response = Wire.DescribeGroupsResponse()
        response.groups = answer.groups.map { g in
            var group = Wire.DescribeGroupsResponse.DescribedGroup()
            group.errorCode = g.error?.errorCode ?? 0
            group.groupId = g.groupId
            group.groupState = g.groupState.rawValue
            group.protocolType = g.protocolType
            group.protocolData = g.protocolData
            group.authorizedOperations = Int32.min
            group.members = g.members.map { m in
                var member = Wire.DescribeGroupsResponse.DescribedGroup.DescribedGroupMember()
                member.memberId = m.memberId
                member.groupInstanceId = m.groupInstanceId
                member.clientId = m.clientId
                member.clientHost = m.clientHost
                member.memberMetadata = m.subscription.protocolMetadata[g.protocolData]
                    ?? ConsumerProtocol.serializeSubscription(ConsumerProtocol.Subscription(m.subscription))
                member.memberAssignment = m.assignmentBytes
                    ?? ConsumerProtocol.serializeAssignment(ConsumerProtocol.Assignment(partitions: m.assignment))
                return member
            }
            return group
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    func listGroups(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.ListGroupsRequest(from: &body, version: request.version)
        let answer = try cluster.send(ListGroupsRequest(statesFilter: wire.statesFilter), to: request.broker, from: request.context)
        var response = Wire.ListGroupsResponse()
        response.errorCode = answer.error?.errorCode ?? 0
        response.groups = answer.groups.map { g in
            var group = Wire.ListGroupsResponse.ListedGroup()
            group.groupId = g.groupId
            group.protocolType = g.protocolType
            group.groupState = g.groupState.rawValue
            group.groupType = "classic"
            return group
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }
}
