/// The `--reset-offsets` scenario (exactly one per command).
public enum OffsetResetScenario: Sendable, Equatable {
    /// `--to-earliest`: the log-start offset.
    case toEarliest
    /// `--to-latest`: the high watermark (ListOffsets latest, read_uncommitted).
    case toLatest
    /// `--to-offset N`, clamped to [log start, high watermark].
    case toOffset(Int64)
    /// `--shift-by N` from the committed offset, clamped.
    case shiftBy(Int64)
    /// `--to-current`: the committed offset; latest for partitions without one.
    case toCurrent
    /// `--to-datetime` text, parsed by `KafkaDateTime.parse`.
    case toDatetime(String)
    /// `--to-datetime` already converted to epoch milliseconds.
    case toTimestampMs(Int64)
    /// `--by-duration` ISO-8601 text (`PT1H`, `P7D`): timestamp = now − duration.
    case byDuration(String)
    /// `--from-file` content: CSV lines `topic,partition,offset` (or `group,topic,partition,offset`), clamped.
    case fromFile(String)
}
