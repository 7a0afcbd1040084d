#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP client on 127.0.0.1 with a receive timeout, speaking raw Kafka frames. One thread may write
/// while another reads (the descriptor is all it holds).
final class TestClient: @unchecked Sendable {
    private let fd: Int32

    init(port: Int, timeoutSeconds: Int = 5) throws {
        fd = try Self.connectLoopback(port: port, timeout: SO_RCVTIMEO, seconds: timeoutSeconds)
    }

    /// A socket connected to 127.0.0.1:`port`, with the socket option `timeout` (SO_RCVTIMEO, SO_SNDTIMEO) set first.
    static func connectLoopback(port: Int, timeout option: Int32, seconds: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestClientError.system("socket", errno) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw TestClientError.system("connect", code)
        }
        return fd
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestClientError.system("send", errno) }
            sent += n
        }
    }

    /// Sends `body` behind its length.
    func sendFrame(_ body: String) throws {
        try write(Self.frame(body))
    }

    static func frame(_ body: String) -> [UInt8] {
        let bytes = Array(body.utf8)
        return withUnsafeBytes(of: Int32(bytes.count).bigEndian, Array.init) + bytes
    }

    /// Reads one response frame's body; nil when the server closed the connection.
    func readFrame() throws -> String? {
        guard let size = try read(4) else { return nil }
        let length = Int(size.reduce(0) { $0 << 8 | Int32($1) })
        guard let body = try read(length) else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    /// Whether the server closes the connection (rather than answering or staying silent) within the timeout.
    func closedByServer() -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }

    /// Whether nothing arrives within `milliseconds` (the connection stays open and silent).
    func staysSilent(milliseconds: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) == 0
    }

    private func read(_ count: Int) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes[got...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return nil }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET { return nil }
                throw TestClientError.system("recv", errno)
            }
            got += n
        }
        return bytes
    }
}

enum TestClientError: Error {
    case system(String, Int32)
}
