/// A segment's aborted-transaction index file, `<20-digit base offset>.txnindex` (Kafka's `TransactionIndex`):
/// the `AbortedTxn`s whose ABORT marker lies in that segment, in marker order. Kafka creates the file only when
/// the first entry is appended, so a segment without aborted transactions has none.
public enum TransactionIndex {
    /// `LogFileUtils.TXN_INDEX_FILE_SUFFIX`.
    public static let suffix = ".txnindex"

    /// `<20-digit base offset>.txnindex`.
    public static func fileName(baseOffset: Int64) -> String { LogSegment.filenamePrefix(baseOffset) + suffix }

    /// The file's bytes for `entries`.
    public static func encode(_ entries: [AbortedTxn]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * AbortedTxn.size)
        for entry in entries { out += entry.encoded }
        return out
    }

    /// The whole entries of a file (a torn last entry is left out, as Kafka's iterator stops short of it) and
    /// whether every entry's version is one Kafka reads (it throws on a newer one).
    public static func decode(_ bytes: [UInt8]) -> (entries: [AbortedTxn], knownVersions: Bool) {
        bytes.withUnsafeBytes { buffer in
            var entries: [AbortedTxn] = []
            var known = true
            var position = 0
            while buffer.count - position >= AbortedTxn.size {
                let entry = AbortedTxn.read(buffer, at: position)
                if entry.version > AbortedTxn.currentVersion { known = false }
                entries.append(entry)
                position += AbortedTxn.size
            }
            return (entries, known)
        }
    }

    /// `collectAbortedTxns`: the entries of one segment's index overlapping the fetch range [`fetchOffset`,
    /// `upperBoundOffset`), and whether the search is complete (an entry's last stable offset reached the upper
    /// bound, so no later segment can hold a transaction that began inside the range).
    public static func collect(_ entries: [AbortedTxn], fetchOffset: Int64,
                               upperBoundOffset: Int64) -> (found: [AbortedTxn], isComplete: Bool) {
        var found: [AbortedTxn] = []
        for entry in entries {
            if entry.lastOffset >= fetchOffset && entry.firstOffset < upperBoundOffset { found.append(entry) }
            if entry.lastStableOffset >= upperBoundOffset { return (found, true) }
        }
        return (found, false)
    }
}
