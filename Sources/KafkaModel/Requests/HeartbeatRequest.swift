/// Heartbeat (API key 12): keeps a member's session alive and tells it of a rebalance.
public struct HeartbeatRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.heartbeat
    public var groupId: String
    public var generationId: Int
    public var memberId: String
    public var groupInstanceId: String?

    public init(groupId: String, generationId: Int, memberId: String, groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> HeartbeatResponse {
        apis.handleHeartbeatRequest(self, context: context)
    }
}

/// `ErrorCode` only: NONE, REBALANCE_IN_PROGRESS (rejoin), or the member's removal.
public struct HeartbeatResponse: Sendable, Equatable {
    public var error: GroupError?
}

extension KafkaApis {
    func handleHeartbeatRequest(_ request: HeartbeatRequest, context: RequestContext) -> HeartbeatResponse {
        if let error = coordinatorError(request.groupId) { return HeartbeatResponse(error: error) }
        let now = cluster.nowMs
        do throws(GroupError) {
            let step = try cluster.withGroup(request.groupId) { g throws(GroupError) in
                try g.heartbeat(memberId: request.memberId, generationId: request.generationId, nowMs: now)
            }
            if case .heartbeat(let error) = step.response { return HeartbeatResponse(error: error) }
            return HeartbeatResponse(error: nil)
        } catch {
            return HeartbeatResponse(error: error)
        }
    }
}
