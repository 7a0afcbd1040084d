/// Why a member left the group.
public enum MemberRemovalReason: Sendable, Equatable {
    /// The member sent LeaveGroup (dynamic members on close/unsubscribe).
    case leaveGroup
    /// No heartbeat within `session.timeout.ms`.
    case sessionTimeout
    /// The member did not rejoin before the rebalance timeout (`max.poll.interval.ms`).
    case didNotRejoin
    /// The member did not send SyncGroup before the rebalance timeout.
    case didNotSync
    /// A new instance with the same `group.instance.id` replaced it (the old one is fenced).
    case fencedByStaticMember(newMemberId: String)
}
