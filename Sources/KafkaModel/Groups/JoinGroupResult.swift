/// A JoinGroup response for one member.
public struct JoinGroupResult: Sendable, Equatable {
    /// The generation the member joined.
    public var generationId: Int
    /// The selected assignor.
    public var protocolName: String?
    /// The leader's member id.
    public var leaderId: String?
    /// This member's id.
    public var memberId: String
    /// All members' subscriptions in join order — only for the leader, empty for followers.
    public var members: [AssignorSubscription]
    /// Static leader replaced while Stable: it must not compute a new assignment (KIP-814 `skipAssignment`).
    public var skipAssignment: Bool
}
