/// A JoinGroup request of the classic consumer protocol, reduced to what the coordinator uses.
public struct JoinGroupRequest: Sendable, Equatable {
    /// The member id; empty for a member joining for the first time.
    public var memberId: String
    /// `group.instance.id` of a static member.
    public var groupInstanceId: String?
    /// `client.id` of the consumer, e.g. `consumer-my-group-1`.
    public var clientId: String
    /// The client's address as the broker sees it, e.g. `/127.0.0.1`.
    public var clientHost: String
    /// `session.timeout.ms` (default 45000).
    public var sessionTimeoutMs: Int
    /// Rebalance timeout = the consumer's `max.poll.interval.ms` (default 300000).
    public var rebalanceTimeoutMs: Int
    /// Protocol type, `consumer` for consumer groups.
    public var protocolType: String
    /// Assignor names from `partition.assignment.strategy`, preferred first.
    public var protocols: [String]
    /// The subscription carried in each protocol's metadata (topics, owned partitions, generation).
    public var subscription: AssignorSubscription
    /// The client's `reason` field (KIP-800), if any.
    public var reason: String?

    public init(memberId: String = "", groupInstanceId: String? = nil, clientId: String, clientHost: String = "/127.0.0.1",
                sessionTimeoutMs: Int = 45_000, rebalanceTimeoutMs: Int = 300_000, protocolType: String = "consumer",
                protocols: [String] = ["range", "cooperative-sticky"], topics: [String],
                ownedPartitions: [TopicPartition] = [], generation: Int? = nil, reason: String? = nil) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.clientHost = clientHost
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.protocolType = protocolType
        self.protocols = protocols
        self.subscription = AssignorSubscription(memberId: memberId, groupInstanceId: groupInstanceId, topics: topics,
                                                 ownedPartitions: ownedPartitions, generation: generation)
        self.reason = reason
    }
}
