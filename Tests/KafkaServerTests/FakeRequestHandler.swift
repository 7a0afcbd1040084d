import KafkaServer
import NIOConcurrencyHelpers
import NIOCore

/// A request bridge that reads a frame's first byte as an order: `R` answers with the frame itself, `P` parks
/// until `release(_:)`, `N` sends nothing, `C` closes. It records what the server asked of it; the test thread
/// reads the records under a lock while the server's thread writes them.
final class FakeRequestHandler: WireRequestHandling, @unchecked Sendable {
    struct Records {
        var opened: [(connection: Int, broker: Int, remote: String)] = []
        var closed: [Int] = []
        var handled: [(connection: Int, body: String)] = []
        var pumps: [UInt64] = []
        var ready: [(connection: Int, response: WireOutcome)] = []
        var eventLines: [String] = []
        var parked: [Int: ByteBuffer] = [:]
        var advertised: [Int: (host: String, port: Int)] = [:]
    }

    let records = NIOLockedValueBox(Records())

    func connectionOpened(_ connection: Int, broker: Int, remote: String) {
        records.withLockedValue { $0.opened.append((connection, broker, remote)) }
    }

    func handle(frame: ByteBuffer, connection: Int) -> WireOutcome {
        let body = String(buffer: frame)
        return records.withLockedValue { records in
            records.handled.append((connection, body))
            switch body.first {
            case "P":
                records.parked[connection] = frame
                return .parked
            case "N": return .noResponse
            case "C": return .close(reason: "the fake was told to close")
            case "E":
                records.eventLines.append("event for \(body)")
                return Self.response(frame)
            default: return Self.response(frame)
            }
        }
    }

    /// Makes the parked request of `connection` ready (called on the server's thread).
    func release(_ connection: Int) {
        records.withLockedValue { records in
            guard let frame = records.parked.removeValue(forKey: connection) else { return }
            records.ready.append((connection, Self.response(frame)))
        }
    }

    func takeReadyResponses() -> [(connection: Int, response: WireOutcome)] {
        records.withLockedValue { records in
            defer { records.ready = [] }
            return records.ready
        }
    }

    func pump(wallNanoseconds: UInt64) {
        records.withLockedValue { $0.pumps.append(wallNanoseconds) }
    }

    func connectionClosed(_ connection: Int) {
        records.withLockedValue { $0.closed.append(connection) }
    }

    func commandRan() {}

    var awaitsReplication: Bool { false }

    func takeEventLines() -> [String] {
        records.withLockedValue { records in
            defer { records.eventLines = [] }
            return records.eventLines
        }
    }

    var advertisedListeners: [Int: (host: String, port: Int)] {
        get { records.withLockedValue { $0.advertised } }
        set { records.withLockedValue { $0.advertised = newValue } }
    }

    /// The frame again, behind its length: what the client reads back.
    static func response(_ frame: ByteBuffer) -> WireOutcome {
        var response = ByteBuffer()
        response.writeInteger(Int32(frame.readableBytes))
        response.writeImmutableBuffer(frame)
        return .respond(response)
    }
}
