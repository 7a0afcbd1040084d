/// TxnOffsetCommit (API key 28): a transactional producer's `sendOffsetsToTransaction` under transaction version 2 goes
/// straight to the group coordinator, which writes the offsets to `__consumer_offsets` as part of the transaction.
public struct TxnOffsetCommitRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.txnOffsetCommit
    public var transactionalId: String
    public var groupId: String
    public var producerId: Int64
    public var producerEpoch: Int16
    public var offsets: [TopicPartition: Int64]

    public init(transactionalId: String, groupId: String, producerId: Int64, producerEpoch: Int16, offsets: [TopicPartition: Int64]) {
        self.transactionalId = transactionalId
        self.groupId = groupId
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.offsets = offsets
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> TxnOffsetCommitResponse {
        apis.handleTxnOffsetCommitRequest(self, context: context)
    }
}

/// One error for all partitions (kafkalab's coordinator decides per request), or none.
public struct TxnOffsetCommitResponse: Sendable, Equatable {
    /// NOT_COORDINATOR, or what adding `__consumer_offsets-N` to the transaction or the append answered.
    public var error: KafkaError?
    public var notCoordinator = false
}

extension KafkaApis {
    /// `GroupCoordinator.commitTransactionalOffsets`: `__consumer_offsets-N` joins the transaction (through the transaction
    /// coordinator, as any transactional produce), the offset records go there as a transactional batch, and the offsets
    /// wait, pending, for the transaction's marker.
    func handleTxnOffsetCommitRequest(_ request: TxnOffsetCommitRequest, context: RequestContext) -> TxnOffsetCommitResponse {
        if coordinatorError(request.groupId) != nil { return TxnOffsetCommitResponse(notCoordinator: true) }
        let tp = TopicPartition(GroupCoordinator.offsetsTopic, cluster.offsetsPartition(of: request.groupId))
        // The coordinator's appends carry no sequence numbers (`RecordBatch.NO_SEQUENCE`).
        let producer = ProducerIdentity(producerId: request.producerId, producerEpoch: request.producerEpoch, baseSequence: -1)
        if let error = addPartitionToTransaction(request.transactionalId, producer: producer, partition: tp) {
            return TxnOffsetCommitResponse(error: error)
        }
        let sorted = request.offsets.keys.sorted(by: JavaString.topicPartitionLessThan)
        var values: [TopicPartition: OffsetAndMetadata] = [:]
        let records = sorted.map { partition in
            let value = OffsetAndMetadata(offset: request.offsets[partition]!, leaderEpoch: nil, metadata: "", commitTimestampMs: cluster.nowMs)
            values[partition] = value
            return Record(timestamp: cluster.nowMs, key: OffsetCommitRecord.key(group: request.groupId, partition: partition),
                          value: OffsetCommitRecord.value(value))
        }
        do throws(KafkaError) {
            let (_, leader) = try cluster.appendRecords(records, repeating: records[0], count: 0, to: tp, on: brokerId, acks: .all,
                                                        reportAppend: false, producer: producer, isTransactional: true)
            cluster.replicateNow(leader)
        } catch {
            return TxnOffsetCommitResponse(error: error)
        }
        cluster.pendingTransactionalOffsets[request.producerId, default: [:]][request.groupId, default: [:]].merge(values) { $1 }
        cluster.emit(.transaction(.offsetsPending(group: request.groupId, transactionalId: request.transactionalId, offsets: request.offsets)))
        return TxnOffsetCommitResponse()
    }
}
