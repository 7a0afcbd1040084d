#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KafkaServer
import NIOConcurrencyHelpers
import NIOCore

/// SplitMix64: a run is reproduced from its seed alone, whatever the platform's default generator does (the same as
/// KafkaWireTests' one: test targets share no module).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Forwards to the real bridge and counts what it decided, so the fuzz test can tell how many frames reached the
/// decoder (pipelined frames behind one that closes the connection are dropped unread, as in Kafka).
final class CountingRequestHandler: WireRequestHandling, @unchecked Sendable {
    struct Counts {
        var handled = 0
        var responded = 0
        var closed = 0
        var parked = 0
        var silent = 0
        var connections = 0
    }

    let inner: WireRequestHandling
    let counts = NIOLockedValueBox(Counts())

    init(_ inner: WireRequestHandling) { self.inner = inner }

    func connectionOpened(_ connection: Int, broker: Int, remote: String) {
        counts.withLockedValue { $0.connections += 1 }
        inner.connectionOpened(connection, broker: broker, remote: remote)
    }

    func handle(frame: ByteBuffer, connection: Int) -> WireOutcome {
        let outcome = inner.handle(frame: frame, connection: connection)
        counts.withLockedValue { counts in
            counts.handled += 1
            switch outcome {
            case .respond: counts.responded += 1
            case .close: counts.closed += 1
            case .parked: counts.parked += 1
            case .noResponse: counts.silent += 1
            }
        }
        return outcome
    }

    func takeReadyResponses() -> [(connection: Int, response: WireOutcome)] { inner.takeReadyResponses() }
    func pump(wallNanoseconds: UInt64) { inner.pump(wallNanoseconds: wallNanoseconds) }
    func connectionClosed(_ connection: Int) { inner.connectionClosed(connection) }
    func takeEventLines() -> [String] { inner.takeEventLines() }
    func commandRan() { inner.commandRan() }
    var awaitsReplication: Bool { inner.awaitsReplication }

    var advertisedListeners: [Int: (host: String, port: Int)] {
        get { inner.advertisedListeners }
        set { inner.advertisedListeners = newValue }
    }
}

/// Monotonic milliseconds, for the deadlines every socket operation of the fuzz test has.
func monotonicMs() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}

/// A TCP connection to 127.0.0.1 whose every operation is bounded in time: non-blocking after a connect that
/// gives up after two seconds.
final class FuzzSocket {
    private(set) var fd: Int32
    var isOpen: Bool { fd >= 0 }

    init(port: Int) throws {
        // Linux bounds a blocking connect by the send timeout: a full accept queue must not hang the test.
        fd = try TestClient.connectLoopback(port: port, timeout: SO_SNDTIMEO, seconds: 2)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { shut() }

    func shut() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    enum Progress { case bytes(Int), wouldBlock, closed }

    /// Sends what the socket takes now.
    func sendSome(_ bytes: [UInt8], from offset: Int) -> Progress {
        let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n > 0 { return .bytes(n) }
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .wouldBlock }
        return .closed
    }

    /// Reads what has arrived into `into` (appending); `.closed` at the end of the stream or a reset.
    func receiveSome(into buffer: inout [UInt8], max: Int = 1 << 16) -> Progress {
        var chunk = [UInt8](repeating: 0, count: max)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer += chunk[0..<n]
            return .bytes(n)
        }
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .wouldBlock }
        return .closed
    }

    /// Sends all of `bytes` before `deadline` (monotonic ms).
    func sendAll(_ bytes: [UInt8], deadline: Int64) -> Bool {
        var offset = 0
        while offset < bytes.count {
            switch sendSome(bytes, from: offset) {
            case .bytes(let n): offset += n
            case .closed: return false
            case .wouldBlock:
                guard wait(for: Int16(POLLOUT), deadline: deadline) else { return false }
            }
        }
        return true
    }

    enum ReadError: Error, CustomStringConvertible {
        case closed(afterBytes: Int), timedOut(afterBytes: Int)

        var description: String {
            switch self {
            case .closed(let n): "the server closed the connection (\(n) bytes of the answer read)"
            case .timedOut(let n): "no whole answer within the time (\(n) bytes read)"
            }
        }
    }

    /// Bytes received past the last frame read: a pipelined answer may arrive with the one before it.
    private var leftover: [UInt8] = []

    /// One response frame's bytes after its length, read before `deadline`.
    func readFrame(deadline: Int64) throws(ReadError) -> [UInt8] {
        var buffer = leftover
        leftover = []
        while true {
            if buffer.count >= 4 {
                let size = Int(buffer[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                if buffer.count >= 4 + size {
                    leftover = Array(buffer[(4 + size)...])
                    return Array(buffer[4..<(4 + size)])
                }
            }
            switch receiveSome(into: &buffer) {
            case .bytes: continue
            case .closed: throw .closed(afterBytes: buffer.count)
            case .wouldBlock:
                guard wait(for: Int16(POLLIN), deadline: deadline) else { throw .timedOut(afterBytes: buffer.count) }
            }
        }
    }

    private func wait(for events: Int16, deadline: Int64) -> Bool {
        let left = deadline - monotonicMs()
        guard left > 0 else { return false }
        var poller = pollfd(fd: fd, events: events, revents: 0)
        return poll(&poller, 1, Int32(min(left, 1000))) >= 0
    }
}
