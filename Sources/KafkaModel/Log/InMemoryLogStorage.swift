/// A `LogStorage` that keeps files in memory: for unit tests and disk-less sessions.
/// Not thread-safe; use from one thread (the simulation is single-threaded).
public final class InMemoryLogStorage: LogStorage {
    public let path: String
    /// The files, by name.
    public private(set) var files: [String: [UInt8]] = [:]

    public init(path: String = "/memory/partition-0") {
        self.path = path
    }

    public func listFiles() throws(LogError) -> [String] { Array(files.keys) }

    public func create(_ name: String) throws(LogError) { files[name] = [] }

    public func append(_ name: String, _ bytes: [UInt8]) throws(LogError) {
        files[name, default: []].append(contentsOf: bytes)
    }

    public func append(_ name: String, _ bytes: UnsafeRawBufferPointer) throws(LogError) {
        files[name, default: []].append(contentsOf: bytes)
    }

    public func read(_ name: String, at position: Int, into buffer: UnsafeMutableRawBufferPointer) throws(LogError) -> Int {
        guard let file = files[name] else { throw .storage(operation: "read", file: name, reason: "No such file") }
        guard position < file.count else { return 0 }
        let n = min(buffer.count, file.count - position)
        file.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
        }
        return n
    }

    public func size(of name: String) throws(LogError) -> Int {
        guard let file = files[name] else { throw .storage(operation: "stat", file: name, reason: "No such file") }
        return file.count
    }

    public func truncate(_ name: String, to size: Int) throws(LogError) {
        guard files[name] != nil else { throw .storage(operation: "truncate", file: name, reason: "No such file") }
        if files[name]!.count > size { files[name]!.removeSubrange(size...) }
    }

    public func delete(_ name: String) throws(LogError) { files[name] = nil }

    public func rename(_ name: String, to newName: String) throws(LogError) {
        guard let file = files.removeValue(forKey: name) else {
            throw .storage(operation: "rename", file: name, reason: "No such file")
        }
        files[newName] = file
    }

    /// Test helper: replaces a file's bytes wholesale (e.g. to simulate a torn write or bit rot).
    public func overwrite(_ name: String, with bytes: [UInt8]) { files[name] = bytes }
}
