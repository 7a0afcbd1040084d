/// A group member's subscription as the group leader's assignor sees it
/// (`ConsumerPartitionAssignor.Subscription` plus the member id).
public struct AssignorSubscription: Sendable, Hashable {
    /// The coordinator-generated member id (`<client.id>-<UUID>`).
    public var memberId: String
    /// `group.instance.id` for static members, `nil` for dynamic ones.
    public var groupInstanceId: String?
    /// Topics the member subscribes to.
    public var topics: [String]
    /// Partitions the member claims it owned: `ownedPartitions` for cooperative members, the previous assignment
    /// encoded in user data for the eager `StickyAssignor`. Ignored by Range and RoundRobin.
    public var ownedPartitions: [TopicPartition]
    /// The generation in which `ownedPartitions` were owned (`nil` = unknown, Kafka's `Optional.empty()`).
    public var generation: Int?
    /// A real client's protocol metadata as it sent it, per assignor name: the coordinator hands these bytes to
    /// the leader untouched (Kafka never reads them). Empty for simulated members, whose subscription is typed.
    public var protocolMetadata: [String: [UInt8]] = [:]

    public init(memberId: String, groupInstanceId: String? = nil, topics: [String],
                ownedPartitions: [TopicPartition] = [], generation: Int? = nil) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.topics = topics
        self.ownedPartitions = ownedPartitions
        self.generation = generation
    }
}
