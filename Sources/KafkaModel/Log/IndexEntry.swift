/// One offset-index entry (`.index`: 4-byte relative offset + 4-byte position, big-endian).
public struct OffsetIndexEntry: Sendable, Hashable {
    /// Bytes per entry on disk.
    public static let size = 8
    /// Absolute offset (the last offset of the indexed batch).
    public var offset: Int64
    /// Byte position of that batch in the `.log` file.
    public var position: Int

    public init(offset: Int64, position: Int) {
        self.offset = offset
        self.position = position
    }
}

/// One time-index entry (`.timeindex`: 8-byte timestamp + 4-byte relative offset, big-endian).
public struct TimeIndexEntry: Sendable, Hashable {
    /// Bytes per entry on disk.
    public static let size = 12
    /// The segment's max timestamp so far when the entry was written.
    public var timestamp: Int64
    /// Absolute offset of the batch holding that timestamp (its last offset).
    public var offset: Int64

    public init(timestamp: Int64, offset: Int64) {
        self.timestamp = timestamp
        self.offset = offset
    }
}
