/// The result of one assignment computed by the group leader.
public struct GroupAssignment: Sendable, Equatable {
    /// Partitions per member id, each list sorted by (topic, partition) in Java string order.
    /// Every member in the input has an entry (possibly empty).
    public var assignments: [String: [TopicPartition]]
    /// For the cooperative assignor: partitions withheld this round because they change owner,
    /// mapped to the member that will receive them once the current owner has revoked them.
    public var partitionsTransferringOwnership: [TopicPartition: String]

    public init(assignments: [String: [TopicPartition]], partitionsTransferringOwnership: [TopicPartition: String] = [:]) {
        self.assignments = assignments.mapValues { $0.sorted(by: JavaString.topicPartitionLessThan) }
        self.partitionsTransferringOwnership = partitionsTransferringOwnership
    }

    /// The partitions assigned to `memberId` (empty for unknown members).
    public subscript(memberId: String) -> [TopicPartition] {
        assignments[memberId] ?? []
    }
}
