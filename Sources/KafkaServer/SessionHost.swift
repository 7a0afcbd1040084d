import KafkaModel
import KafkaShell
import NIOConcurrencyHelpers

/// Owns the shell's session and decides which thread may touch it: the caller's own while nothing listens (the
/// shell as it always was: no extra thread), the `WireServer`'s loop while real clients may be connected. The
/// shell's driver and Tab completion reach the session only through `confine`, so they follow the switch.
///
/// `listen` only asks for a switch: it binds the sockets (which touches no session) and the host starts serving
/// after the command's line returned, from the thread that ran it; `listen stop` likewise asks, and the host stops
/// the server once the line is done. So no command ever runs while the session changes hands.
public final class SessionHost: @unchecked Sendable {
    private enum Phase {
        /// The caller's thread owns the session.
        case idle
        /// `listen` bound the sockets during the current line; the host starts serving once the line is done.
        case bound(WireServer)
        /// The server's loop owns the session; `stopRequested`: `listen stop` ran, the host stops after the line.
        case listening(WireServer, stopRequested: Bool)
    }

    private let session: Session
    // Every field below is only changed on the thread that calls `confine` or, for the commands, on the thread that
    // owns the session at that moment; the lock makes each read see the last write.
    private let phase: NIOLockedValueBox<Phase>
    /// `kafkalab serve`: the server was started by its owner, and `listen stop` refuses.
    private let fixed: Bool
    private let onEventLines: @Sendable ([String]) -> Void
    private let hooks = NIOLockedValueBox<[() -> Void]>([])

    /// The shell's host: nothing listens until `listen`.
    /// - Parameter onEventLines: prints what real clients cause, from the server's thread (see `WireServer`).
    public init(session: Session, onEventLines: @escaping @Sendable ([String]) -> Void) {
        self.session = session
        self.phase = NIOLockedValueBox(.idle)
        self.fixed = false
        self.onEventLines = onEventLines
    }

    /// `kafkalab serve`'s host: `server` already owns the session and serves until the process ends.
    public init(session: Session, serving server: WireServer) {
        self.session = session
        self.phase = NIOLockedValueBox(.listening(server, stopRequested: false))
        self.fixed = true
        self.onEventLines = { _ in }
    }

    /// Runs `hook` on the shell's thread, between commands, the first time real clients may connect (the terminal
    /// starts showing their events above the prompt).
    public func whenListening(_ hook: @escaping () -> Void) {
        hooks.withLockedValue { $0.append(hook) }
    }

    /// The server while real clients may connect.
    public var server: WireServer? {
        switch phase.withLockedValue({ $0 }) {
        case .idle: return nil
        case .bound(let server), .listening(let server, _): return server
        }
    }

    /// Runs `work` with the session where it lives now and waits for it; then carries out a switch `listen` or
    /// `listen stop` asked for. Call it from one thread (the shell's), never from inside `work`.
    public func confine(_ work: @escaping () -> Void) {
        switch phase.withLockedValue({ $0 }) {
        case .idle, .bound:
            work()
        case .listening(let server, _):
            server.perform { _ in work() }
        }
        settle()
    }

    /// Runs `body` with the session (see `confine`) and returns its result.
    public func perform<Result>(_ body: @escaping (Session) -> Result) -> Result {
        var result: Result?
        let session = self.session
        confine { result = body(session) }
        return result!
    }

    /// Leaving kafkalab: saves what clients changed (a kept --data-dir's checkpoints) and closes every listener.
    public func shutDown() {
        guard let server else { return }
        server.perform { $0.cluster.writeBrokerFiles() }
        server.stop()
        if !fixed { stopped() }
    }

