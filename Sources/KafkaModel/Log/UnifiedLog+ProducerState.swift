// The producer state of one partition (Kafka's `ProducerStateManager` with `ProducerAppendInfo`): the last five
// batches of each idempotent producer (a retried batch already in the log is answered with its offsets, KIP-98),
// producer and coordinator epochs, and the open transactions that hold back the last stable offset. Every replica
// keeps it: followers learn it from the batches they copy, so a new leader dedupes a retry too.

extension UnifiedLog {
    /// Checks a leader's append of a batch with a producer id before it is written (`analyzeAndValidateProducerState`
    /// for the client and coordinator origins): an older producer epoch is INVALID_PRODUCER_EPOCH, a sequence gap
    /// OUT_OF_ORDER_SEQUENCE_NUMBER, a marker from an older coordinator epoch TRANSACTION_COORDINATOR_FENCED, a plain
    /// batch inside the producer's open transaction INVALID_TXN_STATE.
    func validateProducerAppend(_ header: RecordBatchHeader, marker: EndTransactionMarker?) throws(LogError) {
        guard let entry = producers[header.producerId] else { return }
        let offset = logEndOffset
        if header.producerEpoch < entry.producerEpoch {
            throw .invalidProducerEpoch("Epoch of producer \(header.producerId) at offset \(offset) in \(topicPartition) is \(header.producerEpoch), which is smaller than the last seen epoch \(entry.producerEpoch)")
        }
        // Only a client's batches carry sequences (`AppendOrigin.CLIENT`); a coordinator's transactional writes (the
        // group coordinator's TxnOffsetCommit records) have none (-1) and are not checked.
        if marker == nil, !header.isControl, header.baseSequence >= 0 { try checkSequence(header, entry: entry, offset: offset) }
        if let marker {
            if entry.coordinatorEpoch > marker.coordinatorEpoch {
                throw .transactionCoordinatorFenced("Invalid coordinator epoch for producerId \(header.producerId) at offset \(offset) in partition \(topicPartition): \(marker.coordinatorEpoch) (zombie), \(entry.coordinatorEpoch) (current)")
            }
        } else if !header.isControl, !header.isTransactional, entry.currentTxnFirstOffset != nil {
            throw .invalidTxnState("Expected transactional write from producer \(header.producerId) at offset \(offset) in partition \(topicPartition)")
        }
    }

    /// `ProducerAppendInfo.checkSequence` for a client's data batch: a new epoch must start at sequence 0; within an
    /// epoch each batch must follow the last one (a partition with no epoch for the producer accepts any sequence).
    /// Both texts are Kafka's, including the missing space before "at" in the new-epoch one.
    private func checkSequence(_ header: RecordBatchHeader, entry: ProducerStateEntry, offset: Int64) throws(LogError) {
        let id = header.producerId
        let first = header.baseSequence
        if header.producerEpoch != entry.producerEpoch {
            if first != 0 && entry.producerEpoch != -1 {
                throw .outOfOrderSequenceNumber("Invalid sequence number for new epoch of producer \(id)at offset \(offset) in partition \(topicPartition): \(header.producerEpoch) (request epoch), \(first) (seq. number), \(entry.producerEpoch) (current producer epoch)")
            }
            return
        }
        let last = entry.batches.last?.lastSequence ?? -1
        let inSequence = Int64(first) == Int64(last) + 1 || (first == 0 && last == Int32.max)
        if entry.producerEpoch != -1 && !inSequence {
            throw .outOfOrderSequenceNumber("Out of order sequence number for producer \(id) at offset \(offset) in partition \(topicPartition): \(first) (incoming seq. number), \(last) (current end sequence number)")
        }
    }

