/// OffsetDelete (API key 47): removes a group's committed offsets of partitions it does not subscribe to.
public struct OffsetDeleteRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.offsetDelete
    public var groupId: String
    public var topics: [TopicPartition]

    public init(groupId: String, topics: [TopicPartition]) {
        self.groupId = groupId
        self.topics = topics
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> OffsetDeleteResponse {
        apis.handleOffsetDeleteRequest(self, context: context)
    }
}

/// The group's error (GROUP_ID_NOT_FOUND, NOT_COORDINATOR), else one per partition (GROUP_SUBSCRIBED_TO_TOPIC).
public struct OffsetDeleteResponse: Sendable, Equatable {
    public var error: GroupError?
    public var topics: [TopicPartition: GroupError?] = [:]
}

extension KafkaApis {
    func handleOffsetDeleteRequest(_ request: OffsetDeleteRequest, context: RequestContext) -> OffsetDeleteResponse {
        if let error = coordinatorError(request.groupId) { return OffsetDeleteResponse(error: error) }
        do throws(GroupError) {
            return OffsetDeleteResponse(error: nil, topics: try cluster.deleteOffsetsNow(request.groupId, request.topics))
        } catch {
            return OffsetDeleteResponse(error: error)
        }
    }
}
