/// One row of `kafka-consumer-groups.sh --describe` (`PartitionAssignmentState`); `nil` prints as `-`.
public struct ConsumerGroupDescribeRow: Sendable, Equatable {
    /// GROUP.
    public var group: String
    /// TOPIC.
    public var topic: String?
    /// PARTITION.
    public var partition: Int?
    /// CURRENT-OFFSET (committed offset).
    public var currentOffset: Int64?
    /// LOG-END-OFFSET — the high watermark (ListOffsets latest, read_uncommitted).
    public var logEndOffset: Int64?
    /// LAG = LOG-END-OFFSET − CURRENT-OFFSET, when both are known.
    public var lag: Int64?
    /// CONSUMER-ID.
    public var consumerId: String?
    /// HOST, e.g. `/127.0.0.1`.
    public var host: String?
    /// CLIENT-ID.
    public var clientId: String?
    /// LEADER-EPOCH (`--verbose`): the leader epoch stored with the committed offset, if any.
    public var leaderEpoch: Int32?

    public init(group: String, topic: String?, partition: Int?, currentOffset: Int64?, logEndOffset: Int64?,
                consumerId: String?, host: String?, clientId: String?, leaderEpoch: Int32? = nil) {
        self.leaderEpoch = leaderEpoch
        self.group = group
        self.topic = topic
        self.partition = partition
        self.currentOffset = currentOffset
        self.logEndOffset = logEndOffset
        if let c = currentOffset, c != -1, let e = logEndOffset { lag = e - c } else { lag = nil }
        self.consumerId = consumerId
        self.host = host
        self.clientId = clientId
    }
}
