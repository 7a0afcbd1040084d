/// Errors of the partition log and its storage, named after Kafka's error codes.
public enum LogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `RECORD_TOO_LARGE`: the batch exceeds `max.message.bytes`.
    case recordTooLarge(topicPartition: TopicPartition, batchSize: Int, maxMessageBytes: Int)
    /// `RECORD_BATCH_TOO_LARGE`: the batch exceeds `segment.bytes`.
    case recordBatchTooLarge(topicPartition: TopicPartition, batchSize: Int, segmentBytes: Int)
    /// `OFFSET_OUT_OF_RANGE`: a read outside [log start offset, log end offset].
    case offsetOutOfRange(topicPartition: TopicPartition, offset: Int64, logStartOffset: Int64, logEndOffset: Int64)
    /// `INVALID_RECORD`: a keyless record appended to a compacted topic.
    case invalidRecord(topicPartition: TopicPartition, reason: String)
    /// `INVALID_PRODUCER_EPOCH`: a batch or marker from an older epoch of its producer than the partition has seen.
    case invalidProducerEpoch(String)
    /// `OUT_OF_ORDER_SEQUENCE_NUMBER`: an idempotent producer's batch does not follow its last sequence number.
    case outOfOrderSequenceNumber(String)
    /// `INVALID_TXN_STATE`: a non-transactional batch from a producer whose transaction is open on the partition.
    case invalidTxnState(String)
    /// `TRANSACTION_COORDINATOR_FENCED`: a marker from an older transaction coordinator epoch than the partition has seen.
    case transactionCoordinatorFenced(String)
    /// `CORRUPT_MESSAGE`: stored bytes failed to decode.
    case corruptMessage(RecordBatchError)
    /// `KAFKA_STORAGE_ERROR`: the storage failed.
    case storage(operation: String, file: String, reason: String)
    /// The log directory cannot be used at all (in use by another process, not a data folder, a bad metadata
    /// file): the one line a learner sees before kafkalab exits.
    case unusableDirectory(String)

    public var description: String {
        switch self {
        case let .recordTooLarge(tp, size, max):
            return "RECORD_TOO_LARGE: The record batch size in the append to \(tp) is \(size) bytes which exceeds the maximum configured value of \(max)."
        case let .recordBatchTooLarge(tp, size, segmentBytes):
            return "RECORD_BATCH_TOO_LARGE: Message batch size is \(size) bytes in append to partition \(tp) which exceeds the maximum configured segment size of \(segmentBytes)."
        case let .offsetOutOfRange(tp, offset, start, end):
            return "OFFSET_OUT_OF_RANGE: Received request for offset \(offset) for partition \(tp), but we only have log segments in the range \(start) to \(end)."
        case let .invalidRecord(_, reason):
            return "INVALID_RECORD: \(reason)"
        case let .invalidProducerEpoch(message):
            return "INVALID_PRODUCER_EPOCH: \(message)"
        case let .outOfOrderSequenceNumber(message):
            return "OUT_OF_ORDER_SEQUENCE_NUMBER: \(message)"
        case let .invalidTxnState(message):
            return "INVALID_TXN_STATE: \(message)"
        case let .transactionCoordinatorFenced(message):
            return "TRANSACTION_COORDINATOR_FENCED: \(message)"
        case let .corruptMessage(error):
            return error.description
        case let .storage(operation, file, reason):
            return "KAFKA_STORAGE_ERROR: Could not \(operation) '\(file)': \(reason)"
        case let .unusableDirectory(reason):
            return reason
        }
    }
}
