/// One idempotent batch in the log: its producer epoch, sequence range and offsets.
struct ProducerBatchMetadata: Sendable, Equatable {
    let producerEpoch: Int16
    let firstSequence: Int32
    let lastSequence: Int32
    let firstOffset: Int64
    let lastOffset: Int64
}

// Duplicate detection for idempotent producers (KIP-98): the broker keeps the last five batches of each producer id,
// on every replica (followers learn them from the batches they copy, so a new leader dedupes a retry too).
extension UnifiedLog {
    /// How many recent batches per producer are kept (`ProducerStateEntry.NUM_BATCHES_TO_RETAIN`).
    static let producerBatchesRetained = 5

    func rememberProducerBatch(_ header: RecordBatchHeader) {
        var batches = producerBatches[header.producerId] ?? []
        if let last = batches.last, last.producerEpoch != header.producerEpoch { batches.removeAll() }
        batches.append(ProducerBatchMetadata(producerEpoch: header.producerEpoch, firstSequence: header.baseSequence,
                                             lastSequence: header.lastSequence, firstOffset: header.baseOffset,
                                             lastOffset: header.lastOffset))
        if batches.count > Self.producerBatchesRetained { batches.removeFirst(batches.count - Self.producerBatchesRetained) }
        producerBatches[header.producerId] = batches
    }

    /// The offsets of a batch this producer already wrote with the same sequence range (`findDuplicateBatch`), if any.
    public func duplicateBatch(_ producer: ProducerIdentity, count: Int) -> (firstOffset: Int64, lastOffset: Int64)? {
        guard producer.producerId >= 0, let batches = producerBatches[producer.producerId] else { return nil }
        let last = RecordBatch.incrementSequence(producer.baseSequence, by: Int32(count - 1))
        guard let match = batches.first(where: {
            $0.producerEpoch == producer.producerEpoch && $0.firstSequence == producer.baseSequence && $0.lastSequence == last
        }) else { return nil }
        return (match.firstOffset, match.lastOffset)
    }

    /// Forgets batches at or past `offset` (the log was truncated there).
    func forgetProducerBatches(from offset: Int64) {
        for (id, batches) in producerBatches {
            let kept = batches.filter { $0.lastOffset < offset }
            producerBatches[id] = kept.isEmpty ? nil : kept
        }
    }
}
