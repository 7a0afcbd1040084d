#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The crash test's hook (`Tests/crash/crash_test.py`): `KAFKALAB_CRASH_AT=<phase>:<operation>:<n>`, read once,
/// makes the process flush standard output and `_exit(137)` just before the n-th `<operation>` (create, append,
/// truncate, delete, rename) that a `FileLogStorage` performs during `<phase>` (compaction, retention, roll, recovery),
/// as if it had been SIGKILLed there. Unset (always, outside that test), each operation costs one load and compare.
public enum CrashPoint {
    /// What the log is doing, set by `UnifiedLog` around compaction, retention and segment roll.
    public enum Phase: UInt8, Sendable { case none, compaction, retention, roll, recovery }
    enum Operation: Int, CaseIterable { case create, append, truncate, delete, rename }

    private struct Target { let phase: Phase; let operation: Operation; let occurrence: Int }
    private static let target: Target? = {
        guard let text = getenv("KAFKALAB_CRASH_AT").map({ String(cString: $0) }) else { return nil }
        let parts = text.split(separator: ":").map(String.init)
        let phases: [String: Phase] = ["compaction": .compaction, "retention": .retention, "roll": .roll, "recovery": .recovery]
        let operations: [String: Operation] = ["create": .create, "append": .append, "truncate": .truncate,
                                                "delete": .delete, "rename": .rename]
        guard parts.count == 3, let phase = phases[parts[0]], let operation = operations[parts[1]],
              let occurrence = Int(parts[2]), occurrence >= 1 else { return nil }
        return Target(phase: phase, operation: operation, occurrence: occurrence)
    }()
    // Trivial values written from the simulation's one thread (tests never set KAFKALAB_CRASH_AT).
    nonisolated(unsafe) static var phase: Phase = .none
    nonisolated(unsafe) private static var seen = 0

    /// Runs `body` in `phase` (an enclosing phase wins: a roll during retention counts as retention).
    static func during<T>(_ phase: Phase, _ body: () throws(LogError) -> T) throws(LogError) -> T {
        let outer = Self.phase
        if outer == .none { Self.phase = phase }
        defer { Self.phase = outer }
        return try body()
    }

    @inline(__always) static func reached(_ operation: Operation) {
        guard let target else { return }
        guard target.phase == phase, target.operation == operation else { return }
        seen += 1
        if seen == target.occurrence {
            fflush(nil)  // every output stream: acknowledgements already printed reach the reader
            _exit(137)
        }
    }
}

/// A bound on the file descriptors the `FileLogStorage`s of one cluster keep cached together: past
/// `limit`, the least recently used are closed (they reopen on demand), so many partitions with many
/// small segments never run into "Too many open files". One per `LogManager`, used from the thread
/// that runs that cluster's simulation (never shared between clusters, which may run on other threads).
public final class OpenFileBudget {
    /// Cached descriptors kept open at most (the active segments and recent reads fit easily).
    public static let limit = 256

    /// The same cluster's bound on the bytes its storages keep in memory.
    public let keptBytes = KeptBytesBudget()

    /// Whether the same cluster's storages on tmpfs allocate pages ahead of their `.log` files (`PagePreallocator`).
    /// Allocating ahead costs more work in all (each page is zeroed, then written) to take it off the simulation's
    /// thread: a gain while another core is idle, a loss while real clients are served, since their programs run on
    /// the same machine and need those cores (the wire server turns it off; measured: about a fifth less server CPU
    /// per megabyte, and a client faster, on two cores).
    public var allocatesPagesAhead = true

    public init() {}

    private struct Key: Hashable {
        let storage: ObjectIdentifier
        let name: String
    }
    private final class WeakStorage {
        weak var value: FileLogStorage?
        init(_ value: FileLogStorage) { self.value = value }
    }

    private var tick: UInt64 = 0
    private var lastUse: [Key: UInt64] = [:]
    private var storages: [ObjectIdentifier: WeakStorage] = [:]

