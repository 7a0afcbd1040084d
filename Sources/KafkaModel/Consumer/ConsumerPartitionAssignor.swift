/// A client-side partition assignor of the classic group protocol (`partition.assignment.strategy`).
///
/// Implementations are pure: the same subscriptions (in the same order — the order the coordinator
/// returned the members in, which matters where Kafka iterates a `HashMap`) give the same assignment.
public protocol ConsumerPartitionAssignor: Sendable {
    /// The protocol name sent in JoinGroup: `range`, `roundrobin`, `sticky` or `cooperative-sticky`.
    var name: String { get }
    /// Rebalance protocols supported, preferred first.
    var supportedProtocols: [RebalanceProtocol] { get }
    /// Assigns the partitions of `partitionsPerTopic` (topic → partition count) to the members.
    /// Topics subscribed to but absent from `partitionsPerTopic` are ignored, as Kafka does for topics without metadata.
    func assign(partitionsPerTopic: [String: Int], subscriptions: [AssignorSubscription]) -> GroupAssignment
}
