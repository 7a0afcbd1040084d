// Compaction: the log cleaner for one log (`LogCleaner.scala`, `LogCleanerManager.scala`,
// `MemoryRecords.filterTo`).

extension UnifiedLog {
    /// The dirty ratio the cleaner ranks logs by: dirty bytes / (clean + dirty), by whole segments
    /// (`LogCleanerManager.cleanableOffsets` + `LogToClean`). 0 when nothing is cleanable.
    public func dirtyRatio(nowMs: Int64) -> Double {
        let (firstDirty, firstUncleanable) = cleanableRange(nowMs: nowMs)
        var clean = 0
        var dirty = 0
        for (i, segment) in segments.enumerated() {
            let next = i + 1 < segments.count ? segments[i + 1].baseOffset : logEndOffset
            if next <= firstDirty { clean += segment.size } else if segment.baseOffset < firstUncleanable { dirty += segment.size }
        }
        return clean + dirty == 0 ? 0 : Double(dirty) / Double(clean + dirty)
    }

    /// Whether `clean` (not forced) would find anything to do now.
    func hasCleanableRange(nowMs: Int64) -> Bool {
        let (firstDirty, firstUncleanable) = cleanableRange(nowMs: nowMs)
        return firstDirty < firstUncleanable
    }

    /// [first dirty offset, first uncleanable offset): from the cleaner checkpoint to the active segment,
    /// the last stable offset (the high watermark without open transactions), or the first segment younger than
    /// `min.compaction.lag.ms`.
    func cleanableRange(nowMs: Int64) -> (Int64, Int64) {
        let firstDirty = max(cleanerCheckpoint, logStartOffset)
        var firstUncleanable = activeSegment.baseOffset
        for (i, segment) in segments.enumerated().dropLast() {
            let next = segments[i + 1].baseOffset
            let tooRecent = config.minCompactionLagMs > 0 && segment.largestTimestamp > nowMs - config.minCompactionLagMs
            if next > lastStableOffset || tooRecent {
                firstUncleanable = segment.baseOffset
                break
            }
        }
        return (firstDirty, max(firstDirty, firstUncleanable))
    }

