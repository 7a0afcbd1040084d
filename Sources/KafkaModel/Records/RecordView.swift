/// One record inside a `FetchedRecords` buffer, without copying it: offset, timestamp, and where its
/// key, value and headers lie in the buffer's bytes. What a consumer holds between fetching and
/// deserialising (Kafka's `DefaultRecord` over a `ByteBuffer`). Plain integers, no allocation.
///
/// A view is only meaningful with the `FetchedRecords` it came from, until that buffer's next fetch.
public struct RecordView: Hashable, Sendable {
    /// The record's offset in its partition.
    public let offset: Int64
    /// CreateTime, or the batch's LogAppendTime.
    public let timestamp: Int64
    @usableFromInline let keyStart: Int32
    /// Key length, −1 for a null key.
    @usableFromInline let keyLength: Int32
    @usableFromInline let valueStart: Int32
    /// Value length, −1 for a null value.
    @usableFromInline let valueLength: Int32
    /// Position of the first header (after the header count varint).
    let headersStart: Int32
    let headersCount: Int32

    /// Byte range of the key in `FetchedRecords.withBytes`, `nil` for a null key.
    @inlinable public var keyRange: Range<Int>? {
        keyLength < 0 ? nil : Int(keyStart)..<(Int(keyStart) + Int(keyLength))
    }

    /// Byte range of the value in `FetchedRecords.withBytes`, `nil` for a null value (tombstone).
    @inlinable public var valueRange: Range<Int>? {
        valueLength < 0 ? nil : Int(valueStart)..<(Int(valueStart) + Int(valueLength))
    }

    /// Key size in bytes, −1 for null (as `kafka-dump-log` prints it).
    public var keySize: Int { Int(keyLength) }
    /// Value size in bytes, −1 for null.
    public var valueSize: Int { Int(valueLength) }
    /// Number of headers.
    public var headerCount: Int { Int(headersCount) }
}

/// A reusable fetch buffer: the raw bytes of whole batches read from one segment with a single read,
/// plus a `RecordView` per record (Kafka's fetch response `Records` as a consumer iterates it).
/// Fill it with `UnifiedLog.fetch(from:maxBytes:endOffset:includeControlRecords:verifyChecksums:into:)`;
/// each fetch replaces the previous contents, so keep one per consumer and reuse it.
/// Not thread-safe.
public final class FetchedRecords {
    /// The records of the last fetch, in offset order.
    public internal(set) var views: [RecordView] = []
    /// Where the next fetch should start: past the last batch returned (control batches and compacted
    /// gaps included), or the requested offset if nothing was returned.
    public internal(set) var nextOffset: Int64 = 0
    /// Bytes of the buffer that hold fetched data.
    public internal(set) var byteCount = 0
    let buffer: ReadBuffer

    /// A buffer with room for `capacity` bytes up front (it grows for a larger batch).
    public init(capacity: Int = 1 << 20) {
        buffer = ReadBuffer(capacity: max(capacity, RecordBatch.recordBatchOverhead))
        views.reserveCapacity(1024)
    }

    /// Number of records.
    public var count: Int { views.count }
    /// True when the last fetch returned no records.
    public var isEmpty: Bool { views.isEmpty }

    func reset(nextOffset: Int64) {
        views.removeAll(keepingCapacity: true)
        self.nextOffset = nextOffset
        byteCount = 0
    }

    /// Calls `body` with the fetched bytes; `RecordView.keyRange`/`valueRange` index into them.
    /// The pointer must not escape `body`.
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: buffer.memory.baseAddress, count: byteCount))
    }

    private func copy(_ range: Range<Int>?) -> [UInt8]? {
        guard let range else { return nil }
        precondition(range.upperBound <= byteCount, "RecordView from another fetch")
        return Array(UnsafeRawBufferPointer(rebasing: buffer.memory[range]))
    }

    /// A copy of the view's key bytes (`nil` for a null key).
    public func key(of view: RecordView) -> [UInt8]? { copy(view.keyRange) }

    /// A copy of the view's value bytes (`nil` for a null value).
    public func value(of view: RecordView) -> [UInt8]? { copy(view.valueRange) }

    /// The view's headers, decoded.
    public func headers(of view: RecordView) -> [RecordHeader] {
        guard view.headersCount > 0 else { return [] }
        let bytes = UnsafeRawBufferPointer(start: buffer.memory.baseAddress, count: byteCount)
        var index = Int(view.headersStart)
        var headers: [RecordHeader] = []
        headers.reserveCapacity(Int(view.headersCount))
        // The batch was validated when it was fetched, so these reads cannot fail on the same bytes.
        do throws(RecordBatchError) {
            for _ in 0..<view.headersCount {
                let keyLength = Int(try Varint.readVarint(bytes, at: &index))
                precondition(keyLength >= 0 && index + keyLength <= byteCount, "RecordView from another fetch")
                let key = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + keyLength)]),
                                 as: UTF8.self)
                index += keyLength
                let valueLength = Int(try Varint.readVarint(bytes, at: &index))
                var value: [UInt8]?
                if valueLength >= 0 {
                    precondition(index + valueLength <= byteCount, "RecordView from another fetch")
                    value = Array(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + valueLength)]))
                    index += valueLength
                }
                headers.append(RecordHeader(key: key, value: value))
            }
        } catch {
            preconditionFailure("RecordView from another fetch: \(error)")
        }
        return headers
    }

    /// The view as a `Record` (copies key, value and headers).
    public func record(_ view: RecordView) -> Record {
        Record(offset: view.offset, timestamp: view.timestamp, key: key(of: view), value: value(of: view),
               headers: headers(of: view))
    }

    /// Every fetched record as a `Record`.
    public func records() -> [Record] { views.map { record($0) } }
}

