/// DescribeTransactions (API key 65): a transactional id's state at its coordinator.
public struct DescribeTransactionsRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.describeTransactions
    public var transactionalIds: [String]

    public init(transactionalIds: [String]) { self.transactionalIds = transactionalIds }

    public func handled(by apis: KafkaApis, context: RequestContext) -> DescribeTransactionsResponse {
        apis.handleDescribeTransactionsRequest(self, context: context)
    }
}

/// Per id: its metadata, or an error.
public struct DescribeTransactionsResponse: Sendable, Equatable {
    public struct TransactionState: Sendable, Equatable {
        public var transactionalId: String
        /// NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, or TRANSACTIONAL_ID_NOT_FOUND as `notFound`.
        public var error: TransactionCoordinatorError?
        /// TRANSACTIONAL_ID_NOT_FOUND (105): "The transactionalId could not be found."
        public var notFound = false
        public var metadata: TransactionMetadata?
    }
    public var transactionStates: [TransactionState]
}

extension KafkaApis {
    func handleDescribeTransactionsRequest(_ request: DescribeTransactionsRequest, context: RequestContext) -> DescribeTransactionsResponse {
        DescribeTransactionsResponse(transactionStates: request.transactionalIds.map { id in
            if let error = transactionCoordinatorError(id) { return .init(transactionalId: id, error: error) }
            guard let metadata = cluster.transactionCoordinator.transactions[id] else { return .init(transactionalId: id, notFound: true) }
            return .init(transactionalId: id, metadata: metadata)
        })
    }
}
