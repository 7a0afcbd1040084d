/// DescribeProducers (API key 61): the producers a partition's replica remembers (`ProducerStateManager`), as
/// `kafka-transactions.sh describe-producers` and `find-hanging` read them.
public struct DescribeProducersRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.describeProducers
    public var partitions: [TopicPartition]

    public init(partitions: [TopicPartition]) { self.partitions = partitions }

    public func handled(by apis: KafkaApis, context: RequestContext) -> DescribeProducersResponse {
        apis.handleDescribeProducersRequest(self, context: context)
    }
}

/// Per partition: its active producers, or an error.
public struct DescribeProducersResponse: Sendable, Equatable {
    public struct ProducerState: Sendable, Equatable {
        public var producerId: Int64
        public var producerEpoch: Int16
        public var lastSequence: Int32
        public var lastTimestamp: Int64
        /// -1 until a marker was written.
        public var coordinatorEpoch: Int32
        public var currentTxnStartOffset: Int64?
    }
    public struct PartitionResponse: Sendable, Equatable {
        public var partition: TopicPartition
        public var error: KafkaError?
        public var activeProducers: [ProducerState] = []
    }
    public var partitions: [PartitionResponse]
}

extension KafkaApis {
    /// `ReplicaManager.activeProducerState`: the replica on this broker must exist (any replica answers when asked
    /// by broker id; the admin client asks the leader otherwise).
    func handleDescribeProducersRequest(_ request: DescribeProducersRequest, context: RequestContext) -> DescribeProducersResponse {
        DescribeProducersResponse(partitions: request.partitions.map { tp in
            guard let replica = cluster.replica(tp, on: brokerId) else {
                return .init(partition: tp, error: .unknownTopicOrPartition("This server does not host this topic-partition."))
            }
            let producers = replica.log.producers.keys.sorted().map { id in
                let entry = replica.log.producers[id]!
                return DescribeProducersResponse.ProducerState(
                    producerId: id, producerEpoch: entry.producerEpoch, lastSequence: entry.batches.last?.lastSequence ?? -1,
                    lastTimestamp: entry.lastTimestamp, coordinatorEpoch: entry.coordinatorEpoch, currentTxnStartOffset: entry.currentTxnFirstOffset)
            }
            return .init(partition: tp, activeProducers: producers)
        })
    }
}