    /// One cleaning of this log. The automatic cleaner (`force == false`) acts only when the policy includes
    /// `compact` and the dirty ratio is above `min.cleanable.dirty.ratio`; `force` (a `compact` command on a compacted topic)
    /// skips the ratio check. For each key only the record with the highest offset in the dirty range is
    /// kept; keyless records are dropped; offsets never change (gaps appear); the active segment is never
    /// touched. A batch keeping tombstones is stamped with a delete horizon (`now + delete.retention.ms`)
    /// the first time; a later cleaning past the horizon drops them. Segments are regrouped up to
    /// `segment.bytes` as Kafka's cleaner does.
    ///
    /// Transactions (`cleanInto`, `CleanedTransactionMetadata`): batches of aborted transactions go; a marker whose
    /// transaction has no batch left in the cleaned range is stamped with a delete horizon and goes in a cleaning past
    /// it. Batches stay, emptied of their records if need be, when they hold an active producer's last data offset (its
    /// last sequence) or are markers of its current epoch with no data after them (they fence its zombies), and when
    /// they end the cleaning round (its last offset).
    @discardableResult
    public func clean(nowMs: Int64, force: Bool = false) throws(LogError) -> [LogEvent] {
        guard config.cleanupPolicy.compact else { return [] }
        let (firstDirty, firstUncleanable) = cleanableRange(nowMs: nowMs)
        guard firstDirty < firstUncleanable else { return [] }
        if !force && dirtyRatio(nowMs: nowMs) <= config.minCleanableDirtyRatio { return [] }

        // 1. Offset map of the dirty range: key → highest offset.
        var offsetMap: [[UInt8]: Int64] = [:]
        let allAborted = abortedTxnIndex.values.joined()
        var mapTransactions = CleanedTransactionMetadata(allAborted)
        for segment in segments where segment.baseOffset < firstUncleanable {
            guard let last = segment.lastOffset, last >= firstDirty else { continue }
            try forEachBatch(segment) { (batch: RecordBatch) in
                if batch.isControl { _ = mapTransactions.onControlBatchRead(batch); return }
                guard !mapTransactions.onBatchRead(batch) else { return }
                for record in batch.records where record.offset >= firstDirty && record.offset < firstUncleanable {
                    if let key = record.key { offsetMap[key] = record.offset }
                }
            }
        }

        // 2. Rewrite every segment below the first uncleanable offset, grouped by size. Each group is swapped in
        // on its own and `segments` follows at once, so a storage error leaves memory matching the files.
        var cleanableCount = segments.firstIndex { $0.baseOffset >= firstUncleanable } ?? segments.count - 1
        var removed = 0
        var kept = 0
        var start = 0
        var transactions = CleanedTransactionMetadata(allAborted)
        let lastRecords = LastRecordsOfActiveProducers(producers)
        try CrashPoint.during(.compaction) { () throws(LogError) in
            while start < cleanableCount {
                var end = start + 1
                var groupSize = segments[start].size
                var indexBytes = segments[start].offsetIndex.count * OffsetIndexEntry.size
                var timeIndexBytes = segments[start].timeIndex.count * TimeIndexEntry.size
                while end < cleanableCount {
                    let s = segments[end]
                    let lastOfNext = end + 1 < segments.count ? segments[end + 1].baseOffset - 1 : logEndOffset - 1
                    guard groupSize + s.size <= config.segmentBytes,
                          indexBytes + s.offsetIndex.count * OffsetIndexEntry.size <= config.segmentIndexBytes,
                          timeIndexBytes + s.timeIndex.count * TimeIndexEntry.size <= config.segmentIndexBytes,
                          s.size == 0 || lastOfNext - segments[start].baseOffset <= Int64(Int32.max) else { break }
                    groupSize += s.size
                    indexBytes += s.offsetIndex.count * OffsetIndexEntry.size
                    timeIndexBytes += s.timeIndex.count * TimeIndexEntry.size
                    end += 1
                }
                let (segment, r, k) = try cleanGroup(Array(segments[start..<end]), offsetMap: offsetMap,
                                                     transactions: &transactions, lastRecords: lastRecords,
                                                     upperBoundOffset: firstUncleanable, nowMs: nowMs)
                // As Kafka since KAFKA-9157: a group whose records were all removed leaves no empty segment behind.
                let replacement = segment.map { [$0] } ?? []
                segments.replaceSubrange(start..<end, with: replacement)
                cleanableCount -= (end - start) - replacement.count
                start += replacement.count
                removed += r
                kept += k
            }
        }
        cleanerCheckpoint = firstUncleanable
        return [.compacted(removed: removed, kept: kept)]
    }

