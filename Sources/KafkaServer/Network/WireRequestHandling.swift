import NIOCore

/// What the listeners need from the request bridge. `WireRequestHandler` is the real one; tests put a fake in
/// its place. Every call comes from the one event loop that runs the simulation.
public protocol WireRequestHandling: AnyObject {
    /// A client connected to `broker`'s listener from `remote` (e.g. `127.0.0.1:53422`).
    func connectionOpened(_ connection: Int, broker: Int, remote: String)
    /// One request: the frame's bytes after its 4-byte length.
    func handle(frame: ByteBuffer, connection: Int) -> WireOutcome
    /// Answers to parked requests that are ready, oldest first.
    func takeReadyResponses() -> [(connection: Int, response: WireOutcome)]
    /// Moves the live clock to the wall clock (`wallNanoseconds` from a monotonic source).
    func pump(wallNanoseconds: UInt64)
    /// The connection is gone.
    func connectionClosed(_ connection: Int)
    /// The learner-visible lines for what happened since the last call.
    func takeEventLines() -> [String]
    /// The host and port each broker listens on, for Metadata.
    var advertisedListeners: [Int: (host: String, port: Int)] { get set }
    /// The shell ran a command whose events were printed under it: they are not shown again above the prompt.
    func commandRan()
    /// Whether a request waits for replication (an `acks=all` Produce), so the clock should move soon.
    var awaitsReplication: Bool { get }
}

extension WireRequestHandler: WireRequestHandling {}
