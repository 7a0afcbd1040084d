/// ListGroups (API key 16): the groups a broker coordinates, optionally only those in some states (v4+).
public struct ListGroupsRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.listGroups
    /// `StatesFilter`; empty lists every state.
    public var statesFilter: [String]

    public init(statesFilter: [String] = []) { self.statesFilter = statesFilter }

    public func handled(by apis: KafkaApis, context: RequestContext) -> ListGroupsResponse {
        apis.handleListGroupsRequest(self, context: context)
    }
}

/// The broker's groups with their protocol type and state.
public struct ListGroupsResponse: Sendable, Equatable {
    public struct ListedGroup: Sendable, Equatable {
        public var groupId: String
        public var protocolType: String
        public var groupState: ClassicGroupState
    }
    public var error: GroupError?
    public var groups: [ListedGroup]
}

extension KafkaApis {
    /// Only the groups whose `__consumer_offsets` partition this broker leads: an admin client asks every broker.
    func handleListGroupsRequest(_ request: ListGroupsRequest, context: RequestContext) -> ListGroupsResponse {
        let wanted = Set(request.statesFilter.map { $0.lowercased() })
        let groups = cluster.groupIds.filter { cluster.coordinator(of: $0) == brokerId }.compactMap { id -> ListGroupsResponse.ListedGroup? in
            let state = cluster.groupState(id)
            guard wanted.isEmpty || wanted.contains(state.rawValue.lowercased()) else { return nil }
            return .init(groupId: id, protocolType: cluster.groupCoordinator.groups[id]?.protocolType ?? "consumer", groupState: state)
        }
        return ListGroupsResponse(error: nil, groups: groups)
    }
}
