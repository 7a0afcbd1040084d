/// Something observable that the group state machine did; the caller turns these into `ClusterEvent`s.
public enum GroupEvent: Sendable, Equatable {
    /// The group moved between states.
    case stateChanged(from: ClassicGroupState, to: ClassicGroupState)
    /// A rebalance began (the group entered PreparingRebalance).
    case rebalanceStarted(reason: RebalanceReason)
    /// A member was added to the group.
    case memberJoined(memberId: String, groupInstanceId: String?)
    /// A member was removed from the group.
    case memberRemoved(memberId: String, reason: MemberRemovalReason)
    /// A static member's new instance took over the old member id's place (`FENCED_INSTANCE_ID` for the old one).
    case staticMemberReplaced(groupInstanceId: String, oldMemberId: String, newMemberId: String)
    /// The join phase ended: a new generation with its leader and protocol (protocol `nil` when the group became Empty).
    case joinCompleted(generation: Int, leader: String?, protocol: String?, members: [String])
    /// The leader's SyncGroup delivered the assignment; the group is Stable.
    case generationCompleted(generation: Int, leader: String, protocol: String, assignment: [String: [TopicPartition]])
    /// A parked JoinGroup or SyncGroup was answered with an error (the member was removed while its JoinGroup was
    /// parked, or a new rebalance began before the leader's SyncGroup); the client rejoins.
    case parkedRequestFailed(memberId: String, request: ParkedRequest, error: GroupError)

    /// Which request was parked.
    public enum ParkedRequest: String, Sendable, Equatable {
        case joinGroup = "JoinGroup"
        case syncGroup = "SyncGroup"
    }
}
