/// A warning Kafka emits while planning an offset reset.
public enum ResetOffsetsWarning: Sendable, Equatable, CustomStringConvertible {
    /// Requested offset above the high watermark; clamped (logged at WARN by `checkOffsetsRange`).
    case higherThanLatest(TopicPartition, requested: Int64, latest: Int64)
    /// Requested offset below the log-start offset; clamped (logged at WARN).
    case lowerThanEarliest(TopicPartition, requested: Int64, earliest: Int64)
    /// No offset at or after the timestamp: falls back to latest. Kafka prints this to stdout preceded by an empty line.
    case emptyPartitionFallback(TopicPartition)

    /// Kafka's text (without the log prefix or leading newline).
    public var description: String {
        switch self {
        case let .higherThanLatest(tp, n, h):
            return "New offset (\(n)) is higher than latest offset for topic partition \(tp). Value will be set to \(h)"
        case let .lowerThanEarliest(tp, n, s):
            return "New offset (\(n)) is lower than earliest offset for topic partition \(tp). Value will be set to \(s)"
        case let .emptyPartitionFallback(tp):
            return "Warn: Partition \(tp.partition) from topic \(tp.topic) is empty. Falling back to latest known offset."
        }
    }
}