extension RecordBatch {
    /// Like `decodeRecords`, with the same validation, but appends a `RecordView` per record whose offset
    /// is in `minOffset..<endOffset` instead of copying it. `buffer` must be at most `Int32.max` bytes.
    static func decodeRecordViews(header: RecordBatchHeader, buffer: UnsafeRawBufferPointer, at position: Int,
                                  minOffset: Int64, endOffset: Int64,
                                  into out: inout [RecordView]) throws(RecordBatchError) {
        let end = position + header.sizeInBytes
        let body = UnsafeRawBufferPointer(rebasing: buffer[0..<end])
        var index = position + recordBatchOverhead
        let count = Int(header.recordsCount)
        guard count >= 0 else { throw .invalidRecord(reason: "Found invalid record count \(count) in magic v2 batch") }
        let logAppend = header.timestampType == .logAppendTime
        for _ in 0..<count {
            let length = Int(try Varint.readVarint(body, at: &index))
            guard length >= 0, index + length <= end else {
                throw .invalidRecord(reason: "Invalid record size: expected \(length) bytes of record payload but only \(end - index) remain")
            }
            let recordEnd = index + length
            let record = UnsafeRawBufferPointer(rebasing: buffer[0..<recordEnd])
            index += 1  // attributes
            let timestampDelta = try Varint.readVarlong(record, at: &index)
            let offsetDelta = try Varint.readVarint(record, at: &index)
            let keyLength = try skipBytes(record, at: &index)
            let keyStart = index - max(0, keyLength)
            let valueLength = try skipBytes(record, at: &index)
            let valueStart = index - max(0, valueLength)
            let headerCount = Int(try Varint.readVarint(record, at: &index))
            guard headerCount >= 0 else { throw .invalidRecord(reason: "Found invalid number of record headers \(headerCount)") }
            let headersStart = index
            for _ in 0..<headerCount {
                guard try Varint.peekNonNegative(record, at: index) else {
                    throw .invalidRecord(reason: "Invalid negative header key size")
                }
                _ = try skipBytes(record, at: &index)
                _ = try skipBytes(record, at: &index)
            }
            guard index == recordEnd else {
                throw .invalidRecord(reason: "Invalid record size: expected to read \(length) bytes in record payload, but instead read \(length - (recordEnd - index))")
            }
            let offset = header.baseOffset + Int64(offsetDelta)
            if offset >= minOffset && offset < endOffset {
                let timestamp = logAppend ? header.maxTimestamp : header.baseTimestamp &+ timestampDelta
                out.append(RecordView(offset: offset, timestamp: timestamp,
                                      keyStart: Int32(truncatingIfNeeded: keyStart), keyLength: Int32(keyLength),
                                      valueStart: Int32(truncatingIfNeeded: valueStart), valueLength: Int32(valueLength),
                                      headersStart: Int32(truncatingIfNeeded: headersStart),
                                      headersCount: Int32(headerCount)))
            }
        }
        guard index == end else { throw .invalidRecord(reason: "Incorrect declared batch size, records still remaining in file") }
    }

    /// Skips a length-prefixed nullable field; returns its length (−1 for null).
    @inline(__always)
    private static func skipBytes(_ buffer: UnsafeRawBufferPointer, at index: inout Int) throws(RecordBatchError) -> Int {
        let length = Int(try Varint.readVarint(buffer, at: &index))
        if length < 0 { return -1 }
        guard index + length <= buffer.count else { throw .truncated(what: "record field") }
        index += length
        return length
    }
}
