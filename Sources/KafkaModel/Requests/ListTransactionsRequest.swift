/// ListTransactions (API key 66): the transactional ids a broker coordinates, with their producer id and state
/// (`kafka-transactions.sh list` asks every broker).
public struct ListTransactionsRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.listTransactions
    /// `duration_filter`: only transactions running longer than this (-1: all).
    public var durationFilterMs: Int64 = -1

    public init(durationFilterMs: Int64 = -1) { self.durationFilterMs = durationFilterMs }

    public func handled(by apis: KafkaApis, context: RequestContext) -> ListTransactionsResponse {
        apis.handleListTransactionsRequest(self, context: context)
    }
}

/// One row per transactional id, in the coordinator's cache order (kafkalab: by id).
public struct ListTransactionsResponse: Sendable, Equatable {
    public struct TransactionState: Sendable, Equatable {
        public var transactionalId: String
        public var producerId: Int64
        public var state: KafkaModel.TransactionState
    }
    public var transactionStates: [TransactionState]
}

extension KafkaApis {
    /// `TransactionStateManager.listTransactionStates`: every id whose `__transaction_state` partition this broker leads.
    func handleListTransactionsRequest(_ request: ListTransactionsRequest, context: RequestContext) -> ListTransactionsResponse {
        let now = cluster.nowMs
        let rows = cluster.transactionCoordinator.transactions.keys.sorted().compactMap { id -> ListTransactionsResponse.TransactionState? in
            guard cluster.transactionCoordinatorBroker(of: id) == brokerId, let metadata = cluster.transactionCoordinator.transactions[id] else { return nil }
            // The duration filter keeps only transactions that started and run longer than it.
            if request.durationFilterMs >= 0 && (metadata.state != .ongoing || now - metadata.txnStartTimestamp <= request.durationFilterMs) { return nil }
            return .init(transactionalId: id, producerId: metadata.producerId, state: metadata.state)
        }
        return ListTransactionsResponse(transactionStates: rows)
    }
}
