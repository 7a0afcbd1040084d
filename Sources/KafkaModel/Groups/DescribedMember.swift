/// A group member as `--describe` needs it.
public struct DescribedMember: Sendable, Equatable {
    /// Member id (CONSUMER-ID).
    public var consumerId: String
    /// HOST.
    public var host: String
    /// CLIENT-ID.
    public var clientId: String
    /// Assigned partitions.
    public var assignment: [TopicPartition]

    public init(consumerId: String, host: String, clientId: String, assignment: [TopicPartition]) {
        self.consumerId = consumerId
        self.host = host
        self.clientId = clientId
        self.assignment = assignment
    }
}
