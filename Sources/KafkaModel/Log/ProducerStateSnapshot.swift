/// A producer state snapshot file, `<20-digit offset>.snapshot` (Kafka's `ProducerStateManager.writeSnapshot` /
/// `readSnapshot`, schema `ProducerSnapshot` v1): the producers a partition knew when its log ended at that offset,
/// so recovery replays only the batches after it.
///
/// Layout, big-endian: `version:int16 (1) | crc:uint32 | count:int32 | count × entry`, each entry `producerId:int64
/// epoch:int16 lastSequence:int32 lastOffset:int64 offsetDelta:int32 timestamp:int64 coordinatorEpoch:int32
/// currentTxnFirstOffset:int64` (46 bytes); the CRC-32C covers every byte after the CRC. Only a producer's last
/// batch is kept (a reloaded producer dedupes only a retry of that one).
public enum ProducerStateSnapshot {
    /// `LogFileUtils.PRODUCER_SNAPSHOT_FILE_SUFFIX`.
    public static let suffix = ".snapshot"
    /// `ProducerSnapshot.HIGHEST_SUPPORTED_VERSION`.
    public static let version: Int16 = 1
    static let entrySize = 46
    static let entriesOffset = 6

    /// `<20-digit offset>.snapshot`.
    public static func fileName(offset: Int64) -> String { LogSegment.filenamePrefix(offset) + suffix }

    /// Why a snapshot could not be read (Kafka's `CorruptSnapshotException` texts); the file is then deleted and
    /// an older one, or the log itself, used.
    public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        case unknownVersion(Int16)
        case schema(String)
        case crcMismatch(stored: UInt32, computed: UInt32)

        public var description: String {
            switch self {
            case .unknownVersion(let v): return "Snapshot contained an unknown file version \(v)"
            case .schema(let reason): return "Snapshot failed schema validation: \(reason)"
            case let .crcMismatch(stored, computed):
                return "Snapshot is corrupt (CRC is no longer valid). Stored crc: \(stored). Computed crc: \(computed)"
            }
        }
    }

    /// The file's bytes. Entries go in producer id order: what Java's `HashMap<Long, …>` iterates for the small ids
    /// a simulated cluster hands out.
    public static func encode(_ producers: [ProducerStateEntry]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(10 + producers.count * entrySize)
        out.appendBigEndian(version)
        out.appendBigEndian(UInt32(0))  // crc, filled in below
        out.appendBigEndian(Int32(producers.count))
        for entry in producers.sorted(by: { $0.producerId < $1.producerId }) {
            let last = entry.batches.last
            out.appendBigEndian(entry.producerId)
            out.appendBigEndian(entry.producerEpoch)
            out.appendBigEndian(last?.lastSequence ?? -1)
            out.appendBigEndian(last?.lastOffset ?? -1)
            out.appendBigEndian(last?.offsetDelta ?? 0)
            out.appendBigEndian(entry.lastTimestamp)
            out.appendBigEndian(entry.coordinatorEpoch)
            out.appendBigEndian(entry.currentTxnFirstOffset ?? -1)
        }
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[entriesOffset...])) }
        out.storeBigEndian(crc, at: 2)
        return out
    }

    /// The producers in a snapshot file's bytes.
    public static func decode(_ bytes: [UInt8]) throws(ReadError) -> [ProducerStateEntry] {
        let result: Result<[ProducerStateEntry], ReadError> = bytes.withUnsafeBytes { buffer in
            guard buffer.count >= 2 else { return .failure(.schema("java.nio.BufferUnderflowException")) }
            let version = buffer.loadBigEndian(at: 0, as: Int16.self)
            guard version == Self.version else { return .failure(.unknownVersion(version)) }
            guard buffer.count >= 10 else { return .failure(.schema("java.nio.BufferUnderflowException")) }
            let count = Int(buffer.loadBigEndian(at: 6, as: Int32.self))
            guard count >= 0, count <= (buffer.count - 10) / entrySize else {
                return .failure(.schema("java.nio.BufferUnderflowException"))
            }
            let stored = buffer.loadBigEndian(at: 2, as: UInt32.self)
            let computed = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[entriesOffset...]))
            guard stored == computed else { return .failure(.crcMismatch(stored: stored, computed: computed)) }
            var entries: [ProducerStateEntry] = []
            for i in 0..<count {
                let p = 10 + i * entrySize
                let lastSequence = buffer.loadBigEndian(at: p + 10, as: Int32.self)
                let lastOffset = buffer.loadBigEndian(at: p + 14, as: Int64.self)
                let offsetDelta = buffer.loadBigEndian(at: p + 22, as: Int32.self)
                let timestamp = buffer.loadBigEndian(at: p + 26, as: Int64.self)
                let txnFirst = buffer.loadBigEndian(at: p + 38, as: Int64.self)
                let batch = lastOffset >= 0
                    ? [ProducerBatchMetadata(firstSequence: decrementSequence(lastSequence, by: offsetDelta), lastSequence: lastSequence,
                                             firstOffset: lastOffset - Int64(offsetDelta), lastOffset: lastOffset, timestamp: timestamp)]
                    : []
                entries.append(ProducerStateEntry(
                    producerId: buffer.loadBigEndian(at: p, as: Int64.self),
                    producerEpoch: buffer.loadBigEndian(at: p + 8, as: Int16.self),
                    coordinatorEpoch: buffer.loadBigEndian(at: p + 34, as: Int32.self), lastTimestamp: timestamp,
                    currentTxnFirstOffset: txnFirst >= 0 ? txnFirst : nil, batches: batch))
            }
            return .success(entries)
        }
        return try result.get()
    }

    /// `DefaultRecordBatch.decrementSequence`: the first sequence of a batch from its last (wrapping below 0).
    static func decrementSequence(_ sequence: Int32, by decrement: Int32) -> Int32 {
        if sequence < 0 { return -1 }
        if sequence < decrement { return Int32.max - (decrement - sequence) + 1 }
        return sequence - decrement
    }
}
