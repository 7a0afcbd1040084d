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
    /// current epoch. A client whose current epoch is newer than the leader's gets UNKNOWN_LEADER_EPOCH in Kafka;
    /// kafkalab answers NOT_LEADER_OR_FOLLOWER, which also makes it refresh its metadata.
    func handleOffsetForLeaderEpochRequest(_ request: OffsetForLeaderEpochRequest, context: RequestContext) -> OffsetForLeaderEpochResponse {
        OffsetForLeaderEpochResponse(partitions: request.partitions.map { asked in
            var answer = OffsetForLeaderEpochResponse.EpochEndOffset(partition: asked.partition)
            guard cluster.topics[asked.partition.topic] != nil else {
                answer.error = .unknownTopicOrPartition("This server does not host this topic-partition.")
                return answer
            }
            guard let replica = cluster.replica(asked.partition, on: brokerId), replica.isLeader,
                  asked.currentLeaderEpoch <= Int32(replica.leaderEpoch) else {
                answer.error = .notLeaderOrFollower("This server is not the leader for that topic-partition.")
                return answer
            }
            (answer.leaderEpoch, answer.endOffset) = replica.epochCache.endOffset(for: asked.leaderEpoch, logEndOffset: replica.log.logEndOffset)
            return answer
        })
    }
}