    /// How many cached descriptors are open now.
    public var openCount: Int { lastUse.count }

    func used(_ storage: FileLogStorage, _ name: String) {
        tick &+= 1
        lastUse[Key(storage: ObjectIdentifier(storage), name: name)] = tick
    }

    func opened(_ storage: FileLogStorage, _ name: String) {
        let id = ObjectIdentifier(storage)
        if storages[id] == nil { storages[id] = WeakStorage(storage) }
        used(storage, name)
        if lastUse.count > Self.limit { evict() }
    }

    func closed(_ storage: FileLogStorage, _ name: String) {
        lastUse[Key(storage: ObjectIdentifier(storage), name: name)] = nil
    }

    func forget(_ storage: FileLogStorage) {
        let id = ObjectIdentifier(storage)
        lastUse = lastUse.filter { $0.key.storage != id }
        storages[id] = nil
    }

    /// Closes the least recently used quarter.
    private func evict() {
        let oldest = lastUse.sorted { $0.value < $1.value }.prefix(lastUse.count - Self.limit * 3 / 4)
        for (key, _) in oldest {
            lastUse[key] = nil
            storages[key.storage]?.value?.closeCached(key.name)
        }
    }
}

/// A `LogStorage` over a real directory, `<dataDirectory>/<topic>-<partition>/`, using POSIX calls.
/// Appends go straight to the file and reads use `pread`, except that the last bytes appended to a file read at its
/// end are kept too (`RecentAppends`: 256 KiB, or the last 4 appends when larger; at most `KeptBytesBudget.limit` for the
/// whole cluster): so memory holds only what callers keep (indexes and metadata) plus that tail. File descriptors are cached per file, within the process's `OpenFileBudget`. On tmpfs,
/// the pages past the end of a growing `.log` file are allocated ahead on a background thread (`PagePreallocator`).
/// Not thread-safe; use from one thread.
public final class FileLogStorage: LogStorage {
    public let path: String
    private var descriptors: [String: Int32] = [:]
    /// Whether this directory is on tmpfs, where `PagePreallocator` saves appends work.
    private let preallocatesPages: Bool
    /// The `.log` files being preallocated, by name (only while their descriptor is open).
    private var preallocations: [String: PagePreallocation] = [:]
    /// Offset- and time-index entries appended and not written yet, by file name. Kafka appends index entries to a
    /// memory map, not with a system call each: here they are written in runs of up to `pendingIndexLimit` bytes,
    /// and before anything else touches the file (reads, size, truncation, renames, closing). An index is derived
    /// data: a run that cannot be written (a full disk) is dropped and the file cut back to the entries before it,
    /// and recovery rebuilds the entries on reopen, so an index append never fails an append of records (in Kafka
    /// it cannot fail either).
    private var pendingIndexBytes: [String: [UInt8]] = [:]
    /// The most index bytes one file keeps unwritten.
    static let pendingIndexLimit = 8 << 10
    /// The tail of the file last read at its end, while it is read there. Every change and use is reported to the
    /// cluster's `KeptBytesBudget`, which may take it away (`dropKeptBytes`).
    private var recent: RecentAppends? {
        didSet { budget.keptBytes.update(self, bytes: recent?.keptByteCount ?? 0) }
    }
    /// The cluster-wide bound this storage's cached descriptors count against.
    let budget: OpenFileBudget

    /// Opens (creating if needed) the partition directory `<dataDirectory>/<topic>-<partition>`.
    public convenience init(dataDirectory: String, topicPartition: TopicPartition, budget: OpenFileBudget = OpenFileBudget()) throws(LogError) {
        try self.init(directory: dataDirectory + "/" + topicPartition.description, budget: budget)
    }