    /// Writes the retained batches of `group` into one segment named after the group's first base offset
    /// (via a `.cleaned` file swapped in), rebuilding its indexes.
    private func cleanGroup(_ group: [LogSegment], offsetMap: [[UInt8]: Int64], transactions: inout CleanedTransactionMetadata,
                            lastRecords: LastRecordsOfActiveProducers, upperBoundOffset: Int64,
                            nowMs: Int64) throws(LogError) -> (LogSegment?, Int, Int) {
        var output: [UInt8] = []
        var removed = 0
        var kept = 0
        transactions.cleanedIndex = []
        for segment in group {
            try forEachBatch(segment) { (batch: RecordBatch) in
                // `cleanInto`'s filter: whether the transaction state lets the batch go, then what of it stays.
                let canDiscard = batch.isControl ? transactions.onControlBatchRead(batch) : transactions.onBatchRead(batch)
                // A marker goes only after a delete horizon (stamped the first time it could go) has passed.
                let discardRecords = batch.isControl
                    ? canDiscard && batch.deleteHorizonMs.map { $0 <= nowMs } == true
                    : canDiscard
                let retention: CleanerBatchRetention
                if batch.producerId >= 0 && lastRecords.isLastRecordOfProducer(batch) {
                    retention = .retainEmpty  // keeps the producer's sequence or epoch (fencing) after cleaning
                } else if batch.nextOffset == upperBoundOffset {
                    retention = .retainEmpty  // keeps the round's last offset
                } else {
                    retention = discardRecords ? .delete : .deleteEmpty
                }
                if retention == .delete {
                    removed += batch.records.count
                    return
                }
                var retained: [Record] = []
                var containsTombstones = false
                if !discardRecords {
                    for record in batch.records {
                        if batch.isControl || shouldRetainRecord(record, batch: batch, offsetMap: offsetMap, nowMs: nowMs) {
                            retained.append(record)
                            if record.value == nil { containsTombstones = true }
                        }
                    }
                }
                removed += batch.records.count - retained.count
                kept += retained.count
                guard !retained.isEmpty else {
                    // `writeEmptyHeader`: the batch's offsets, producer fields and max timestamp, no records.
                    if retention == .retainEmpty { Self.emptyBatch(like: batch).encode(into: &output) }
                    return
                }
                let markerForEmptyTxn = canDiscard && batch.isControl
                let needHorizon = (containsTombstones || markerForEmptyTxn) && batch.deleteHorizonMs == nil
                if retained.count == batch.records.count && !needHorizon {
                    batch.encode(into: &output)
                    return
                }
                if batch.isControl {
                    var stamped = batch
                    stamped.deleteHorizonMs = nowMs + config.deleteRetentionMs
                    stamped.baseTimestamp = nowMs + config.deleteRetentionMs
                    stamped.encode(into: &output)
                    return
                }
                let rebuilt = RecordBatch(
                    baseOffset: batch.baseOffset, records: retained, timestampType: batch.timestampType,
                    logAppendTime: batch.timestampType == .logAppendTime ? batch.maxTimestamp : nil,
                    producerId: batch.producerId, producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence,
                    isTransactional: batch.isTransactional, isControl: false,
                    partitionLeaderEpoch: batch.partitionLeaderEpoch,
                    deleteHorizonMs: needHorizon ? nowMs + config.deleteRetentionMs : batch.deleteHorizonMs,
                    lastOffsetDelta: batch.lastOffsetDelta)
                rebuilt.encode(into: &output)
            }
        }
        if output.isEmpty {
            try retire(group)
            return (nil, removed, kept)
        }
        // Kafka's swap protocol (`LogCleaner.cleanSegments`, `LocalLog.replaceSegments`): the cleaned bytes go to
        // `.cleaned`; once complete it becomes `.swap`; the old segments are renamed `.deleted`; the `.swap` becomes
        // the `.log`; the `.deleted` files go. A crash at any step leaves either the old segments or a complete
        // `.swap` that recovery finishes installing (`open`), never neither.
        var cleaned = LogSegment(baseOffset: group[0].baseOffset, nowMs: group[0].createdMs)
        let cleanedName = cleaned.logFileName + Self.cleanedSuffix
        let swapName = cleaned.logFileName + Self.swapSuffix
        do throws(LogError) {
            try storage.write(cleanedName, output)
            try storage.sync(cleanedName)  // complete on disk before it may be called `.swap`
            try storage.rename(cleanedName, to: swapName)
        } catch {
            try? storage.delete(cleanedName)
            throw error
        }
        do throws(LogError) {
            try retire(group, finish: false)
        } catch {
            try? storage.delete(swapName)
            throw error
        }
        do throws(LogError) {
            try storage.rename(swapName, to: cleaned.logFileName)
        } catch {
            // Put the old segments back; the cleaning did not happen.
            for segment in group { try? storage.rename(segment.logFileName + Self.deletedSuffix, to: segment.logFileName) }
            try? storage.delete(swapName)
            throw error
        }
        removeDeleted(group)
        // Rebuild metadata and indexes from the new bytes.
        output.withUnsafeBytes { buffer in
            var position = 0
            while position < buffer.count, let header = try? RecordBatchHeader.read(buffer, at: position) {
                _ = cleaned.didAppend(header: header, position: position, nowMs: group[group.count - 1].lastModifiedMs,
                                      indexIntervalBytes: config.indexIntervalBytes)
                position += header.sizeInBytes
            }
        }
        _ = cleaned.maybeAppendTimeIndex()
        cleaned.lastModifiedMs = group[group.count - 1].lastModifiedMs
        // The cleaned segment is in place: its indexes are a convenience recovery rebuilds, so failing to write
        // them does not undo the cleaning (and memory keeps matching the `.log`).
        try? storage.write(cleaned.indexFileName, cleaned.encodeOffsetIndex(cleaned.offsetIndex))
        try? storage.write(cleaned.timeIndexFileName, cleaned.encodeTimeIndex(cleaned.timeIndex))
        // The cleaned index holds the aborted transactions whose records this cleaning still saw (their markers stay).
        if !transactions.cleanedIndex.isEmpty {
            abortedTxnIndex[cleaned.baseOffset] = transactions.cleanedIndex
            try? storage.write(TransactionIndex.fileName(baseOffset: cleaned.baseOffset), TransactionIndex.encode(transactions.cleanedIndex))
        }
        return (cleaned, removed, kept)
    }

