/// The errors a transaction coordinator answers with, as Kafka's `Errors` name and number them.
public enum TransactionCoordinatorError: Int16, Error, Sendable, CaseIterable, CustomStringConvertible {
    case notCoordinator = 16
    case coordinatorNotAvailable = 15
    case invalidRequest = 42
    case invalidTxnState = 48
    case invalidProducerIdMapping = 49
    case invalidTransactionTimeout = 50
    case concurrentTransactions = 51
    case producerFenced = 90

    /// Kafka's error name, e.g. `CONCURRENT_TRANSACTIONS`.
    public var errorName: String {
        switch self {
        case .notCoordinator: return "NOT_COORDINATOR"
        case .coordinatorNotAvailable: return "COORDINATOR_NOT_AVAILABLE"
        case .invalidRequest: return "INVALID_REQUEST"
        case .invalidTxnState: return "INVALID_TXN_STATE"
        case .invalidProducerIdMapping: return "INVALID_PRODUCER_ID_MAPPING"
        case .invalidTransactionTimeout: return "INVALID_TRANSACTION_TIMEOUT"
        case .concurrentTransactions: return "CONCURRENT_TRANSACTIONS"
        case .producerFenced: return "PRODUCER_FENCED"
        }
    }

    /// The default message of the error (`Errors.java`).
    public var message: String {
        switch self {
        case .notCoordinator: return "This is not the correct coordinator."
        case .coordinatorNotAvailable: return "The coordinator is not available."
        case .invalidRequest: return "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."
        case .invalidTxnState: return "The producer attempted a transactional operation in an invalid state."
        case .invalidProducerIdMapping: return "The producer attempted to use a producer id which is not currently assigned to its transactional id."
        case .invalidTransactionTimeout: return "The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms)."
        case .concurrentTransactions: return "The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing."
        case .producerFenced: return "There is a newer producer with the same transactionalId which fences the current one."
        }
    }

    public var description: String { errorName }
}
