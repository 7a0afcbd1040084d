import KafkaModel
import KafkaShell
import KafkaWire
import NIOCore

/// What a listener does with one request frame.
public enum WireOutcome {
    /// Write this response frame (its 4-byte length prefix included), then read the connection's next request.
    case respond(ByteBuffer)
    /// No response (a Produce with `acks=0`): go on with the connection's next request.
    case noResponse
    /// The answer comes later, from `takeReadyResponses()`: hold the connection's next requests until then
    /// (Kafka answers a connection's requests in order).
    case parked
    /// Close the connection (what a Kafka broker does with a frame it cannot read, an unknown API key or version);
    /// `reason` is shown to the learner.
    case close(reason: String)
}

/// The bridge between real clients' frames and the simulated cluster: it decodes a request, sends it to the
/// receiving broker's `KafkaApis` and encodes the answer. Owned by the one event loop that runs the simulation,
/// so it is never called from two threads.
public final class WireRequestHandler {
    public let session: Session

    public init(session: Session) {
        self.session = session
    }

    /// A client connected to `broker`'s listener from `remote` (e.g. `127.0.0.1:53422`).
    public func connectionOpened(_ connection: Int, broker: Int, remote: String) {}

    /// One request: the frame's bytes after its 4-byte length.
    public func handle(frame: ByteBuffer, connection: Int) -> WireOutcome {
        .close(reason: "not implemented yet")
    }

    /// Answers to parked requests that are ready, oldest first (at most one per connection at a time, since a
    /// connection has at most one request parked).
    public func takeReadyResponses() -> [(connection: Int, response: WireOutcome)] { [] }

    /// Moves the live clock to the wall clock (`nanoseconds` from a monotonic source), runs what fell due, and
    /// re-checks parked requests (a Fetch waiting for records, a JoinGroup waiting for its rebalance).
    public func pump(wallNanoseconds: UInt64) {}

    /// The connection is gone: parked requests of it are dropped (a group member stays until its session expires).
    public func connectionClosed(_ connection: Int) {}

    /// The learner-visible lines for what happened since the last call (events caused by real clients and by the
    /// live clock), ready to print above the prompt.
    public func takeEventLines() -> [String] { [] }

    /// The port each broker listens on, for Metadata's `host:port` (set by the listener before the first request).
    public var advertisedListeners: [Int: (host: String, port: Int)] = [:]
}
