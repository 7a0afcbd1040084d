/// AddOffsetsToTxn (API key 25): before transaction version 2, a producer's `sendOffsetsToTransaction` first has the
/// transaction coordinator add the group's `__consumer_offsets` partition to the transaction (so the COMMIT or ABORT
/// marker reaches the offsets), then sends TxnOffsetCommit to the group coordinator.
public struct AddOffsetsToTxnRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.addOffsetsToTxn
    public var transactionalId: String
    public var producerId: Int64
    public var producerEpoch: Int16
    public var groupId: String

    public init(transactionalId: String, producerId: Int64, producerEpoch: Int16, groupId: String) {
        self.transactionalId = transactionalId
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.groupId = groupId
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> AddOffsetsToTxnResponse {
        apis.handleAddOffsetsToTxnRequest(self, context: context)
    }
}

/// The coordinator's error, or none.
public struct AddOffsetsToTxnResponse: Sendable, Equatable {
    public var error: TransactionCoordinatorError?
}

extension KafkaApis {
    /// `KafkaApis.handleAddOffsetsToTxnRequest`: `__consumer_offsets-<partitionFor(group)>` is added as AddPartitionsToTxn
    /// adds a partition, always as TV_0 ("this request will always come from the client not using TV 2").
    func handleAddOffsetsToTxnRequest(_ request: AddOffsetsToTxnRequest, context: RequestContext) -> AddOffsetsToTxnResponse {
        let partition = TopicPartition(GroupCoordinator.offsetsTopic, cluster.offsetsPartition(of: request.groupId))
        if request.transactionalId.isEmpty { return AddOffsetsToTxnResponse(error: .invalidRequest) }
        if let error = transactionCoordinatorError(request.transactionalId) { return AddOffsetsToTxnResponse(error: error) }
        let outcome = cluster.transactionCoordinator.handleAddPartitions(
            transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch,
            partitions: [partition], clientTransactionVersion: .tv0, nowMs: cluster.nowMs)
        do throws(TransactionCoordinatorError) {
            if let transit = try outcome.get() { try cluster.applyTransactionTransit(request.transactionalId, transit) }
            return AddOffsetsToTxnResponse()
        } catch {
            return AddOffsetsToTxnResponse(error: error)
        }
    }
}
