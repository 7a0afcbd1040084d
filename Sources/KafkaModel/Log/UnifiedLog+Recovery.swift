// Opening a log from its files and recovering from a crash (`LogLoader`, `LogSegment.recover`).

extension UnifiedLog {
    /// Opens the partition log in `storage`, creating an empty segment 0 if there are no files.
    ///
    /// Recovery as Kafka's `LogLoader`: leftover `.cleaned`/`.deleted` files are removed and `.swap` files
    /// completed; indexes without a `.log` are removed; every batch of every segment is read and its
    /// size and CRC checked. At the first torn or corrupt batch the segment is truncated there and all later
    /// segments are deleted; the dropped bytes and records are reported as `recoveryTruncated`. Indexes are
    /// rebuilt from the log and rewritten where they differ. Offsets missing between segments (a deleted middle
    /// `.log`) are reported as `recoveryFoundGap`. Producer state comes from the latest readable `.snapshot` at or
    /// below the log end plus the batches after it, which also rebuild their `.txnindex` entries.
    ///
    /// - Parameters:
    ///   - logStartOffset: the checkpointed log start offset, if any (default: first segment's base).
    ///   - cleanerCheckpoint: the checkpointed first dirty offset, if any.
    public static func open(topicPartition: TopicPartition, config: LogConfig = LogConfig(), storage: any LogStorage,
                            nowMs: Int64, logStartOffset: Int64? = nil,
                            cleanerCheckpoint: Int64? = nil) throws(LogError) -> (log: UnifiedLog, events: [LogEvent]) {
        try CrashPoint.during(.recovery) { () throws(LogError) in
            try recover(topicPartition: topicPartition, config: config, storage: storage, nowMs: nowMs,
                        logStartOffset: logStartOffset, cleanerCheckpoint: cleanerCheckpoint)
        }
    }

