// What replication needs of a log: the leader reads whole batches as bytes for a follower's fetch, the follower
// appends them unchanged (`appendAsFollower`: offsets, epochs and CRCs as the leader wrote them), and a follower
// whose tail diverged from its new leader cuts it off (`truncateTo`).

extension UnifiedLog {
    /// The bytes of whole batches from the one holding `offset` up to the log end, about `maxBytes` of them (at
    /// least one batch): what a leader sends a follower (`replica.fetch.max.bytes`). Empty at the log end.
    public func readBatchBytes(from offset: Int64, maxBytes: Int = 1 << 20) throws(LogError) -> [UInt8] {
        guard offset >= logStartOffset && offset <= logEndOffset else {
            throw .offsetOutOfRange(topicPartition: topicPartition, offset: offset, logStartOffset: logStartOffset,
                                    logEndOffset: logEndOffset)
        }
        var out: [UInt8] = []
        guard offset < logEndOffset else { return out }
        var index = segmentIndex(containing: offset)
        while index < segments.count && (out.isEmpty || out.count < maxBytes) {
            let segment = segments[index]
            index += 1
            guard let last = segment.lastOffset, last >= offset else { continue }
            let start = readStart(in: segment, for: offset)
            if out.isEmpty, let recent = readRecentBatchBytes(segment, from: start, offset: offset, maxBytes: maxBytes) {
                out = recent
                continue
            }
            let end = try scanBatches(segment.logFileName, fileSize: segment.size, from: start,
                                      verifyChecksums: false) { (header, buffer, at, _) throws(LogError) -> Bool in
                if header.lastOffset < offset { return true }
                if !out.isEmpty && out.count + header.sizeInBytes > maxBytes { return false }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[at..<(at + header.sizeInBytes)]))
                return true
            }
            if case .invalid(_, let error) = end { throw .corruptMessage(error) }
        }
        return out
    }

    /// `readBatchBytes` of the bytes the storage keeps in memory (a follower fetching what its leader appended a
    /// moment ago): the headers are read from memory and the batches copied once, into an array of their size. nil
    /// when the bytes are not kept or do not read as whole batches (the scan then reads them, and reports them).
    private func readRecentBatchBytes(_ segment: LogSegment, from position: Int, offset: Int64, maxBytes: Int) -> [UInt8]? {
        let name = segment.logFileName
        guard storage.keepsRecentBytes(name, from: position) else { return nil }
        let headerSize = RecordBatch.recordBatchOverhead
        var start = position
        var end = position
        let complete: Bool = withUnsafeTemporaryAllocation(byteCount: headerSize, alignment: 8) { buffer in
            while end < segment.size {
                guard end + headerSize <= segment.size, let n = try? storage.read(name, at: end, into: buffer), n == headerSize,
                      let header = try? RecordBatchHeader.read(UnsafeRawBufferPointer(buffer)),
                      header.sizeInBytes >= headerSize, end + header.sizeInBytes <= segment.size else { return false }
                if header.lastOffset < offset {
                    start = end + header.sizeInBytes
                } else if end > start && end - start + header.sizeInBytes > maxBytes {
                    break
                }
                end += header.sizeInBytes
            }
            return true
        }
        guard complete, end > start else { return nil }
        // Exactly one append of the leader's (a client's batch): its bytes as they are kept, with no copy.
        if let kept = storage.keptAppend(name, at: start), kept.count == end - start { return kept }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: end - start) { buffer, initialized in
            let n = (try? storage.read(name, at: start, into: UnsafeMutableRawBufferPointer(buffer))) ?? 0
            failed = n != end - start
            initialized = failed ? 0 : n
        }
        return failed ? nil : bytes
    }

    /// Appends batches a leader sent (`appendRecordsToFollowerOrFutureReplica`): each as it is, at its own offsets
    /// (at or past the log end: compaction leaves gaps). Batches the log already has are skipped. Returns the
    /// offsets appended, the batches' (leader epoch, base offset) for the epoch cache, and the log's events.
    public func appendAsFollower(_ bytes: [UInt8], nowMs: Int64) throws(LogError)
        -> (first: Int64, last: Int64, records: Int, epochs: [(epoch: Int32, startOffset: Int64)], events: [LogEvent])? {
        var first: Int64?
        var last: Int64 = -1
        var records = 0
        var epochs: [(epoch: Int32, startOffset: Int64)] = []
        var events: [LogEvent] = []
        var failure: LogError?
        // `withUnsafeBytes` only rethrows untyped errors: the typed one is carried out of the closure.
        bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            do throws(LogError) {
                var i = 0
                while i < buffer.count {
                    let header: RecordBatchHeader
                    do throws(RecordBatchError) { header = try RecordBatchHeader.read(buffer, at: i) } catch { throw .corruptMessage(error) }
                    let size = header.sizeInBytes
                    guard i + size <= buffer.count else { throw .corruptMessage(.truncated(what: "record batch")) }
                    defer { i += size }
                    if header.baseOffset < logEndOffset { continue }
                    let result = try appendReplicated(UnsafeRawBufferPointer(rebasing: buffer[i..<(i + size)]), nowMs: nowMs)
                    events += result.events
                    if first == nil { first = header.baseOffset }
                    last = header.lastOffset
                    records += Int(header.recordsCount)
                    if header.partitionLeaderEpoch >= 0 { epochs.append((header.partitionLeaderEpoch, header.baseOffset)) }
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        guard let first else { return nil }
        return (first, last, records, epochs, events)
    }

    /// Sets the high watermark within [log start, log end]. A follower's may go down (it is what the leader said,
    /// capped by what this replica has); the leader's only goes up (`maybeIncrementLeaderHW`).
    public func setHighWatermark(_ offset: Int64) {
        highWatermark = min(max(offset, logStartOffset), logEndOffset)
    }

    /// Kafka's `truncateTo`: removes every batch holding an offset at or past `offset` (a batch that straddles it
    /// goes whole), so the log ends at `offset` or just before. Returns how many records went and from which
    /// offset; nil when the log already ends there.
    public func truncate(to offset: Int64, nowMs: Int64) throws(LogError) -> (fromOffset: Int64, records: Int)? {
        guard offset < logEndOffset else { return nil }
        let oldEnd = logEndOffset
        var removedRecords = 0
        // Whole segments at or past `offset` go (always keeping one, which then starts at `offset`).
        while segments.count > 1, segments[segments.count - 1].baseOffset >= offset {
            let segment = segments.removeLast()
            removedRecords += try countRecords(segment.logFileName, from: 0, fileSize: segment.size)
            try deleteFiles(of: segment)
        }
        let index = segments.count - 1
        let old = segments[index]
        if old.baseOffset >= offset {
            removedRecords += try countRecords(old.logFileName, from: 0, fileSize: old.size)
            try deleteFiles(of: old)
            segments[index] = try emptySegment(at: offset, nowMs: nowMs)
            logStartOffset = min(logStartOffset, offset)
        } else {
            // Rebuild the segment's metadata from the batches that stay.
            var kept = LogSegment(baseOffset: old.baseOffset, nowMs: old.createdMs)
            var cut = old.size
            _ = try scanBatches(old.logFileName, fileSize: old.size, from: 0,
                                verifyChecksums: false) { (header, _, _, position) throws(LogError) -> Bool in
                if header.lastOffset >= offset { cut = position; return false }
                _ = kept.didAppend(header: header, position: position, nowMs: old.lastModifiedMs, indexIntervalBytes: config.indexIntervalBytes)
                return true
            }
            removedRecords += try countRecords(old.logFileName, from: cut, fileSize: old.size)
            try storage.truncate(old.logFileName, to: cut)
            try storage.write(kept.indexFileName, kept.encodeOffsetIndex(kept.offsetIndex))
            try storage.write(kept.timeIndexFileName, kept.encodeTimeIndex(kept.timeIndex))
            segments[index] = kept
        }
        let active = segments[segments.count - 1]
        logEndOffset = active.lastOffset.map { $0 + 1 } ?? active.baseOffset
        try truncateProducerState(to: logEndOffset)
        highWatermark = min(highWatermark, logEndOffset)
        cleanerCheckpoint = min(cleanerCheckpoint, logEndOffset)
        logStartOffset = min(logStartOffset, logEndOffset)
        return (min(logEndOffset, oldEnd), removedRecords)
    }

    /// `truncateFullyAndStartAt`: drops every segment and starts empty at `offset` (a follower whose log ends before
    /// its leader's log start). Returns how many records went.
    public func truncateFullyAndStart(at offset: Int64, nowMs: Int64) throws(LogError) -> (fromOffset: Int64, records: Int) {
        var removed = 0
        for segment in segments {
            removed += try countRecords(segment.logFileName, from: 0, fileSize: segment.size)
            try deleteFiles(of: segment)
        }
        segments = [try emptySegment(at: offset, nowMs: nowMs)]
        resetProducerState()
        sawTransactions = false
        deleteProducerSnapshots { _ in true }
        logStartOffset = offset
        logEndOffset = offset
        highWatermark = offset
        cleanerCheckpoint = offset
        return (offset, removed)
    }

    /// A new empty segment at `offset`, its three files created.
    private func emptySegment(at offset: Int64, nowMs: Int64) throws(LogError) -> LogSegment {
        let segment = LogSegment(baseOffset: offset, nowMs: nowMs)
        try storage.create(segment.logFileName)
        try storage.create(segment.indexFileName)
        try storage.create(segment.timeIndexFileName)
        return segment
    }
}
