/// Something a partition log did, returned from every state-changing call so the cluster can turn it
/// into cluster events. The log never prints.
public enum LogEvent: Sendable, Hashable {
    /// A batch was appended at `firstOffset...lastOffset`.
    case recordsAppended(firstOffset: Int64, lastOffset: Int64, count: Int, bytes: Int)
    /// A new active segment starting at `baseOffset` was created.
    case segmentRolled(baseOffset: Int64, reason: RollReason)
    /// A whole segment was deleted by retention.
    case segmentDeleted(baseOffset: Int64, reason: SegmentDeletionReason)
    /// The log start offset moved forward.
    case logStartOffsetIncremented(from: Int64, to: Int64)
    /// The cleaner compacted the cleanable segments: records removed and kept in the cleaned range.
    case compacted(removed: Int, kept: Int)
    /// Recovery cut a torn or corrupt tail: bytes and (readable-header) records dropped.
    case recoveryTruncated(bytes: Int, records: Int)
    /// Recovery found no segment holding offsets `from...to` (a segment file went missing).
    case recoveryFoundGap(from: Int64, to: Int64)
}

/// Why a segment was rolled (`LogSegment.shouldRoll` conditions, or explicit).
public enum RollReason: Sendable, Hashable {
    /// The segment would exceed `segment.bytes`.
    case segmentBytes
    /// The segment's first batch is older than `segment.ms`.
    case segmentMs
    /// The offset or time index is full (`segment.index.bytes`).
    case indexFull
    /// The batch's offsets do not fit relative to the segment's base offset.
    case offsetOverflow
    /// An explicit roll (`roll(nowMs:)`).
    case forced
    /// Retention is about to delete every segment, so a fresh empty one replaces them.
    case retention
}

/// Why retention deleted a segment (Kafka's `RetentionMsBreach`, `RetentionSizeBreach`, `StartOffsetBreach`).
public enum SegmentDeletionReason: Sendable, Hashable {
    /// Its newest record is older than `retention.ms`.
    case retentionMs
    /// The log is larger than `retention.bytes` without it.
    case retentionBytes
    /// The log start offset moved past all its records.
    case logStartOffset
}
