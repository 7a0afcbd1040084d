/// KIP-480 sticky partitioning (Kafka 2.4–3.2 `DefaultPartitioner` for null keys, `UniformStickyPartitioner`,
/// `StickyPartitionCache`). One value per topic.
///
/// The producer calls `partition(...)` for each record; when that record would have to open a new batch
/// it calls `onNewBatch(previousPartition:...)` and then `partition(...)` again, and appends there.
/// `sendPartition(needsNewBatch:...)` runs that two-step dance in one call.
public struct UniformStickyPartitioner: Sendable, Hashable {
    /// Partitions of the topic.
    public var numPartitions: Int
    /// The cached sticky partition (`indexCache.get(topic)`).
    public private(set) var cachedPartition: Int?

    public init(numPartitions: Int) {
        precondition(numPartitions > 0)
        self.numPartitions = numPartitions
    }

    /// `partition()`: the cached partition, choosing one if there is none.
    public mutating func partition(availablePartitions: [Int]? = nil,
                                   using generator: inout some RandomNumberGenerator) -> Int {
        if let cachedPartition { return cachedPartition }
        return nextPartition(previousPartition: -1, availablePartitions: availablePartitions, using: &generator)
    }

    /// `onNewBatch(topic, cluster, prevPartition)`: move on if the cache still points at `previousPartition`.
    public mutating func onNewBatch(previousPartition: Int, availablePartitions: [Int]? = nil,
                                    using generator: inout some RandomNumberGenerator) {
        _ = nextPartition(previousPartition: previousPartition, availablePartitions: availablePartitions,
                          using: &generator)
    }

    /// `StickyPartitionCache.nextPartition`: only when the cache is empty or equals `previousPartition`,
    /// draw among available partitions, re-drawing until different from the old one when ≥ 2 are available;
    /// exactly one available → it; none → random over all.
    mutating func nextPartition(previousPartition: Int, availablePartitions: [Int]?,
                                using generator: inout some RandomNumberGenerator) -> Int {
        let old = cachedPartition
        guard old == nil || old == previousPartition else { return old! }
        let available = availablePartitions ?? Array(0..<numPartitions)
        var new: Int
        if available.isEmpty {
            new = nextPositiveInt(using: &generator) % numPartitions
        } else if available.count == 1 {
            new = available[0]
        } else {
            repeat {
                new = available[nextPositiveInt(using: &generator) % available.count]
            } while new == old
        }
        cachedPartition = new
        return new
    }

    /// The producer's send path for one record: pick, and if that partition `needsNewBatch`, call
    /// `onNewBatch` and pick again. Returns the partition the record is appended to.
    public mutating func sendPartition(availablePartitions: [Int]? = nil, needsNewBatch: (Int) -> Bool,
                                       using generator: inout some RandomNumberGenerator) -> Int {
        let first = partition(availablePartitions: availablePartitions, using: &generator)
        guard needsNewBatch(first) else { return first }
        onNewBatch(previousPartition: first, availablePartitions: availablePartitions, using: &generator)
        return partition(availablePartitions: availablePartitions, using: &generator)
    }
}
