// Rebuilding producer state and aborted-transaction indexes from files (`LogLoader`, `rebuildProducerState`,
// `truncateAndReload`): the latest readable snapshot, then the batches after it.

extension UnifiedLog {
    /// Loads the latest readable snapshot at or below `endOffset` (`loadFromSnapshot`), deleting unreadable ones and
    /// those past the end (a truncated tail). Returns the offset to replay batches from: the snapshot's, or nil when
    /// there is none and every batch must be replayed.
    func loadProducerSnapshot(endOffset: Int64) throws(LogError) -> Int64? {
        resetProducerState()
        for offset in try producerSnapshotOffsets().reversed() {
            let name = ProducerStateSnapshot.fileName(offset: offset)
            guard offset <= endOffset, let entries = try? ProducerStateSnapshot.decode(try storage.readAll(name)) else {
                try storage.delete(name)
                continue
            }
            for entry in entries {
                producers[entry.producerId] = entry
                if let first = entry.currentTxnFirstOffset {
                    ongoingTxns.append(TxnMetadata(producerId: entry.producerId, firstOffset: first))
                    sawTransactions = true
                }
            }
            ongoingTxns.sort { $0.firstOffset < $1.firstOffset }
            return offset
        }
        return nil
    }

    /// Applies one stored batch to the producer state (replication origin: nothing is refused) and returns the
    /// aborted transaction it completed, with the last stable offset it leaves, for the index.
    func replayProducerBatch(_ header: RecordBatchHeader, buffer: UnsafeRawBufferPointer, at position: Int) throws(LogError) -> AbortedTxn? {
        guard header.producerId >= 0 else { return nil }
        if header.isTransactional { sawTransactions = true }
        var marker: (EndTransactionMarker, timestamp: Int64)?
        if header.isControl {
            let batch = UnsafeRawBufferPointer(rebasing: buffer[position..<(position + header.sizeInBytes)])
            marker = try endTxnMarker(in: batch, header: header)
        }
        guard let completed = updateProducerState(header, marker: marker?.0, markerTimestamp: marker?.timestamp ?? -1) else { return nil }
        let aborted = completed.isAborted
            ? AbortedTxn(producerId: completed.producerId, firstOffset: completed.firstOffset, lastOffset: completed.lastOffset,
                         lastStableOffset: lastStableOffset(after: completed))
            : nil
        completeTxn(completed)
        return aborted
    }

    /// Rebuilds producer state and the aborted-transaction index from offset `from` on (nil: from the log start)
    /// over the current segments. Index entries of markers below `from` are kept; the rest come from the markers.
    /// Writes only the `.txnindex` files whose bytes change.
    func rebuildTransactionState(from replayStart: Int64?) throws(LogError) {
        let start = replayStart ?? .min
        var rebuilt: [Int64: [AbortedTxn]] = [:]
        for segment in segments {
            let kept = (abortedTxnIndex[segment.baseOffset] ?? []).filter { $0.lastOffset < start }
            var entries = kept
            if let last = segment.lastOffset, last >= start {
                let end = try scanBatches(segment.logFileName, fileSize: segment.size, from: 0,
                                          verifyChecksums: false) { (header, buffer, at, _) throws(LogError) -> Bool in
                    if header.baseOffset >= start, let aborted = try replayProducerBatch(header, buffer: buffer, at: at) {
                        entries.append(aborted)
                    }
                    return true
                }
                if case .invalid(_, let error) = end { throw .corruptMessage(error) }
            }
            if !entries.isEmpty { rebuilt[segment.baseOffset] = entries }
        }
        for segment in segments {
            let name = TransactionIndex.fileName(baseOffset: segment.baseOffset)
            let entries = rebuilt[segment.baseOffset] ?? []
            if entries.isEmpty && (try? storage.size(of: name)) == nil { continue }
            try writeIfChanged(name, TransactionIndex.encode(entries))
        }
        abortedTxnIndex = rebuilt
    }

    /// Reads every segment's `.txnindex` file into memory (entries past the segment's end are dropped by the
    /// rebuild that follows).
    func loadTransactionIndexes() throws(LogError) {
        abortedTxnIndex = [:]
        let names = Set(try storage.listFiles())
        for segment in segments {
            let name = TransactionIndex.fileName(baseOffset: segment.baseOffset)
            guard names.contains(name) else { continue }
            let entries = TransactionIndex.decode(try storage.readAll(name)).entries
            if !entries.isEmpty { abortedTxnIndex[segment.baseOffset] = entries }
        }
    }

    /// Producer state after the log was cut back to `offset` (`truncateAndReload`): snapshots past it go; a log
    /// that never held transactions only forgets the batches past it, one that did replays its batches.
    func truncateProducerState(to offset: Int64) throws(LogError) {
        deleteProducerSnapshots { $0 > offset }
        for (base, entries) in abortedTxnIndex where entries.contains(where: { $0.lastOffset >= offset }) {
            let kept = entries.filter { $0.lastOffset < offset }
            abortedTxnIndex[base] = kept.isEmpty ? nil : kept
            try storage.write(TransactionIndex.fileName(baseOffset: base), TransactionIndex.encode(kept))
        }
        guard sawTransactions else {
            for (id, entry) in producers {
                var cut = entry
                cut.batches.removeAll { $0.lastOffset >= offset }
                producers[id] = cut.batches.isEmpty ? nil : cut
            }
            return
        }
        try rebuildTransactionState(from: try loadProducerSnapshot(endOffset: offset))
    }
}
