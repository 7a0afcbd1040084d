/// Why the group started a rebalance (the shell words it as the coordinator logs it).
public enum RebalanceReason: Sendable, Equatable {
    /// A new member joined.
    case addingNewMember(memberId: String, groupInstanceId: String?, clientReason: String?)
    /// An existing member rejoined with different protocols/subscription.
    case updatingMetadata(memberId: String, state: ClassicGroupState, clientReason: String?)
    /// The leader rejoined (e.g. it saw a metadata change).
    case leaderRejoining(memberId: String, state: ClassicGroupState, clientReason: String?)
    /// A static member was replaced in a way that requires a rebalance.
    case staticMemberReplaced(memberId: String, groupInstanceId: String, state: ClassicGroupState)
    /// A member was removed (leave, session expiry, sync timeout).
    case removingMember(memberId: String, reason: MemberRemovalReason)
}
