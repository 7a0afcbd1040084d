/// AddPartitionsToTxn (API key 24). Versions 0–3 come from a client before transaction version 2, which adds each
/// partition to its transaction before producing to it; v4+ come from a partition leader (`AddPartitionsToTxnManager`):
/// under transaction version 2 a transactional produce reached a partition and the leader has the coordinator add it
/// (operation `addPartition`), for an older client's produce the leader only asks whether the client added it
/// (`verifyOnly`).
public struct AddPartitionsToTxnRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.addPartitionsToTxn
    public var transactionalId: String
    public var producerId: Int64
    public var producerEpoch: Int16
    public var partitions: [TopicPartition]
    /// v4+ from a leader: check the partitions are in the transaction, add nothing.
    public var verifyOnly = false
    /// `transactionVersionForAddPartitionsToTxn`: TV_2 for a leader's request (v4+), TV_0 for a client's (v0–3).
    public var clientTransactionVersion = TransactionVersion.tv2

    public init(transactionalId: String, producerId: Int64, producerEpoch: Int16, partitions: [TopicPartition]) {
        self.transactionalId = transactionalId
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.partitions = partitions
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> AddPartitionsToTxnResponse {
        apis.handleAddPartitionsToTxnRequest(self, context: context)
    }
}

/// The answer for the partitions: the coordinator decides per transaction (one error for all of them); the broker's
/// own checks, and a verification, answer per partition.
public struct AddPartitionsToTxnResponse: Sendable, Equatable {
    /// The error of every partition (nil: none, unless `partitionErrors` names one).
    public var error: TransactionCoordinatorError?
    /// Per-partition errors: UNKNOWN_TOPIC_OR_PARTITION and OPERATION_NOT_ATTEMPTED, or a verification's
    /// TRANSACTION_ABORTABLE.
    public var partitionErrors: [TopicPartition: TransactionCoordinatorError] = [:]

    public init(error: TransactionCoordinatorError? = nil, partitionErrors: [TopicPartition: TransactionCoordinatorError] = [:]) {
        self.error = error
        self.partitionErrors = partitionErrors
    }

    /// The error the partition is answered with.
    public func error(for partition: TopicPartition) -> TransactionCoordinatorError? { partitionErrors[partition] ?? error }
}

extension KafkaApis {
    /// `KafkaApis.handleAddPartitionsToTxnRequest`: every partition must exist, or the whole request fails (the
    /// missing ones UNKNOWN_TOPIC_OR_PARTITION, the others OPERATION_NOT_ATTEMPTED). Then the coordinator
    /// (`handleAddPartitionsToTransaction`): Empty or Complete* → Ongoing (the first partition starts the
    /// transaction's clock), or more partitions for an Ongoing one; written before it is answered. A verification
    /// changes nothing.
    func handleAddPartitionsToTxnRequest(_ request: AddPartitionsToTxnRequest, context: RequestContext) -> AddPartitionsToTxnResponse {
        let missing = request.partitions.filter { !cluster.partitionExists($0) }
        if !missing.isEmpty {
            var errors: [TopicPartition: TransactionCoordinatorError] = [:]
            for tp in request.partitions { errors[tp] = missing.contains(tp) ? .unknownTopicOrPartition : .operationNotAttempted }
            return AddPartitionsToTxnResponse(partitionErrors: errors)
        }
        if request.transactionalId.isEmpty { return AddPartitionsToTxnResponse(error: .invalidRequest) }
        if let error = transactionCoordinatorError(request.transactionalId) { return AddPartitionsToTxnResponse(error: error) }
        if request.verifyOnly {
            switch cluster.transactionCoordinator.handleVerifyPartitions(
                transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch,
                partitions: request.partitions) {
            case .success(let errors): return AddPartitionsToTxnResponse(partitionErrors: errors)
            case .failure(let error): return AddPartitionsToTxnResponse(error: error)
            }
        }
        let outcome = cluster.transactionCoordinator.handleAddPartitions(
            transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch,
            partitions: request.partitions, clientTransactionVersion: request.clientTransactionVersion, nowMs: cluster.nowMs)
        do throws(TransactionCoordinatorError) {
            if let transit = try outcome.get() { try cluster.applyTransactionTransit(request.transactionalId, transit) }
            return AddPartitionsToTxnResponse()
        } catch {
            return AddPartitionsToTxnResponse(error: error)
        }
    }
}