    private static func recover(topicPartition: TopicPartition, config: LogConfig, storage: any LogStorage, nowMs: Int64,
                                logStartOffset: Int64?, cleanerCheckpoint: Int64?) throws(LogError) -> (log: UnifiedLog, events: [LogEvent]) {
        var names = try storage.listFiles()
        let start = names.filter { $0.hasSuffix(".log") }.compactMap(LogSegment.offset(fromFileName:)).min()
        let placeholder = LogSegment(baseOffset: start ?? logStartOffset ?? 0, nowMs: nowMs)
        let log = UnifiedLog(topicPartition: topicPartition, config: config, storage: storage, segments: [placeholder],
                             logStartOffset: logStartOffset ?? placeholder.baseOffset,
                             cleanerCheckpoint: cleanerCheckpoint ?? placeholder.baseOffset)
        // A `.cleaned` file may be incomplete: the segments it was cleaned from are still there.
        for name in names where name.hasSuffix(cleanedSuffix) { try storage.delete(name) }
        // A `.swap` file is complete (it is renamed from `.cleaned` only once written): finish the swap. The old
        // segments it replaces are those whose base offset lies within its offsets (`LogLoader`); any left as `.log`
        // go, then the `.swap` becomes the `.log`.
        for name in names.filter({ $0.hasSuffix(swapSuffix) }).sorted() {
            let target = String(name.dropLast(swapSuffix.count))
            guard target.hasSuffix(".log"), let base = LogSegment.offset(fromFileName: target) else {
                try storage.delete(name)
                continue
            }
            var lastOffset = base
            _ = try log.scanBatches(name, fileSize: try storage.size(of: name), from: 0,
                                    verifyChecksums: true) { (header, _, _, _) throws(LogError) -> Bool in
                lastOffset = max(lastOffset, header.lastOffset)
                return true
            }
            for old in try storage.listFiles() where old.hasSuffix(".log") {
                guard let oldBase = LogSegment.offset(fromFileName: old), oldBase >= base, oldBase <= lastOffset else { continue }
                let prefix = LogSegment.filenamePrefix(oldBase)
                try storage.delete(old)
                try storage.delete(prefix + ".index")
                try storage.delete(prefix + ".timeindex")
            }
            try storage.rename(name, to: target)
        }
        // `.deleted` files are segments already replaced or past retention.
        for name in try storage.listFiles() where name.hasSuffix(deletedSuffix) { try storage.delete(name) }
        names = try storage.listFiles()
        let logBases = Set(names.filter { $0.hasSuffix(".log") }.compactMap(LogSegment.offset(fromFileName:)))
        for name in names where name.hasSuffix(".index") || name.hasSuffix(".timeindex") || name.hasSuffix(TransactionIndex.suffix) {
            if let base = LogSegment.offset(fromFileName: name), !logBases.contains(base) { try storage.delete(name) }
        }
        let bases = logBases.sorted()
        var segments: [LogSegment] = []
        var droppedBytes = 0
        var droppedRecords = 0
        var truncated = false
        for base in bases {
            var segment = LogSegment(baseOffset: base, nowMs: nowMs)
            let fileSize = try storage.size(of: segment.logFileName)
            if truncated {
                droppedBytes += fileSize
                droppedRecords += try log.countRecords(segment.logFileName, from: 0, fileSize: fileSize)
                try log.deleteFiles(of: segment)
                continue
            }
            var expectedNext = segments.last.flatMap { $0.lastOffset.map { $0 + 1 } } ?? base
            expectedNext = max(expectedNext, base)
            let end = try log.scanBatches(segment.logFileName, fileSize: fileSize, from: 0,
                                          verifyChecksums: true) { (header, _, _, position) throws(LogError) -> Bool in
                guard header.baseOffset >= expectedNext, header.lastOffset >= header.baseOffset,
                      header.lastOffset - base <= Int64(Int32.max) else { return false }
                _ = segment.didAppend(header: header, position: position, nowMs: nowMs,
                                      indexIntervalBytes: config.indexIntervalBytes)
                expectedNext = header.lastOffset + 1
                return true
            }
            let validBytes: Int
            switch end {
            case .complete(let position): validBytes = position
            case .stopped: validBytes = segment.size
            case .invalid(let position, _): validBytes = position
            }
            if validBytes < fileSize {
                truncated = true
                droppedBytes += fileSize - validBytes
                droppedRecords += try log.countRecords(segment.logFileName, from: validBytes, fileSize: fileSize)
                try storage.truncate(segment.logFileName, to: validBytes)
            }
            segments.append(segment)
        }
        if segments.isEmpty {
            let segment = LogSegment(baseOffset: logStartOffset ?? 0, nowMs: nowMs)
            try storage.create(segment.logFileName)
            segments.append(segment)
        }
        // Indexes are rebuilt from the log and written only where they differ: opening an intact log writes nothing.
        for i in segments.indices {
            if i < segments.count - 1 { _ = segments[i].maybeAppendTimeIndex() }
            try log.writeIfChanged(segments[i].indexFileName, segments[i].encodeOffsetIndex(segments[i].offsetIndex))
            try log.writeIfChanged(segments[i].timeIndexFileName, segments[i].encodeTimeIndex(segments[i].timeIndex))
        }
        // A missing middle `.log` leaves offsets no segment holds. Compaction leaves such gaps legitimately, but only
        // below the cleaner checkpoint, and only where the policy compacts (a crash mid-cleaning may have left the
        // checkpoint behind), so elsewhere a gap means lost segment files: reported, not silently skipped.
        var gaps: [LogEvent] = []
        if !config.cleanupPolicy.compact {
            for i in segments.indices.dropFirst() {
                let previousEnd = segments[i - 1].lastOffset.map { $0 + 1 } ?? segments[i - 1].baseOffset
                if segments[i].baseOffset > previousEnd && segments[i].baseOffset > (cleanerCheckpoint ?? 0) {
                    gaps.append(.recoveryFoundGap(from: previousEnd, to: segments[i].baseOffset - 1))
                }
            }
        }
        log.segments = segments
        let end = segments.last!.lastOffset.map { $0 + 1 } ?? segments.last!.baseOffset
        log.logEndOffset = end
        log.highWatermark = end
        log.logStartOffset = min(max(logStartOffset ?? segments[0].baseOffset, segments[0].baseOffset), end)
        log.cleanerCheckpoint = min(max(cleanerCheckpoint ?? log.logStartOffset, log.logStartOffset), end)
        // Producer state from the latest snapshot, then the batches after it; the aborted-transaction indexes of those
        // batches are rebuilt from their markers (a kill may have cut an index append short).
        try log.loadTransactionIndexes()
        try log.rebuildTransactionState(from: try log.loadProducerSnapshot(endOffset: end))
        let events: [LogEvent] = gaps + (truncated ? [.recoveryTruncated(bytes: droppedBytes, records: droppedRecords)] : [])
        return (log, events)
    }

    /// Replaces a file's content unless it already holds exactly `bytes`.
    func writeIfChanged(_ name: String, _ bytes: [UInt8]) throws(LogError) {
        if let size = try? storage.size(of: name), size == bytes.count, (try? storage.readAll(name)) == bytes { return }
        try storage.write(name, bytes)
    }

    /// Records in the readable batch headers from `position` on (best effort, for reporting drops). Reads
    /// only the headers, one at a time: a corrupt 2 GB segment is never read into memory whole.
    func countRecords(_ name: String, from position: Int, fileSize: Int) throws(LogError) -> Int {
        var count = 0
        var at = position
        while at < fileSize {
            let header = try storage.read(name, at: at, count: min(RecordBatch.recordBatchOverhead, fileSize - at))
            guard let parsed = header.withUnsafeBytes({ try? RecordBatchHeader.read($0, at: 0) }),
                  parsed.recordsCount > 0, parsed.sizeInBytes > 0 else { break }
            count += Int(parsed.recordsCount)
            at += parsed.sizeInBytes
        }
        return count
    }
}
