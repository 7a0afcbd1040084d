/// DescribeGroups (API key 15): each group's state, protocol and members with their assignments.
public struct DescribeGroupsRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.describeGroups
    public var groups: [String]

    public init(groups: [String]) { self.groups = groups }

    public func handled(by apis: KafkaApis, context: RequestContext) -> DescribeGroupsResponse {
        apis.handleDescribeGroupsRequest(self, context: context)
    }
}

/// One described group per id asked; an unknown group is Dead with no members.
public struct DescribeGroupsResponse: Sendable, Equatable {
    public struct DescribedGroup: Sendable, Equatable {
        public var error: GroupError?
        public var groupId: String
        public var groupState: ClassicGroupState
        public var protocolType: String
        /// The assignor, reported only while Stable (as `GroupMetadataManager.describeGroups` does).
        public var protocolData: String
        public var generationId: Int
        public var members: [ClassicGroupMember]

        /// A group no coordinator knows (or one that could not be asked): Dead, with no members.
        public static func dead(_ groupId: String, error: GroupError?) -> DescribedGroup {
            DescribedGroup(error: error, groupId: groupId, groupState: .dead, protocolType: "", protocolData: "", generationId: -1, members: [])
        }
    }
    public var groups: [DescribedGroup]
}

extension KafkaApis {
    func handleDescribeGroupsRequest(_ request: DescribeGroupsRequest, context: RequestContext) -> DescribeGroupsResponse {
        DescribeGroupsResponse(groups: request.groups.map { id in
            if let error = coordinatorError(id) { return .dead(id, error: error) }
            let group = cluster.groupCoordinator.groups[id]
            let state = cluster.groupState(id)
            return .init(error: nil, groupId: id, groupState: state, protocolType: group?.protocolType ?? "",
                         protocolData: state == .stable ? group?.protocolName ?? "" : "", generationId: group?.generationId ?? 0,
                         members: group?.members ?? [])
        })
    }
}
