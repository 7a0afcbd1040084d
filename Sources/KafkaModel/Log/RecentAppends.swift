/// The last bytes appended to one file of a `FileLogStorage`, kept while somebody reads that file's end: a leader's
/// followers fetch what was appended a moment ago, every round, and a `pread` of it costs more than the copy.
///
/// At most `limit` bytes are kept, or the last append when it is larger. It starts when a read lands within `limit`
/// bytes of the file's end and stops after `idleAppendsAllowed` appends
/// that nobody read, so a follower's own log (never read at its end) keeps nothing. The bytes always end at the
/// file's end: every append goes through the storage, and a truncate, delete, rename or failed write drops them.
struct RecentAppends {
    /// Bytes kept per file at most (the oldest are dropped first).
    static let limit = 256 * 1024
    /// Appends in a row without a read of the kept bytes before they are dropped.
    static let idleAppendsAllowed = 64

    /// The file the bytes belong to.
    let name: String
    /// The file position of `bytes[0]`.
    private(set) var start: Int
    private(set) var bytes: [UInt8] = []
    private var idleAppends = 0

    /// Starts empty at the file's end, `fileSize`.
    init(name: String, fileSize: Int) {
        self.name = name
        self.start = fileSize
        bytes.reserveCapacity(Self.limit)
    }

    /// The file position just past the last byte: the file's size.
    var end: Int { start + bytes.count }

    /// Whether a read at `position` is one to start keeping bytes for: at most `limit` bytes before the end.
    static func isTailRead(at position: Int, fileSize: Int) -> Bool { position >= fileSize - limit && position <= fileSize }

    /// Takes an append. Returns false once nobody has read for too long: drop the bytes.
    ///
    /// The last append is always kept whole, even past `limit` (a real client's batch may be up to a megabyte): it
    /// is what the followers fetch next.
    mutating func appended(_ appended: UnsafeRawBufferPointer) -> Bool {
        idleAppends += 1
        guard idleAppends <= Self.idleAppendsAllowed else { return false }
        let overflow = bytes.count + appended.count - Self.limit
        if overflow > 0 {
            // Dropped in one move, up to half of the kept bytes at once, so a stream of small appends does not move
            // the whole buffer each time.
            let drop = min(bytes.count, max(overflow, bytes.count / 2))
            bytes.removeFirst(drop)
            start += drop
        }
        bytes.append(contentsOf: appended)
        return true
    }

    /// Copies what the kept bytes hold of `buffer.count` bytes from `position`; nil when `position` is not within them.
    /// Fewer bytes than asked means the file ends there.
    mutating func read(at position: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        guard position >= start, position <= end else { return nil }
        idleAppends = 0
        let count = min(buffer.count, end - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { kept in
            buffer.baseAddress!.copyMemory(from: kept.baseAddress! + (position - start), byteCount: count)
        }
        return count
    }
}
