import CFileSpace
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocates, on a background thread, the tmpfs pages just past the end of log files that are being appended to.
///
/// On tmpfs a file's pages are memory the kernel allocates, charges and zeroes when a write first reaches them: about
/// half of what an append costs there. A segment only grows at its end, so the pages its next appends fill are known
/// in advance; allocating them ahead (`fallocate` with FALLOC_FL_KEEP_SIZE, which changes neither the file's size nor
/// its bytes) moves that work off the simulation's thread onto an idle core. Kafka's `log.preallocate` allocates a
/// whole segment at once; this stays `ahead(afterAppending:)` bytes in front of a file that has grown past `hotSize`, so a quiet
/// partition costs nothing, and `FileLogStorage` gives back what a file did not use when it closes the file.
///
/// It costs more work in all (a page is zeroed, then written over): while real clients are served, whose programs need
/// the cores, the cluster turns it off (`OpenFileBudget.allocatesPagesAhead`).
///
/// The simulation's thread never waits for the background one: it cancels a file's allocations (`Ticket`) before it
/// sets the file's size, so none lands past the new end afterwards.
enum PagePreallocator {
    /// A log file is preallocated once it is this large (small files are not worth a thread's attention).
    static let hotSize = 256 << 10
    /// How far past the end of a file its pages are allocated at least.
    static let minimumAhead = 1 << 20
    /// How many appends like the last one the allocated pages stay ahead of: a real client's megabyte batches would
    /// otherwise outrun the background thread, and the append would allocate (and wait for the file's lock).
    static let appendsAhead = 3

    /// How far past the end of a file its pages are allocated after an append of `count` bytes; allocation resumes
    /// when less than half of that remains.
    static func ahead(afterAppending count: Int) -> Int { max(minimumAhead, appendsAhead * count) }
    /// Bytes per `fallocate` call: each call holds the file's lock, which an append to the file then waits for.
    static let step = 32 << 10

    private static let queue = DispatchQueue(label: "kafkalab.page-preallocator", qos: .utility)

    /// The allocations asked for one file, which its owner can stop: once `cancel()` returns, none runs.
    final class Ticket: @unchecked Sendable {  // `cancelled` is only read and written under `lock`
        private let lock = NSLock()
        private var cancelled = false

        /// Runs `step` unless the ticket was cancelled; false when it was.
        func ifNotCancelled(_ step: () -> Bool) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            return !cancelled && step()
        }

        /// Waits for a step in progress (one `fallocate` of at most `step` bytes), then stops all that follow.
        func cancel() {
            lock.lock()
            cancelled = true
            lock.unlock()
        }
    }

    /// Allocates bytes [`start`, `end`) of the file open as `descriptor`, in the background, until `ticket` is
    /// cancelled. The descriptor is duplicated, so the caller may close its own at any time.
    static func allocate(_ descriptor: Int32, from start: Int, to end: Int, ticket: Ticket) {
        let copy = dup(descriptor)
        guard copy >= 0 else { return }
        queue.async {
            var offset = start
            while offset < end {
                let length = min(step, end - offset)
                // A file system without fallocate (or a full one) just gets no help.
                guard ticket.ifNotCancelled({ cfilespace_allocate_keeping_size(copy, Int64(offset), Int64(length)) == 0 })
                else { break }
                offset += length
            }
            close(copy)
        }
    }

    /// Waits until every allocation asked for so far is done or cancelled (for tests).
    static func waitForPendingAllocations() {
        queue.sync {}
    }

    /// Whether files in `directory` live on tmpfs (only there does allocating ahead save the appender work).
    static func helps(in directory: String) -> Bool {
        cfilespace_is_tmpfs(directory) != 0
    }
}

/// What `FileLogStorage` knows of a log file it preallocates: its size, and how far its pages are allocated.
struct PagePreallocation {
    var end: Int
    var allocatedEnd: Int
    let ticket = PagePreallocator.Ticket()
}
