/// The coordinator's answer to one request, in the shape the client needs.
public enum GroupResponse: Sendable, Equatable {
    /// No direct answer (timer handling, leave).
    case none
    /// KIP-394: the coordinator generated `memberId`; the client must rejoin with it (`MEMBER_ID_REQUIRED`).
    case memberIdRequired(memberId: String)
    /// The JoinGroup is parked until the join phase completes (see `GroupEvent.joinCompleted`).
    case joinPending
    /// The JoinGroup is answered at once (e.g. a rejoin that changes nothing, or a static member replacement).
    case joined(JoinGroupResult)
    /// The SyncGroup is parked until the leader sends the assignment (see `GroupEvent.generationCompleted`).
    case syncPending
    /// The SyncGroup is answered with this member's partitions.
    case synced(assignment: [TopicPartition])
    /// Heartbeat answer: `nil` = NONE, or `REBALANCE_IN_PROGRESS` telling the member to rejoin.
    case heartbeat(error: GroupError?)
}
