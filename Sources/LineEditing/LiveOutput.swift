#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CLibEdit

/// Lines that other threads print while the learner may be typing (events caused by real Kafka clients): printed
/// at once when no line is being edited, else shown above the line being edited, which libedit then redraws,
/// half-typed text and cursor included. Attach it to a `LibEditLineReader` with `showLiveOutput(_:)`; unattached
/// (standard input is not a terminal) it just prints.
public final class LiveOutput: @unchecked Sendable {
    // Guards `pending`, `editing` and the pipe's creation; the pipe's ends never change once made.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var pending: [String] = []
    private var editing = false
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1

    public init() {
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    /// Prints `lines` (each without its newline) from any thread.
    public func print(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        locked {
            if editing {
                pending += lines
                // A full pipe already holds a wake-up; the write never blocks.
                var byte: UInt8 = 1
                _ = write(wakeWrite, &byte, 1)
            } else {
                let out = kl_stdout()
                for line in lines { fputs(line + "\n", out) }
                fflush(out)
            }
        }
    }

    /// The end the line reader waits on besides the terminal: readable when lines are pending.
    func wakeDescriptor() -> Int32 {
        locked {
            if wakeRead < 0 {
                var ends: [Int32] = [-1, -1]
                guard pipe(&ends) == 0 else { return -1 }
                for end in ends {
                    _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                    _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                }
                (wakeRead, wakeWrite) = (ends[0], ends[1])
            }
            return wakeRead
        }
    }

    /// From now until `endEditing()`, lines wait for the reader instead of being printed over the prompt.
    func beginEditing() {
        locked { editing = true }
    }

    /// Printing goes straight out again; returns the lines that arrived since the last `takePending()`.
    func endEditing() -> [String] {
        locked {
            editing = false
            return takeLocked()
        }
    }

    /// The waiting lines, with the wake-ups that announced them.
    func takePending() -> [String] {
        locked { takeLocked() }
    }

    private func takeLocked() -> [String] {
        var sink = [UInt8](repeating: 0, count: 256)
        if wakeRead >= 0 {
            while sink.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
        }
        defer { pending = [] }
        return pending
    }

    private func locked<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