    /// Opens (creating parents if needed) `directory`.
    public init(directory: String, budget: OpenFileBudget = OpenFileBudget()) throws(LogError) {
        self.path = directory
        self.budget = budget
        var prefix = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .storage(operation: "create directory", file: prefix, reason: Self.errorText())
            }
        }
        preallocatesPages = PagePreallocator.helps(in: directory)
    }

    deinit {
        writePendingIndexEntries()
        for (name, fd) in descriptors {
            releasePreallocation(name, fd)
            close(fd)
        }
        budget.forget(self)
        budget.keptBytes.forget(self)
    }

    /// The cluster's `KeptBytesBudget` needs the memory: the kept bytes go (reads fall back to the file).
    func dropKeptBytes() {
        recent = nil
    }

    /// Closes every cached file descriptor (they reopen on demand).
    public func closeAll() {
        writePendingIndexEntries()
        for (name, fd) in descriptors {
            releasePreallocation(name, fd)
            close(fd)
            budget.closed(self, name)
        }
        descriptors.removeAll()
    }

    /// Closes one cached descriptor (the budget's eviction); it reopens on demand.
    func closeCached(_ name: String) {
        writePendingIndex(name)
        if let fd = descriptors.removeValue(forKey: name) {
            releasePreallocation(name, fd)
            close(fd)
        }
    }

    /// Closes `name`'s descriptor; `keepsFile` false when the file is about to go (nothing to give back or write then).
    private func forgetDescriptor(_ name: String, keepsFile: Bool = true) {
        if keepsFile { writePendingIndex(name) } else { pendingIndexBytes[name] = nil }
        if let fd = descriptors.removeValue(forKey: name) {
            if keepsFile { releasePreallocation(name, fd) } else { stopPreallocating(name) }
            close(fd)
            budget.closed(self, name)
        }
    }

    /// Writes every file's pending index entries (after each command of a session with `--data-dir`, so the files
    /// another program reads are whole).
    public func writePendingIndexEntries() {
        for name in Array(pendingIndexBytes.keys) { writePendingIndex(name) }
    }

    /// Writes `name`'s pending index entries; a failed write is cut back and dropped (see `pendingIndexBytes`).
    /// Through the cached descriptor, which a file with pending entries has (evicting it writes them first): the
    /// budget is not told of this use, since it may be evicting the file right now.
    private func writePendingIndex(_ name: String) {
        guard let pending = pendingIndexBytes.removeValue(forKey: name), !pending.isEmpty else { return }
        guard let fd = descriptors[name] ?? (try? descriptor(name, create: true, operation: "append to")) else { return }
        let end = lseek(fd, 0, SEEK_END)
        if pending.withUnsafeBytes({ Self.writeAll(fd, $0) }), end >= 0 { _ = ftruncate(fd, end) }
    }

    /// Whether appends to `name` are index entries, written in runs.
    private static func isIndex(_ name: String) -> Bool {
        name.hasSuffix(".index") || name.hasSuffix(".timeindex")
    }

    /// Keeps an index append for the next run; false when `name` is no index file.
    private func deferIndexAppend(_ name: String, _ bytes: UnsafeRawBufferPointer) throws(LogError) -> Bool {
        guard Self.isIndex(name) else { return false }
        if pendingIndexBytes[name] == nil {
            _ = try descriptor(name, create: true, operation: "append to")  // the file exists from its first entry
            pendingIndexBytes[name] = []
        }
        pendingIndexBytes[name]!.append(contentsOf: bytes)
        if pendingIndexBytes[name]!.count >= Self.pendingIndexLimit { writePendingIndex(name) }
        return true
    }

    /// After appending `count` bytes to `name`: keeps the pages past its end allocated ahead, once it is large enough.
    private func preallocate(_ name: String, _ fd: Int32, appended count: Int) {
        var state: PagePreallocation
        if let known = preallocations[name] {
            state = known
            state.end += count
        } else {
            guard name.hasSuffix(".log") else { return }  // indexes and checkpoints stay small
            var info = stat()
            guard fstat(fd, &info) == 0 else { return }
            state = PagePreallocation(end: Int(info.st_size), allocatedEnd: Int(info.st_size))
        }
        let ahead = PagePreallocator.ahead(afterAppending: count)
        if state.end >= PagePreallocator.hotSize && state.allocatedEnd - state.end < ahead / 2 {
            let target = state.end + ahead
            PagePreallocator.allocate(fd, from: max(state.allocatedEnd, state.end), to: target, ticket: state.ticket)
            state.allocatedEnd = target
        }
        preallocations[name] = state
    }

    /// Gives back the pages allocated past the end of `name` and not written: its background allocations stop, then
    /// its size is set to what it is (tmpfs frees a file's pages past its size then).
    private func releasePreallocation(_ name: String, _ fd: Int32) {
        guard let state = preallocations.removeValue(forKey: name) else { return }
        state.ticket.cancel()
        guard state.allocatedEnd > state.end else { return }
        var info = stat()
        if fstat(fd, &info) == 0 { _ = ftruncate(fd, info.st_size) }
    }

    /// Before the size of `name` is set: no background allocation may land past the new end afterwards.
    private func stopPreallocating(_ name: String) {
        preallocations.removeValue(forKey: name)?.ticket.cancel()
    }

    private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, bytes, count)
        #else
        return Darwin.write(fd, bytes, count)
        #endif
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }

    private func fullPath(_ name: String) -> String { path + "/" + name }

    private func descriptor(_ name: String, create: Bool, operation: String) throws(LogError) -> Int32 {
        if let fd = descriptors[name] {
            budget.used(self, name)
            return fd
        }
        let flags = O_RDWR | O_APPEND | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = open(fullPath(name), flags, 0o644)
        guard fd >= 0 else { throw .storage(operation: operation, file: fullPath(name), reason: Self.errorText()) }
        descriptors[name] = fd
        budget.opened(self, name)
        return fd
    }

    public func listFiles() throws(LogError) -> [String] {
        guard let dir = opendir(path) else { throw .storage(operation: "list", file: path, reason: Self.errorText()) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            if entry.pointee.d_type == UInt8(DT_DIR) { continue }
            names.append(name)
        }
        return names
    }

    public func create(_ name: String) throws(LogError) {
        CrashPoint.reached(.create)
        forgetRecent(name)
        stopPreallocating(name)
        pendingIndexBytes[name] = nil
        let fd = try descriptor(name, create: true, operation: "create")
        guard ftruncate(fd, 0) == 0 else { throw .storage(operation: "create", file: fullPath(name), reason: Self.errorText()) }
    }

    /// Appends `bytes`; kept bytes of the file keep this array itself, not a copy.
    public func append(_ name: String, _ bytes: [UInt8]) throws(LogError) {
        CrashPoint.reached(.append)
        // `withUnsafeBytes` only rethrows untyped errors: the typed one is carried out of the closure.
        var failure: LogError?
        var deferred = false
        bytes.withUnsafeBytes { raw in
            do throws(LogError) {
                deferred = try deferIndexAppend(name, raw)
                if !deferred { try write(name, raw) }
            } catch { failure = error }
        }
        if let failure { throw failure }
        if !deferred, recent?.name == name, recent?.appended(array: bytes) == false { recent = nil }
    }

    public func append(_ name: String, _ bytes: UnsafeRawBufferPointer) throws(LogError) {
        CrashPoint.reached(.append)
        if try deferIndexAppend(name, bytes) { return }
        try write(name, bytes)
        if recent?.name == name, recent?.appended(bytes) == false { recent = nil }
    }

    /// Appends `bytes` to the file (the kept bytes are the caller's to update).
    private func write(_ name: String, _ bytes: UnsafeRawBufferPointer) throws(LogError) {
        let fd = try descriptor(name, create: true, operation: "append to")
        if Self.writeAll(fd, bytes) {
            forgetRecent(name)  // part of the bytes may be in the file
            stopPreallocating(name)  // its size is no longer known
            throw .storage(operation: "append to", file: fullPath(name), reason: Self.errorText())
        }
        if preallocatesPages && budget.allocatesPagesAhead { preallocate(name, fd, appended: bytes.count) }
    }

    public func keepsRecentBytes(_ name: String, from position: Int) -> Bool {
        guard let recent, recent.name == name else { return false }
        return position >= recent.start && position <= recent.end
    }

    public func keptAppend(_ name: String, at position: Int) -> [UInt8]? {
        guard recent?.name == name else { return nil }
        return recent?.append(startingAt: position)
    }

    private func forgetRecent(_ name: String) {
        if recent?.name == name { recent = nil }
    }

    /// Writes all of `buffer`, retrying on EINTR and short writes. Returns true on failure (errno set).
    private static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        var done = 0
        while done < buffer.count {
            let n = systemWrite(fd, base + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return true
            }
            done += n
        }
        return false
    }

    public func read(_ name: String, at position: Int, into buffer: UnsafeMutableRawBufferPointer) throws(LogError) -> Int {
        if recent?.name == name, let n = recent?.read(at: position, into: buffer) { return n }
        writePendingIndex(name)
        let fd = try descriptor(name, create: false, operation: "read")
        if recent?.name != name {
            var info = stat()
            if fstat(fd, &info) == 0, RecentAppends.isTailRead(at: position, fileSize: Int(info.st_size)) {
                recent = RecentAppends(name: name, fileSize: Int(info.st_size))
            }
        }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(position + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .storage(operation: "read", file: fullPath(name), reason: Self.errorText())
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    public func size(of name: String) throws(LogError) -> Int {
        writePendingIndex(name)
        var info = stat()
        if let fd = descriptors[name] {
            guard fstat(fd, &info) == 0 else { throw .storage(operation: "stat", file: fullPath(name), reason: Self.errorText()) }
        } else {
            guard stat(fullPath(name), &info) == 0 else {
                throw .storage(operation: "stat", file: fullPath(name), reason: Self.errorText())
            }
        }
        return Int(info.st_size)
    }

    public func truncate(_ name: String, to size: Int) throws(LogError) {
        CrashPoint.reached(.truncate)
        forgetRecent(name)
        stopPreallocating(name)
        writePendingIndex(name)
        let fd = try descriptor(name, create: false, operation: "truncate")
        // An index run that could not be written left its file shorter: it is cut, never lengthened with zeros.
        if Self.isIndex(name), lseek(fd, 0, SEEK_END) < off_t(size) { return }
        guard ftruncate(fd, off_t(size)) == 0 else {
            throw .storage(operation: "truncate", file: fullPath(name), reason: Self.errorText())
        }
    }

    public func delete(_ name: String) throws(LogError) {
        CrashPoint.reached(.delete)
        forgetRecent(name)
        forgetDescriptor(name, keepsFile: false)
        if unlink(fullPath(name)) != 0 && errno != ENOENT {
            throw .storage(operation: "delete", file: fullPath(name), reason: Self.errorText())
        }
    }

    public func sync(_ name: String) throws(LogError) {
        writePendingIndex(name)
        let fd = try descriptor(name, create: false, operation: "sync")
        guard fsync(fd) == 0 else { throw .storage(operation: "sync", file: fullPath(name), reason: Self.errorText()) }
    }

    public func rename(_ name: String, to newName: String) throws(LogError) {
        CrashPoint.reached(.rename)
        forgetRecent(name)
        forgetRecent(newName)
        forgetDescriptor(name)
        forgetDescriptor(newName, keepsFile: false)  // replaced
        #if canImport(Glibc)
        let result = Glibc.rename(fullPath(name), fullPath(newName))
        #else
        let result = Darwin.rename(fullPath(name), fullPath(newName))
        #endif
        guard result == 0 else { throw .storage(operation: "rename", file: fullPath(name), reason: Self.errorText()) }
    }
}
