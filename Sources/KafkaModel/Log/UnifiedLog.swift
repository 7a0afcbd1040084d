/// The log of one partition replica (Kafka's `UnifiedLog` + `LocalLog`): an ordered list of segments
/// in a `LogStorage` directory, the last one active. Appends assign contiguous offsets from the log end
/// offset, one batch per call, rolling first when `LogSegment.shouldRoll` says so. Retention, compaction
/// and recovery live in the `UnifiedLog+…` files.
///
/// Every state change returns `LogEvent`s; nothing prints. Time comes in as `nowMs` (simulated
/// milliseconds since the Unix epoch). Not thread-safe: the simulation drives it from one thread.
///
/// Invariants (preconditions): `logStartOffset ≤ highWatermark ≤ logEndOffset`; segments are sorted by
/// base offset and never overlap; there is always at least one (active) segment.
public final class UnifiedLog {
    /// Which partition this is.
    public let topicPartition: TopicPartition
    /// The topic's log configuration (may be altered between calls).
    public var config: LogConfig
    /// Where the segment files live.
    public let storage: any LogStorage
    /// Segment metadata, oldest first; the last is the active segment.
    public internal(set) var segments: [LogSegment]
    /// First offset a consumer may read.
    public internal(set) var logStartOffset: Int64
    /// Offset the next appended record gets.
    public internal(set) var logEndOffset: Int64
    /// The high watermark. For now it follows the log end offset on every append (see
    /// `highWatermarkFollowsLogEnd`); the replication layer will move it with `updateHighWatermark`.
    public internal(set) var highWatermark: Int64
    /// When true (default), appends move the high watermark to the log end offset.
    public var highWatermarkFollowsLogEnd = true
    /// The partition leader epoch stamped on appended batches (`partitionLeaderEpoch`).
    public var leaderEpoch: Int32 = 0
    /// The cleaner's checkpoint: offsets below it were cleaned (Kafka's `cleaner-offset-checkpoint`).
    public internal(set) var cleanerCheckpoint: Int64
    /// Set when a failed write could not be undone: the log is offline and refuses appends (`KAFKA_STORAGE_ERROR`).
    public internal(set) var storageFailure: LogError?
    /// What the partition knows of each producer id (Kafka's `ProducerStateManager.producers`): the last 5 batches
    /// (a retried batch already in the log is answered with its offsets instead of being written twice), epochs and
    /// the open transaction.
    var producers: [Int64: ProducerStateEntry] = [:]
    /// Open transactions, by first offset (`ongoingTxns`).
    var ongoingTxns: [TxnMetadata] = []
    /// Completed transactions whose marker may still be at or above the high watermark (`unreplicatedTxns`).
    var unreplicatedTxns: [TxnMetadata] = []
    /// Each segment's aborted-transaction index (`.txnindex`), by segment base offset; only segments that have one.
    public internal(set) var abortedTxnIndex: [Int64: [AbortedTxn]] = [:]
    /// Set once a transactional batch or marker was seen: only then does a truncation replay the log to rebuild
    /// transaction state (plain idempotent state is cut back directly).
    var sawTransactions = false

    var scratch: [UInt8] = []
    /// Where appended batches are encoded before the write (reused; holds one batch).
    let writeBuffer = ReadBuffer(capacity: 1 << 16)

    init(topicPartition: TopicPartition, config: LogConfig, storage: any LogStorage, segments: [LogSegment],
         logStartOffset: Int64, cleanerCheckpoint: Int64) {
        precondition(!segments.isEmpty)
        self.topicPartition = topicPartition
        self.config = config
        self.storage = storage
        self.segments = segments
        let end = segments.last!.lastOffset.map { $0 + 1 } ?? segments.last!.baseOffset
        self.logEndOffset = end
        self.logStartOffset = min(max(logStartOffset, segments[0].baseOffset), end)
        self.highWatermark = end
        self.cleanerCheckpoint = max(cleanerCheckpoint, self.logStartOffset)
    }

    /// The active (last) segment.
    public var activeSegment: LogSegment { segments[segments.count - 1] }

    /// Total bytes of all segments (`UnifiedLog.size`).
    public var size: Int { segments.reduce(0) { $0 + $1.size } }

