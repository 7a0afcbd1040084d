/// Metadata of one segment of a partition log (Kafka's `LogSegment`): the `.log` file of batches
/// starting at `baseOffset`, plus its sparse offset and time indexes. The bytes stay in storage;
/// this value holds only what is needed to find and judge them.
public struct LogSegment: Sendable, Hashable {
    /// First offset this segment may hold; names its files.
    public let baseOffset: Int64
    /// Bytes in the `.log` file.
    public internal(set) var size: Int = 0
    /// Base offset of the first batch, or `nil` when empty.
    public internal(set) var firstOffset: Int64?
    /// Last offset of the last batch, or `nil` when empty.
    public internal(set) var lastOffset: Int64?
    /// Largest batch max timestamp so far (−1 when none): Kafka's `maxTimestampSoFar`.
    public internal(set) var maxTimestamp: Int64 = -1
    /// Last offset of the batch holding `maxTimestamp` (−1 when none).
    public internal(set) var offsetOfMaxTimestamp: Int64 = -1
    /// Max timestamp of the first batch, the basis of `segment.ms` rolling (`rollingBasedTimestamp`).
    public internal(set) var rollingBasedTimestamp: Int64?
    /// When the segment was created (simulated ms).
    public let createdMs: Int64
    /// When the segment was last written (simulated ms), the file's mtime in Kafka.
    public internal(set) var lastModifiedMs: Int64
    /// Offset index entries.
    public internal(set) var offsetIndex: [OffsetIndexEntry] = []
    /// Time index entries.
    public internal(set) var timeIndex: [TimeIndexEntry] = []
    /// Bytes appended since the last index entry.
    var bytesSinceLastIndexEntry = 0

    init(baseOffset: Int64, nowMs: Int64) {
        self.baseOffset = baseOffset
        // Named once: every append writes by name.
        let prefix = Self.filenamePrefix(baseOffset)
        logFileName = prefix + ".log"
        indexFileName = prefix + ".index"
        timeIndexFileName = prefix + ".timeindex"
        self.createdMs = nowMs
        self.lastModifiedMs = nowMs
    }

    /// True when the `.log` file is empty.
    public var isEmpty: Bool { size == 0 }

    /// The timestamp retention compares with `retention.ms`: the max timestamp, or the last-modified time
    /// if the segment has none (`LogSegment.largestTimestamp`).
    public var largestTimestamp: Int64 { maxTimestamp >= 0 ? maxTimestamp : lastModifiedMs }

    /// `<20-digit base offset>.log`.
    public let logFileName: String
    /// `<20-digit base offset>.index`.
    public let indexFileName: String
    /// `<20-digit base offset>.timeindex`.
    public let timeIndexFileName: String

    /// Kafka's `LogFileUtils.filenamePrefixFromOffset`: the offset zero-padded to 20 digits.
    public static func filenamePrefix(_ offset: Int64) -> String {
        let digits = String(offset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// The base offset encoded in a segment file name such as `00000000000000368769.log`.
    public static func offset(fromFileName name: String) -> Int64? {
        guard let dot = name.firstIndex(of: "."), name.distance(from: name.startIndex, to: dot) == 20 else { return nil }
        return Int64(name[..<dot])
    }

    /// The file position to start scanning for `offset`: the largest index entry ≤ offset, else 0.
    func lookup(_ offset: Int64) -> Int {
        var low = 0
        var high = offsetIndex.count
        while low < high {
            let mid = (low + high) / 2
            if offsetIndex[mid].offset <= offset { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? 0 : offsetIndex[low - 1].position
    }

    /// Records a batch written at `position` (`LogSegment.append`): updates offsets and max timestamp,
    /// adds index entries when more than `indexIntervalBytes` were appended since the last one.
    /// Returns the new index entries to persist.
    mutating func didAppend(header: RecordBatchHeader, position: Int, nowMs: Int64,
                            indexIntervalBytes: Int) -> (OffsetIndexEntry?, TimeIndexEntry?) {
        if size == 0 && position == 0 { rollingBasedTimestamp = header.maxTimestamp }
        if firstOffset == nil { firstOffset = header.baseOffset }
        lastOffset = header.lastOffset
        if header.maxTimestamp > maxTimestamp {
            maxTimestamp = header.maxTimestamp
            offsetOfMaxTimestamp = header.lastOffset
        }
        var newOffsetEntry: OffsetIndexEntry?
        var newTimeEntry: TimeIndexEntry?
        if bytesSinceLastIndexEntry > indexIntervalBytes {
            let entry = OffsetIndexEntry(offset: header.lastOffset, position: position)
            offsetIndex.append(entry)
            newOffsetEntry = entry
            newTimeEntry = maybeAppendTimeIndex()
            bytesSinceLastIndexEntry = 0
        }
        size = position + header.sizeInBytes
        bytesSinceLastIndexEntry += header.sizeInBytes
        lastModifiedMs = nowMs
        return (newOffsetEntry, newTimeEntry)
    }

    /// `TimeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar)`: only if newer than the last entry.
    mutating func maybeAppendTimeIndex() -> TimeIndexEntry? {
        guard maxTimestamp >= 0 else { return nil }
        let lastTimestamp = timeIndex.last?.timestamp ?? -1
        guard maxTimestamp > lastTimestamp else { return nil }
        let entry = TimeIndexEntry(timestamp: maxTimestamp, offset: offsetOfMaxTimestamp)
        timeIndex.append(entry)
        return entry
    }

    /// Whether either index is full (`segment.index.bytes`); the time index keeps one slot for the roll entry.
    func isIndexFull(_ config: LogConfig) -> Bool {
        offsetIndex.count >= config.maxOffsetIndexEntries || timeIndex.count >= config.maxTimeIndexEntries - 1
    }

    /// `.index` file bytes for `entries`.
    func encodeOffsetIndex(_ entries: [OffsetIndexEntry]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * OffsetIndexEntry.size)
        for e in entries {
            out.appendBigEndian(Int32(truncatingIfNeeded: e.offset - baseOffset))
            out.appendBigEndian(Int32(truncatingIfNeeded: e.position))
        }
        return out
    }

    /// `.timeindex` file bytes for `entries`.
    func encodeTimeIndex(_ entries: [TimeIndexEntry]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * TimeIndexEntry.size)
        for e in entries {
            out.appendBigEndian(e.timestamp)
            out.appendBigEndian(Int32(truncatingIfNeeded: e.offset - baseOffset))
        }
        return out
    }
}
