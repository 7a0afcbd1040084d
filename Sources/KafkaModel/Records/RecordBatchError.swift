/// Why bytes could not be read as a v2 record batch. Kafka reports all of these as `CORRUPT_MESSAGE`
/// (`CorruptRecordException`), except an unsupported magic.
public enum RecordBatchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes end before the named part is complete (a torn write).
    case truncated(what: String)
    /// The batchLength field is smaller than the minimum batch overhead or runs past the data.
    case invalidBatchLength(Int32)
    /// The magic byte is not 2.
    case unsupportedMagic(Int8)
    /// The stored CRC-32C does not match the bytes.
    case crcMismatch(stored: UInt32, computed: UInt32)
    /// A record inside the batch is malformed.
    case invalidRecord(reason: String)

    public var description: String {
        switch self {
        case .truncated(let what):
            return "CORRUPT_MESSAGE: Unexpected end of data while reading \(what)"
        case .invalidBatchLength(let length):
            return "CORRUPT_MESSAGE: Found record size \(Int(length) + RecordBatch.logOverhead) smaller than minimum record overhead (\(RecordBatch.recordBatchOverhead)) or larger than the data available"
        case .unsupportedMagic(let magic):
            return "CORRUPT_MESSAGE: Unsupported record batch magic \(magic) (only magic 2 is supported)"
        case .crcMismatch(let stored, let computed):
            return "CORRUPT_MESSAGE: Record is corrupt (stored crc = \(stored), computed crc = \(computed))"
        case .invalidRecord(let reason):
            return "CORRUPT_MESSAGE: \(reason)"
        }
    }
}
