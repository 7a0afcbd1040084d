/// EndTxn (API key 26): a transactional producer commits or aborts its transaction (`EndTxnRequest`; v5 under
/// transaction version 2: the epoch is bumped and the answer carries it; v0–4 from older clients: the epoch stays and
/// the answer carries no producer id or epoch).
public struct EndTxnRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.endTxn
    public var transactionalId: String
    public var producerId: Int64
    public var producerEpoch: Int16
    /// `committed`: true commits, false aborts.
    public var committed: Bool
    /// `transactionVersionForEndTxn`: TV_2 for v5 (the simulated producers), TV_0 before.
    public var clientTransactionVersion = TransactionVersion.tv2

    public init(transactionalId: String, producerId: Int64, producerEpoch: Int16, committed: Bool) {
        self.transactionalId = transactionalId
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.committed = committed
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> EndTxnResponse {
        apis.handleEndTxnRequest(self, context: context)
    }
}

/// The producer id and epoch to continue with, or the coordinator's error.
public struct EndTxnResponse: Sendable, Equatable {
    public var error: TransactionCoordinatorError?
    public var producerId: Int64 = -1
    public var producerEpoch: Int16 = -1
}

extension KafkaApis {
    /// NOT_COORDINATOR unless this broker leads the id's `__transaction_state` partition.
    func transactionCoordinatorError(_ transactionalId: String) -> TransactionCoordinatorError? {
        cluster.transactionCoordinatorBroker(of: transactionalId) == brokerId ? nil : .notCoordinator
    }

    /// `KafkaApis.handleEndTxnRequest` → `TransactionCoordinator.handleEndTransaction`: the answer goes out once the
    /// Prepare* record is written; the markers and the Complete* record follow (here in the same instant).
    func handleEndTxnRequest(_ request: EndTxnRequest, context: RequestContext) -> EndTxnResponse {
        if let error = transactionCoordinatorError(request.transactionalId) { return EndTxnResponse(error: error) }
        let outcome = cluster.transactionCoordinator.handleEndTransaction(
            transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch,
            result: request.committed ? .commit : .abort, clientTransactionVersion: request.clientTransactionVersion,
            nowMs: cluster.nowMs) { cluster.allocateProducerId() }
        do throws(TransactionCoordinatorError) {
            let prepared = try outcome.get()
            let (producerId, epoch) = try cluster.completeEndTransaction(request.transactionalId, prepared)
            // Before transaction version 2 the client keeps its epoch: the answer carries none.
            guard request.clientTransactionVersion.supportsEpochBump else { return EndTxnResponse() }
            return EndTxnResponse(producerId: producerId, producerEpoch: epoch)
        } catch {
            return EndTxnResponse(error: error)
        }
    }

    /// `handleInitProducerId` with a transactional id, at its coordinator. An ongoing transaction of the id is aborted
    /// first (its producer fenced) and the answer is CONCURRENT_TRANSACTIONS: the client asks again and gets the next
    /// epoch.
    func handleTransactionalInitProducerId(_ request: InitProducerIdRequest, transactionalId: String) -> InitProducerIdResponse {
        if let error = transactionCoordinatorError(transactionalId) { return InitProducerIdResponse(transactionError: error) }
        let isNew = cluster.transactionCoordinator.transactions[transactionalId] == nil
        let previous = cluster.transactionCoordinator.transactions[transactionalId]
        let expected = request.producerId >= 0 ? (producerId: request.producerId, epoch: request.producerEpoch) : nil
        let outcome = cluster.transactionCoordinator.handleInitProducerId(
            transactionalId: transactionalId, transactionTimeoutMs: Int64(request.transactionTimeoutMs), expected: expected,
            nowMs: cluster.nowMs) { cluster.allocateProducerId() }
        do throws(TransactionCoordinatorError) {
            switch try outcome.get() {
            case .prepared(let transit):
                try cluster.applyTransactionTransit(transactionalId, transit, isNew: isNew)
                return InitProducerIdResponse(producerId: transit.producerId, producerEpoch: transit.producerEpoch)
            case .abortOngoingFirst(let abort):
                if let previous {
                    cluster.emit(.transaction(.coordinatorAborting(transactionalId: transactionalId, producerId: previous.producerId,
                                                                   producerEpoch: previous.producerEpoch, reason: .fenced)))
                }
                try cluster.completeEndTransaction(transactionalId, abort)
                return InitProducerIdResponse(transactionError: .concurrentTransactions)
            }
        } catch {
            // A refused new id leaves no metadata behind.
            if isNew, cluster.transactionCoordinator.transactions[transactionalId]?.pendingState == nil,
               cluster.transactionCoordinator.transactions[transactionalId]?.producerEpoch == TransactionMetadata.noProducerEpoch {
                cluster.transactionCoordinator.transactions[transactionalId] = nil
            }
            return InitProducerIdResponse(transactionError: error)
        }
    }
}
