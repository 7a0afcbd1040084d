/// A topic name and a partition number, as Kafka's `TopicPartition`.
///
/// Ordered by topic name, then partition, the way Kafka's tools list them.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The topic's name.
    public let topic: String
    /// The partition's number within the topic, from 0.
    public let partition: Int

    public init(_ topic: String, _ partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    /// Kafka's spelling: `orders-2`.
    public var description: String { "\(topic)-\(partition)" }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        lhs.topic == rhs.topic ? lhs.partition < rhs.partition : lhs.topic < rhs.topic
    }
}
