/// Where a partition's segment files live: one directory (`<topic>-<partition>`) of named files.
/// `FileLogStorage` uses real files; `InMemoryLogStorage` serves unit tests.
///
/// Names are bare file names such as `00000000000000000000.log`. Writes only append or truncate
/// (plus whole-file replacement through `rename`), as Kafka's log does.
public protocol LogStorage: AnyObject {
    /// The partition directory's path as shown to learners (e.g. by `kafka-dump-log.sh`).
    var path: String { get }
    /// Names of the files in the directory, in no particular order.
    func listFiles() throws(LogError) -> [String]
    /// Creates an empty file, or empties an existing one.
    func create(_ name: String) throws(LogError)
    /// Appends bytes to the end of a file (creating it if missing).
    func append(_ name: String, _ bytes: [UInt8]) throws(LogError)
    /// Appends raw bytes to the end of a file (creating it if missing), without an intermediate array.
    /// The default implementation copies into an array and calls `append(_:_:)`.
    func append(_ name: String, _ bytes: UnsafeRawBufferPointer) throws(LogError)
    /// Reads up to `buffer.count` bytes from `position`; returns how many were read (fewer at the end).
    func read(_ name: String, at position: Int, into buffer: UnsafeMutableRawBufferPointer) throws(LogError) -> Int
    /// The file's size in bytes.
    func size(of name: String) throws(LogError) -> Int
    /// Cuts the file to `size` bytes.
    func truncate(_ name: String, to size: Int) throws(LogError)
    /// Deletes the file (no error if missing).
    func delete(_ name: String) throws(LogError)
    /// Renames a file, replacing `newName` if it exists.
    func rename(_ name: String, to newName: String) throws(LogError)
    /// Forces the file's bytes to the disk (`fsync`), as Kafka flushes a cleaned segment before swapping it in.
    /// The default does nothing (memory has no disk).
    func sync(_ name: String) throws(LogError)
    /// Whether the bytes of `name` from `position` to its end are in memory, so that reading them in small pieces
    /// costs no system call. The default says no.
    func keepsRecentBytes(_ name: String, from position: Int) -> Bool
    /// The bytes of the one append to `name` that started at `position`, when they are kept in memory: shared, not
    /// copied (a follower fetching exactly what its leader appended). The default has none.
    func keptAppend(_ name: String, at position: Int) -> [UInt8]?
}

extension LogStorage {
    public func sync(_ name: String) throws(LogError) {}

    public func keepsRecentBytes(_ name: String, from position: Int) -> Bool { false }

    public func keptAppend(_ name: String, at position: Int) -> [UInt8]? { nil }

    public func append(_ name: String, _ bytes: UnsafeRawBufferPointer) throws(LogError) {
        try append(name, Array(bytes))
    }

    /// The whole file.
    public func readAll(_ name: String) throws(LogError) -> [UInt8] {
        try read(name, at: 0, count: try size(of: name))
    }

    /// `count` bytes from `position` (fewer at the end of the file).
    public func read(_ name: String, at position: Int, count: Int) throws(LogError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var result: Result<Int, LogError> = .success(0)
        out.withUnsafeMutableBytes { buffer in
            do throws(LogError) { result = .success(try read(name, at: position, into: buffer)) } catch {
                result = .failure(error)
            }
        }
        let n = try result.get()
        if n < count { out.removeSubrange(n...) }
        return out
    }

    /// Replaces the file's content.
    public func write(_ name: String, _ bytes: [UInt8]) throws(LogError) {
        try create(name)
        if !bytes.isEmpty { try append(name, bytes) }
    }
}
