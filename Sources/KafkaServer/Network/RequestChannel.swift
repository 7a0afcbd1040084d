import KafkaShell
import NIOCore

/// The meeting point of every connection and the simulation, on the one event loop that runs both (the role of
/// Kafka's `RequestChannel` between its network `Processor`s and `KafkaApis`, without the threads).
///
/// It hands frames to the request bridge, wakes connections whose parked request got its answer, runs the live
/// clock, and passes the learner-visible lines on. Nothing here is thread-safe by itself: every method must run on
/// `eventLoop`, which is what makes the unchecked `Sendable` honest (the child-channel initializer and the REPL's
/// submitted closures capture it, and both run on the loop).
final class RequestChannel: @unchecked Sendable {
    let eventLoop: EventLoop
    let session: Session
    private let handler: WireRequestHandling
    private let wallClock: @Sendable () -> UInt64
    /// Called on the loop with each non-empty batch of lines for the learner.
    var onEventLines: @Sendable ([String]) -> Void = { _ in }

    private var lastConnection = 0
    private var connections: [Int: KafkaConnectionHandler] = [:]
    /// Lines of the listeners' own (a connection closed for a bad frame), delivered with the bridge's.
    private var notices: [String] = []
    private var settling = false
    private var settleAgain = false

    init(eventLoop: EventLoop, session: Session, handler: WireRequestHandling, wallClock: @escaping @Sendable () -> UInt64) {
        self.eventLoop = eventLoop
        self.session = session
        self.handler = handler
        self.wallClock = wallClock
    }

    // MARK: - Connections

    /// Numbers a new connection (from 1, never reused while the server runs) and tells the bridge.
    func open(_ connection: KafkaConnectionHandler, broker: Int, remote: String) -> Int {
        eventLoop.preconditionInEventLoop()
        lastConnection += 1
        connections[lastConnection] = connection
        handler.connectionOpened(lastConnection, broker: broker, remote: remote)
        settle()
        return lastConnection
    }

    func closed(_ number: Int) {
        eventLoop.preconditionInEventLoop()
        guard connections.removeValue(forKey: number) != nil else { return }
        handler.connectionClosed(number)
        settle()
    }

    /// Handles one request of a connection: the live clock first, so a request sees the time it arrived at.
    func handle(frame: ByteBuffer, connection: Int) -> WireOutcome {
        eventLoop.preconditionInEventLoop()
        handler.pump(wallNanoseconds: wallClock())
        let outcome = handler.handle(frame: frame, connection: connection)
        scheduleQuickPump()
        return outcome
    }

    private var quickPumpScheduled = false

    /// An `acks=all` answer waits for the followers' next fetches, a millisecond or two of live time away: while one
    /// waits, the clock moves every millisecond rather than at the idle pace.
    private func scheduleQuickPump() {
        guard handler.awaitsReplication, !quickPumpScheduled else { return }
        quickPumpScheduled = true
        eventLoop.scheduleTask(in: .milliseconds(1)) {
            self.quickPumpScheduled = false
            self.pump()
        }
    }

    func notice(_ line: String) {
        notices.append(line)
    }

    var openConnections: [KafkaConnectionHandler] { Array(connections.values) }

    /// Whether each broker of the cluster runs (a stopped or crashed one does not).
    var brokersAlive: [Int: Bool] {
        Dictionary(session.cluster.brokers.map { ($0.id, $0.isAlive) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Time and wake-ups

    /// Moves the simulation to the wall clock and delivers what that made ready.
    func pump() {
        eventLoop.preconditionInEventLoop()
        handler.pump(wallNanoseconds: wallClock())
        settle()
        scheduleQuickPump()
    }

    func commandRan() {
        eventLoop.preconditionInEventLoop()
        handler.commandRan()
    }

    var advertisedListeners: [Int: (host: String, port: Int)] {
        get { handler.advertisedListeners }
        set { handler.advertisedListeners = newValue }
    }

    /// After anything that may have changed the simulation (a request, a pump, a shell command): answers parked
    /// requests that became ready and passes on the learner's lines. Resuming a connection handles its next
    /// requests, which may ready more answers, so this repeats until nothing is left; a call from inside that
    /// work only asks for one more round instead of nesting.
    func settle() {
        eventLoop.preconditionInEventLoop()
        if settling {
            settleAgain = true
            return
        }
        settling = true
        defer { settling = false }
        repeat {
            settleAgain = false
            for ready in handler.takeReadyResponses() {
                // A connection that closed in the meantime has nobody to answer.
                connections[ready.connection]?.resume(with: ready.response)
            }
            let lines = notices + handler.takeEventLines()
            notices = []
            if !lines.isEmpty { onEventLines(lines) }
        } while settleAgain
    }
}
