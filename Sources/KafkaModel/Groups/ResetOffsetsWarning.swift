/// A warning Kafka emits while planning an offset reset (the shell prints Kafka's text).
public enum ResetOffsetsWarning: Sendable, Equatable {
    /// Requested offset above the high watermark; clamped (logged at WARN by `checkOffsetsRange`).
    case higherThanLatest(TopicPartition, requested: Int64, latest: Int64)
    /// Requested offset below the log-start offset; clamped (logged at WARN).
    case lowerThanEarliest(TopicPartition, requested: Int64, earliest: Int64)
    /// No offset at or after the timestamp: falls back to latest. Kafka prints this to stdout preceded by an empty line.
    case emptyPartitionFallback(TopicPartition)
}
