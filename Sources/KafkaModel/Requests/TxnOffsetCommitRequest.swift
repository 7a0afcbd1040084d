/// TxnOffsetCommit (API key 28): a transactional producer's `sendOffsetsToTransaction` goes to the group coordinator,
/// which writes the offsets to `__consumer_offsets` as part of the transaction. Under transaction version 2 (v5) the
/// request adds the group's `__consumer_offsets` partition to the transaction itself; an older client (v0–4) added it
/// with AddOffsetsToTxn first, and the group coordinator only verifies that.
public struct TxnOffsetCommitRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.txnOffsetCommit
    public var transactionalId: String
    public var groupId: String
    public var producerId: Int64
    public var producerEpoch: Int16
    public var offsets: [TopicPartition: Int64]
    /// `txnOffsetCommitRequestVersionToTransactionSupportedOperation`: add (v5, the simulated producers) or verify.
    public var transactionSupportedOperation = TransactionSupportedOperation.addPartition

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
    /// NOT_COORDINATOR, or what adding `__consumer_offsets-N` to the transaction (or verifying it) or the append answered.
    public var error: KafkaError?
    public var notCoordinator = false
    /// An older client's partitions of unknown topics (UNKNOWN_TOPIC_OR_PARTITION), left out of the commit.
    public var partitionErrors: [TopicPartition: KafkaError] = [:]
}

extension KafkaApis {
    /// `CoordinatorOperationExceptionHelper.handleOperationException`: a failed append becomes the error a group
    /// coordinator answers (the client then looks the coordinator up again, or retries).
    static func groupCoordinatorError(_ error: KafkaError) -> KafkaError {
        switch error {
        case .notEnoughReplicas, .unknownTopicOrPartition, .requestTimedOut: return .transactionCoordinator(.coordinatorNotAvailable)
        case .notLeaderOrFollower, .kafkaStorageError: return .transactionCoordinator(.notCoordinator)
        default: return error
        }
    }

    /// `GroupCoordinator.commitTransactionalOffsets`: `__consumer_offsets-N` joins the transaction (through the transaction
    /// coordinator, as any transactional produce), the offset records go there as a transactional batch, and the offsets
    /// wait, pending, for the transaction's marker.
    func handleTxnOffsetCommitRequest(_ request: TxnOffsetCommitRequest, context: RequestContext) -> TxnOffsetCommitResponse {
        var response = TxnOffsetCommitResponse()
        var offsets = request.offsets
        if request.transactionSupportedOperation != .addPartition {
            // `KafkaApis.handleTxnOffsetCommitRequest`: partitions of unknown topics, or without a leader, are
            // answered UNKNOWN_TOPIC_OR_PARTITION and left out.
            for tp in offsets.keys where !cluster.partitionExists(tp) || cluster.topics[tp.topic]?.partitions[tp.partition].leader == nil {
                response.partitionErrors[tp] = .unknownTopicOrPartition("This server does not host this topic-partition.")
                offsets[tp] = nil
            }
            if offsets.isEmpty { return response }
        }
        if coordinatorError(request.groupId) != nil { return TxnOffsetCommitResponse(notCoordinator: true) }
        let tp = TopicPartition(GroupCoordinator.offsetsTopic, cluster.offsetsPartition(of: request.groupId))
        // The coordinator's appends carry no sequence numbers (`RecordBatch.NO_SEQUENCE`).
        let producer = ProducerIdentity(producerId: request.producerId, producerEpoch: request.producerEpoch, baseSequence: -1)
        if request.transactionSupportedOperation == .addPartition {
            if let error = addPartitionToTransaction(request.transactionalId, producer: producer, partition: tp) {
                return TxnOffsetCommitResponse(error: error)
            }
        } else if let error = addOrVerifyPartition(request.transactionalId, producer: producer, partition: tp,
                                                   operation: request.transactionSupportedOperation) {
            // `CoordinatorPartitionWriter.maybeStartTransactionVerification`: the coordinator's error, as it is.
            response.error = .transactionCoordinator(error)
            return response
        }
        let sorted = offsets.keys.sorted(by: JavaString.topicPartitionLessThan)
        var values: [TopicPartition: OffsetAndMetadata] = [:]
        let records = sorted.map { partition in
            let value = OffsetAndMetadata(offset: offsets[partition]!, leaderEpoch: nil, metadata: "", commitTimestampMs: cluster.nowMs)
            values[partition] = value
            return Record(timestamp: cluster.nowMs, key: OffsetCommitRecord.key(group: request.groupId, partition: partition),
                          value: OffsetCommitRecord.value(value))
        }
        do throws(KafkaError) {
            let (_, leader) = try cluster.appendRecords(records, repeating: records[0], count: 0, to: tp, on: brokerId, acks: .all,
                                                        reportAppend: false, producer: producer, isTransactional: true)
            cluster.replicateNow(leader)
        } catch {
            response.error = request.transactionSupportedOperation == .addPartition ? error : Self.groupCoordinatorError(error)
            return response
        }
        cluster.pendingTransactionalOffsets[request.producerId, default: [:]][request.groupId, default: [:]].merge(values) { $1 }
        cluster.emit(.transaction(.offsetsPending(group: request.groupId, transactionalId: request.transactionalId, offsets: offsets)))
        return response
    }
}
