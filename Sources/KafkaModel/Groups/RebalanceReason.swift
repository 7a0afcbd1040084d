/// Why the group started a rebalance; `description` follows the coordinator's log texts.
public enum RebalanceReason: Sendable, Equatable, CustomStringConvertible {
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

    private static func client(_ r: String?) -> String { "; client reason: \(r ?? "not provided")" }

    public var description: String {
        switch self {
        case let .addingNewMember(m, i, r):
            return "Adding new member \(m) with group instance id \(i ?? "null")" + Self.client(r)
        case let .updatingMetadata(m, s, r):
            return "Updating metadata for member \(m) during \(s)" + Self.client(r)
        case let .leaderRejoining(m, s, r):
            return "Leader \(m) re-joining group during \(s)" + Self.client(r)
        case let .staticMemberReplaced(m, i, s):
            return "Updating metadata for static member \(m) with instance id \(i) during \(s)"
        case let .removingMember(m, reason):
            switch reason {
            case .leaveGroup: return "Removing member \(m) on LeaveGroup"
            case .sessionTimeout: return "Removing member \(m) on heartbeat expiration"
            case .didNotRejoin: return "Removing member \(m) which did not rejoin"
            case .didNotSync: return "Removing member \(m) on pending sync request expiration"
            case .fencedByStaticMember(let n): return "Replacing member \(m) by \(n)"
            }
        }
    }
}
