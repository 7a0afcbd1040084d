/// One member of a `ClassicGroup` (Kafka's `ClassicGroupMember`).
public struct ClassicGroupMember: Sendable, Equatable {
    /// Coordinator-assigned member id.
    public internal(set) var memberId: String
    /// `group.instance.id` for static members.
    public let groupInstanceId: String?
    /// The consumer's `client.id`.
    public internal(set) var clientId: String
    /// The consumer's host, e.g. `/127.0.0.1`.
    public internal(set) var clientHost: String
    /// `session.timeout.ms`.
    public internal(set) var sessionTimeoutMs: Int
    /// Rebalance timeout (`max.poll.interval.ms`).
    public internal(set) var rebalanceTimeoutMs: Int
    /// Supported assignors, preferred first.
    public internal(set) var protocols: [String]
    /// Subscription metadata sent with the protocols.
    public internal(set) var subscription: AssignorSubscription
    /// Partitions assigned in the current generation (after SyncGroup).
    public internal(set) var assignment: [TopicPartition] = []
    /// The leader's `ConsumerProtocolAssignment` bytes for this member when a real client led the rebalance:
    /// relayed as they are in the member's SyncGroup answer.
    public internal(set) var assignmentBytes: [UInt8]?
    /// When the session expires unless a heartbeat (or join/sync) arrives.
    public internal(set) var sessionDeadlineMs: Int64

    /// Kafka's `ClassicGroupMember.vote`: the first of this member's protocols among `candidates`.
    func vote(_ candidates: Set<String>) -> String? {
        protocols.first { candidates.contains($0) }
    }

    func matches(_ request: JoinGroupRequest) -> Bool {
        protocols == request.protocolNames
            && subscription.topics == request.subscription.topics
            && subscription.ownedPartitions == request.subscription.ownedPartitions
            && subscription.protocolMetadata == request.subscription.protocolMetadata
    }
}
