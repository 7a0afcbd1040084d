/// Why the controller refused a leader's AlterPartition (Kafka 4.0's `ReplicationControlManager.validateAlterPartitionData`),
/// with Kafka's error names. The leader leaves its ISR as it was and tries again when it next has reason to.
public enum AlterPartitionError: Error, Sendable, Equatable {
    /// The partition or its topic is gone.
    case unknownTopicOrPartition
    /// The sender does not lead the partition, or the new ISR is empty or lacks the leader.
    case invalidRequest
    /// The sender's leader epoch is older than the controller's: a newer leader was elected since.
    case fencedLeaderEpoch
    /// The sender's partition epoch is older: the partition changed since the leader last learned it.
    case invalidUpdateVersion
    /// The sender's epochs are newer than the controller's own: it is not the controller the leader should ask.
    case notController
    /// The new ISR adds a replica the controller would not accept (stopped or fenced).
    case ineligibleReplica

    /// Kafka's error name.
    public var name: String {
        switch self {
        case .unknownTopicOrPartition: return "UNKNOWN_TOPIC_OR_PARTITION"
        case .invalidRequest: return "INVALID_REQUEST"
        case .fencedLeaderEpoch: return "FENCED_LEADER_EPOCH"
        case .invalidUpdateVersion: return "INVALID_UPDATE_VERSION"
        case .notController: return "NOT_CONTROLLER"
        case .ineligibleReplica: return "INELIGIBLE_REPLICA"
        }
    }
}
