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
    /// `NOT_COORDINATOR`: the broker does not lead the group's `__consumer_offsets` partition.
    case notCoordinator
    /// `MEMBER_ID_REQUIRED` (KIP-394): the coordinator gave the joining member `memberId`; it must rejoin with it.
    case memberIdRequired(memberId: String)
    /// `GROUP_ID_NOT_FOUND`.
    case groupIdNotFound
    /// `NON_EMPTY_GROUP`.
    case nonEmptyGroup
    /// `GROUP_SUBSCRIBED_TO_TOPIC`.
    case groupSubscribedToTopic
    /// `UNSTABLE_OFFSET_COMMIT`: a transaction's offsets for the partition wait for its marker (KIP-447).
    case unstableOffsetCommit

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
        case .notCoordinator: return "NOT_COORDINATOR"
        case .memberIdRequired: return "MEMBER_ID_REQUIRED"
        case .groupIdNotFound: return "GROUP_ID_NOT_FOUND"
        case .nonEmptyGroup: return "NON_EMPTY_GROUP"
        case .groupSubscribedToTopic: return "GROUP_SUBSCRIBED_TO_TOPIC"
        case .unstableOffsetCommit: return "UNSTABLE_OFFSET_COMMIT"
        }
    }

    /// Kafka's numeric error code (`Errors.code()`), as a response carries it.
    public var errorCode: Int16 {
        switch self {
        case .coordinatorNotAvailable: return 15
        case .notCoordinator: return 16
        case .illegalGeneration: return 22
        case .inconsistentGroupProtocol: return 23
        case .unknownMemberId: return 25
        case .invalidSessionTimeout: return 26
        case .rebalanceInProgress: return 27
        case .nonEmptyGroup: return 68
        case .groupIdNotFound: return 69
        case .memberIdRequired: return 79
        case .fencedInstanceId: return 82
        case .groupSubscribedToTopic: return 86
        case .unstableOffsetCommit: return 88
        case .illegalStateTransition: return -1
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
        case .notCoordinator: return "This is not the correct coordinator."
        case .memberIdRequired:
            return "The group member needs to have a valid member id before actually entering a consumer group."
        case .groupIdNotFound: return "The group id does not exist."
        case .nonEmptyGroup: return "The group is not empty."
        case .groupSubscribedToTopic:
            return "Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it."
        case .unstableOffsetCommit: return "There are unstable offsets that need to be cleared."
        case let .illegalStateTransition(groupId, from, to):
            let states = to.validPreviousStates.map(\.rawValue).joined(separator: ", ")
            return "Group \(groupId) should be in the [\(states)] states before moving to \(to) state. Instead it is in \(from) state."
        }
    }
}
