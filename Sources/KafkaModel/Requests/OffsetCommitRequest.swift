/// OffsetCommit (API key 8): a member (or, with generation -1 and no member id, a standalone client) stores
/// the next offsets to read.
public struct OffsetCommitRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.offsetCommit

    public struct Partition: Sendable, Equatable {
        public var committedOffset: Int64
        /// -1 when the client does not know the epoch of the record before the offset.
        public var committedLeaderEpoch: Int32
        public var committedMetadata: String

        public init(committedOffset: Int64, committedLeaderEpoch: Int32 = -1, committedMetadata: String = "") {
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.committedMetadata = committedMetadata
        }
    }

    public var groupId: String
    /// `GenerationIdOrMemberEpoch`: -1 for a standalone commit.
    public var generationId: Int
    public var memberId: String
    public var groupInstanceId: String?
    public var topics: [TopicPartition: Partition]
    /// Not on the wire: why the client commits (auto-commit, `commitSync`, a tool), for the `OffsetsCommitted`
    /// event the cluster records. A wire client's commits count as `.sync`.
    public var commitKind: ConsumerEvent.CommitKind

    public init(groupId: String, generationId: Int = -1, memberId: String = "", groupInstanceId: String? = nil,
                topics: [TopicPartition: Partition], commitKind: ConsumerEvent.CommitKind = .sync) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.topics = topics
        self.commitKind = commitKind
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> OffsetCommitResponse {
        apis.handleOffsetCommitRequest(self, context: context)
    }
}

/// One error per partition (all the same: the group's validation decides for the whole request).
public struct OffsetCommitResponse: Sendable, Equatable {
    public var topics: [TopicPartition: GroupError?]

    /// The first error, if any partition has one.
    public var error: GroupError? { topics.values.lazy.compactMap { $0 }.first }
}

extension KafkaApis {
    /// `GroupMetadataManager.commitOffset` → `validateOffsetCommit` for a classic group.
    func handleOffsetCommitRequest(_ request: OffsetCommitRequest, context: RequestContext) -> OffsetCommitResponse {
        func answer(_ error: GroupError?) -> OffsetCommitResponse {
            OffsetCommitResponse(topics: request.topics.mapValues { _ in error })
        }
        if let error = coordinatorError(request.groupId) { return answer(error) }
        let group = cluster.groupCoordinator.groups[request.groupId]
        if request.generationId < 0 && request.memberId.isEmpty {
            // A standalone commit (assign(), tools) is refused while the group has members.
            if let group, !group.members.isEmpty { return answer(.unknownMemberId(memberId: "")) }
        } else {
            guard let group, group.member(request.memberId) != nil else { return answer(.unknownMemberId(memberId: request.memberId)) }
            guard request.generationId == group.generationId else {
                return answer(.illegalGeneration(memberId: request.memberId, generation: request.generationId, current: group.generationId))
            }
            if group.state == .completingRebalance { return answer(.rebalanceInProgress) }
        }
        let consumer: String?
        switch context.client {
        case .consumer(let name): consumer = name
        default: consumer = nil
        }
        cluster.storeOffsets(request.groupId, request.topics.mapValues { ($0.committedOffset, $0.committedLeaderEpoch < 0 ? nil : $0.committedLeaderEpoch) },
                             consumer: consumer, kind: request.commitKind)
        return answer(nil)
    }
}