    /// Removes whole segments as Kafka's `LocalLog.deleteSegmentFiles` does, oldest first: each `.log` is renamed
    /// `.deleted` (its indexes, rebuilt by recovery anyway, are deleted), then, when `finish`, the `.deleted` files go.
    /// A crash in between leaves either the segment or its `.deleted` file, which recovery removes. If a rename
    /// fails, those already renamed are renamed back, so the segments stay as they were. Removing `.deleted` files
    /// cannot fail the operation: one left behind goes at the next start.
    func retire(_ doomed: some Collection<LogSegment>, finish: Bool = true) throws(LogError) {
        var renamed: [LogSegment] = []
        for segment in doomed {
            do throws(LogError) {
                try storage.rename(segment.logFileName, to: segment.logFileName + Self.deletedSuffix)
            } catch {
                for done in renamed { try? storage.rename(done.logFileName + Self.deletedSuffix, to: done.logFileName) }
                throw error
            }
            renamed.append(segment)
            try? storage.delete(segment.indexFileName)
            try? storage.delete(segment.timeIndexFileName)
        }
        if finish { removeDeleted(doomed) }
    }

    /// Removes the `.deleted` files of retired segments and their aborted-transaction indexes (best effort: recovery
    /// removes any left). Only once the segments are gone for good: a retirement undone keeps its indexes.
    func removeDeleted(_ retired: some Collection<LogSegment>) {
        for segment in retired {
            try? storage.delete(segment.logFileName + Self.deletedSuffix)
            if abortedTxnIndex.removeValue(forKey: segment.baseOffset) != nil {
                try? storage.delete(TransactionIndex.fileName(baseOffset: segment.baseOffset))
            }
        }
    }

    /// Suffixes of the transient files (Kafka's `LogFileUtils`).
    static let cleanedSuffix = ".cleaned", swapSuffix = ".swap", deletedSuffix = ".deleted"

    /// Decodes every batch of a segment (CRC-checked) and hands it to `body`.
    func forEachBatch(_ segment: LogSegment, _ body: (RecordBatch) -> Void) throws(LogError) {
        let end = try scanBatches(segment.logFileName, fileSize: segment.size, from: 0,
                                  verifyChecksums: false) { (_, buffer, at, _) throws(LogError) -> Bool in
            do throws(RecordBatchError) {
                body(try RecordBatch.decode(buffer, at: at))
            } catch { throw .corruptMessage(error) }
            return true
        }
        if case .invalid(_, let error) = end { throw .corruptMessage(error) }
    }
}

extension UnifiedLog {
    /// `Cleaner.shouldRetainRecord` for a data record: the latest record of its key, and not a tombstone whose batch's
    /// delete horizon has passed; keyless records never stay.
    func shouldRetainRecord(_ record: Record, batch: RecordBatch, offsetMap: [[UInt8]: Int64], nowMs: Int64) -> Bool {
        guard let key = record.key else { return false }
        let latest = record.offset >= (offsetMap[key] ?? -1)
        let retainDeletes = batch.deleteHorizonMs.map { nowMs < $0 } ?? true
        return latest && (record.value != nil || retainDeletes)
    }

