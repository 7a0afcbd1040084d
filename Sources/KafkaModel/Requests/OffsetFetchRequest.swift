/// OffsetFetch (API key 9), batched as v8+: the committed offsets of groups.
public struct OffsetFetchRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.offsetFetch

    public struct Group: Sendable, Equatable {
        public var groupId: String
        /// `nil`: every partition the group committed.
        public var topics: [TopicPartition]?

        public init(groupId: String, topics: [TopicPartition]? = nil) {
            self.groupId = groupId
            self.topics = topics
        }
    }

    public var groups: [Group]
    public var requireStable: Bool

    public init(groups: [Group], requireStable: Bool = true) {
        self.groups = groups
        self.requireStable = requireStable
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> OffsetFetchResponse {
        apis.handleOffsetFetchRequest(self, context: context)
    }
}

/// Per group: an error, or each partition's committed offset (-1 when none).
public struct OffsetFetchResponse: Sendable, Equatable {
    public struct Partition: Sendable, Equatable {
        public var committedOffset: Int64 = -1
        public var committedLeaderEpoch: Int32 = -1
        public var metadata = ""
        /// UNSTABLE_OFFSET_COMMIT when `requireStable` and a transaction's offsets for the partition are pending.
        public var error: GroupError?

        public init(committedOffset: Int64 = -1, committedLeaderEpoch: Int32 = -1, metadata: String = "", error: GroupError? = nil) {
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.metadata = metadata
            self.error = error
        }
    }
    public struct Group: Sendable, Equatable {
        public var groupId: String
        public var error: GroupError?
        public var partitions: [TopicPartition: Partition] = [:]
    }
    public var groups: [Group]
}

extension KafkaApis {
    func handleOffsetFetchRequest(_ request: OffsetFetchRequest, context: RequestContext) -> OffsetFetchResponse {
        OffsetFetchResponse(groups: request.groups.map { g in
            if let error = coordinatorError(g.groupId) { return .init(groupId: g.groupId, error: error) }
            let committed = cluster.groupCoordinator.offsets[g.groupId] ?? [:]
            var partitions: [TopicPartition: OffsetFetchResponse.Partition] = [:]
            // `OffsetMetadataManager.fetchOffsets`: with requireStable (as consumers send it) a partition whose
            // transactional offsets wait for their marker is UNSTABLE_OFFSET_COMMIT, and the consumer asks again.
            let pending: Set<TopicPartition> = request.requireStable
                ? Set(cluster.pendingTransactionalOffsets.values.flatMap { ($0[g.groupId] ?? [:]).keys }) : []
            for tp in g.topics ?? Array(committed.keys) {
                if pending.contains(tp) { partitions[tp] = .init(error: .unstableOffsetCommit); continue }
                guard let value = committed[tp] else { partitions[tp] = .init(); continue }
                partitions[tp] = .init(committedOffset: value.offset, committedLeaderEpoch: value.leaderEpoch ?? -1, metadata: value.metadata)
            }
            return .init(groupId: g.groupId, partitions: partitions)
        })
    }
}
