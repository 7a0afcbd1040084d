/// Errors of `kafka-consumer-groups.sh --reset-offsets` planning, with Kafka's texts.
public enum ResetOffsetsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--shift-by` on a partition without a committed offset (`IllegalArgumentException`).
    case noCommittedOffsetToShift(TopicPartition)
    /// `--to-datetime` without a `T` (`Utils.getDateTime`).
    case timestampWithoutT(String)
    /// `--to-datetime` that neither `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` nor `…SSSX` parses (`ParseException`);
    /// carries the text as parsed (with the `Z` Kafka appends when no zone is given).
    case unparseableDate(String)
    /// `--by-duration` that `java.time.Duration.parse` rejects (`DateTimeParseException`).
    case unparseableDuration(String)
    /// `--by-duration` reaching before `Instant.MIN` (`Instant.minus` throws `DateTimeException`).
    case durationOutOfRange(String)
    /// `--from-file` has no rows for the group.
    case noResetPlanForGroup(String)
    /// A `--from-file` line that is not `topic,partition,offset` (or `group,topic,partition,offset`).
    case malformedResetPlanLine(String)
    /// No log-start offset known for a partition.
    case noStartingOffset(TopicPartition)
    /// No log-end (latest) offset known for a partition.
    case noEndingOffset(TopicPartition)
    /// The group is not Empty or Dead.
    case groupNotInactive(groupId: String, state: ClassicGroupState)

    public var description: String {
        switch self {
        case .noCommittedOffsetToShift(let tp):
            return "Cannot shift offset for partition \(tp) since there is no current committed offset"
        case .timestampWithoutT:
            // `Utils.getDateTime`: `new ParseException("Error parsing timestamp. It does not contain a 'T' according to ISO8601 format", …)`.
            return "Error parsing timestamp. It does not contain a 'T' according to ISO8601 format"
        case .unparseableDate(let s):
            return "Unparseable date: \"\(s)\""
        case .unparseableDuration:
            return "Text cannot be parsed to a Duration"
        case .durationOutOfRange:
            return "Instant exceeds minimum or maximum instant"
        case .noResetPlanForGroup(let g):
            return "No reset plan for group \(g) found"
        case .malformedResetPlanLine(let line):
            return "Unable to parse reset plan line '\(line)': expected topic,partition,offset"
        case .noStartingOffset(let tp):
            return "Error getting starting offset of topic partition: \(tp)"
        case .noEndingOffset(let tp):
            return "Error getting ending offset of topic partition: \(tp)"
        case let .groupNotInactive(g, state):
            return "Assignments can only be reset if the group '\(g)' is inactive, but the current state is \(state)."
        }
    }
}
