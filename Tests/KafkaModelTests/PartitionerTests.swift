import Testing
@testable import KafkaModel

@Suite struct PartitionerTests {
    @Test func roundRobinSkipSequences() {
        let expectedSparse: [Int: [Int]] = [2: [1, 1, 1, 1, 1, 1, 1, 1], 3: [1, 0, 2, 1, 0, 2, 1, 0],
                                            4: [1, 3, 1, 3, 1, 3, 1, 3], 6: [1, 3, 5, 1, 3, 5, 1, 3]]
        let expectedDense: [Int: [Int]] = [2: [0, 1, 0, 1, 0, 1, 0, 1], 3: [0, 1, 2, 0, 1, 2, 0, 1],
                                           4: [0, 1, 2, 3, 0, 1, 2, 3], 6: [0, 1, 2, 3, 4, 5, 0, 1]]
        for n in [2, 3, 4, 6] {
            var sparse = RoundRobinPartitioner(numPartitions: n)
            do {
                let value = (0..<8).map { _ in sparse.sendPartition { _ in true } }
                #expect(value == expectedSparse[n]!, "sparse N=\(n)")
            }
            var dense = RoundRobinPartitioner(numPartitions: n)
            do {
                let value = (0..<8).map { _ in dense.sendPartition { _ in false } }
                #expect(value == expectedDense[n]!, "dense N=\(n)")
            }
        }
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

    @Test func uniformStickyChangesOnNewBatchAndNeverRepeats() {
        var rng = SplitMix(seed: 3)
        var p = UniformStickyPartitioner(numPartitions: 3)
        var previous = p.partition(using: &rng)
        for _ in 0..<50 {
            let next = p.sendPartition(needsNewBatch: { _ in true }, using: &rng)
            #expect(next != previous)
            previous = next
        }
        // Batch open: stays.
        let stay = p.sendPartition(needsNewBatch: { _ in false }, using: &rng)
        #expect(stay == previous)
        // onNewBatch for a partition that is no longer cached changes nothing.
        p.onNewBatch(previousPartition: (stay + 1) % 3, using: &rng)
        #expect(p.cachedPartition == stay)
        // One available partition → that one.
        var single = UniformStickyPartitioner(numPartitions: 3)
        do {
            let value = single.sendPartition(availablePartitions: [2], needsNewBatch: { _ in true }, using: &rng)
            #expect(value == 2)
        }
    }
}
