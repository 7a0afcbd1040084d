/// The fixed 61-byte header of a v2 record batch, read without touching the records
/// (what `FileLogInputStream.FileChannelRecordBatch` exposes). Used to scan segment files.
///
/// Layout (big-endian): baseOffset int64 @0, batchLength int32 @8, partitionLeaderEpoch int32 @12,
/// magic int8 @16, crc uint32 @17, attributes int16 @21, lastOffsetDelta int32 @23, baseTimestamp int64 @27,
/// maxTimestamp int64 @35, producerId int64 @43, producerEpoch int16 @51, baseSequence int32 @53,
/// recordsCount int32 @57.
public struct RecordBatchHeader: Hashable, Sendable {
    public var baseOffset: Int64
    /// Bytes after the batchLength field.
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    /// The stored CRC-32C (of bytes 21..end).
    public var crc: UInt32
    public var attributes: Int16
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordsCount: Int32

    /// Total bytes of the batch, `batchLength + 12`.
    public var sizeInBytes: Int { Int(batchLength) + RecordBatch.logOverhead }
    /// `baseOffset + lastOffsetDelta`.
    public var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    public var compressionType: CompressionType { CompressionType(rawValue: Int(attributes & 0x07)) ?? .none }
    /// Whether bits 0–2 name a known codec.
    var hasKnownCompression: Bool { CompressionType(rawValue: Int(attributes & 0x07)) != nil }
    public var timestampType: TimestampType { attributes & 0x08 != 0 ? .logAppendTime : .createTime }
    public var isTransactional: Bool { attributes & 0x10 != 0 }
    public var isControl: Bool { attributes & 0x20 != 0 }
    /// The delete horizon (attribute bit 6 ⇒ stored in baseTimestamp), else `nil`.
    public var deleteHorizonMs: Int64? { attributes & 0x40 != 0 ? baseTimestamp : nil }
    /// `baseSequence + lastOffsetDelta` with Kafka's wrap at Int32.max, or −1 without a sequence.
    public var lastSequence: Int32 { RecordBatch.incrementSequence(baseSequence, by: lastOffsetDelta) }

    /// Reads and sanity-checks the header at `position` in `buffer`: at least 61 bytes available,
    /// batchLength ≥ 49, magic 2. Does not check the CRC or that the whole batch is present.
    public static func read(_ buffer: UnsafeRawBufferPointer, at position: Int = 0) throws(RecordBatchError) -> RecordBatchHeader {
        guard buffer.count - position >= RecordBatch.logOverhead + 5 else { throw .truncated(what: "record batch header") }
        let batchLength = buffer.loadBigEndian(at: position + 8, as: Int32.self)
        let magic = Int8(bitPattern: buffer[position + 16])
        guard batchLength >= Int32(RecordBatch.recordBatchOverhead - RecordBatch.logOverhead) else {
            throw .invalidBatchLength(batchLength)
        }
        guard magic == RecordBatch.magic else { throw .unsupportedMagic(magic) }
        guard buffer.count - position >= RecordBatch.recordBatchOverhead else { throw .truncated(what: "record batch header") }
        let p = position
        return RecordBatchHeader(
            baseOffset: buffer.loadBigEndian(at: p, as: Int64.self),
            batchLength: batchLength,
            partitionLeaderEpoch: buffer.loadBigEndian(at: p + 12, as: Int32.self),
            magic: magic,
            crc: buffer.loadBigEndian(at: p + 17, as: UInt32.self),
            attributes: buffer.loadBigEndian(at: p + 21, as: Int16.self),
            lastOffsetDelta: buffer.loadBigEndian(at: p + 23, as: Int32.self),
            baseTimestamp: buffer.loadBigEndian(at: p + 27, as: Int64.self),
            maxTimestamp: buffer.loadBigEndian(at: p + 35, as: Int64.self),
            producerId: buffer.loadBigEndian(at: p + 43, as: Int64.self),
            producerEpoch: buffer.loadBigEndian(at: p + 51, as: Int16.self),
            baseSequence: buffer.loadBigEndian(at: p + 53, as: Int32.self),
            recordsCount: buffer.loadBigEndian(at: p + 57, as: Int32.self))
    }

    /// The CRC-32C of the batch's bytes 21..end, computed from `buffer` (which must hold the whole batch at `position`).
    public func computeChecksum(_ buffer: UnsafeRawBufferPointer, at position: Int = 0) -> UInt32 {
        CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[(position + 21)..<(position + sizeInBytes)]))
    }

    /// Whether the whole batch is present at `position` and its CRC matches (Kafka's `isValid`).
    public func isValid(_ buffer: UnsafeRawBufferPointer, at position: Int = 0) -> Bool {
        buffer.count - position >= sizeInBytes && computeChecksum(buffer, at: position) == crc
    }
}
