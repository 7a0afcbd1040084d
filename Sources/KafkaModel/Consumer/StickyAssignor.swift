/// Kafka's `StickyAssignor` (protocol name `sticky`, eager).
///
/// Balanced like round robin, but keeps as many partitions as possible with their previous owner. Being eager,
/// members revoke everything before rejoining; the previous assignment and its generation travel in the
/// subscription's user data, which `AssignorSubscription.ownedPartitions`/`generation` stand for here.
public struct StickyAssignor: ConsumerPartitionAssignor {
    public let name = "sticky"
    public let supportedProtocols: [RebalanceProtocol] = [.eager]

    public init() {}

    public func assign(partitionsPerTopic: [String: Int], subscriptions: [AssignorSubscription]) -> GroupAssignment {
        let result = StickyAssignmentEngine(partitionsPerTopic: partitionsPerTopic, subscriptions: subscriptions).run()
        return GroupAssignment(assignments: result.assignments)
    }
}
