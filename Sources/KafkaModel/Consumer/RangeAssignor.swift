/// Kafka's `RangeAssignor` (protocol name `range`, eager).
///
/// Per topic independently: the subscribed members, ordered static-first by instance id then by member id,
/// receive consecutive ranges; with `P` partitions and `M` members the first `P % M` members get one extra.
/// Rack-aware placement (KIP-881) is not modelled.
public struct RangeAssignor: ConsumerPartitionAssignor {
    public let name = "range"
    public let supportedProtocols: [RebalanceProtocol] = [.eager]

    public init() {}

    public func assign(partitionsPerTopic: [String: Int], subscriptions: [AssignorSubscription]) -> GroupAssignment {
        var result: [String: [TopicPartition]] = [:]
        for s in subscriptions { result[s.memberId] = [] }
        var consumersPerTopic: [String: [AssignorSubscription]] = [:]
        for s in subscriptions {
            for topic in Set(s.topics) { consumersPerTopic[topic, default: []].append(s) }
        }
        for (topic, members) in consumersPerTopic {
            guard let count = partitionsPerTopic[topic], count > 0 else { continue }
            let sorted = members.sorted(by: MemberInfoOrder.lessThan)
            let perConsumer = count / sorted.count
            let extra = count % sorted.count
            var next = 0
            for (i, member) in sorted.enumerated() {
                let n = perConsumer + (i < extra ? 1 : 0)
                for p in next..<(next + n) { result[member.memberId, default: []].append(TopicPartition(topic, p)) }
                next += n
            }
        }
        return GroupAssignment(assignments: result)
    }
}
