/// DeleteGroups (API key 42): removes inactive groups and their committed offsets.
public struct DeleteGroupsRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.deleteGroups
    public var groupsNames: [String]

    public init(groupsNames: [String]) { self.groupsNames = groupsNames }

    public func handled(by apis: KafkaApis, context: RequestContext) -> DeleteGroupsResponse {
        apis.handleDeleteGroupsRequest(self, context: context)
    }
}

/// One result per group: NONE, GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP or NOT_COORDINATOR.
public struct DeleteGroupsResponse: Sendable, Equatable {
    public var results: [(groupId: String, error: GroupError?)]

    public static func == (a: DeleteGroupsResponse, b: DeleteGroupsResponse) -> Bool {
        a.results.map(\.groupId) == b.results.map(\.groupId) && a.results.map(\.error) == b.results.map(\.error)
    }
}

extension KafkaApis {
    func handleDeleteGroupsRequest(_ request: DeleteGroupsRequest, context: RequestContext) -> DeleteGroupsResponse {
        DeleteGroupsResponse(results: request.groupsNames.map { id in
            if let error = coordinatorError(id) { return (id, error) }
            do throws(GroupError) { try cluster.deleteGroupNow(id) } catch { return (id, error) }
            return (id, nil)
        })
    }
}
