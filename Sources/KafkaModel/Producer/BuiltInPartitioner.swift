/// Kafka 3.3+'s default null-key partitioner (KIP-794 "strictly uniform sticky", with adaptive
/// partitioning), `org.apache.kafka.clients.producer.internals.BuiltInPartitioner`. One value per topic.
///
/// The producer's accumulator drives it:
/// 1. `beforeAppend(allBatchesFull:)` — before appending a record to the sticky partition: if the
///    partition's deque has no open batch (`allBatchesFull`) and at least `batch.size` bytes went to it,
///    the switch that was held back happens now (`RecordAccumulator.partitionChanged`).
/// 2. `currentPartition(using:)` — the sticky partition; picks one (`nextPartition`) if there is none.
/// 3. `afterAppend(appendedBytes:allBatchesFull:)` — after the append, with the growth of the batch's
///    estimated size (a new batch counts its header) and whether the deque's last batch is now full.
///    Switches iff `producedBytes ≥ batch.size && allBatchesFull || producedBytes ≥ 2 × batch.size`.
///    A switch forgets the partition; the next `currentPartition` draws again (and may draw the same one).
/// 4. `updatePartitionLoadStats(queueSizes:partitionIds:)` — optional adaptive weighting from the
///    per-partition batch queue lengths (`partitioner.adaptive.partitioning.enable`).
public struct BuiltInPartitioner: Sendable, Hashable {
    /// Cumulative frequency table for adaptive partitioning (Kafka's `PartitionLoadStats`).
    public struct PartitionLoadStats: Sendable, Hashable {
        /// Running sums of `maxQueueLen + 1 − queueLen`.
        public var cumulativeFrequencyTable: [Int]
        /// The partition each table entry stands for.
        public var partitionIds: [Int]
    }

    /// Partitions of the topic (`numPartitions`).
    public var numPartitions: Int
    /// `batch.size` (Kafka's `stickyBatchSize`).
    public let stickyBatchSize: Int
    /// The current sticky partition, or `nil` when the next append must draw one.
    public private(set) var stickyPartition: Int?
    /// Bytes produced to the sticky partition since it was chosen.
    public private(set) var producedBytes: Int = 0
    /// Adaptive weights, or `nil` for uniform choice.
    public private(set) var partitionLoadStats: PartitionLoadStats?

    public init(numPartitions: Int, batchSize: Int = 16384) {
        precondition(numPartitions > 0 && batchSize > 0)
        self.numPartitions = numPartitions
        self.stickyBatchSize = batchSize
    }

    /// The sticky partition; draws one with `nextPartition` if none is current (`peekCurrentPartitionInfo`).
    /// `availablePartitions` are the partitions that have a leader (`nil` = all).
    public mutating func currentPartition(availablePartitions: [Int]? = nil,
                                          using generator: inout some RandomNumberGenerator) -> Int {
        if let stickyPartition { return stickyPartition }
        let partition = nextPartition(availablePartitions: availablePartitions, using: &generator)
        stickyPartition = partition
        producedBytes = 0
        return partition
    }

    /// Kafka's `nextPartition`: weighted by the load stats if present, else uniform over the available
    /// partitions (over all if none is available). Random = `toPositive(nextInt())`.
    public func nextPartition(availablePartitions: [Int]? = nil,
                              using generator: inout some RandomNumberGenerator) -> Int {
        let random = nextPositiveInt(using: &generator)
        if let stats = partitionLoadStats {
            let table = stats.cumulativeFrequencyTable
            let weighted = random % table[table.count - 1]
            // First entry strictly greater than `weighted` (Kafka: abs(binarySearch + 1)).
            var low = 0
            var high = table.count
            while low < high {
                let mid = (low + high) / 2
                if table[mid] <= weighted { low = mid + 1 } else { high = mid }
            }
            return stats.partitionIds[low]
        }
        let available = availablePartitions ?? Array(0..<numPartitions)
        if available.isEmpty { return random % numPartitions }
        return available[random % available.count]
    }

    /// Before appending to the sticky partition: performs a switch that was held back while a batch
    /// was open, once `allBatchesFull` and `producedBytes ≥ batch.size`. Returns whether it switched.
    @discardableResult
    public mutating func beforeAppend(allBatchesFull: Bool) -> Bool {
        guard stickyPartition != nil, allBatchesFull else { return false }
        return update(appendedBytes: 0, enableSwitch: true)
    }

    /// After appending `appendedBytes` to the sticky partition (Kafka's `updatePartitionInfo`).
    /// `allBatchesFull`: the deque's last batch is full (or there is none). Returns whether it switched.
    @discardableResult
    public mutating func afterAppend(appendedBytes: Int, allBatchesFull: Bool) -> Bool {
        guard stickyPartition != nil else { return false }
        return update(appendedBytes: appendedBytes, enableSwitch: allBatchesFull)
    }

    private mutating func update(appendedBytes: Int, enableSwitch: Bool) -> Bool {
        producedBytes += appendedBytes
        if producedBytes >= stickyBatchSize && enableSwitch || producedBytes >= stickyBatchSize * 2 {
            stickyPartition = nil
            producedBytes = 0
            return true
        }
        return false
    }

    /// Kafka's `updatePartitionLoadStats`: `queueSizes[i]` is the batch queue length of `partitionIds[i]`
    /// (partitions with a leader). Uniform (no stats) when `nil`, fewer than 2 partitions, or all queue
    /// lengths equal; otherwise weights `maxQueueLen + 1 − queueLen` as a running sum.
    /// Example: queue sizes `0 3 1` → table `4 5 8`.
    public mutating func updatePartitionLoadStats(queueSizes: [Int]?, partitionIds: [Int]) {
        guard var sizes = queueSizes, !sizes.isEmpty, sizes.count >= 2 else {
            partitionLoadStats = nil
            return
        }
        precondition(sizes.count == partitionIds.count)
        var maxSizePlus1 = sizes[0]
        var allEqual = true
        for i in 1..<sizes.count {
            if sizes[i] != maxSizePlus1 { allEqual = false }
            if sizes[i] > maxSizePlus1 { maxSizePlus1 = sizes[i] }
        }
        maxSizePlus1 += 1
        if allEqual && partitionIds.count == numPartitions {
            partitionLoadStats = nil
            return
        }
        sizes[0] = maxSizePlus1 - sizes[0]
        for i in 1..<sizes.count { sizes[i] = maxSizePlus1 - sizes[i] + sizes[i - 1] }
        partitionLoadStats = PartitionLoadStats(cumulativeFrequencyTable: sizes, partitionIds: partitionIds)
    }
}
