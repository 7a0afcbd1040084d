/// A v2 (magic 2) record batch, Kafka's `DefaultRecordBatch`: a 61-byte header followed by records,
/// CRC-32C over attributes..end. Encoding is byte-identical to Kafka's `MemoryRecordsBuilder` for
/// uncompressed batches; decoding validates sizes and the CRC.
///
/// Records carry absolute offsets and timestamps; on the wire they are deltas from `baseOffset`
/// and `baseTimestamp`. With `.logAppendTime` every record reads the batch's `maxTimestamp`.
public struct RecordBatch: Hashable, Sendable {
    /// Header bytes before the records (`RECORD_BATCH_OVERHEAD`).
    public static let recordBatchOverhead = 61
    /// baseOffset + batchLength (`LOG_OVERHEAD`).
    public static let logOverhead = 12
    /// The only magic the simulator reads and writes.
    public static let magic: Int8 = 2

    public var baseOffset: Int64
    /// Leader epoch stamped by the leader on append; −1 from clients. Not covered by the CRC.
    public var partitionLeaderEpoch: Int32
    public var compressionType: CompressionType
    public var timestampType: TimestampType
    public var isTransactional: Bool
    public var isControl: Bool
    /// Set by the log cleaner on batches with tombstones (attribute bit 6; stored in baseTimestamp).
    public var deleteHorizonMs: Int64?
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var records: [Record]

    /// Builds a batch the way `MemoryRecordsBuilder` does: `baseTimestamp` = delete horizon if set, else the
    /// first record's timestamp; `maxTimestamp` = `logAppendTime` for LogAppendTime, else the largest record
    /// timestamp; `lastOffsetDelta` = last record's offset − baseOffset unless overridden (the cleaner keeps
    /// the original last offset). Record offsets must be ≥ `baseOffset` and increasing.
    public init(baseOffset: Int64, records: [Record], timestampType: TimestampType = .createTime,
                logAppendTime: Int64? = nil, producerId: Int64 = -1, producerEpoch: Int16 = -1,
                baseSequence: Int32 = -1, isTransactional: Bool = false, isControl: Bool = false,
                partitionLeaderEpoch: Int32 = -1, deleteHorizonMs: Int64? = nil, lastOffsetDelta: Int32? = nil) {
        precondition(timestampType == .createTime || logAppendTime != nil, "LogAppendTime needs the append time")
        self.baseOffset = baseOffset
        self.records = records
        self.timestampType = timestampType
        self.compressionType = .none
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.isTransactional = isTransactional
        self.isControl = isControl
        self.partitionLeaderEpoch = partitionLeaderEpoch
        self.deleteHorizonMs = deleteHorizonMs
        let lastDelta = lastOffsetDelta ?? Int32(truncatingIfNeeded: (records.last?.offset ?? baseOffset) - baseOffset)
        self.lastOffsetDelta = lastDelta
        self.baseTimestamp = deleteHorizonMs ?? records.first?.timestamp ?? -1
        if timestampType == .logAppendTime, let logAppendTime {
            self.maxTimestamp = logAppendTime
        } else {
            self.maxTimestamp = records.reduce(Int64(-1)) { max($0, $1.timestamp) }
        }
    }

    /// `baseOffset + lastOffsetDelta`.
    public var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    /// `lastOffset + 1`.
    public var nextOffset: Int64 { lastOffset + 1 }
    /// `baseSequence + lastOffsetDelta` (wrapping as Kafka does), −1 without a sequence.
    public var lastSequence: Int32 { Self.incrementSequence(baseSequence, by: lastOffsetDelta) }

    /// The attributes field.
    public var attributes: Int16 {
        var a = Int16(compressionType.rawValue)
        if timestampType == .logAppendTime { a |= 0x08 }
        if isTransactional { a |= 0x10 }
        if isControl { a |= 0x20 }
        if deleteHorizonMs != nil { a |= 0x40 }
        return a
    }

    /// Kafka's `DefaultRecordBatch.incrementSequence`: wraps past Int32.max to 0; −1 stays −1.
    public static func incrementSequence(_ sequence: Int32, by increment: Int32) -> Int32 {
        if sequence < 0 { return -1 }
        if sequence > Int32.max - increment { return increment - (Int32.max - sequence) - 1 }
        return sequence + increment
    }

    /// The encoded size in bytes.
    public var sizeInBytes: Int {
        var size = Self.recordBatchOverhead
        for r in records {
            size += Record.sizeInBytes(offsetDelta: Int32(truncatingIfNeeded: r.offset - baseOffset),
                                       timestampDelta: r.timestamp - baseTimestamp, key: r.key, value: r.value,
                                       headers: r.headers)
        }
        return size
    }

