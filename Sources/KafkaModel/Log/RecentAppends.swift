import DequeModule

/// The last bytes appended to one file of a `FileLogStorage`, kept while somebody reads that file's end: a leader's
/// followers fetch what was appended a moment ago, every round, and a `pread` of it costs more than the copy.
///
/// At most `limit` bytes are kept, or the last `appendsKept` appends when they are larger. It starts when a read lands
/// within `limit` bytes of the file's end and stops after `idleAppendsAllowed` appends that nobody read, so a
/// follower's own log (never read at its end) keeps nothing. The bytes always end at the
/// file's end: every append goes through the storage, and a truncate, delete, rename or failed write drops them.
/// Each append is kept as its own chunk, so dropping the oldest bytes never moves the others.
struct RecentAppends {
    /// Bytes kept per file at most (the oldest are dropped first).
    static let limit = 256 * 1024
    /// Appends in a row without a read of the kept bytes before they are dropped.
    static let idleAppendsAllowed = 64
    /// Appends always kept whole, however large: a real client's batches reach a megabyte, and a follower fetching
    /// while its leader appends comes back a few of them behind.
    static let appendsKept = 4

    /// The file the bytes belong to.
    let name: String
    /// The file position of the first kept byte.
    private(set) var start: Int
    /// The file position just past the last byte: the file's size.
    private(set) var end: Int
    /// One chunk per append, oldest first; `chunkStarts[i]` is the file position of `chunks[i]`.
    private var chunks: Deque<[UInt8]> = []
    private var chunkStarts: Deque<Int> = []
    private var idleAppends = 0

    /// The bytes kept in memory.
    var keptByteCount: Int { end - start }

    /// Starts empty at the file's end, `fileSize`.
    init(name: String, fileSize: Int) {
        self.name = name
        self.start = fileSize
        self.end = fileSize
    }

    /// How close to the end a read must be to start keeping bytes: what would be kept (`appendsKept` appends of up to
    /// a megabyte, a client's largest batch by default). A follower of a real client's leader reads one such batch
    /// behind the end; a window of only `limit` bytes never saw it, and every fetch read the file.
    static let tailWindow = appendsKept << 20

    /// Whether a read at `position` is one to start keeping bytes for: at most `tailWindow` bytes before the end.
    static func isTailRead(at position: Int, fileSize: Int) -> Bool { position >= fileSize - tailWindow && position <= fileSize }

    /// Takes an append. Returns false once nobody has read for too long: drop the bytes.
    ///
    /// The last `appendsKept` appends are always kept whole, even past `limit`: they are what the followers fetch next.
    mutating func appended(_ appended: UnsafeRawBufferPointer) -> Bool {
        self.appended(array: [UInt8](appended))
    }

    /// `appended(_:)` of bytes already in an array: the array is kept, not copied.
    mutating func appended(array appended: [UInt8]) -> Bool {
        idleAppends += 1
        guard idleAppends <= Self.idleAppendsAllowed else { return false }
        guard appended.count > 0 else { return true }
        chunks.append(appended)
        chunkStarts.append(end)
        end += appended.count
        var lastAppends = 0
        for chunk in chunks.suffix(Self.appendsKept) { lastAppends += chunk.count }
        let keep = max(Self.limit, lastAppends)
        while end - start > keep, chunks.count > Self.appendsKept {
            start += chunks.removeFirst().count
            chunkStarts.removeFirst()
        }
        return true
    }

    /// The kept append that started at `position`, shared; nil when no kept append starts there.
    mutating func append(startingAt position: Int) -> [UInt8]? {
        guard position >= start, position < end else { return nil }
        var index = chunks.count - 1
        while chunkStarts[index] > position { index -= 1 }
        guard chunkStarts[index] == position else { return nil }
        idleAppends = 0
        return chunks[index]
    }

    /// Copies what the kept bytes hold of `buffer.count` bytes from `position`; nil when `position` is not within them.
    /// Fewer bytes than asked means the file ends there.
    mutating func read(at position: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        guard position >= start, position <= end else { return nil }
        idleAppends = 0
        let count = min(buffer.count, end - position)
        guard count > 0 else { return 0 }
        // Reads come near the end: the chunk holding `position` is found from the newest back.
        var index = chunks.count - 1
        while chunkStarts[index] > position { index -= 1 }
        var copied = 0
        while copied < count {
            let chunk = chunks[index]
            let offset = position + copied - chunkStarts[index]
            let n = min(count - copied, chunk.count - offset)
            chunk.withUnsafeBytes { kept in
                (buffer.baseAddress! + copied).copyMemory(from: kept.baseAddress! + offset, byteCount: n)
            }
            copied += n
            index += 1
        }
        return count
    }
}
