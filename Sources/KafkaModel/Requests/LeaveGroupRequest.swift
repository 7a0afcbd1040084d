/// LeaveGroup (API key 13), batched as v3+: members leaving a group (a consumer's close, an admin's removal).
public struct LeaveGroupRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.leaveGroup

    public struct Member: Sendable, Equatable {
        public var memberId: String
        public var groupInstanceId: String?
        public var reason: String?

        public init(memberId: String, groupInstanceId: String? = nil, reason: String? = nil) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.reason = reason
        }
    }

    public var groupId: String
    public var members: [Member]

    public init(groupId: String, members: [Member]) {
        self.groupId = groupId
        self.members = members
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> LeaveGroupResponse {
        apis.handleLeaveGroupRequest(self, context: context)
    }
}

/// The group's error and one per member.
public struct LeaveGroupResponse: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var memberId: String
        public var groupInstanceId: String?
        public var error: GroupError?
    }
    public var error: GroupError?
    public var members: [Member] = []
}

extension KafkaApis {
    func handleLeaveGroupRequest(_ request: LeaveGroupRequest, context: RequestContext) -> LeaveGroupResponse {
        if let error = coordinatorError(request.groupId) { return LeaveGroupResponse(error: error) }
        let now = cluster.nowMs
        var response = LeaveGroupResponse(error: nil)
        for member in request.members {
            var error: GroupError?
            do throws(GroupError) {
                try cluster.withGroup(request.groupId) { g throws(GroupError) in
                    try g.leave(memberId: member.memberId, groupInstanceId: member.groupInstanceId, nowMs: now)
                }
            } catch let e {
                error = e
            }
            response.members.append(.init(memberId: member.memberId, groupInstanceId: member.groupInstanceId, error: error))
        }
        return response
    }
}