    /// Updates the producer state for a batch now in the log (every origin: leader, follower, recovery) and returns
    /// the transaction a marker completed, if any. A plain data batch costs one in-place dictionary update.
    @discardableResult
    func updateProducerState(_ header: RecordBatchHeader, marker: EndTransactionMarker?, markerTimestamp: Int64) -> CompletedTxn? {
        let id = header.producerId
        if !header.isControl {
            if producers[id, default: ProducerStateEntry(producerId: id)].appendDataBatch(header) {
                // Offsets only grow, so appending keeps the list sorted by first offset.
                ongoingTxns.append(TxnMetadata(producerId: id, firstOffset: header.baseOffset))
            }
            return nil
        }
        guard let marker else { return nil }  // a control batch emptied by the cleaner, or not a transaction marker
        var entry = producers[id] ?? ProducerStateEntry(producerId: id)
        let completed = entry.currentTxnFirstOffset.map {
            CompletedTxn(producerId: id, firstOffset: $0, lastOffset: header.baseOffset, isAborted: marker.controlType == .abort)
        }
        entry.appendEndTxnMarker(epoch: header.producerEpoch, coordinatorEpoch: marker.coordinatorEpoch, timestamp: markerTimestamp)
        producers[id] = entry
        return completed
    }

    /// The last stable offset a completed transaction leaves (`ProducerStateManager.lastStableOffset`): the first
    /// offset of the next open transaction of another producer, else just past the marker.
    func lastStableOffset(after completed: CompletedTxn) -> Int64 {
        ongoingTxns.first { $0.producerId != completed.producerId }?.firstOffset ?? completed.lastOffset + 1
    }

    /// `completeTxn`: the transaction is no longer open, but holds the last stable offset until the high watermark
    /// passes its marker.
    func completeTxn(_ completed: CompletedTxn) {
        guard let index = ongoingTxns.firstIndex(where: { $0.firstOffset == completed.firstOffset }) else { return }
        var txn = ongoingTxns.remove(at: index)
        txn.lastOffset = completed.lastOffset
        unreplicatedTxns.removeAll { ($0.lastOffset ?? .max) < highWatermark }
        let at = unreplicatedTxns.firstIndex { $0.firstOffset > txn.firstOffset } ?? unreplicatedTxns.count
        unreplicatedTxns.insert(txn, at: at)
    }

    /// The first offset not yet decided (`firstUnstableOffset`): the earliest open transaction's first offset, or that
    /// of a completed one whose marker is not yet below the high watermark; never below the log start offset.
    public var firstUnstableOffset: Int64? {
        var first = ongoingTxns.first?.firstOffset
        if let waiting = unreplicatedTxns.first(where: { ($0.lastOffset ?? .max) >= highWatermark }) {
            first = min(first ?? .max, waiting.firstOffset)
        }
        return first.map { max($0, logStartOffset) }
    }

    /// The last stable offset (`UnifiedLog.lastStableOffset`): every offset below it is decided (its transaction
    /// committed or aborted, or not transactional). The first unstable offset if below the high watermark, else the
    /// high watermark: read_committed consumers read up to here.
    public var lastStableOffset: Int64 {
        guard let first = firstUnstableOffset, first < highWatermark else { return highWatermark }
        return first
    }

    /// `highWatermark − lastStableOffset`: how far read_committed consumers trail read_uncommitted ones.
    public var lastStableOffsetLag: Int64 { highWatermark - lastStableOffset }

    /// The producers this partition knows, by id (`activeProducers`).
    public var activeProducers: [Int64: ProducerStateEntry] { producers }

    /// The offsets of a batch this producer already wrote with the same sequence range (`findDuplicateBatch`), if any.
    public func duplicateBatch(_ producer: ProducerIdentity, count: Int) -> (firstOffset: Int64, lastOffset: Int64)? {
        guard producer.producerId >= 0, let entry = producers[producer.producerId] else { return nil }
        let last = RecordBatch.incrementSequence(producer.baseSequence, by: Int32(count - 1))
        guard let match = entry.duplicate(epoch: producer.producerEpoch, firstSequence: producer.baseSequence,
                                          lastSequence: last) else { return nil }
        return (match.firstOffset, match.lastOffset)
    }

    /// Forgets all producer state (`truncateFullyAndStartAt`).
    func resetProducerState() {
        producers = [:]
        ongoingTxns = []
        unreplicatedTxns = []
    }
}
