import Testing
@testable import KafkaModel

@Suite struct PartitionerTests {
    /// Kafka 4.0.0 rotates strictly: `RoundRobinPartitioner.partition` takes `counter.getAndIncrement()` and the
    /// producer calls it once per record (`KafkaProducer.doSend`; `Partitioner#onNewBatch` is gone, KAFKA-18295),
    /// so KAFKA-9965's skipping (records 1..8 on 2 partitions all landing on 1) no longer happens (KAFKA-17632).
    /// Vectors: kafka-facts.md §2.4.
    @Test func roundRobinRotatesStrictly() {
        let expected: [Int: [Int]] = [2: [0, 1, 0, 1, 0, 1, 0, 1], 3: [0, 1, 2, 0, 1, 2, 0, 1],
                                      4: [0, 1, 2, 3, 0, 1, 2, 3], 6: [0, 1, 2, 3, 4, 5, 0, 1]]
        for n in [2, 3, 4, 6] {
            var p = RoundRobinPartitioner(numPartitions: n)
            let value = (0..<8).map { _ in p.partition() }
            #expect(value == expected[n]!, "N=\(n)")
        }
        // A partition without a leader drops out of the rotation: 3 partitions, p1 leaderless → 0, 2, 0, 2.
        var q = RoundRobinPartitioner(numPartitions: 3)
        #expect((0..<4).map { _ in q.partition(availablePartitions: [0, 2]) } == [0, 2, 0, 2])
    }

    @Test func roundRobinDirectCallsAreUniform() {
        var p = RoundRobinPartitioner(numPartitions: 3)
        var counts = [0, 0, 0]
        for _ in 0..<30 { counts[p.partition()] += 1 }
        #expect(counts == [10, 10, 10])
        var q = RoundRobinPartitioner(numPartitions: 5)
        do {
            let value = (0..<4).map { _ in q.partition(availablePartitions: [1, 4]) }
            #expect(value == [1, 4, 1, 4])
        }
    }

    @Test func builtInSwitchesAfterBatchSizeAtBatchBoundary() {
        var rng = SplitMix(seed: 1)
        var p = BuiltInPartitioner(numPartitions: 6, batchSize: 1000)
        let first = p.currentPartition(using: &rng)
        // Batch still open: no switch below 2 × batch.size.
        do {
            let value = p.afterAppend(appendedBytes: 1200, allBatchesFull: false)
            #expect(!value)
        }
        do {
            let value = p.currentPartition(using: &rng)
            #expect(value == first)
        }
        // Held-back switch happens before the next append once the batch is closed.
        do {
            let value = p.beforeAppend(allBatchesFull: true)
            #expect(value)
        }
        #expect(p.stickyPartition == nil)
        _ = p.currentPartition(using: &rng)
        #expect(p.producedBytes == 0)
        // Switch when batch.size reached and the batch is full.
        do {
            let value = p.afterAppend(appendedBytes: 999, allBatchesFull: true)
            #expect(!value)
        }
        do {
            let value = p.afterAppend(appendedBytes: 1, allBatchesFull: true)
            #expect(value)
        }
        // Hard cap at 2 × batch.size even with an open batch.
        _ = p.currentPartition(using: &rng)
        do {
            let value = p.afterAppend(appendedBytes: 1999, allBatchesFull: false)
            #expect(!value)
        }
        do {
            let value = p.afterAppend(appendedBytes: 1, allBatchesFull: false)
            #expect(value)
        }
        // Below batch.size a closed batch does not switch before append.
        _ = p.currentPartition(using: &rng)
        _ = p.afterAppend(appendedBytes: 10, allBatchesFull: false)
        do {
            let value = p.beforeAppend(allBatchesFull: true)
            #expect(!value)
        }
    }

    @Test func builtInMayRedrawTheSamePartitionAndIsUniformOverAvailable() {
        var rng = SplitMix(seed: 42)
        var p = BuiltInPartitioner(numPartitions: 4, batchSize: 100)
        var seen: [Int: Int] = [:]
        var repeats = 0
        var previous = -1
        for _ in 0..<4000 {
            let part = p.currentPartition(availablePartitions: [0, 2, 3], using: &rng)
            seen[part, default: 0] += 1
            if part == previous { repeats += 1 }
            previous = part
            _ = p.afterAppend(appendedBytes: 100, allBatchesFull: true)
        }
        #expect(seen[1] == nil)
        #expect(Set(seen.keys) == [0, 2, 3])
        #expect(repeats > 0)  // no exclusion of the old partition
    }

    @Test func builtInAdaptiveCumulativeFrequencyTable() {
        var p = BuiltInPartitioner(numPartitions: 3)
        p.updatePartitionLoadStats(queueSizes: [0, 3, 1], partitionIds: [0, 1, 2])
        #expect(p.partitionLoadStats?.cumulativeFrequencyTable == [4, 5, 8])
        // r ∈ 0...3 → p0, 4 → p1, 5...7 → p2
        struct Fixed: RandomNumberGenerator { var value: UInt64; mutating func next() -> UInt64 { value } }
        for (r, expected) in [(0, 0), (3, 0), (4, 1), (5, 2), (7, 2), (8, 0)] {
            var g = Fixed(value: UInt64(r))
            do {
                let value = p.nextPartition(using: &g)
                #expect(value == expected, "r=\(r)")
            }
        }
        p.updatePartitionLoadStats(queueSizes: [2, 2, 2], partitionIds: [0, 1, 2])
        #expect(p.partitionLoadStats == nil)
        p.updatePartitionLoadStats(queueSizes: [2], partitionIds: [0])
        #expect(p.partitionLoadStats == nil)
    }
}
