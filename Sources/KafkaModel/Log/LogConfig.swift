import Foundation

/// A partition log's topic-level configuration with Kafka 4.0's defaults (`LogConfig.java`,
/// `TopicConfig.java`). A plain value; the cluster layer parses `--config key=value` into it.
public struct LogConfig: Sendable, Hashable {
    /// `cleanup.policy`: `delete` (default), `compact`, or both (`compact,delete`).
    public enum CleanupPolicy: Sendable, Hashable {
        case delete, compact, compactAndDelete

        /// Whether time/size retention applies.
        public var delete: Bool { self != .compact }
        /// Whether the log cleaner compacts the log.
        public var compact: Bool { self != .delete }
        /// Kafka's config value spelling.
        public var configValue: String {
            switch self {
            case .delete: return "delete"
            case .compact: return "compact"
            case .compactAndDelete: return "compact,delete"
            }
        }

        /// Parses `delete`, `compact`, `compact,delete` or `delete,compact` (spaces and case ignored).
        public init?(configValue: String) {
            let parts = Set(configValue.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            switch parts {
            case ["delete"]: self = .delete
            case ["compact"]: self = .compact
            case ["compact", "delete"]: self = .compactAndDelete
            default: return nil
            }
        }
    }

    /// `segment.bytes` — roll when the active segment would exceed this (1 GiB).
    public var segmentBytes: Int = 1_073_741_824
    /// `segment.ms` — roll when the segment's first batch is this old (7 days).
    public var segmentMs: Int64 = 604_800_000
    /// `segment.jitter.ms` — subtracted from `segment.ms` (0).
    public var segmentJitterMs: Int64 = 0
    /// `retention.ms` — delete segments whose newest record is older (7 days; −1 = forever).
    public var retentionMs: Int64 = 604_800_000
    /// `retention.bytes` — keep the partition under this size (−1 = unlimited).
    public var retentionBytes: Int64 = -1
    /// `cleanup.policy`.
    public var cleanupPolicy: CleanupPolicy = .delete
    /// `index.interval.bytes` — bytes between index entries (4096).
    public var indexIntervalBytes: Int = 4096
    /// `segment.index.bytes` — maximum size of each index file (10 MiB).
    public var segmentIndexBytes: Int = 10_485_760
    /// `delete.retention.ms` — how long tombstones survive once the cleaner has seen them (1 day).
    public var deleteRetentionMs: Int64 = 86_400_000
    /// `min.cleanable.dirty.ratio` — the cleaner compacts only above this dirty ratio (0.5).
    public var minCleanableDirtyRatio: Double = 0.5
    /// `min.compaction.lag.ms` — records younger than this are not compacted (0).
    public var minCompactionLagMs: Int64 = 0
    /// `max.message.bytes` — largest record batch accepted (1048588).
    public var maxMessageBytes: Int = 1_048_588
    /// `message.timestamp.type` — CreateTime (default) or LogAppendTime.
    public var messageTimestampType: TimestampType = .createTime

    public init() {}

    /// Most entries in an offset index (`segment.index.bytes / 8`).
    public var maxOffsetIndexEntries: Int { segmentIndexBytes / OffsetIndexEntry.size }
    /// Most entries in a time index (`segment.index.bytes / 12`).
    public var maxTimeIndexEntries: Int { segmentIndexBytes / TimeIndexEntry.size }
}