    /// `DefaultRecordBatch.writeEmptyHeader`: a batch kept for its offsets and producer fields, its records removed.
    static func emptyBatch(like batch: RecordBatch) -> RecordBatch {
        var empty = RecordBatch(baseOffset: batch.baseOffset, records: [], timestampType: batch.timestampType,
                                logAppendTime: batch.timestampType == .logAppendTime ? batch.maxTimestamp : nil,
                                producerId: batch.producerId, producerEpoch: batch.producerEpoch,
                                baseSequence: batch.baseSequence, isTransactional: batch.isTransactional,
                                isControl: batch.isControl, partitionLeaderEpoch: batch.partitionLeaderEpoch,
                                lastOffsetDelta: batch.lastOffsetDelta)
        empty.maxTimestamp = batch.maxTimestamp
        return empty
    }
}

/// `RecordFilter.BatchRetention`: what happens to a batch whose records the filter may remove.
enum CleanerBatchRetention {
    /// The whole batch goes.
    case delete
    /// Kept if any record stays.
    case deleteEmpty
    /// Kept even with no record left (as an empty batch).
    case retainEmpty
}

/// `UnifiedLog.lastRecordsOfActiveProducers`, taken when a cleaning starts: per producer id, the last offset of its last
/// data batch (none once a marker with a new epoch cleared them) and its epoch.
struct LastRecordsOfActiveProducers {
    private var lastRecords: [Int64: (lastDataOffset: Int64?, producerEpoch: Int16)] = [:]

    init(_ producers: [Int64: ProducerStateEntry]) {
        for (id, entry) in producers { lastRecords[id] = (entry.batches.last?.lastOffset, entry.producerEpoch) }
    }

    /// `isBatchLastRecordOfProducer`: the batch holding the producer's last data offset (its last sequence), or, when
    /// the producer's last write is a marker, a marker of its current epoch (which fences its zombies).
    func isLastRecordOfProducer(_ batch: RecordBatch) -> Bool {
        guard let last = lastRecords[batch.producerId] else { return false }
        if let lastDataOffset = last.lastDataOffset { return batch.lastOffset == lastDataOffset }
        return batch.isControl && batch.producerEpoch == last.producerEpoch
    }
}

/// The cleaner's view of transactions as it walks the log in order (Kafka's `CleanedTransactionMetadata`): the
/// aborted transactions from the index, taken up as the walk reaches their first offsets, decide which transactional
/// batches to drop and which markers may go.
struct CleanedTransactionMetadata {
    private var pending: [AbortedTxn]
    private var ongoingAborted: [Int64: (txn: AbortedTxn, observedBatch: Bool)] = [:]
    private var ongoingCommitted: Set<Int64> = []
    /// The aborted transactions to index in the cleaned segment: those whose records this walk saw.
    var cleanedIndex: [AbortedTxn] = []

    init(_ aborted: some Sequence<AbortedTxn>) {
        pending = aborted.sorted { $0.firstOffset > $1.firstOffset }  // popped from the end, smallest first
    }

    private mutating func consumeAbortedTxnsUpTo(_ offset: Int64) {
        while let next = pending.last, next.firstOffset <= offset {
            pending.removeLast()
            if ongoingAborted[next.producerId] == nil { ongoingAborted[next.producerId] = (next, false) }
        }
    }

    /// A data batch; true when it belongs to an aborted transaction (and may be dropped).
    mutating func onBatchRead(_ batch: RecordBatch) -> Bool {
        consumeAbortedTxnsUpTo(batch.lastOffset)
        guard batch.isTransactional else { return false }
        if ongoingAborted[batch.producerId] != nil {
            ongoingAborted[batch.producerId]!.observedBatch = true
            return true
        }
        ongoingCommitted.insert(batch.producerId)
        return false
    }

    /// A control batch; true when no records of its transaction were seen, so the marker may go.
    mutating func onControlBatchRead(_ batch: RecordBatch) -> Bool {
        consumeAbortedTxnsUpTo(batch.lastOffset)
        guard let record = batch.records.first else { return true }
        switch ControlRecordType.typeId(ofKey: record.key).flatMap(ControlRecordType.init(rawValue:)) {
        case .abort?:
            guard let aborted = ongoingAborted.removeValue(forKey: batch.producerId), aborted.observedBatch else { return true }
            cleanedIndex.append(aborted.txn)
            return false
        case .commit?:
            return ongoingCommitted.remove(batch.producerId) == nil
        default:
            return false
        }
    }
}
