/// Kafka's `org.apache.kafka.clients.producer.RoundRobinPartitioner` (keys ignored), including the
/// KAFKA-9965 quirk. One value per topic.
///
/// `partition(...)` takes `available[toPositive(counter++) % available.count]` (all partitions when
/// none is available). Because it is a custom partitioner, the producer aborts an append that would
/// open a new batch and calls `partition` a second time for the same record, so the counter moves by
/// two and the record lands on the second pick: `sendPartition(needsNewBatch:)` models that.
/// With every send opening a batch and an even partition count, only odd partitions get data.
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

    /// The producer's send path for one record (`KafkaProducer.doSend` with `abortOnNewBatch`): if the
    /// first pick `needsNewBatch`, `onNewBatch` (a no-op here) and pick again.
    public mutating func sendPartition(availablePartitions: [Int]? = nil, needsNewBatch: (Int) -> Bool) -> Int {
        let first = partition(availablePartitions: availablePartitions)
        guard needsNewBatch(first) else { return first }
        return partition(availablePartitions: availablePartitions)
    }
}