    /// The batch's bytes.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(sizeInBytes)
        encode(into: &out)
        return out
    }

    /// Appends the batch's bytes to `out` (header, records, then batchLength and CRC filled in).
    public func encode(into out: inout [UInt8]) {
        precondition(compressionType == .none, "the simulator writes uncompressed batches only")
        let start = out.count
        out.appendBigEndian(baseOffset)
        out.appendBigEndian(Int32(0))                 // batchLength, patched below
        out.appendBigEndian(partitionLeaderEpoch)
        out.append(UInt8(bitPattern: Self.magic))
        out.appendBigEndian(UInt32(0))                // crc, patched below
        out.appendBigEndian(attributes)
        out.appendBigEndian(lastOffsetDelta)
        out.appendBigEndian(baseTimestamp)
        out.appendBigEndian(maxTimestamp)
        out.appendBigEndian(producerId)
        out.appendBigEndian(producerEpoch)
        out.appendBigEndian(baseSequence)
        out.appendBigEndian(Int32(records.count))
        for r in records {
            Self.writeRecord(offsetDelta: Int32(truncatingIfNeeded: r.offset - baseOffset),
                             timestampDelta: r.timestamp - baseTimestamp,
                             key: r.key, value: r.value, headers: r.headers, to: &out)
        }
        Self.finishBatch(&out, start: start)
    }

    /// Patches batchLength and CRC of the batch that starts at `start` and ends at `out.count`.
    static func finishBatch(_ out: inout [UInt8], start: Int) {
        out.storeBigEndian(Int32(out.count - start - logOverhead), at: start + 8)
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(start + 21)...])) }
        out.storeBigEndian(crc, at: start + 17)
    }

    /// Appends one record in `DefaultRecord` layout.
    @inline(__always)
    static func writeRecord(offsetDelta: Int32, timestampDelta: Int64, key: [UInt8]?, value: [UInt8]?,
                            headers: [RecordHeader], to out: inout [UInt8]) {
        let body = Record.bodySize(offsetDelta: offsetDelta, timestampDelta: timestampDelta, key: key, value: value,
                                   headers: headers)
        Varint.writeVarint(Int32(body), to: &out)
        out.append(0)  // attributes
        Varint.writeVarlong(timestampDelta, to: &out)
        Varint.writeVarint(offsetDelta, to: &out)
        if let key {
            Varint.writeVarint(Int32(key.count), to: &out)
            out.append(contentsOf: key)
        } else {
            out.append(1)  // −1
        }
        if let value {
            Varint.writeVarint(Int32(value.count), to: &out)
            out.append(contentsOf: value)
        } else {
            out.append(1)
        }
        Varint.writeVarint(Int32(headers.count), to: &out)
        for h in headers {
            Varint.writeVarint(Int32(h.key.utf8.count), to: &out)
            out.append(contentsOf: h.key.utf8)
            if let v = h.value {
                Varint.writeVarint(Int32(v.count), to: &out)
                out.append(contentsOf: v)
            } else {
                out.append(1)
            }
        }
    }

    /// `writeRecord` into raw memory sized beforehand (`Record.sizeInBytes`).
    @inline(__always)
    static func writeRecord(offsetDelta: Int32, timestampDelta: Int64, key: [UInt8]?, value: [UInt8]?,
                            headers: [RecordHeader], to w: inout RawByteWriter) {
        let body = Record.bodySize(offsetDelta: offsetDelta, timestampDelta: timestampDelta, key: key, value: value,
                                   headers: headers)
        w.varint(Int32(body))
        w.byte(0)  // attributes
        w.varlong(timestampDelta)
        w.varint(offsetDelta)
        w.nullableBytes(key)
        w.nullableBytes(value)
        w.varint(Int32(headers.count))
        for h in headers {
            var keyBytes = h.key
            keyBytes.withUTF8 { utf8 in
                w.varint(Int32(utf8.count))
                w.bytes(UnsafeRawBufferPointer(utf8))
            }
            w.nullableBytes(h.value)
        }
    }

    // MARK: Decoding

    /// Decodes one batch from the start of `bytes` (extra bytes after it are ignored).
    public init(bytes: [UInt8]) throws(RecordBatchError) {
        let result: Result<RecordBatch, RecordBatchError> = bytes.withUnsafeBytes { buffer in
            do throws(RecordBatchError) { return .success(try RecordBatch.decode(buffer, at: 0)) } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }

    /// Decodes every batch in `bytes`; throws on any corruption, including a torn last batch.
    public static func decodeAll(_ bytes: [UInt8]) throws(RecordBatchError) -> [RecordBatch] {
        let result: Result<[RecordBatch], RecordBatchError> = bytes.withUnsafeBytes { buffer in
            var batches: [RecordBatch] = []
            var position = 0
            do throws(RecordBatchError) {
                while position < buffer.count {
                    let header = try RecordBatchHeader.read(buffer, at: position)
                    batches.append(try decode(buffer, at: position))
                    position += header.sizeInBytes
                }
                return .success(batches)
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Decodes the batch at `position` in `buffer`, validating sizes and CRC.
    public static func decode(_ buffer: UnsafeRawBufferPointer, at position: Int,
                              verifyChecksum: Bool = true) throws(RecordBatchError) -> RecordBatch {
        let header = try RecordBatchHeader.read(buffer, at: position)
        guard buffer.count - position >= header.sizeInBytes else { throw .truncated(what: "record batch") }
        if verifyChecksum {
            let computed = header.computeChecksum(buffer, at: position)
            guard computed == header.crc else { throw .crcMismatch(stored: header.crc, computed: computed) }
        }
        guard header.hasKnownCompression else { throw .invalidRecord(reason: "Unknown compression type id \(header.attributes & 0x07)") }
        var records: [Record] = []
        records.reserveCapacity(Int(max(0, min(header.recordsCount, 1 << 16))))
        try withPlainRecords(header: header, buffer: buffer, at: position) { (header, buffer, position) throws(RecordBatchError) in
            try decodeRecords(header: header, buffer: buffer, at: position, minOffset: Int64.min, limit: Int.max,
                              into: &records)
        }
        var batch = RecordBatch(baseOffset: header.baseOffset, records: [], partitionLeaderEpoch: header.partitionLeaderEpoch)
        batch.records = records
        batch.timestampType = header.timestampType
        batch.isTransactional = header.isTransactional
        batch.isControl = header.isControl
        batch.deleteHorizonMs = header.deleteHorizonMs
        batch.lastOffsetDelta = header.lastOffsetDelta
        batch.baseTimestamp = header.baseTimestamp
        batch.maxTimestamp = header.maxTimestamp
        batch.producerId = header.producerId
        batch.producerEpoch = header.producerEpoch
        batch.baseSequence = header.baseSequence
        return batch
    }

    /// Decodes the records of an uncompressed batch whose header was already read and whose bytes are
    /// all in `buffer`; appends those with offset ≥ `minOffset`, at most `limit` of them.
    /// Returns how many were appended.
    @discardableResult
    static func decodeRecords(header: RecordBatchHeader, buffer: UnsafeRawBufferPointer, at position: Int,
                              minOffset: Int64, limit: Int, into out: inout [Record]) throws(RecordBatchError) -> Int {
        let end = position + header.sizeInBytes
        let body = UnsafeRawBufferPointer(rebasing: buffer[0..<end])
        var index = position + recordBatchOverhead
        let count = Int(header.recordsCount)
        guard count >= 0 else { throw .invalidRecord(reason: "Found invalid record count \(count) in magic v2 batch") }
        let logAppend = header.timestampType == .logAppendTime
        var appended = 0
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
            let offset = header.baseOffset + Int64(offsetDelta)
            let wanted = offset >= minOffset && appended < limit
            let key = try readBytes(record, at: &index, copy: wanted)
            let value = try readBytes(record, at: &index, copy: wanted)
            let headerCount = Int(try Varint.readVarint(record, at: &index))
            guard headerCount >= 0 else { throw .invalidRecord(reason: "Found invalid number of record headers \(headerCount)") }
            var headers: [RecordHeader] = []
            if headerCount > 0 {
                headers.reserveCapacity(min(headerCount, 64))
                for _ in 0..<headerCount {
                    guard try Varint.peekNonNegative(record, at: index),
                          let keyBytes = try readBytes(record, at: &index, copy: true) else {
                        throw .invalidRecord(reason: "Invalid negative header key size")
                    }
                    let headerValue = try readBytes(record, at: &index, copy: true)
                    headers.append(RecordHeader(key: String(decoding: keyBytes, as: UTF8.self), value: headerValue))
                }
            }
            guard index == recordEnd else {
                throw .invalidRecord(reason: "Invalid record size: expected to read \(length) bytes in record payload, but instead read \(length - (recordEnd - index))")
            }
            if wanted {
                let timestamp = logAppend ? header.maxTimestamp : header.baseTimestamp &+ timestampDelta
                out.append(Record(offset: offset, timestamp: timestamp, key: key, value: value, headers: headers))
                appended += 1
            }
        }
        guard index == end else { throw .invalidRecord(reason: "Incorrect declared batch size, records still remaining in file") }
        return appended
    }

    @inline(__always)
    private static func readBytes(_ buffer: UnsafeRawBufferPointer, at index: inout Int,
                                  copy: Bool) throws(RecordBatchError) -> [UInt8]? {
        let length = Int(try Varint.readVarint(buffer, at: &index))
        if length < 0 { return nil }
        guard index + length <= buffer.count else { throw .truncated(what: "record field") }
        defer { index += length }
        if !copy { return nil }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[index..<(index + length)]))
    }
}
