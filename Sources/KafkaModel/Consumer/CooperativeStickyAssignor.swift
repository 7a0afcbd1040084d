/// Kafka's `CooperativeStickyAssignor` (protocol name `cooperative-sticky`, cooperative then eager).
///
/// Computes the sticky assignment, then withholds every partition whose new owner differs from the member
/// that currently owns it (`partitionsTransferringOwnership`). The current owner sees the partition missing,
/// revokes it and rejoins at once; the follow-up rebalance gives the freed partition to its new owner.
public struct CooperativeStickyAssignor: ConsumerPartitionAssignor {
    public let name = "cooperative-sticky"
    public let supportedProtocols: [RebalanceProtocol] = [.cooperative, .eager]

    public init() {}

    public func assign(partitionsPerTopic: [String: Int], subscriptions: [AssignorSubscription]) -> GroupAssignment {
        let result = StickyAssignmentEngine(partitionsPerTopic: partitionsPerTopic, subscriptions: subscriptions).run()
        var assignments = result.assignments
        let transferring = result.partitionsTransferringOwnership
            ?? Self.computePartitionsTransferringOwnership(subscriptions, assignments)
        for (tp, consumer) in transferring {
            assignments[consumer]?.removeAll { $0 == tp }
        }
        return GroupAssignment(assignments: assignments, partitionsTransferringOwnership: transferring)
    }

    /// Partitions newly assigned to one member that another member reported as owned (and loses).
    static func computePartitionsTransferringOwnership(_ subscriptions: [AssignorSubscription],
                                                       _ assignments: [String: [TopicPartition]]) -> [TopicPartition: String] {
        var added: [TopicPartition: String] = [:]
        var revoked = Set<TopicPartition>()
        for s in subscriptions {
            let assigned = assignments[s.memberId] ?? []
            let ownedSet = Set(s.ownedPartitions)
            for tp in assigned where !ownedSet.contains(tp) { added[tp] = s.memberId }
            let assignedSet = Set(assigned)
            for tp in s.ownedPartitions where !assignedSet.contains(tp) { revoked.insert(tp) }
        }
        return added.filter { revoked.contains($0.key) }
    }
}
