/// JoinGroup (API key 11) of the classic protocol, with the fields of Kafka's `JoinGroupRequest` schema (v5+).
public struct JoinGroupRequest: KafkaApiRequest, Equatable {
    public static let apiKey = ApiKey.joinGroup
    public typealias Response = DelayedResponse<JoinGroupResponse>

    /// One entry of `Protocols`: an assignor's name and the member's metadata for it.
    public struct JoinGroupRequestProtocol: Sendable, Equatable {
        public var name: String
        /// `ConsumerProtocolSubscription` (topics, owned partitions, generation), kept as a typed value.
        public var metadata: AssignorSubscription
        /// The metadata bytes a real client sent (relayed as they are); nil for a simulated member.
        public var bytes: [UInt8]?

        public init(name: String, metadata: AssignorSubscription, bytes: [UInt8]? = nil) {
            self.name = name
            self.metadata = metadata
            self.bytes = bytes
        }
    }

    public var groupId: String
    /// `session.timeout.ms` (default 45000).
    public var sessionTimeoutMs: Int
    /// Rebalance timeout = the consumer's `max.poll.interval.ms` (default 300000).
    public var rebalanceTimeoutMs: Int
    /// The member id; empty for a member joining for the first time.
    public var memberId: String
    /// `group.instance.id` of a static member.
    public var groupInstanceId: String?
    /// `consumer` for consumer groups.
    public var protocolType: String
    /// Assignors from `partition.assignment.strategy`, preferred first, each with the member's subscription.
    public var protocols: [JoinGroupRequestProtocol]
    /// The client's `reason` field (KIP-800), if any.
    public var reason: String?
    /// `client.id` from the request header (the coordinator stores it with the member).
    public var clientId: String
    /// The client's address as the broker sees it, e.g. `/127.0.0.1`.
    public var clientHost: String

    public init(groupId: String = "", memberId: String = "", groupInstanceId: String? = nil, clientId: String,
                clientHost: String = "/127.0.0.1", sessionTimeoutMs: Int = 45_000, rebalanceTimeoutMs: Int = 300_000,
                protocolType: String = "consumer", protocols: [String] = ["range", "cooperative-sticky"], topics: [String],
                ownedPartitions: [TopicPartition] = [], generation: Int? = nil, reason: String? = nil) {
        self.groupId = groupId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.clientHost = clientHost
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.protocolType = protocolType
        let subscription = AssignorSubscription(memberId: memberId, groupInstanceId: groupInstanceId, topics: topics,
                                                ownedPartitions: ownedPartitions, generation: generation)
        self.protocols = protocols.map { JoinGroupRequestProtocol(name: $0, metadata: subscription) }
        self.reason = reason
    }

    /// The assignor names, preferred first.
    public var protocolNames: [String] { protocols.map(\.name) }

    /// The subscription the member sent (a Java consumer sends the same one with every assignor).
    public var subscription: AssignorSubscription {
        var subscription = protocols.first?.metadata ?? AssignorSubscription(memberId: memberId, groupInstanceId: groupInstanceId, topics: [])
        for p in protocols { if let bytes = p.bytes { subscription.protocolMetadata[p.name] = bytes } }
        return subscription
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> Response {
        apis.handleJoinGroupRequest(self, context: context)
    }
}

/// The JoinGroup answer (`JoinGroupResponse`): the generation, the chosen protocol, the leader, and for the leader
/// every member's metadata.
public struct JoinGroupResponse: Sendable, Equatable {
    /// One entry of `Members` (only in the leader's response).
    public struct Member: Sendable, Equatable {
        public var memberId: String
        public var groupInstanceId: String?
        public var metadata: AssignorSubscription
    }

    /// `ErrorCode`; `nil` is NONE.
    public var error: GroupError?
    public var generationId = -1
    public var protocolType: String?
    public var protocolName: String?
    public var leader = ""
    /// KIP-814: a static leader replaced while Stable must not compute a new assignment.
    public var skipAssignment = false
    public var memberId = ""
    public var members: [Member] = []

    public init(error: GroupError? = nil, generationId: Int = -1, protocolType: String? = nil, protocolName: String? = nil,
                leader: String = "", skipAssignment: Bool = false, memberId: String = "", members: [Member] = []) {
        self.error = error
        self.generationId = generationId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.leader = leader
        self.skipAssignment = skipAssignment
        self.memberId = memberId
        self.members = members
    }
}

extension KafkaApis {
    /// `GroupMetadataManager.classicGroupJoin`. The request is parked under its member's id before the group sees
    /// it, so that a join phase it completes answers it with everyone else (`Cluster.deliverParkedResponses`).
    func handleJoinGroupRequest(_ request: JoinGroupRequest, context: RequestContext) -> JoinGroupRequest.Response {
        if let error = coordinatorError(request.groupId) { return .completed(JoinGroupResponse(error: error)) }
        var request = request
        request.clientId = context.clientId
        let groupId = request.groupId, now = cluster.nowMs
        let newMemberId = (request.groupInstanceId ?? context.clientId) + "-" + cluster.javaUuid()
        let parkedId = request.memberId.isEmpty ? newMemberId : request.memberId
        cluster.groupCoordinator.parkedJoins[groupId, default: [:]][parkedId] = context
        let step: GroupStep
        do throws(GroupError) {
            step = try cluster.withGroup(groupId) { g throws(GroupError) in try g.join(request, newMemberId: newMemberId, nowMs: now) }
        } catch {
            cluster.groupCoordinator.unpark(.joinGroup, groupId, parkedId, context)
            return .completed(JoinGroupResponse(error: error))
        }
        switch step.response {
        case .memberIdRequired(let id):
            cluster.groupCoordinator.unpark(.joinGroup, groupId, parkedId, context)
            return .completed(JoinGroupResponse(error: .memberIdRequired(memberId: id), memberId: id))
        case .joined(let result):
            cluster.groupCoordinator.unpark(.joinGroup, groupId, parkedId, context)
            return .completed(cluster.joinGroupResponse(groupId, result))
        case .joinPending:
            return .parked(memberId: parkedId)
        default:
            // A join the group ignores (it is Empty or Dead) is never answered.
            cluster.groupCoordinator.unpark(.joinGroup, groupId, parkedId, context)
            return .parked(memberId: parkedId)
        }
    }
}
