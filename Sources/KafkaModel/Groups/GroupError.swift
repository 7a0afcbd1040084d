/// Errors of the classic group coordinator, carrying Kafka's error names and messages (`Errors.java`).
public enum GroupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `UNKNOWN_MEMBER_ID`.
    case unknownMemberId(memberId: String)
    /// `ILLEGAL_GENERATION`.
    case illegalGeneration(memberId: String, generation: Int, current: Int)
    /// `REBALANCE_IN_PROGRESS`.
    case rebalanceInProgress
    /// `INCONSISTENT_GROUP_PROTOCOL`.
    case inconsistentGroupProtocol
    /// `FENCED_INSTANCE_ID`.
    case fencedInstanceId(groupInstanceId: String, memberId: String)
    /// `COORDINATOR_NOT_AVAILABLE` (the group is Dead).
    case coordinatorNotAvailable
    /// `INVALID_SESSION_TIMEOUT`.
    case invalidSessionTimeout(Int)
    /// The state machine was asked for a transition Kafka forbids (an `IllegalStateException` in Kafka).
    case illegalStateTransition(groupId: String, from: ClassicGroupState, to: ClassicGroupState)

    /// Kafka's error name (`Errors.name()`).
    public var code: String {
        switch self {
        case .unknownMemberId: return "UNKNOWN_MEMBER_ID"
        case .illegalGeneration: return "ILLEGAL_GENERATION"
        case .rebalanceInProgress: return "REBALANCE_IN_PROGRESS"
        case .inconsistentGroupProtocol: return "INCONSISTENT_GROUP_PROTOCOL"
        case .fencedInstanceId: return "FENCED_INSTANCE_ID"
        case .coordinatorNotAvailable: return "COORDINATOR_NOT_AVAILABLE"
        case .invalidSessionTimeout: return "INVALID_SESSION_TIMEOUT"
        case .illegalStateTransition: return "ILLEGAL_STATE"
        }
    }

    /// Kafka's message for the error.
    public var description: String {
        switch self {
        case .unknownMemberId: return "The coordinator is not aware of this member."
        case .illegalGeneration: return "Specified group generation id is not valid."
        case .rebalanceInProgress: return "The group is rebalancing, so a rejoin is needed."
        case .inconsistentGroupProtocol:
            return "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list."
        case .fencedInstanceId:
            return "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id."
        case .coordinatorNotAvailable: return "The coordinator is not available."
        case .invalidSessionTimeout:
            return "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)."
        case let .illegalStateTransition(groupId, from, to):
            let states = to.validPreviousStates.map(\.rawValue).joined(separator: ", ")
            return "Group \(groupId) should be in the [\(states)] states before moving to \(to) state. Instead it is in \(from) state."
        }
    }
}
