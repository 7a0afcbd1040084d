/// One broker's replica of a partition (Kafka's `kafka.cluster.Partition` on that broker): its own log, the leader
/// and epoch this broker last learned from the controller, its leader-epoch history and, while it leads, what it
/// knows of each follower.
public final class Partition {
    public let topicPartition: TopicPartition
    /// The broker holding this replica.
    public let brokerId: Int
    /// This replica's log, in the broker's own folder.
    public let log: UnifiedLog
    /// The leader this broker believes in (what the controller last told it; an isolated broker keeps an old answer).
    public internal(set) var leaderId: Int?
    /// The leader epoch that belief comes with.
    public internal(set) var leaderEpoch: Int = -1
    /// The partition epoch that belief comes with (a leader's AlterPartition names it).
    public internal(set) var partitionEpoch: Int = 0
    /// The ISR as last learned; the leader computes its high watermark with it.
    public internal(set) var isr: [Int] = []
    /// The assigned replicas, preferred leader first.
    public internal(set) var assignment: [Int] = []
    /// The leader's log end offset when it became leader in this epoch (a follower rejoins the ISR only past it).
    public internal(set) var leaderEpochStartOffset: Int64 = 0
    /// Epoch → first offset, for divergence checks.
    public internal(set) var epochCache = LeaderEpochCache()
    /// While leading: each follower's state.
    public internal(set) var followers: [Int: ReplicaState] = [:]

    init(topicPartition: TopicPartition, brokerId: Int, log: UnifiedLog) {
        self.topicPartition = topicPartition
        self.brokerId = brokerId
        self.log = log
    }

    /// Whether this broker believes it leads the partition.
    public var isLeader: Bool { leaderId == brokerId }

    /// `min.insync.replicas` capped by the replica count (`effectiveMinIsr`).
    func effectiveMinIsr(_ minInsync: Int) -> Int { min(minInsync, max(assignment.count, 1)) }
}

/// One broker's replicas (Kafka's `ReplicaManager`): the partitions placed on it, each with its own log.
public final class ReplicaManager {
    public let brokerId: Int
    /// This broker's replicas by partition.
    public internal(set) var partitions: [TopicPartition: Partition] = [:]

    init(brokerId: Int) {
        self.brokerId = brokerId
    }
}