    /// The switch the last line asked for, on the thread that ran it, now that no command runs.
    private func settle() {
        switch phase.withLockedValue({ $0 }) {
        case .bound(let server):
            do {
                try server.activate()
            } catch {
                server.stop()
                stopped()
                onEventLines(["Could not start serving real clients (\(error)); the clock stays simulated."])
                return
            }
            phase.withLockedValue { $0 = .listening(server, stopRequested: false) }
            for hook in hooks.withLockedValue({ hooks in defer { hooks = [] }; return hooks }) { hook() }
        case .listening(let server, stopRequested: true):
            server.perform { $0.cluster.writeBrokerFiles() }
            server.stop()
            // From here no other thread touches the session.
            stopped()
        case .idle, .listening:
            break
        }
    }

    /// Back to the simulated clock, on the thread that owns the session again.
    private func stopped() {
        phase.withLockedValue { $0 = .idle }
        session.servesRealClients = false
        // Later answers for connections that are gone (a held produce completing at the next tick) reach nobody.
        _ = session.cluster.drainConnectionResponses()
    }

    // MARK: - The `listen` command

    /// Adds `listen` to the session (call it on the thread that owns the session, before the shell starts).
    public func installListenCommand() {
        session.install([listenCommand])
    }

    public static let listenSpec = CommandSpec(
        "listen", group: .serving, abstract: "Serve this cluster to real Kafka clients (kcat, kafka-python, …), or stop",
        discussion: """
            Each broker listens on its own port: broker ids in order on PORT, PORT+1, … (0: a free port for each).
            While listening, the cluster's clock follows the wall clock and what real clients cause is printed as it
            happens. 'listen stop' closes the listeners and the clients' connections: the clock is simulated again.
            Notebooks (kafkalab run, replay, a lesson's examples) never listen: they replay deterministically.
            """,
        flags: [FlagSpec("bind", value: "HOST", help: "address to listen on (default 127.0.0.1: only this machine can connect)")],
        positionals: [PositionalSpec("PORT", optional: true, help: "first broker's port (default 9092; 0: free ports), or 'stop'")],
        examples: ["listen", "listen 0", "listen 19092 --bind 0.0.0.0", "listen stop"],
        positionalCompletion: .fixed(["stop", "9092", "0"]))

    private var listenCommand: Command {
        // Weak: the session keeps its commands, and the host keeps the session.
        Command(Self.listenSpec) { [weak self] arguments, session throws(ShellError) in
            guard let self else { throw .failed("Listening is not available here: kafkalab is leaving.") }
            return try listen(arguments, session)
        }
    }

    private func listen(_ arguments: ParsedArguments, _ session: Session) throws(ShellError) -> Output {
        let word = arguments.positional(0)
        let brokers = session.cluster.brokers.count
        let highest = 65536 - brokers
        let bindHost = arguments.string("bind")
        if word == "stop" {
            if bindHost != nil { throw .usage("'listen stop' takes no --bind.", command: Self.listenSpec) }
            return try stop(session)
        }
        var firstPort = 9092
        if let word {
            guard let port = Int(word), port == 0 || (1...highest).contains(port) else {
                throw .usage("Invalid PORT '\(word)': expected 0 (free ports), a port from 1 to \(highest) so that \(brokers) brokers fit on consecutive ports, or 'stop', e.g. listen 9092.", command: Self.listenSpec)
            }
            firstPort = port
        }
        if bindHost?.isEmpty == true {
            throw .usage("Invalid HOST for '--bind': expected an address such as 127.0.0.1 or 0.0.0.0, e.g. listen 9092 --bind 127.0.0.1.", command: Self.listenSpec)
        }
        switch phase.withLockedValue({ $0 }) {
        case .listening(_, stopRequested: true):
            throw .failed("'listen stop' earlier on this line stops listening once the line is done: type 'listen' again on a line of its own.")
        case .bound(let server), .listening(let server, stopRequested: false):
            var output = Output(["Already listening (type 'listen stop' first to listen elsewhere):"])
            output.lines += Self.addressLines(server, session: session).lines
            // Asked for other ports or another address: that was not done.
            let samePorts = word == nil || firstPort == 0 || server.listeners.first?.port == firstPort
            if !samePorts || bindHost != nil { output.failed = true }
            return output
        case .idle:
            break
        }
        guard !session.notebookInControl else {
            throw .failed("A notebook cannot listen: notebooks (kafkalab run, replay, a lesson's examples) replay deterministically, and real clients would make them differ. Type 'listen' yourself at the shell.")
        }
        // The command runs on the thread that owns the session; nothing else does until the host activates.
        _ = session.cluster.drainConnectionResponses()
        let server = WireServer(session: session, handler: WireRequestHandler(session: session), onEventLines: onEventLines)
        do {
            try server.bind(host: bindHost ?? "127.0.0.1", firstPort: firstPort, brokerIds: session.cluster.brokers.map(\.id))
        } catch {
            server.stop()
            session.servesRealClients = false
            throw .failed(Self.explain(error))
        }
        phase.withLockedValue { $0 = .bound(server) }
        var output = Self.addressLines(server, session: session)
        output.append("The cluster's clock now follows the wall clock while listening, and what clients cause is printed as it happens. 'listen stop' makes it simulated again.", style: .dim)
        return output
    }

