/// One entry of a segment's aborted-transaction index (Kafka's `AbortedTxn`): a transaction of `producerId` that
/// wrote from `firstOffset` and was ended by the ABORT marker at `lastOffset`, with the partition's last stable offset
/// once it was aborted. A read_committed fetch returns `(producerId, firstOffset)` of those overlapping what it read.
///
/// On disk: 34 bytes, big-endian `version:int16 (0) | producerId:int64 | firstOffset:int64 | lastOffset:int64 |
/// lastStableOffset:int64`.
public struct AbortedTxn: Sendable, Hashable {
    /// Bytes per entry (`AbortedTxn.TOTAL_SIZE`).
    public static let size = 34
    /// The only version Kafka writes (`CURRENT_VERSION`).
    public static let currentVersion: Int16 = 0

    public var version: Int16
    public var producerId: Int64
    public var firstOffset: Int64
    /// The offset of the ABORT marker.
    public var lastOffset: Int64
    public var lastStableOffset: Int64

    public init(producerId: Int64, firstOffset: Int64, lastOffset: Int64, lastStableOffset: Int64,
                version: Int16 = AbortedTxn.currentVersion) {
        self.version = version
        self.producerId = producerId
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.lastStableOffset = lastStableOffset
    }

    /// The 34 bytes of the entry.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.size)
        out.appendBigEndian(version)
        out.appendBigEndian(producerId)
        out.appendBigEndian(firstOffset)
        out.appendBigEndian(lastOffset)
        out.appendBigEndian(lastStableOffset)
        return out
    }

    /// Reads the entry at `position` (which must have 34 bytes after it).
    static func read(_ buffer: UnsafeRawBufferPointer, at position: Int) -> AbortedTxn {
        // Kafka's `version()` reads one byte at offset 0 (`buffer.get`), the high byte of the int16 it wrote.
        AbortedTxn(producerId: buffer.loadBigEndian(at: position + 2, as: Int64.self),
                   firstOffset: buffer.loadBigEndian(at: position + 10, as: Int64.self),
                   lastOffset: buffer.loadBigEndian(at: position + 18, as: Int64.self),
                   lastStableOffset: buffer.loadBigEndian(at: position + 26, as: Int64.self),
                   version: Int16(Int8(bitPattern: buffer[position])))
    }

    /// What a fetch response carries of it (`FetchResponseData.AbortedTransaction`).
    public var abortedTransaction: AbortedTransaction {
        AbortedTransaction(producerId: producerId, firstOffset: firstOffset)
    }
}

/// An aborted transaction as a fetch response lists it for read_committed consumers
/// (`FetchResponseData.AbortedTransaction`): whose it was and where it began.
public struct AbortedTransaction: Sendable, Hashable {
    public var producerId: Int64
    public var firstOffset: Int64
}
