/// A reusable raw byte buffer for reading segment files in chunks (internal).
final class ReadBuffer {
    private(set) var memory: UnsafeMutableRawBufferPointer

    init(capacity: Int) {
        memory = .allocate(byteCount: capacity, alignment: 8)
    }

    deinit { memory.deallocate() }

    /// Makes room for at least `capacity` bytes (contents are not kept).
    func reserve(_ capacity: Int) {
        guard capacity > memory.count else { return }
        memory.deallocate()
        memory = .allocate(byteCount: max(capacity, memory.count * 2), alignment: 8)
    }
}

/// How a scan over a segment file's batches ended (internal).
enum BatchScanEnd {
    /// Every batch was visited; the valid bytes end at `position`.
    case complete(position: Int)
    /// The visitor asked to stop.
    case stopped
    /// Unreadable bytes start at `position` (torn or corrupt).
    case invalid(position: Int, error: RecordBatchError)
}