    private func stop(_ session: Session) throws(ShellError) -> Output {
        switch phase.withLockedValue({ $0 }) {
        case .idle:
            throw .failed("Not listening. Start with: listen [PORT] (e.g. listen 9092, or listen 0 for free ports)")
        case .listening(_, stopRequested: true):
            throw .failed("'listen stop' already ran on this line.")
        case .listening(let server, stopRequested: false) where fixed:
            _ = server
            throw .failed("kafkalab serve listens until it exits: leave with 'exit' (or Ctrl-D). 'listen stop' is for 'listen' in the plain shell.")
        case .bound(let server):
            // Listening never started (this line's own 'listen'): this thread still owns the session.
            let where_ = server.bootstrap
            server.stop()
            stopped()
            return Output(["Stopped listening on \(where_) before any client connected. The clock is simulated again: it moves only with 'tick'."])
        case .listening(let server, stopRequested: false):
            let connections = server.connectionCount
            phase.withLockedValue { $0 = .listening(server, stopRequested: true) }
            var output = Output(["Stopped listening on \(server.bootstrap): closed the listeners and \(connections) client connection\(connections == 1 ? "" : "s")."])
            output.append("The clock is simulated again: it moves only with 'tick', deterministically from here. Real clients' group members stay until their session.timeout.ms passes.")
            return output
        }
    }

    /// `Broker N listening on HOST:PORT` for each broker and the bootstrap list, as `kafkalab serve` prints them.
    static func addressLines(_ server: WireServer, session: Session) -> Output {
        var output = Output()
        for listener in server.listeners {
            let address = WireServer.address(host: listener.host, port: listener.port)
            if session.cluster.broker(listener.broker)?.isAlive == false {
                output.append("Broker \(listener.broker) is stopped; it will listen on \(address) once started")
            } else {
                output.append("Broker \(listener.broker) listening on \(address)")
            }
        }
        output.append("bootstrap.servers=\(server.bootstrap)")
        return output
    }

    /// `WireServerError`'s explanation, with the shell's way to choose ports.
    static func explain(_ error: Error) -> String {
        (error as? WireServerError)?.description
            .replacingOccurrences(of: "Choose other ports with --port N (brokers take N, N+1, …), or --port 0 for free ones.",
                                  with: "Choose other ports with 'listen N' (brokers take N, N+1, …), or 'listen 0' for free ones.")
            .replacingOccurrences(of: "Choose another first port with --port N, or --port 0 for free ones.",
                                  with: "Choose another first port with 'listen N', or 'listen 0' for free ones.")
            .replacingOccurrences(of: "or other ports with --port N (--port 0 for free ones).",
                                  with: "or other ports with 'listen N' ('listen 0' for free ones).")
            ?? "Cannot listen: \(error)."
    }
}
