/// SyncGroup (API key 14): a member of a new generation asks for its assignment; the leader's carries everyone's.
public struct SyncGroupRequest: KafkaApiRequest, Equatable {
    public static let apiKey = ApiKey.syncGroup
    public typealias Response = DelayedResponse<SyncGroupResponse>

    /// One entry of `Assignments`: a member and its `ConsumerProtocolAssignment`, kept as typed partitions.
    public struct Assignment: Sendable, Equatable {
        public var memberId: String
        public var assignment: [TopicPartition]
        /// The bytes a real client leader sent (relayed as they are); nil from a simulated leader.
        public var bytes: [UInt8]?

        public init(memberId: String, assignment: [TopicPartition], bytes: [UInt8]? = nil) {
            self.memberId = memberId
            self.assignment = assignment
            self.bytes = bytes
        }
    }

    public var groupId: String
    public var generationId: Int
    public var memberId: String
    public var groupInstanceId: String?
    public var protocolType: String?
    public var protocolName: String?
    /// The leader's assignment for every member; empty from followers.
    public var assignments: [Assignment]

    public init(groupId: String, generationId: Int, memberId: String, groupInstanceId: String? = nil,
                protocolType: String? = "consumer", protocolName: String? = nil, assignments: [Assignment] = []) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignments = assignments
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> Response {
        apis.handleSyncGroupRequest(self, context: context)
    }
}

/// The SyncGroup answer: this member's partitions.
public struct SyncGroupResponse: Sendable, Equatable {
    /// `ErrorCode`; `nil` is NONE.
    public var error: GroupError?
    public var protocolType: String?
    public var protocolName: String?
    /// `ConsumerProtocolAssignment`, kept as typed partitions.
    public var assignment: [TopicPartition]
    /// The leader's bytes for this member when a real client led the rebalance.
    public var assignmentBytes: [UInt8]?

    public init(error: GroupError? = nil, protocolType: String? = nil, protocolName: String? = nil, assignment: [TopicPartition] = [],
                assignmentBytes: [UInt8]? = nil) {
        self.error = error
        self.protocolType = protocolType
        self.protocolName = protocolName
        self.assignment = assignment
        self.assignmentBytes = assignmentBytes
    }
}

extension KafkaApis {
    /// `GroupMetadataManager.classicGroupSyncGroup`. A follower's SyncGroup waits for the leader's; the leader's
    /// completes every waiting member's, its own included, in member order (`propagateAssignment`), so all of them
    /// leave through `Cluster.deliverParkedResponses`.
    func handleSyncGroupRequest(_ request: SyncGroupRequest, context: RequestContext) -> SyncGroupRequest.Response {
        if let error = coordinatorError(request.groupId) { return .completed(SyncGroupResponse(error: error)) }
        let groupId = request.groupId, memberId = request.memberId, now = cluster.nowMs
        let assignment = request.assignments.isEmpty ? nil
            : Dictionary(request.assignments.map { ($0.memberId, $0.assignment) }, uniquingKeysWith: { a, _ in a })
        let assignmentBytes = Dictionary(request.assignments.compactMap { a in a.bytes.map { (a.memberId, $0) } },
                                         uniquingKeysWith: { a, _ in a })
        cluster.groupCoordinator.parkedSyncs[groupId, default: [:]][memberId] = context
        let step: GroupStep
        do throws(GroupError) {
            step = try cluster.withGroup(groupId) { g throws(GroupError) in
                try g.sync(memberId: memberId, generationId: request.generationId, assignment: assignment, assignmentBytes: assignmentBytes,
                           nowMs: now)
            }
        } catch {
            cluster.groupCoordinator.unpark(.syncGroup, groupId, memberId, context)
            return .completed(SyncGroupResponse(error: error))
        }
        switch step.response {
        case .synced(let partitions) where cluster.groupCoordinator.unpark(.syncGroup, groupId, memberId, context):
            let group = cluster.groupCoordinator.groups[groupId]
            return .completed(SyncGroupResponse(protocolType: group?.protocolType, protocolName: group?.protocolName,
                                                assignment: partitions,
                                                assignmentBytes: group?.members.first { $0.memberId == memberId }?.assignmentBytes))
        default:
            return .parked(memberId: memberId)
        }
    }
}
