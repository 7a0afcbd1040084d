/// One batch a producer is filling for one partition (Kafka's `ProducerBatch`).
public struct ProducerBatch: Sendable, Equatable {
    /// The producer-wide batch number, from 1.
    public let id: Int
    public let partition: TopicPartition
    public internal(set) var records: [Record]
    /// Estimated bytes of the encoded batch (header included), as `MemoryRecordsBuilder` estimates.
    public internal(set) var estimatedSize: Int
    /// Simulated time the batch was opened.
    public let createdMs: Int64
    /// Closed for appends because the next record did not fit (`batch.size` reached).
    public internal(set) var isFull = false
}

/// Kafka's `RecordAccumulator`: per-partition queues of batches that fill up to `batch.size` and
/// are drained when full, when `linger.ms` has passed since they opened, or on `flush`.
public struct RecordAccumulator: Sendable, Equatable {
    /// The v2 batch header size (`DefaultRecordBatch.RECORD_BATCH_OVERHEAD`).
    public static let batchOverhead = 61

    public let batchSize: Int
    /// Open and waiting batches, per partition, oldest first.
    public private(set) var batches: [TopicPartition: [ProducerBatch]] = [:]
    private var nextBatchId = 1

    public init(batchSize: Int) { self.batchSize = batchSize }

    /// What one append did.
    public struct Appended: Sendable, Equatable {
        public let batchId: Int
        public let indexInBatch: Int
        /// The append opened a new batch.
        public let newBatch: Bool
        /// Growth of the partition's estimated bytes (a new batch counts its header).
        public let appendedBytes: Int
    }

    /// Whether `record` would need a new batch on `partition` (no open batch, or no room).
    public func needsNewBatch(_ partition: TopicPartition, _ record: Record) -> Bool {
        guard let last = batches[partition]?.last, !last.isFull else { return true }
        return last.estimatedSize + recordSize(record, in: last) > max(batchSize, last.estimatedSize)
    }

    /// True when the partition has no open batch (Kafka's `allBatchesFull`).
    public func allBatchesFull(_ partition: TopicPartition) -> Bool {
        guard let last = batches[partition]?.last else { return true }
        return last.isFull
    }

    private func recordSize(_ record: Record, in batch: ProducerBatch) -> Int {
        let first = batch.records.first?.timestamp ?? record.timestamp
        return Record.sizeInBytes(offsetDelta: Int32(batch.records.count), timestampDelta: record.timestamp - first,
                                  key: record.key, value: record.value, headers: record.headers)
    }

    /// Appends to the partition's open batch, or closes it and opens a new one.
    public mutating func append(_ record: Record, to partition: TopicPartition, nowMs: Int64) -> Appended {
        if !needsNewBatch(partition, record), var last = batches[partition]?.popLast() {
            let size = recordSize(record, in: last)
            last.records.append(record)
            last.estimatedSize += size
            if last.estimatedSize >= batchSize { last.isFull = true }
            batches[partition]!.append(last)
            return Appended(batchId: last.id, indexInBatch: last.records.count - 1, newBatch: false, appendedBytes: size)
        }
        if let count = batches[partition]?.count, count > 0 { batches[partition]![count - 1].isFull = true }
        var batch = ProducerBatch(id: nextBatchId, partition: partition, records: [record], estimatedSize: 0, createdMs: nowMs)
        nextBatchId += 1
        batch.estimatedSize = Self.batchOverhead + recordSize(record, in: batch)
        if batch.estimatedSize >= batchSize { batch.isFull = true }
        batches[partition, default: []].append(batch)
        return Appended(batchId: batch.id, indexInBatch: 0, newBatch: true, appendedBytes: batch.estimatedSize)
    }

    // MARK: The batched send path (`Cluster.send(producer:topic:value:count:)`)

    /// Removes the partition's open (last, not full) batch, for the caller to fill and give back.
    mutating func takeOpenBatch(_ partition: TopicPartition) -> ProducerBatch? {
        guard let last = batches[partition]?.last, !last.isFull else { return nil }
        batches[partition]!.removeLast()
        if batches[partition]!.isEmpty { batches[partition] = nil }
        return last
    }

    /// Puts back a batch taken with `takeOpenBatch` or made with `newBatch`, as the partition's last.
    mutating func restoreOpenBatch(_ batch: ProducerBatch) {
        batches[batch.partition, default: []].append(batch)
    }

    /// A new batch holding `record` (as `append` opens one), not yet in the accumulator.
    mutating func newBatch(_ record: Record, to partition: TopicPartition, nowMs: Int64) -> ProducerBatch {
        var batch = ProducerBatch(id: nextBatchId, partition: partition, records: [record], estimatedSize: 0, createdMs: nowMs)
        nextBatchId += 1
        batch.estimatedSize = Self.batchOverhead + recordSize(record, in: batch)
        if batch.estimatedSize >= batchSize { batch.isFull = true }
        return batch
    }

    /// Removes and returns the batches that are ready: full, or open for at least `lingerMs`
    /// (all of them when `flush`), in partition order.
    public mutating func drain(nowMs: Int64, lingerMs: Int64, flush: Bool = false) -> [ProducerBatch] {
        var ready: [ProducerBatch] = []
        for partition in batches.keys.sorted() {
            var queue = batches[partition]!
            while let first = queue.first, flush || first.isFull || nowMs - first.createdMs >= lingerMs {
                ready.append(queue.removeFirst())
            }
            batches[partition] = queue.isEmpty ? nil : queue
        }
        return ready
    }

    /// The earliest time a waiting batch's `linger.ms` runs out.
    public func nextLingerDeadline(lingerMs: Int64) -> Int64? {
        batches.values.compactMap { $0.first.map { $0.createdMs + lingerMs } }.min()
    }

    /// Records waiting, over all partitions.
    public var pendingRecords: Int { batches.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.records.count } } }
}
