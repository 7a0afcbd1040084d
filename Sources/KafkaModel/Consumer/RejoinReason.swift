/// Why a consumer sends JoinGroup again (`AbstractCoordinator.requestRejoin`'s reasons).
public enum RejoinReason: Sendable, Equatable {
    /// A rejoin with no recorded cause.
    case requested
    /// A heartbeat was answered with this error (REBALANCE_IN_PROGRESS: another member started a rebalance).
    case heartbeat(GroupError)
    /// The consumer left the group after `max.poll.interval.ms` and polls again.
    case pollTimeout
    /// The leader saw the partition count of a subscribed topic change.
    case metadataChanged
    /// The cooperative protocol revoked partitions: a second rebalance hands them over.
    case revokedPartitions
    /// A parked JoinGroup or SyncGroup was answered with this error.
    case requestFailed(GroupEvent.ParkedRequest, GroupError)
}
