// What the transaction coordinator (issue 11) will call on a partition leader's log: transactional appends and
// COMMIT/ABORT markers (`WriteTxnMarkers`), with the aborted-transaction index and producer state snapshots they feed.

extension UnifiedLog {
    /// Appends `records` as one batch of `producer` at the log end offset, as the leader does for a client's produce:
    /// transactional (attribute bit 4) when `isTransactional`, which opens the producer's transaction on this partition
    /// at the batch's first offset if none is open. Throws INVALID_PRODUCER_EPOCH for an older epoch, INVALID_TXN_STATE
    /// for a plain batch inside an open transaction, and whatever `append` throws.
    @discardableResult
    public func appendAsLeader(records: [Record], producer: ProducerIdentity, isTransactional: Bool,
                               nowMs: Int64) throws(LogError) -> AppendResult {
        precondition(!records.isEmpty, "a batch holds at least one record")
        return try append(records: records, repeating: records[0], count: 0, nowMs: nowMs, producer: producer,
                          isTransactional: isTransactional)
    }

    /// Writes a COMMIT or ABORT marker for `producerId` (`MemoryRecords.withEndTransactionMarker`, appended with the
    /// coordinator origin): a control batch of one record at the log end offset, stamped `nowMs`. It ends the
    /// producer's open transaction here; an ABORT is recorded in the active segment's `.txnindex`. The result's
    /// `firstOffset` is the marker's offset. Throws INVALID_PRODUCER_EPOCH for an epoch older than the producer's and
    /// TRANSACTION_COORDINATOR_FENCED for a coordinator epoch older than the last marker's.
    @discardableResult
    public func appendEndTxnMarker(producerId: Int64, epoch: Int16, coordinatorEpoch: Int32, type: ControlRecordType,
                                   nowMs: Int64) throws(LogError) -> AppendResult {
        precondition(type == .commit || type == .abort, "an end-transaction marker is COMMIT or ABORT")
        let marker = EndTransactionMarker(controlType: type, coordinatorEpoch: coordinatorEpoch)
        return try append(batch: marker.batch(offset: logEndOffset, timestamp: nowMs, producerId: producerId,
                                              producerEpoch: epoch, partitionLeaderEpoch: leaderEpoch), nowMs: nowMs)
    }

    /// The COMMIT/ABORT marker of an encoded control batch and its timestamp; nil for an empty control batch (the
    /// cleaner removed its record) or another control type.
    func endTxnMarker(in batch: UnsafeRawBufferPointer, header: RecordBatchHeader) throws(LogError) -> (EndTransactionMarker, timestamp: Int64)? {
        var records: [Record] = []
        do throws(RecordBatchError) {
            try RecordBatch.decodeRecords(header: header, buffer: batch, at: 0, minOffset: .min, limit: 1, into: &records)
        } catch { throw .corruptMessage(error) }
        guard let record = records.first, let marker = EndTransactionMarker(record: record) else { return nil }
        return (marker, record.timestamp)
    }

    /// Records an aborted transaction in the index of the segment its marker went to (`LogSegment.updateTxnIndex`).
    func appendAbortedTxn(_ completed: CompletedTxn, segmentBaseOffset: Int64) {
        let entry = AbortedTxn(producerId: completed.producerId, firstOffset: completed.firstOffset,
                               lastOffset: completed.lastOffset, lastStableOffset: lastStableOffset(after: completed))
        abortedTxnIndex[segmentBaseOffset, default: []].append(entry)
        // Memory is what fetches read; a failed write leaves the file short, and recovery rebuilds its entries from
        // the markers in the log (as Kafka's does for the segments it recovers).
        try? storage.append(TransactionIndex.fileName(baseOffset: segmentBaseOffset), entry.encoded)
    }

    /// Writes `<offset>.snapshot` with the producers known now (`takeSnapshot`), unless it exists.
    func takeProducerSnapshot(at offset: Int64) throws(LogError) {
        let name = ProducerStateSnapshot.fileName(offset: offset)
        if (try? storage.size(of: name)) != nil { return }
        try storage.write(name, ProducerStateSnapshot.encode(Array(producers.values)))
    }

    /// The offsets of the snapshot files in the partition's folder, oldest first.
    func producerSnapshotOffsets() throws(LogError) -> [Int64] {
        try storage.listFiles().filter { $0.hasSuffix(ProducerStateSnapshot.suffix) }
            .compactMap(LogSegment.offset(fromFileName:)).sorted()
    }

    /// Deletes the snapshots whose offsets satisfy `doomed` (best effort: a stray snapshot is only a recovery hint).
    func deleteProducerSnapshots(where doomed: (Int64) -> Bool) {
        guard let offsets = try? producerSnapshotOffsets() else { return }
        for offset in offsets where doomed(offset) { try? storage.delete(ProducerStateSnapshot.fileName(offset: offset)) }
    }
}
