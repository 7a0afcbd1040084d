/// The errors a transaction coordinator (and the transactional requests served with it) answers with, as Kafka's
/// `Errors` name and number them.
public enum TransactionCoordinatorError: Int16, Error, Sendable, CaseIterable, CustomStringConvertible {
    /// AddPartitionsToTxn for a partition that does not exist.
    case unknownTopicOrPartition = 3
    /// A verification's fenced epoch as a leader reports it (`AddPartitionsToTxnManager`), and PRODUCER_FENCED as
    /// answered to clients too old to know it.
    case invalidProducerEpoch = 47
    /// AddPartitionsToTxn: this partition was fine, but another of the request was not, so none was added.
    case operationNotAttempted = 55
    /// A verification found the partition outside the transaction (KIP-890): the client should abort.
    case transactionAbortable = 120
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
        case .unknownTopicOrPartition: return "UNKNOWN_TOPIC_OR_PARTITION"
        case .invalidProducerEpoch: return "INVALID_PRODUCER_EPOCH"
        case .operationNotAttempted: return "OPERATION_NOT_ATTEMPTED"
        case .transactionAbortable: return "TRANSACTION_ABORTABLE"
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
        case .unknownTopicOrPartition: return "This server does not host this topic-partition."
        case .invalidProducerEpoch: return "Producer attempted to produce with an old epoch."
        case .operationNotAttempted: return "The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest."
        case .transactionAbortable: return "The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID."
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

    /// The Java client's exception class for the error (`Errors.exception()`).
    public var exceptionName: String {
        switch self {
        case .unknownTopicOrPartition: return "UnknownTopicOrPartitionException"
        case .invalidProducerEpoch: return "InvalidProducerEpochException"
        case .operationNotAttempted: return "OperationNotAttemptedException"
        case .transactionAbortable: return "TransactionAbortableException"
        case .notCoordinator: return "NotCoordinatorException"
        case .coordinatorNotAvailable: return "CoordinatorNotAvailableException"
        case .invalidRequest: return "InvalidRequestException"
        case .invalidTxnState: return "InvalidTxnStateException"
        case .invalidProducerIdMapping: return "InvalidPidMappingException"
        case .invalidTransactionTimeout: return "InvalidTxnTimeoutException"
        case .concurrentTransactions: return "ConcurrentTransactionsException"
        case .producerFenced: return "ProducerFencedException"
        }
    }

    public var description: String { errorName }
}
