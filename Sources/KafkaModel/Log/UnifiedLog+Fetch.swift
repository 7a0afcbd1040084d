extension UnifiedLog {
    /// The fast consumer read path (Kafka's fetch): reads whole batches holding records from `offset` on,
    /// about `maxBytes` of them (`max.partition.fetch.bytes`; always at least one whole batch), from one
    /// segment with a single read into `fetched`'s reusable buffer, and decodes each wanted record into a
    /// `RecordView` (offset, timestamp, key/value ranges) without per-record allocation.
    ///
    /// Returns the same records as `read(from:maxRecords:endOffset:includeControlRecords:)`, in the same
    /// order, just not capped at a record count: records below `offset` in the first batch and at or
    /// above `endOffset` (default the log end offset; pass the high watermark for consumers) are left out,
    /// control batches are skipped unless `includeControlRecords`, compacted-away offsets are absent.
    /// Continue from `fetched.nextOffset`. Throws `OFFSET_OUT_OF_RANGE` outside [logStartOffset,
    /// logEndOffset] and `CORRUPT_MESSAGE` for unreadable bytes (and, with `verifyChecksums`, bad CRCs).
    public func fetch(from offset: Int64, maxBytes: Int = 1 << 20, endOffset: Int64? = nil,
                      includeControlRecords: Bool = false, verifyChecksums: Bool = false,
                      into fetched: FetchedRecords) throws(LogError) {
        guard offset >= logStartOffset && offset <= logEndOffset else {
            throw .offsetOutOfRange(topicPartition: topicPartition, offset: offset, logStartOffset: logStartOffset,
                                    logEndOffset: logEndOffset)
        }
        fetched.reset(nextOffset: offset)
        let limit = min(endOffset ?? logEndOffset, logEndOffset)
        guard offset < limit else { return }
        let maxBytes = min(max(maxBytes, 1), Int(Int32.max))
        var index = segmentIndex(containing: offset)
        while index < segments.count {
            let segment = segments[index]
            index += 1
            guard let last = segment.lastOffset, last >= offset else { continue }
            if segment.baseOffset >= limit { break }
            switch try fetch(segment, from: offset, limit: limit, maxBytes: maxBytes,
                             includeControlRecords: includeControlRecords, verifyChecksums: verifyChecksums,
                             into: fetched) {
            case .accepted: return
            case .reachedLimit:
                fetched.nextOffset = limit
                return
            case .segmentEnd: continue
            }
        }
        // Nothing at or after `offset` below `limit` (removed by compaction): the consumer may move on.
        fetched.nextOffset = limit
    }

    private enum SegmentFetchEnd { case accepted, reachedLimit, segmentEnd }

    /// Fetches from one segment; see `fetch(from:...)`.
    private func fetch(_ segment: LogSegment, from offset: Int64, limit: Int64, maxBytes: Int,
                       includeControlRecords: Bool, verifyChecksums: Bool,
                       into fetched: FetchedRecords) throws(LogError) -> SegmentFetchEnd {
        let name = segment.logFileName
        var filePosition = readStart(in: segment, for: offset)
        var needed = 0  // bytes the first unread batch needs when it did not fit
        while filePosition < segment.size {
            let want = min(max(maxBytes, needed), segment.size - filePosition)
            guard want <= Int(Int32.max) else { throw .corruptMessage(.invalidBatchLength(Int32.max)) }
            fetched.buffer.reserve(want)
            let n = try storage.read(name, at: filePosition,
                                     into: UnsafeMutableRawBufferPointer(rebasing: fetched.buffer.memory[0..<want]))
            guard n == want else { throw .corruptMessage(.truncated(what: "record batch")) }
            let buffer = UnsafeRawBufferPointer(rebasing: fetched.buffer.memory[0..<n])
            var accepted = false
            var i = 0
            scan: while i < n {
                let header: RecordBatchHeader
                do throws(RecordBatchError) {
                    header = try RecordBatchHeader.read(buffer, at: i)
                } catch {
                    // A header cut by the end of this read: stop here, or read on from it.
                    guard case .truncated = error, filePosition + n < segment.size else { throw .corruptMessage(error) }
                    if accepted { break scan }
                    needed = RecordBatch.recordBatchOverhead
                    break scan
                }
                let size = header.sizeInBytes
                if i + size > n {
                    if filePosition + i + size > segment.size { throw .corruptMessage(.truncated(what: "record batch")) }
                    if accepted { break scan }
                    needed = size
                    break scan
                }
                if header.lastOffset < offset {
                    i += size
                    continue
                }
                if header.baseOffset >= limit { return accepted ? .accepted : .reachedLimit }
                if verifyChecksums {
                    let computed = header.computeChecksum(buffer, at: i)
                    if computed != header.crc { throw .corruptMessage(.crcMismatch(stored: header.crc, computed: computed)) }
                }
                if header.compressionType != .none && (!header.isControl || includeControlRecords) {
                    // A compressed batch is fetched on its own: its decompressed copy replaces the buffer's bytes,
                    // so the views index into plain records.
                    if accepted { return .accepted }
                    try fetchCompressed(header, buffer: buffer, at: i, from: offset, limit: limit, into: fetched)
                    return .accepted
                }
                if !header.isControl || includeControlRecords {
                    do throws(RecordBatchError) {
                        try RecordBatch.decodeRecordViews(header: header, buffer: buffer, at: i, minOffset: offset,
                                                          endOffset: limit, into: &fetched.views)
                    } catch { throw .corruptMessage(error) }
                }
                accepted = true
                i += size
                fetched.byteCount = i
                fetched.nextOffset = min(header.lastOffset + 1, limit)
                if header.lastOffset + 1 >= limit { return .accepted }
            }
            if accepted { return .accepted }
            // Only skipped batches so far (below `offset`): read on from the first unread one.
            filePosition += i
        }
        return .segmentEnd
    }

    /// Decompresses the compressed batch at `position` of `buffer` (the fetch buffer's bytes) into the fetch buffer,
    /// in place of what it held, and decodes its views.
    private func fetchCompressed(_ header: RecordBatchHeader, buffer: UnsafeRawBufferPointer, at position: Int,
                                 from offset: Int64, limit: Int64, into fetched: FetchedRecords) throws(LogError) {
        let plain: [UInt8]
        do throws(RecordBatchError) { plain = try RecordBatch.plainBatch(header: header, buffer: buffer, at: position) } catch {
            throw .corruptMessage(error)
        }
        fetched.buffer.reserve(plain.count)
        plain.withUnsafeBytes { fetched.buffer.memory.copyMemory(from: $0) }
        var plainHeader = header
        plainHeader.batchLength = Int32(plain.count - RecordBatch.logOverhead)
        plainHeader.attributes &= ~0x07
        do throws(RecordBatchError) {
            try RecordBatch.decodeRecordViews(header: plainHeader, buffer: UnsafeRawBufferPointer(rebasing: fetched.buffer.memory[0..<plain.count]),
                                              at: 0, minOffset: offset, endOffset: limit, into: &fetched.views)
        } catch { throw .corruptMessage(error) }
        fetched.byteCount = plain.count
        fetched.nextOffset = min(header.lastOffset + 1, limit)
    }
}
