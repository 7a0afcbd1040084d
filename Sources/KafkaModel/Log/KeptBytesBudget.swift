/// A bound on the bytes the `FileLogStorage`s of one cluster keep in memory together (`RecentAppends`: the last
/// appends of files their followers read at the end). Each storage keeps at most a few appends, but a real client's
/// batches reach a megabyte and nothing else drops what a partition that went quiet still keeps: without a bound, a
/// server that takes a new topic's megabytes every minute grows by megabytes every minute. Past `limit`, the least
/// recently used storages drop what they keep (their readers then read the files). One per cluster, with its
/// `OpenFileBudget`, used from the thread that runs that cluster's simulation.
public final class KeptBytesBudget {
    /// Bytes kept in memory at most, all storages together (a few partitions' worth of megabyte batches).
    public static let limit = 32 << 20

    public init() {}

    private final class Entry {
        weak var storage: FileLogStorage?
        var bytes = 0
        var lastUse: UInt64 = 0
        init(_ storage: FileLogStorage) { self.storage = storage }
    }

    private var tick: UInt64 = 0
    private var entries: [ObjectIdentifier: Entry] = [:]

    /// The bytes kept now, all storages together.
    public private(set) var keptBytes = 0

    /// `storage` keeps `bytes` now (0: nothing) and has just used them.
    func update(_ storage: FileLogStorage, bytes: Int) {
        let id = ObjectIdentifier(storage)
        guard bytes > 0 else {
            if let entry = entries.removeValue(forKey: id) { keptBytes -= entry.bytes }
            return
        }
        let entry: Entry
        if let known = entries[id] {
            entry = known
        } else {
            entry = Entry(storage)
            entries[id] = entry
        }
        tick &+= 1
        keptBytes += bytes - entry.bytes
        entry.bytes = bytes
        entry.lastUse = tick
        if keptBytes > Self.limit { evict(sparing: id) }
    }

    /// Forgets a storage that is going away.
    func forget(_ storage: FileLogStorage) {
        if let entry = entries.removeValue(forKey: ObjectIdentifier(storage)) { keptBytes -= entry.bytes }
    }

    /// The least recently used storages, other than the one that just grew, drop what they keep, until a quarter of
    /// the limit is free again.
    private func evict(sparing id: ObjectIdentifier) {
        let oldest = entries.filter { $0.key != id }.sorted { $0.value.lastUse < $1.value.lastUse }
        for (key, entry) in oldest {
            guard keptBytes > Self.limit * 3 / 4 else { break }
            entries[key] = nil
            keptBytes -= entry.bytes
            entry.storage?.dropKeptBytes()
        }
    }
}
