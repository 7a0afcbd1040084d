/// Kafka 4.0.0's `org.apache.kafka.clients.producer.RoundRobinPartitioner` (keys ignored). One value per topic.
///
/// `partition(...)`: `int nextValue = nextValue(topic);` (`counter.getAndIncrement()`), then
/// `availablePartitions.get(Utils.toPositive(nextValue) % availablePartitions.size())`, or
/// `Utils.toPositive(nextValue) % numPartitions` when no partition has a leader.
/// 4.0 calls `partition()` exactly once per record: KAFKA-17632 stopped the skipping of KAFKA-9965
/// (the second call made when a record opened a new batch), and KAFKA-18295 removed `Partitioner#onNewBatch`
/// and that second call altogether. So the rotation is strict: 0, 1, 2, 3, 0, 1, … whatever the batching.
public struct RoundRobinPartitioner: Sendable, Hashable {
    /// Partitions of the topic.
    public var numPartitions: Int
    /// The per-topic counter (starts at 0).
    public private(set) var counter: Int32 = 0

    public init(numPartitions: Int) {
        precondition(numPartitions > 0)
        self.numPartitions = numPartitions
    }

    /// One call of `RoundRobinPartitioner.partition`.
    public mutating func partition(availablePartitions: [Int]? = nil) -> Int {
        let value = counter
        counter = counter &+ 1
        let positive = Int(toPositive(value))
        if let available = availablePartitions, !available.isEmpty {
            return available[positive % available.count]
        }
        return positive % numPartitions
    }
}
