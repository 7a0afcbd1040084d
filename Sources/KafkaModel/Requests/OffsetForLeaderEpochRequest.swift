/// OffsetForLeaderEpoch (API key 23) from a consumer: for each partition, where the client's leader epoch ended on
/// this leader (`OffsetsForLeaderEpochRequest`). A consumer asks after a leader change, to find whether the records
/// it read were truncated away (KIP-320).
public struct OffsetForLeaderEpochRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.offsetForLeaderEpoch
    /// The epoch the client's position was read under, per partition.
    public var partitions: [(partition: TopicPartition, leaderEpoch: Int32, currentLeaderEpoch: Int32)]

    public init(partitions: [(partition: TopicPartition, leaderEpoch: Int32, currentLeaderEpoch: Int32)]) {
        self.partitions = partitions
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> OffsetForLeaderEpochResponse {
        apis.handleOffsetForLeaderEpochRequest(self, context: context)
    }
}

/// Per partition: the largest epoch at or below the asked one and the offset where it ended.
public struct OffsetForLeaderEpochResponse: Sendable, Equatable {
    public struct EpochEndOffset: Sendable, Equatable {
        public var partition: TopicPartition
        public var error: KafkaError?
        public var leaderEpoch: Int32 = -1
        public var endOffset: Int64 = -1
    }
    public var partitions: [EpochEndOffset]
}

extension KafkaApis {
    /// `Partition.lastOffsetForLeaderEpoch` on the leader: its epoch cache's `endOffsetFor`, the log end for the
    /// current epoch. The client's current leader epoch (-1: not checked) must be the leader's
    /// (`Partition.getLocalLog`): older is FENCED_LEADER_EPOCH, newer UNKNOWN_LEADER_EPOCH.
    func handleOffsetForLeaderEpochRequest(_ request: OffsetForLeaderEpochRequest, context: RequestContext) -> OffsetForLeaderEpochResponse {
        OffsetForLeaderEpochResponse(partitions: request.partitions.map { asked in
            var answer = OffsetForLeaderEpochResponse.EpochEndOffset(partition: asked.partition)
            guard cluster.topics[asked.partition.topic] != nil else {
                answer.error = .unknownTopicOrPartition("This server does not host this topic-partition.")
                return answer
            }
            guard let replica = cluster.replica(asked.partition, on: brokerId), replica.isLeader else {
                answer.error = .notLeaderOrFollower("This server is not the leader for that topic-partition.")
                return answer
            }
            if let error = Self.leaderEpochError(asked.currentLeaderEpoch, replica) {
                answer.error = error
                return answer
            }
            (answer.leaderEpoch, answer.endOffset) = replica.epochCache.endOffset(for: asked.leaderEpoch, logEndOffset: replica.log.logEndOffset)
            return answer
        })
    }

    /// `Partition.getLocalLog`'s check of a client's current leader epoch (-1: not checked).
    static func leaderEpochError(_ current: Int32, _ replica: Partition) -> KafkaError? {
        if current >= 0 && current < Int32(replica.leaderEpoch) {
            return .fencedLeaderEpoch("The leader epoch in the request is older than the epoch on the broker.")
        }
        if current > Int32(replica.leaderEpoch) {
            return .unknownLeaderEpoch("The leader epoch in the request is newer than the epoch on the broker.")
        }
        return nil
    }
}
