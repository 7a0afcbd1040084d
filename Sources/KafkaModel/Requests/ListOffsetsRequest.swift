/// ListOffsets (API key 2): the offsets of a partition at a time spec (`ListOffsetsRequest`; the consumer's
/// `beginningOffsets`/`endOffsets`, `kafka-get-offsets.sh`, reset-offsets).
public struct ListOffsetsRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.listOffsets
    /// `-1` (a consumer) or a follower's id.
    public var replicaId: Int32 = -1
    /// `isolation_level`: 0 read_uncommitted, 1 read_committed.
    public var isolationLevel: Int8 = 0
    /// `timestamp` per partition: `latest` -1, `earliest` -2, `max-timestamp` -3, or a time in ms.
    public var partitions: [TopicPartition: Int64]

    public static let latestTimestamp: Int64 = -1
    public static let earliestTimestamp: Int64 = -2
    public static let maxTimestamp: Int64 = -3

    public init(partitions: [TopicPartition: Int64], isolationLevel: Int8 = 0) {
        self.partitions = partitions
        self.isolationLevel = isolationLevel
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> ListOffsetsResponse {
        apis.handleListOffsetsRequest(self, context: context)
    }
}

/// The answer per partition: an error, or the offset (and its record's timestamp, -1 for latest/earliest).
public struct ListOffsetsResponse: Sendable, Equatable {
    public struct PartitionResponse: Sendable, Equatable {
        public var error: KafkaError?
        public var timestamp: Int64 = -1
        public var offset: Int64 = -1
        public var leaderEpoch: Int32 = -1
    }
    public var partitions: [TopicPartition: PartitionResponse]
}

extension KafkaApis {
    /// `KafkaApis.handleListOffsetRequest` → `ReplicaManager.fetchOffset`: only the leader answers.
    func handleListOffsetsRequest(_ request: ListOffsetsRequest, context: RequestContext) -> ListOffsetsResponse {
        var answers: [TopicPartition: ListOffsetsResponse.PartitionResponse] = [:]
        for (tp, timestamp) in request.partitions {
            var answer = ListOffsetsResponse.PartitionResponse()
            do throws(KafkaError) {
                let log = try cluster.leaderLog(tp, at: brokerId)
                answer.leaderEpoch = Int32(cluster.topics[tp.topic]!.partitions[tp.partition].leaderEpoch)
                switch timestamp {
                case ListOffsetsRequest.earliestTimestamp: answer.offset = log.logStartOffset
                // read_committed asks for the last stable offset: nothing past an undecided transaction is "latest".
                case ListOffsetsRequest.latestTimestamp: answer.offset = request.isolationLevel == 1 ? log.lastStableOffset : log.highWatermark
                case ListOffsetsRequest.maxTimestamp:
                    if let offset = cluster.offsetOfMaxTimestamp(tp) { answer.offset = offset }
                default:
                    if let offset = cluster.offsetForTimestamp(tp, timestamp) { answer.offset = offset; answer.timestamp = timestamp }
                }
            } catch {
                answer.error = error
            }
            answers[tp] = answer
        }
        return ListOffsetsResponse(partitions: answers)
    }
}
