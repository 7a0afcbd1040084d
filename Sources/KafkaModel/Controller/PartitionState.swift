/// The controller's view of one partition: where its replicas live, who leads, who is in sync.
public struct PartitionState: Sendable, Equatable {
    /// Replica broker ids; the first is the preferred leader.
    public internal(set) var replicas: [Int]
    /// The leader's broker id, or nil when no in-sync replica is alive (`Leader: none`).
    public internal(set) var leader: Int?
    /// In-sync replicas, in the order the controller stores them.
    public internal(set) var isr: [Int]
    /// Bumped on every leader change.
    public internal(set) var leaderEpoch: Int
    /// Bumped on every change of the partition (leader or ISR): a leader's AlterPartition must name the current one.
    public internal(set) var partitionEpoch: Int = 0

    /// The first replica: the leader a balanced cluster elects.
    public var preferredLeader: Int { replicas[0] }

    public var isUnderReplicated: Bool { isr.count < replicas.count }
}
