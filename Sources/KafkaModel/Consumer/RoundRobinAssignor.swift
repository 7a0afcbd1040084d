/// Kafka's `RoundRobinAssignor` (protocol name `roundrobin`, eager).
///
/// All partitions of all subscribed topics, topics sorted by name, are dealt to the members (ordered
/// static-first by instance id, then by member id) in a circle, skipping members not subscribed to the
/// partition's topic. Unequal subscriptions can therefore end up unbalanced.
public struct RoundRobinAssignor: ConsumerPartitionAssignor {
    public let name = "roundrobin"
    public let supportedProtocols: [RebalanceProtocol] = [.eager]

    public init() {}

    public func assign(partitionsPerTopic: [String: Int], subscriptions: [AssignorSubscription]) -> GroupAssignment {
        var result: [String: [TopicPartition]] = [:]
        for s in subscriptions { result[s.memberId] = [] }
        guard !subscriptions.isEmpty else { return GroupAssignment(assignments: result) }
        let members = subscriptions.sorted(by: MemberInfoOrder.lessThan)
        let topicSets = members.map { Set($0.topics) }
        let topics = Set(subscriptions.flatMap(\.topics)).sorted(by: JavaString.lessThan)
        var cursor = 0
        for topic in topics {
            guard let count = partitionsPerTopic[topic] else { continue }
            for p in 0..<count {
                while !topicSets[cursor].contains(topic) { cursor = (cursor + 1) % members.count }
                result[members[cursor].memberId, default: []].append(TopicPartition(topic, p))
                cursor = (cursor + 1) % members.count
            }
        }
        return GroupAssignment(assignments: result)
    }
}
