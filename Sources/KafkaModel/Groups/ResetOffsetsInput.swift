/// The inputs of one `--reset-offsets` plan for one group, as `ConsumerGroupCommand` gathers them with Admin calls.
public struct ResetOffsetsInput: Sendable {
    /// The group whose offsets are reset.
    public var groupId: String
    /// Partitions in scope (`--topic`/`--all-topics`); unused by `--from-file`, whose file gives the partitions.
    public var partitions: [TopicPartition]
    /// Log-start offset per partition (ListOffsets earliest).
    public var logStartOffsets: [TopicPartition: Int64]
    /// High watermark per partition (ListOffsets latest, read_uncommitted) — Kafka's "latest"/"log end".
    public var logEndOffsets: [TopicPartition: Int64]
    /// The group's committed offsets.
    public var committedOffsets: [TopicPartition: Int64]
    /// The current (virtual) time, for `--by-duration`.
    public var nowMs: Int64
    /// ListOffsets by timestamp: first offset whose timestamp ≥ the given one, `nil` if none (UNKNOWN_OFFSET).
    public var offsetForTimestamp: @Sendable (TopicPartition, Int64) -> Int64?
    /// Whether the command names exactly one group (decides the `--from-file` CSV format, as Kafka does).
    public var singleGroupQuery: Bool

    public init(groupId: String, partitions: [TopicPartition], logStartOffsets: [TopicPartition: Int64],
                logEndOffsets: [TopicPartition: Int64], committedOffsets: [TopicPartition: Int64], nowMs: Int64,
                singleGroupQuery: Bool = true,
                offsetForTimestamp: @escaping @Sendable (TopicPartition, Int64) -> Int64? = { _, _ in nil }) {
        self.groupId = groupId
        self.partitions = partitions
        self.logStartOffsets = logStartOffsets
        self.logEndOffsets = logEndOffsets
        self.committedOffsets = committedOffsets
        self.nowMs = nowMs
        self.singleGroupQuery = singleGroupQuery
        self.offsetForTimestamp = offsetForTimestamp
    }
}