    /// Moves the high watermark (replication layer). Must stay within [logStartOffset, logEndOffset]
    /// and never go backwards.
    public func updateHighWatermark(_ offset: Int64) {
        precondition(offset >= highWatermark && offset <= logEndOffset, "high watermark must stay within [HW, LEO]")
        highWatermark = offset
    }

    // MARK: Append

    /// Appends `records` as one batch at the log end offset (offsets in `records` are ignored).
    /// Under LogAppendTime the batch is stamped with `nowMs`. Rolls first if needed.
    /// Throws `RECORD_TOO_LARGE` above `max.message.bytes`, `INVALID_RECORD` for a keyless record on a
    /// compacted topic.
    public func append(records: [Record], nowMs: Int64) throws(LogError) -> AppendResult {
        precondition(!records.isEmpty, "a batch holds at least one record")
        return try append(records: records, repeating: records[0], count: 0, nowMs: nowMs)
    }

    /// Appends `records` followed by `count` copies of `record` as one batch (the producer's batched path:
    /// the same bytes as `append(records:nowMs:)` with the copies written out, without building them).
    public func append(records: [Record], repeating record: Record, count repeats: Int, nowMs: Int64,
                       producer: ProducerIdentity? = nil, isTransactional: Bool = false) throws(LogError) -> AppendResult {
        precondition(!records.isEmpty || repeats > 0, "a batch holds at least one record")
        if config.cleanupPolicy.compact, records.contains(where: { $0.key == nil }) || (repeats > 0 && record.key == nil) {
            throw keylessOnCompactedTopic
        }
        let logAppend = config.messageTimestampType == .logAppendTime
        let prefix = records.count
        let count = prefix + repeats
        let baseTimestamp = prefix > 0 ? records[0].timestamp : record.timestamp
        var maxTimestamp = repeats > 0 ? record.timestamp : Int64(-1)
        // Size first, so the batch is written straight into `writeBuffer` with no per-record arrays.
        var total = RecordBatch.recordBatchOverhead
        for i in 0..<prefix {
            let r = records[i]
            if r.timestamp > maxTimestamp { maxTimestamp = r.timestamp }
            total += Record.sizeInBytes(offsetDelta: Int32(i), timestampDelta: r.timestamp &- baseTimestamp,
                                        key: r.key, value: r.value, headers: r.headers)
        }
        // The copies differ only in their offset delta: attributes and timestamp delta, then a shared tail
        // (key, value, headers), encoded once.
        let repeatedDelta = record.timestamp &- baseTimestamp
        var tail: [UInt8] = []
        var head = 0
        if repeats > 0 {
            RecordBatch.writeRecord(offsetDelta: 0, timestampDelta: 0, key: record.key, value: record.value,
                                    headers: record.headers, to: &tail)
            let plain = Record.bodySize(offsetDelta: 0, timestampDelta: 0, key: record.key, value: record.value, headers: record.headers)
            tail.removeFirst(tail.count - plain + 3)  // length, attributes, timestamp delta 0, offset delta 0
            head = 1 + Varint.sizeOfVarlong(repeatedDelta)
            for i in prefix..<count {
                let body = head + Varint.sizeOfVarint(Int32(i)) + tail.count
                total += Varint.sizeOfVarint(Int32(body)) + body
            }
        }
        if logAppend { maxTimestamp = nowMs }
        writeBuffer.reserve(total)
        let base = writeBuffer.memory.baseAddress!
        var w = RawByteWriter(base)
        w.bigEndian(logEndOffset)
        w.bigEndian(Int32(total - RecordBatch.logOverhead))
        w.bigEndian(leaderEpoch)
        w.byte(UInt8(bitPattern: RecordBatch.magic))
        w.bigEndian(UInt32(0))                          // crc, patched below
        w.bigEndian(Int16(logAppend ? 0x08 : 0) | (isTransactional ? 0x10 : 0))
        w.bigEndian(Int32(count - 1))
        w.bigEndian(baseTimestamp)
        w.bigEndian(maxTimestamp)
        w.bigEndian(producer?.producerId ?? -1)
        w.bigEndian(producer?.producerEpoch ?? -1)
        w.bigEndian(producer?.baseSequence ?? -1)
        w.bigEndian(Int32(count))
        for i in 0..<prefix {
            let r = records[i]
            RecordBatch.writeRecord(offsetDelta: Int32(i), timestampDelta: r.timestamp &- baseTimestamp,
                                    key: r.key, value: r.value, headers: r.headers, to: &w)
        }
        if repeats > 0 {
            tail.withUnsafeBytes { tail in
                for i in prefix..<count {
                    w.varint(Int32(head + Varint.sizeOfVarint(Int32(i)) + tail.count))
                    w.byte(0)  // attributes
                    w.varlong(repeatedDelta)
                    w.varint(Int32(i))
                    w.pointer.copyMemory(from: tail.baseAddress!, byteCount: tail.count)
                    w.pointer += tail.count
                }
            }
        }
        precondition(w.pointer - base == total, "batch size mismatch")
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(start: base + 21, count: total - 21))
        (base + 17).storeBytes(of: crc.bigEndian, as: UInt32.self)
        return try appendBatch(UnsafeRawBufferPointer(start: base, count: total), nowMs: nowMs)
    }

    /// Appends a prepared batch (idempotent/transactional/control batches) at the log end offset:
    /// its offsets are shifted so it starts there, the leader epoch is stamped, and LogAppendTime applied.
    public func append(batch: RecordBatch, nowMs: Int64) throws(LogError) -> AppendResult {
        if config.cleanupPolicy.compact, !batch.isControl, batch.records.contains(where: { $0.key == nil }) {
            throw keylessOnCompactedTopic
        }
        var b = batch
        let shift = logEndOffset - batch.baseOffset
        b.baseOffset = logEndOffset
        for i in b.records.indices { b.records[i].offset += shift }
        b.partitionLeaderEpoch = leaderEpoch
        if config.messageTimestampType == .logAppendTime {
            b.timestampType = .logAppendTime
            b.maxTimestamp = nowMs
        }
        scratch.removeAll(keepingCapacity: true)
        b.encode(into: &scratch)
        writeBuffer.reserve(scratch.count)
        let memory = writeBuffer.memory
        scratch.withUnsafeBytes { memory.copyMemory(from: $0) }
        return try appendBatch(UnsafeRawBufferPointer(start: memory.baseAddress!, count: scratch.count), nowMs: nowMs)
    }

    /// What a keyless record on a compacted topic is refused with (Kafka's `LogValidator`).
    private var keylessOnCompactedTopic: LogError {
        .invalidRecord(topicPartition: topicPartition,
                       reason: "Compacted topic cannot accept message without key in topic partition \(topicPartition).")
    }

    /// Appends a batch a real client sent, as its bytes, compressed or not (Kafka's `LogValidator` on a v2 batch with no
    /// conversion): the base offset becomes the log end offset and the leader epoch is stamped, which the CRC does
    /// not cover; under LogAppendTime the batch is stamped with `nowMs` and its CRC computed again. The caller has
    /// checked the magic and the client's CRC. The batch's bytes are taken, stamped where they are and appended, with
    /// no copy (they are the log's from here; `records` keeps none).
    public func append(clientBatch records: MemoryRecords, nowMs: Int64) throws(LogError) -> AppendResult {
        var bytes = records.take()
        if config.cleanupPolicy.compact {
            // Only a compacted topic needs the records' keys: read them there (decompressed), then store the bytes.
            let batch: RecordBatch
            do throws(RecordBatchError) { batch = try RecordBatch(bytes: bytes) } catch { throw .corruptMessage(error) }
            if !batch.isControl, batch.records.contains(where: { $0.key == nil }) {
                throw keylessOnCompactedTopic
            }
        }
        // Stamped in place; the storage may keep the array for the followers' next fetch.
        let (logEndOffset, leaderEpoch, logAppendTime) = (self.logEndOffset, self.leaderEpoch,
                                                          config.messageTimestampType == .logAppendTime)
        bytes.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            base.storeBytes(of: logEndOffset.bigEndian, as: Int64.self)
            (base + 12).storeBytes(of: leaderEpoch.bigEndian, as: Int32.self)
            if logAppendTime {
                let attributes = Int16(bigEndian: (base + 21).loadUnaligned(as: Int16.self)) | 0x08
                (base + 21).storeBytes(of: attributes.bigEndian, as: Int16.self)
                (base + 35).storeBytes(of: nowMs.bigEndian, as: Int64.self)
                let crc = CRC32C.checksum(UnsafeRawBufferPointer(start: base + 21, count: raw.count - 21))
                (base + 17).storeBytes(of: crc.bigEndian, as: UInt32.self)
            }
        }
        let batch = bytes
        // `withUnsafeBytes` only rethrows untyped errors: the typed one is carried out of the closure.
        var result: Result<AppendResult, LogError> = .failure(.corruptMessage(.truncated(what: "record batch")))
        batch.withUnsafeBytes { raw in
            do throws(LogError) { result = .success(try appendBatch(raw, nowMs: nowMs, keeping: batch)) } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// A batch a follower copies from its leader: written as it is (the leader already validated it).
    func appendReplicated(_ batch: UnsafeRawBufferPointer, nowMs: Int64) throws(LogError) -> AppendResult {
        try appendBatch(batch, nowMs: nowMs, validate: false)
    }

    /// Validates, rolls if needed, and writes the encoded batch `batch` with one storage call; `array`, when given,
    /// holds the same bytes and is what the storage gets (it may keep it rather than copy the bytes).
    private func appendBatch(_ batch: UnsafeRawBufferPointer, nowMs: Int64, validate: Bool = true,
                             keeping array: [UInt8]? = nil) throws(LogError) -> AppendResult {
        let batchSize = batch.count
        let header: RecordBatchHeader
        do throws(RecordBatchError) { header = try RecordBatchHeader.read(batch) } catch { throw .corruptMessage(error) }
        if validate && batchSize > config.maxMessageBytes {
            throw .recordTooLarge(topicPartition: topicPartition, batchSize: batchSize, maxMessageBytes: config.maxMessageBytes)
        }
        if batchSize > config.segmentBytes {
            throw .recordBatchTooLarge(topicPartition: topicPartition, batchSize: batchSize, segmentBytes: config.segmentBytes)
        }
        if let storageFailure { throw storageFailure }
        // Producer checks come before anything is written; a follower copies what its leader already accepted.
        var marker: (EndTransactionMarker, timestamp: Int64)?
        if header.producerId >= 0 {
            if header.isControl { marker = try endTxnMarker(in: batch, header: header) }
            if validate { try validateProducerAppend(header, marker: marker?.0) }
        }
        var events = try maybeRoll(incoming: header, size: batchSize, nowMs: nowMs)
        let index = segments.count - 1
        let position = segments[index].size
        // What a failed write puts back, kept without its indexes: a copy holding them would make the entries added
        // below copy both arrays whole, on every append that indexes.
        var old = segments[index]
        old.offsetIndex = []
        old.timeIndex = []
        let (offsetEntry, timeEntry) = segments[index].didAppend(header: header, position: position, nowMs: nowMs,
                                                                 indexIntervalBytes: config.indexIntervalBytes)
        let segment = segments[index]
        do throws(LogError) {
            if let array { try storage.append(segment.logFileName, array) } else { try storage.append(segment.logFileName, batch) }
            if let offsetEntry { try storage.append(segment.indexFileName, segment.encodeOffsetIndex([offsetEntry])) }
            if let timeEntry { try storage.append(segment.timeIndexFileName, segment.encodeTimeIndex([timeEntry])) }
        } catch {
            // A failed write (a full disk) may have left part of the batch, or of an index entry: cut the files back
            // to the last good offset so later appends are not written after torn bytes that recovery would cut
            // (with them). If even that fails, the log goes offline as Kafka's log directory does.
            old.offsetIndex = segment.offsetIndex
            old.timeIndex = segment.timeIndex
            if offsetEntry != nil { old.offsetIndex.removeLast() }
            if timeEntry != nil { old.timeIndex.removeLast() }
            segments[index] = old
            do throws(LogError) {
                try storage.truncate(old.logFileName, to: position)
                if offsetEntry != nil { try storage.truncate(old.indexFileName, to: old.offsetIndex.count * OffsetIndexEntry.size) }
                if timeEntry != nil { try storage.truncate(old.timeIndexFileName, to: old.timeIndex.count * TimeIndexEntry.size) }
            } catch let cut {
                storageFailure = cut
            }
            throw error
        }
        logEndOffset = header.lastOffset + 1
        if highWatermarkFollowsLogEnd { highWatermark = logEndOffset }
        if header.producerId >= 0 {
            if header.isTransactional { sawTransactions = true }
            if let completed = updateProducerState(header, marker: marker?.0, markerTimestamp: marker?.timestamp ?? -1) {
                if completed.isAborted { appendAbortedTxn(completed, segmentBaseOffset: segment.baseOffset) }
                completeTxn(completed)
            }
        }
        let count = Int(header.recordsCount)
        events.append(.recordsAppended(firstOffset: header.baseOffset, lastOffset: header.lastOffset, count: count,
                                       bytes: batchSize))
        return AppendResult(firstOffset: header.baseOffset, lastOffset: header.lastOffset,
                            logAppendTime: header.timestampType == .logAppendTime ? header.maxTimestamp : -1,
                            maxTimestamp: header.maxTimestamp, logStartOffset: logStartOffset, recordCount: count,
                            sizeInBytes: batchSize, events: events)
    }

    /// `UnifiedLog.maybeRoll` with `LogSegment.shouldRoll`'s conditions, checked in Kafka's order.
    private func maybeRoll(incoming header: RecordBatchHeader, size: Int, nowMs: Int64) throws(LogError) -> [LogEvent] {
        let segment = activeSegment
        let reason: RollReason?
        if segment.size > config.segmentBytes - size {
            reason = .segmentBytes
        } else if segment.size > 0 && timeWaitedForRoll(segment, nowMs: nowMs, incomingMaxTimestamp: header.maxTimestamp)
                    > config.segmentMs - config.segmentJitterMs {
            reason = .segmentMs
        } else if segment.isIndexFull(config) {
            reason = .indexFull
        } else if header.lastOffset - segment.baseOffset > Int64(Int32.max) {
            reason = .offsetOverflow
        } else {
            reason = nil
        }
        guard let reason else { return [] }
        return try rollSegment(newBaseOffset: header.baseOffset, reason: reason, nowMs: nowMs)
    }

    private func timeWaitedForRoll(_ segment: LogSegment, nowMs: Int64, incomingMaxTimestamp: Int64) -> Int64 {
        if let first = segment.rollingBasedTimestamp, first >= 0 { return incomingMaxTimestamp - first }
        return nowMs - segment.createdMs
    }

    /// Rolls a new active segment at the log end offset (Kafka's `roll()`). No-op on an empty active segment.
    @discardableResult
    public func roll(nowMs: Int64) throws(LogError) -> [LogEvent] {
        try rollSegment(newBaseOffset: logEndOffset, reason: .forced, nowMs: nowMs)
    }

    func rollSegment(newBaseOffset: Int64, reason: RollReason, nowMs: Int64) throws(LogError) -> [LogEvent] {
        try CrashPoint.during(.roll) { () throws(LogError) in try rollSegmentNow(newBaseOffset: newBaseOffset, reason: reason, nowMs: nowMs) }
    }

    private func rollSegmentNow(newBaseOffset: Int64, reason: RollReason, nowMs: Int64) throws(LogError) -> [LogEvent] {
        let last = segments.count - 1
        if segments[last].isEmpty && segments[last].baseOffset == newBaseOffset { return [] }
        if segments[last].isEmpty {
            try deleteFiles(of: segments[last])
            segments.removeLast()
        } else if let entry = segments[last].maybeAppendTimeIndex() {
            // `onBecomeInactiveSegment`: the final time index entry, even if the index is full.
            try storage.append(segments[last].timeIndexFileName, segments[last].encodeTimeIndex([entry]))
        }
        let segment = LogSegment(baseOffset: newBaseOffset, nowMs: nowMs)
        try storage.create(segment.logFileName)
        try storage.create(segment.indexFileName)
        try storage.create(segment.timeIndexFileName)
        segments.append(segment)
        // As Kafka's `roll`: the producer state at the new segment's base, so recovery replays from there.
        try takeProducerSnapshot(at: newBaseOffset)
        return [.segmentRolled(baseOffset: newBaseOffset, reason: reason)]
    }

    func deleteFiles(of segment: LogSegment) throws(LogError) {
        try storage.delete(segment.logFileName)
        try storage.delete(segment.indexFileName)
        try storage.delete(segment.timeIndexFileName)
        if abortedTxnIndex.removeValue(forKey: segment.baseOffset) != nil {
            try storage.delete(TransactionIndex.fileName(baseOffset: segment.baseOffset))
        }
    }

    // MARK: Read

    /// Records from `offset` on, at most `maxRecords`, below `endOffset` (default: the log end offset;
    /// pass the high watermark for consumers). Control batches (transaction markers) take offsets but
    /// are skipped unless `includeControlRecords`. Offsets removed by compaction are simply absent.
    /// Throws `OFFSET_OUT_OF_RANGE` outside [logStartOffset, logEndOffset].
    public func read(from offset: Int64, maxRecords: Int = Int.max, endOffset: Int64? = nil,
                     includeControlRecords: Bool = false) throws(LogError) -> [Record] {
        var out: [Record] = []
        try read(from: offset, maxRecords: maxRecords, endOffset: endOffset,
                 includeControlRecords: includeControlRecords, into: &out)
        return out
    }

    /// `read(from:...)` appending into `out` (lets callers reuse an array). Returns the count appended.
    @discardableResult
    public func read(from offset: Int64, maxRecords: Int = Int.max, endOffset: Int64? = nil,
                     includeControlRecords: Bool = false, into out: inout [Record]) throws(LogError) -> Int {
        guard offset >= logStartOffset && offset <= logEndOffset else {
            throw .offsetOutOfRange(topicPartition: topicPartition, offset: offset, logStartOffset: logStartOffset,
                                    logEndOffset: logEndOffset)
        }
        let limit = min(endOffset ?? logEndOffset, logEndOffset)
        let startCount = out.count
        guard offset < limit, maxRecords > 0 else { return 0 }
        var segmentIndex = segmentIndex(containing: offset)
        while segmentIndex < segments.count && out.count - startCount < maxRecords {
            let segment = segments[segmentIndex]
            segmentIndex += 1
            guard let last = segment.lastOffset, last >= offset else { continue }
            if segment.baseOffset >= limit { break }
            var done = false
            let end = try scanBatches(segment.logFileName, fileSize: segment.size, from: readStart(in: segment, for: offset),
                                      verifyChecksums: false) { (header, buffer, at, _) throws(LogError) -> Bool in
                if header.lastOffset < offset { return true }
                if header.baseOffset >= limit { done = true; return false }
                if header.isControl && !includeControlRecords { return true }
                let before = out.count
                do throws(RecordBatchError) {
                    try RecordBatch.withPlainRecords(header: header, buffer: buffer, at: at) { (header, buffer, at) throws(RecordBatchError) in
                        try RecordBatch.decodeRecords(header: header, buffer: buffer, at: at, minOffset: offset,
                                                      limit: maxRecords - (out.count - startCount), into: &out)
                    }
                } catch { throw .corruptMessage(error) }
                if header.lastOffset >= limit {
                    while out.count > before, out[out.count - 1].offset >= limit { out.removeLast() }
                    done = true
                    return false
                }
                if out.count - startCount >= maxRecords { done = true; return false }
                return true
            }
            if case .invalid(_, let error) = end { throw .corruptMessage(error) }
            if done { break }
        }
        return out.count - startCount
    }

    /// The `partitionLeaderEpoch` of the batch holding `offset` (what a fetched `ConsumerRecord.leaderEpoch()` carries),
    /// nil when no batch holds it or the batch has none (-1).
    public func batchLeaderEpoch(of offset: Int64) -> Int32? {
        guard offset >= logStartOffset && offset < logEndOffset else { return nil }
        let segment = segments[segmentIndex(containing: offset)]
        var epoch: Int32?
        _ = try? scanBatches(segment.logFileName, fileSize: segment.size, from: segment.lookup(offset),
                             verifyChecksums: false) { (header, _, _, _) throws(LogError) -> Bool in
            if header.lastOffset < offset { return true }
            if header.baseOffset <= offset, header.partitionLeaderEpoch >= 0 { epoch = header.partitionLeaderEpoch }
            return false
        }
        return epoch
    }

    /// Index of the last segment whose base offset ≤ `offset` (0 if none).
    func segmentIndex(containing offset: Int64) -> Int {
        var low = 0
        var high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if segments[mid].baseOffset <= offset { low = mid + 1 } else { high = mid }
        }
        return max(0, low - 1)
    }

    // MARK: Scanning

    /// Where a read for `offset` in `segment` starts: the offset index's position, moved past whole batches that end
    /// before `offset` by reading only their headers. The index names the batch before the one a fetch at the log end
    /// wants, and that batch may be a real client's megabyte: reading it only to skip it would cost more than the
    /// fetch. Small batches are left to the scan, which reads them in one go. Unreadable bytes stop the hops; the
    /// scan then reports them.
    func readStart(in segment: LogSegment, for offset: Int64) -> Int {
        var position = segment.lookup(offset)
        let headerSize = RecordBatch.recordBatchOverhead
        return withUnsafeTemporaryAllocation(byteCount: headerSize, alignment: 8) { buffer in
            while position + headerSize <= segment.size {
                guard let n = try? storage.read(segment.logFileName, at: position, into: buffer), n == headerSize,
                      let header = try? RecordBatchHeader.read(UnsafeRawBufferPointer(buffer)), header.lastOffset < offset,
                      header.sizeInBytes >= config.indexIntervalBytes, position + header.sizeInBytes <= segment.size else { break }
                position += header.sizeInBytes
            }
            return position
        }
    }

    /// The most bytes a scan reads at a time (a batch larger than this is read whole).
    static let scanChunkBytes = 1 << 18

    /// Visits each batch of a segment file from `start`, reading it in chunks of up to `scanChunkBytes`.
    /// The visitor gets the header, a buffer holding the whole batch, the batch's index in that buffer,
    /// and its file position; it returns false to stop. Torn or corrupt bytes end the scan as `.invalid`.
    func scanBatches(_ name: String, fileSize: Int, from start: Int, verifyChecksums: Bool,
                     _ visit: (RecordBatchHeader, UnsafeRawBufferPointer, Int, Int) throws(LogError) -> Bool)
        throws(LogError) -> BatchScanEnd {
        // A buffer of the scan's own, not one kept with the log: a log keeps no memory for reads between them (a server
        // holding many partitions, each scanned once, grew by a quarter megabyte a replica, a megabyte with a
        // real client's batches).
        let readBuffer = ReadBuffer(capacity: max(RecordBatch.recordBatchOverhead, min(Self.scanChunkBytes, fileSize - start)))
        var filePosition = start
        while filePosition < fileSize {
            let want = min(readBuffer.memory.count, fileSize - filePosition)
            let n = try storage.read(name, at: filePosition,
                                     into: UnsafeMutableRawBufferPointer(rebasing: readBuffer.memory[0..<want]))
            let buffer = UnsafeRawBufferPointer(rebasing: readBuffer.memory[0..<n])
            var i = 0
            while i < n {
                let header: RecordBatchHeader
                do throws(RecordBatchError) {
                    header = try RecordBatchHeader.read(buffer, at: i)
                } catch {
                    if case .truncated = error, filePosition + n < fileSize { break }  // refill
                    return .invalid(position: filePosition + i, error: error)
                }
                let batchSize = header.sizeInBytes
                if i + batchSize > n {
                    if filePosition + i + batchSize > fileSize {
                        return .invalid(position: filePosition + i, error: .truncated(what: "record batch"))
                    }
                    if i == 0 { readBuffer.reserve(batchSize) }
                    break  // refill from the batch start
                }
                if verifyChecksums {
                    let computed = header.computeChecksum(buffer, at: i)
                    if computed != header.crc {
                        return .invalid(position: filePosition + i, error: .crcMismatch(stored: header.crc, computed: computed))
                    }
                }
                if try !visit(header, buffer, i, filePosition + i) { return .stopped }
                i += batchSize
            }
            if n == 0 { return .invalid(position: filePosition, error: .truncated(what: "record batch")) }
            filePosition += i
        }
        return .complete(position: filePosition)
    }
}
