// Fetching for read_committed consumers (`UnifiedLog.read` with `FetchIsolation.TXN_COMMITTED`,
// `LocalLog.addAbortedTransactions`).

extension UnifiedLog {
    /// Whole batches from the one holding `offset`, about `maxBytes` of them (at least one), below the bound
    /// `isolation` sets: the log end, the high watermark, or the last stable offset. A `.txnCommitted` fetch also
    /// lists the aborted transactions overlapping the fetched range. Throws `OFFSET_OUT_OF_RANGE` outside
    /// [logStartOffset, logEndOffset].
    public func fetchBatches(from offset: Int64, maxBytes: Int = 1 << 20,
                             isolation: FetchIsolation) throws(LogError) -> FetchDataInfo {
        let limit: Int64
        switch isolation {
        case .logEnd: limit = logEndOffset
        case .highWatermark: limit = highWatermark
        case .txnCommitted: limit = lastStableOffset
        }
        var batches: [RecordBatch] = []
        if offset < limit {
            let bytes = try readBatchBytes(from: offset, maxBytes: maxBytes)
            do throws(RecordBatchError) {
                for batch in try RecordBatch.decodeAll(bytes) {
                    if batch.baseOffset >= limit { break }
                    batches.append(batch)
                }
            } catch { throw .corruptMessage(error) }
        } else if offset > logEndOffset || offset < logStartOffset {
            throw .offsetOutOfRange(topicPartition: topicPartition, offset: offset, logStartOffset: logStartOffset,
                                    logEndOffset: logEndOffset)
        }
        var aborted: [AbortedTransaction]?
        if isolation == .txnCommitted {
            let upperBound = batches.last.map { $0.nextOffset } ?? limit
            aborted = collectAbortedTransactions(from: offset, upperBoundOffset: upperBound).map(\.abortedTransaction)
        }
        return FetchDataInfo(batches: batches, abortedTransactions: aborted, highWatermark: highWatermark,
                             lastStableOffset: lastStableOffset, logStartOffset: logStartOffset)
    }

    /// `fetchBatches` as bytes, the way a broker answers a client: the stored batches unchanged, cut before the first
    /// batch at or above the bound.
    public func fetchBatchBytes(from offset: Int64, maxBytes: Int = 1 << 20,
                                isolation: FetchIsolation) throws(LogError) -> (bytes: [UInt8], aborted: [AbortedTransaction]?) {
        let limit: Int64
        switch isolation {
        case .logEnd: limit = logEndOffset
        case .highWatermark: limit = highWatermark
        case .txnCommitted: limit = lastStableOffset
        }
        var bytes: [UInt8] = []
        var nextOffset = limit
        if offset < limit {
            bytes = try readBatchBytes(from: offset, maxBytes: maxBytes)
            var position = 0
            while position + RecordBatch.recordBatchOverhead <= bytes.count {
                let base = bytes.withUnsafeBytes { Int64(bigEndian: $0.loadUnaligned(fromByteOffset: position, as: Int64.self)) }
                let length = bytes.withUnsafeBytes { Int(Int32(bigEndian: $0.loadUnaligned(fromByteOffset: position + 8, as: Int32.self))) }
                if base >= limit { break }
                let lastDelta = bytes.withUnsafeBytes { Int64(Int32(bigEndian: $0.loadUnaligned(fromByteOffset: position + 23, as: Int32.self))) }
                nextOffset = base + lastDelta + 1
                position += length + RecordBatch.logOverhead
            }
            bytes.removeSubrange(min(position, bytes.count)...)
        } else if offset > logEndOffset || offset < logStartOffset {
            throw .offsetOutOfRange(topicPartition: topicPartition, offset: offset, logStartOffset: logStartOffset,
                                    logEndOffset: logEndOffset)
        }
        guard isolation == .txnCommitted else { return (bytes, nil) }
        let upperBound = bytes.isEmpty ? limit : nextOffset
        return (bytes, collectAbortedTransactions(from: offset, upperBoundOffset: upperBound).map(\.abortedTransaction))
    }

    /// The index entries of aborted transactions overlapping [`startOffset`, `upperBoundOffset`), searched from the
    /// segment holding `startOffset` on until an entry's last stable offset reaches the upper bound
    /// (`collectAbortedTransactions`).
    public func collectAbortedTransactions(from startOffset: Int64, upperBoundOffset: Int64) -> [AbortedTxn] {
        guard !abortedTxnIndex.isEmpty else { return [] }
        var found: [AbortedTxn] = []
        for segment in segments[segmentIndex(containing: startOffset)...] {
            guard let entries = abortedTxnIndex[segment.baseOffset] else { continue }
            let result = TransactionIndex.collect(entries, fetchOffset: startOffset, upperBoundOffset: upperBoundOffset)
            found += result.found
            if result.isComplete { break }
        }
        return found
    }

    /// The records a consumer with `isolation` gets from `offset` on, at most `maxRecords`: up to the high watermark
    /// (`.highWatermark`) or the last stable offset (`.txnCommitted`, without the records of aborted transactions);
    /// never control records. Offsets keep their gaps. Also returns where the consumer continues.
    public func read(from offset: Int64, maxRecords: Int = .max, maxBytes: Int = 1 << 20,
                     isolation: FetchIsolation) throws(LogError) -> (records: [Record], nextOffset: Int64) {
        let fetched = try fetchBatches(from: offset, maxBytes: maxBytes, isolation: isolation)
        let completed = CompletedFetch.records(fetched.batches, fetchOffset: offset,
                                               abortedTransactions: fetched.abortedTransactions,
                                               readCommitted: isolation == .txnCommitted, maxRecords: maxRecords)
        return completed
    }
}
