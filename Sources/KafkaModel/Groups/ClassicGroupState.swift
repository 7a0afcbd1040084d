/// The states of a classic-protocol group (`ClassicGroupState`), spelled as `kafka-consumer-groups.sh --state` prints them.
public enum ClassicGroupState: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// No members; committed offsets may remain (they expire only in this state).
    case empty = "Empty"
    /// Collecting JoinGroup requests; heartbeats answer `REBALANCE_IN_PROGRESS`.
    case preparingRebalance = "PreparingRebalance"
    /// Join phase done; waiting for the leader's SyncGroup with the assignment.
    case completingRebalance = "CompletingRebalance"
    /// Assignment distributed; heartbeats are normal.
    case stable = "Stable"
    /// Metadata being removed (group deleted, offsets expired, partition emigrated).
    case dead = "Dead"

    public var description: String { rawValue }

    /// The states a group may move to this state from (Kafka's `validPreviousStates`).
    public var validPreviousStates: [ClassicGroupState] {
        switch self {
        case .empty: return [.preparingRebalance]
        case .preparingRebalance: return [.stable, .completingRebalance, .empty]
        case .completingRebalance: return [.preparingRebalance]
        case .stable: return [.completingRebalance]
        case .dead: return [.stable, .preparingRebalance, .completingRebalance, .empty, .dead]
        }
    }

    /// `true` when `ClassicGroup` may move from `previous` to this state.
    public func canTransition(from previous: ClassicGroupState) -> Bool {
        validPreviousStates.contains(previous)
    }
}
