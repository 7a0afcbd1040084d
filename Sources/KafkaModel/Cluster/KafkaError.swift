/// Errors the simulated cluster returns, named after Kafka's error codes, with the
/// messages Kafka's brokers and tools print.
public enum KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    case topicAlreadyExists(String)
    case invalidTopic(String)
    case invalidReplicationFactor(String)
    case invalidPartitions(String)
    case invalidConfiguration(String)
    case unknownTopicOrPartition(String)
    case brokerNotAvailable(String)
    case invalidRequest(String)
    case recordTooLarge(String)
    case recordBatchTooLarge(String)
    case invalidRecord(String)
    case notEnoughReplicas(String)
    case leaderNotAvailable(String)
    case notLeaderOrFollower(String)
    /// The client's leader epoch is older than the leader's (its metadata is stale).
    case fencedLeaderEpoch(String)
    /// The client's leader epoch is newer than the broker's (the broker has not caught up).
    case unknownLeaderEpoch(String)
    case offsetOutOfRange(String)
    case corruptMessage(String)
    case kafkaStorageError(String)
    /// The client's `TimeoutException` (a batch expired after `delivery.timeout.ms`).
    case requestTimedOut(String)
    /// The client's `KafkaException` for batches a closing producer dropped.
    case producerClosed(String)
    /// The connection to the broker dropped (a crashed broker): the client retries after refreshing its metadata.
    case networkException(String)
    /// A produce or marker from an older epoch of its producer than the partition has seen.
    case invalidProducerEpoch(String)
    /// The leader expected another sequence number from an idempotent producer (`OutOfOrderSequenceException`).
    case outOfOrderSequenceNumber(String)
    /// A non-transactional write inside the producer's open transaction.
    case invalidTxnState(String)
    /// A marker from an older transaction coordinator than the partition has seen.
    case transactionCoordinatorFenced(String)
    /// A leader's transaction verification answered with the coordinator's error (TRANSACTION_ABORTABLE for a
    /// partition the transaction does not hold, INVALID_PRODUCER_ID_MAPPING…), with its default message.
    case transactionCoordinator(TransactionCoordinatorError)
    /// Not a broker's error: a transactional producer's `send()` in the wrong state throws this Java client exception
    /// (`TransactionManager.ClientException`) before anything is sent.
    case transactionalClient(TransactionManager.ClientException)

    /// Kafka's error name, as in `org.apache.kafka.common.protocol.Errors`.
    public var errorName: String {
        switch self {
        case .topicAlreadyExists: return "TOPIC_ALREADY_EXISTS"
        case .invalidTopic: return "INVALID_TOPIC_EXCEPTION"
        case .invalidReplicationFactor: return "INVALID_REPLICATION_FACTOR"
        case .invalidPartitions: return "INVALID_PARTITIONS"
        case .invalidConfiguration: return "INVALID_CONFIG"
        case .unknownTopicOrPartition: return "UNKNOWN_TOPIC_OR_PARTITION"
        case .brokerNotAvailable: return "BROKER_NOT_AVAILABLE"
        case .invalidRequest: return "INVALID_REQUEST"
        case .recordTooLarge: return "RECORD_TOO_LARGE"
        case .recordBatchTooLarge: return "RECORD_BATCH_TOO_LARGE"
        case .invalidRecord: return "INVALID_RECORD"
        case .notEnoughReplicas: return "NOT_ENOUGH_REPLICAS"
        case .leaderNotAvailable: return "LEADER_NOT_AVAILABLE"
        case .notLeaderOrFollower: return "NOT_LEADER_OR_FOLLOWER"
        case .fencedLeaderEpoch: return "FENCED_LEADER_EPOCH"
        case .unknownLeaderEpoch: return "UNKNOWN_LEADER_EPOCH"
        case .offsetOutOfRange: return "OFFSET_OUT_OF_RANGE"
        case .corruptMessage: return "CORRUPT_MESSAGE"
        case .kafkaStorageError: return "KAFKA_STORAGE_ERROR"
        case .requestTimedOut: return "REQUEST_TIMED_OUT"
        case .producerClosed: return "UNKNOWN_SERVER_ERROR"
        case .networkException: return "NETWORK_EXCEPTION"
        case .invalidProducerEpoch: return "INVALID_PRODUCER_EPOCH"
        case .outOfOrderSequenceNumber: return "OUT_OF_ORDER_SEQUENCE_NUMBER"
        case .invalidTxnState: return "INVALID_TXN_STATE"
        case .transactionCoordinatorFenced: return "TRANSACTION_COORDINATOR_FENCED"
        case .transactionCoordinator(let error): return error.errorName
        case .transactionalClient: return "UNKNOWN_SERVER_ERROR"
        }
    }

    /// Kafka's error code, as in `org.apache.kafka.common.protocol.Errors` (a record too large for the
    /// broker is `MESSAGE_TOO_LARGE` on the wire, a batch too large for a segment `RECORD_LIST_TOO_LARGE`).
    public var code: Int16 {
        switch self {
        case .offsetOutOfRange: return 1
        case .corruptMessage: return 2
        case .unknownTopicOrPartition: return 3
        case .leaderNotAvailable: return 5
        case .notLeaderOrFollower: return 6
        case .fencedLeaderEpoch: return 74
        case .unknownLeaderEpoch: return 75
        case .brokerNotAvailable: return 8
        case .recordTooLarge: return 10
        case .invalidTopic: return 17
        case .recordBatchTooLarge: return 18
        case .notEnoughReplicas: return 19
        case .topicAlreadyExists: return 36
        case .invalidPartitions: return 37
        case .invalidReplicationFactor: return 38
        case .invalidConfiguration: return 40
        case .invalidRequest: return 42
        case .kafkaStorageError: return 56
        case .invalidRecord: return 87
        case .requestTimedOut: return 7
        case .networkException: return 13
        case .invalidProducerEpoch: return 47
        case .outOfOrderSequenceNumber: return 45
        case .invalidTxnState: return 48
        case .transactionCoordinatorFenced: return 52
        case .transactionCoordinator(let error): return error.rawValue
        case .producerClosed, .transactionalClient: return -1
        }
    }

    /// Whether a client retries the request (Kafka's `RetriableException` subclasses): a partition
    /// without a leader, or a leader that moved, is waited out.
    public var isRetriable: Bool {
        switch self {
        case .leaderNotAvailable, .notLeaderOrFollower, .unknownTopicOrPartition, .notEnoughReplicas, .corruptMessage,
             .kafkaStorageError, .requestTimedOut, .networkException:
            return true
        case .transactionCoordinator(let error):
            return error == .concurrentTransactions || error == .notCoordinator || error == .coordinatorNotAvailable
        default:
            return false
        }
    }

    /// The message Kafka attaches to the error.
    public var message: String {
        switch self {
        case .topicAlreadyExists(let m), .invalidTopic(let m), .invalidReplicationFactor(let m),
            .invalidPartitions(let m), .invalidConfiguration(let m), .unknownTopicOrPartition(let m),
            .brokerNotAvailable(let m), .invalidRequest(let m), .recordTooLarge(let m), .recordBatchTooLarge(let m),
            .invalidRecord(let m), .notEnoughReplicas(let m), .leaderNotAvailable(let m), .notLeaderOrFollower(let m), .offsetOutOfRange(let m),
            .fencedLeaderEpoch(let m), .unknownLeaderEpoch(let m),
            .corruptMessage(let m), .kafkaStorageError(let m), .requestTimedOut(let m), .producerClosed(let m),
            .networkException(let m), .invalidProducerEpoch(let m), .outOfOrderSequenceNumber(let m), .invalidTxnState(let m),
            .transactionCoordinatorFenced(let m):
            return m
        case .transactionalClient(let exception):
            return exception.message
        case .transactionCoordinator(let error):
            return error.message
        }
    }

    /// The Java client's exception class for the error (`Errors.exception()`).
    public var exceptionName: String {
        switch self {
        case .notEnoughReplicas: return "NotEnoughReplicasException"
        case .leaderNotAvailable: return "LeaderNotAvailableException"
        case .notLeaderOrFollower: return "NotLeaderOrFollowerException"
        case .fencedLeaderEpoch: return "FencedLeaderEpochException"
        case .unknownLeaderEpoch: return "UnknownLeaderEpochException"
        case .requestTimedOut: return "TimeoutException"
        case .recordTooLarge: return "RecordTooLargeException"
        case .recordBatchTooLarge: return "RecordBatchTooLargeException"
        case .unknownTopicOrPartition: return "UnknownTopicOrPartitionException"
        case .kafkaStorageError: return "KafkaStorageException"
        case .producerClosed: return "KafkaException"
        case .networkException: return "NetworkException"
        case .invalidProducerEpoch: return "InvalidProducerEpochException"
        case .outOfOrderSequenceNumber: return "OutOfOrderSequenceException"
        case .invalidTxnState: return "InvalidTxnStateException"
        case .transactionCoordinatorFenced: return "TransactionCoordinatorFencedException"
        case .transactionCoordinator(let error): return error.exceptionName
        case .transactionalClient(let exception): return String(exception.exceptionClass.split(separator: ".").last ?? "")
        case .invalidConfiguration: return "InvalidConfigurationException"
        case .topicAlreadyExists: return "TopicExistsException"
        case .invalidTopic: return "InvalidTopicException"
        case .invalidPartitions: return "InvalidPartitionsException"
        case .invalidReplicationFactor: return "InvalidReplicationFactorException"
        case .invalidRequest: return "InvalidRequestException"
        case .brokerNotAvailable: return "BrokerNotAvailableException"
        case .offsetOutOfRange: return "OffsetOutOfRangeException"
        case .corruptMessage: return "CorruptRecordException"
        case .invalidRecord: return "InvalidRecordException"
        }
    }

    public var description: String { message }
}

extension KafkaError {
    /// A partition log's error as the broker returns it (the log's text without its error-name prefix).
    public init(_ error: LogError) {
        let text = error.description
        let name = text.prefix { $0.isUppercase || $0 == "_" }
        let message = !name.isEmpty && text.dropFirst(name.count).hasPrefix(": ") ? String(text.dropFirst(name.count + 2)) : text
        switch error {
        case .recordTooLarge: self = .recordTooLarge(message)
        case .recordBatchTooLarge: self = .recordBatchTooLarge(message)
        case .offsetOutOfRange: self = .offsetOutOfRange(message)
        case .invalidRecord: self = .invalidRecord(message)
        case .corruptMessage: self = .corruptMessage(message)
        case .storage, .unusableDirectory: self = .kafkaStorageError(message)
        case .invalidProducerEpoch: self = .invalidProducerEpoch(message)
        case .outOfOrderSequenceNumber: self = .outOfOrderSequenceNumber(message)
        case .invalidTxnState: self = .invalidTxnState(message)
        case .transactionCoordinatorFenced: self = .transactionCoordinatorFenced(message)
        }
    }
}
