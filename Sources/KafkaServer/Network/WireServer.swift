#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KafkaShell
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Serves Kafka's wire protocol for a simulated cluster: one listener per broker on consecutive ports, like
/// Kafka's `SocketServer` with one listener each.
///
/// One event-loop thread runs every connection and the simulation, so requests reach the model in arrival
/// order without locks. The session and the request bridge given to `init` belong to that thread from then on:
/// touch the session only through `execute(_:)` or `perform(_:)`.
public final class WireServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    let requestChannel: RequestChannel
    private let pumpInterval: TimeAmount
    let state = NIOLockedValueBox(State())

    struct State {
        var bindHost = ""
        /// The open listeners by broker (a stopped broker has none).
        var listeners: [Int: Channel] = [:]
        /// Brokers whose listener is being opened again.
        var reopening: Set<Int> = []
        var advertised: [(broker: Int, host: String, port: Int)] = []
        var pumpTask: RepeatedTask?
        var stopped = false
    }

    /// - Parameters:
    ///   - wallClock: monotonic nanoseconds the live clock follows; tests inject their own.
    ///   - pumpInterval: how often the live clock moves when no request arrives.
    ///   - onEventLines: receives the learner's lines (events caused by clients or the live clock, connections
    ///     closed for bad frames), on the server's thread, between requests and commands; the REPL decides how to
    ///     print them.
    public init(session: Session, handler: WireRequestHandling,
                wallClock: @escaping @Sendable () -> UInt64 = { NIODeadline.now().uptimeNanoseconds },
                pumpInterval: TimeAmount = .milliseconds(10),
                onEventLines: @escaping @Sendable ([String]) -> Void = { _ in }) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        requestChannel = RequestChannel(eventLoop: group.next(), session: session, handler: handler, wallClock: wallClock)
        requestChannel.onEventLines = onEventLines
        self.pumpInterval = pumpInterval
    }

    deinit {
        stop()
    }

    /// The loop that runs the simulation and every connection.
    public var eventLoop: EventLoop { requestChannel.eventLoop }

    /// Listens for `brokerIds` on `host`, broker i on port `firstPort + i` (every one on a free port when
    /// `firstPort` is 0), tells the bridge the advertised addresses and starts the live clock: `bind` then `activate`.
    /// - Parameter advertisedHost: the host clients are told to connect to (default: `host`, or 127.0.0.1 when
    ///   `host` is a wildcard address, which clients cannot connect to).
    /// Call it once, from a thread other than the server's.
    /// - Returns: each broker's port.
    @discardableResult
    public func start(host: String = "127.0.0.1", advertisedHost: String? = nil, firstPort: Int = 9092,
                      brokerIds: [Int]) throws -> [Int: Int] {
        let ports = try bind(host: host, advertisedHost: advertisedHost, firstPort: firstPort, brokerIds: brokerIds)
        try activate()
        return ports
    }

    /// The first half of `start`: opens the listening sockets (the system queues connections from then on) but
    /// accepts nothing and touches neither the session nor the bridge, so it may run while another thread still
    /// uses the session (the shell's `listen`, inside a command). `listeners` and `bootstrap` are known after it.
    /// Call it once, from a thread other than the server's.
    /// - Returns: each broker's port.
    @discardableResult
    public func bind(host: String = "127.0.0.1", advertisedHost: String? = nil, firstPort: Int = 9092,
                     brokerIds: [Int]) throws -> [Int: Int] {
        precondition(!eventLoop.inEventLoop, "WireServer.bind waits for the server's own thread")
        let shownHost = advertisedHost ?? (["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host)
        var listeners: [Int: Channel] = [:]
        var advertised: [(broker: Int, host: String, port: Int)] = []
        for (index, broker) in brokerIds.enumerated() {
            let port = firstPort == 0 ? 0 : firstPort + index
            do {
                let channel = try bootstrap(broker: broker).bind(host: host, port: port).wait()
                listeners[broker] = channel
                advertised.append((broker, shownHost, channel.localAddress?.port ?? port))
            } catch {
                for channel in listeners.values { try? channel.close().wait() }
                throw WireServerError.cannotListen(host: host, port: port, broker: broker, cause: error)
            }
        }
        state.withLockedValue {
            $0.bindHost = host
            $0.listeners = listeners
            $0.advertised = advertised
        }
        return Dictionary(advertised.map { ($0.broker, $0.port) }, uniquingKeysWith: { a, _ in a })
    }

    /// The second half of `start`: from here the session belongs to the server's thread. Tells the bridge the
    /// advertised addresses, starts accepting and starts the live clock. Call it once after `bind`, from a thread
    /// other than the server's, when no other thread touches the session any more.
    public func activate() throws {
        precondition(!eventLoop.inEventLoop, "WireServer.activate waits for the server's own thread")
        let (advertised, accepting) = state.withLockedValue { ($0.advertised, Array($0.listeners.values)) }
        let requestChannel = self.requestChannel
        let listenersByBroker = Dictionary(advertised.map { ($0.broker, (host: $0.host, port: $0.port)) }, uniquingKeysWith: { a, _ in a })
        let interval = pumpInterval
        let pumpTask = try eventLoop.submit {
            requestChannel.advertisedListeners = listenersByBroker
            // Only now that every broker's address is known: a client's first Metadata must list them all.
            for listener in accepting { try? listener.syncOptions?.setOption(.autoRead, value: true) }
            return requestChannel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                requestChannel.pump()
            }
        }.wait()
        state.withLockedValue { $0.pumpTask = pumpTask }
        // A broker stopped before the server started (`--init "broker stop 2"`) takes no connections.
        try? eventLoop.submit { self.followBrokers() }.wait()
    }

    /// How many client connections are open. Read it on the server's thread (inside `perform`).
    public var connectionCount: Int {
        eventLoop.preconditionInEventLoop()
        return requestChannel.openConnections.count
    }

    /// `host:port` of every broker, comma-separated in broker order: a client's `bootstrap.servers`.
    public var bootstrap: String {
        state.withLockedValue { $0.advertised.map { Self.address(host: $0.host, port: $0.port) }.joined(separator: ",") }
    }

    /// `host:port`, with an IPv6 address in brackets (`[::1]:9092`) as clients' bootstrap lists want it.
    public static func address(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Each broker's advertised host and port, in broker order (a stopped broker's too).
    public var listeners: [(broker: Int, host: String, port: Int)] {
        state.withLockedValue { $0.advertised }
    }

    /// Whether `broker`'s listener is open (it is closed while the broker is stopped).
    public func isListening(broker: Int) -> Bool {
        state.withLockedValue { $0.listeners[broker] != nil }
    }

    /// Closes the listeners and every connection, stops the live clock and the thread. Safe to call twice.
    public func stop() {
        let (listeners, pumpTask, wasStopped) = state.withLockedValue { state in
            defer { state.stopped = true; state.listeners = [:]; state.pumpTask = nil }
            return (Array(state.listeners.values), state.pumpTask, state.stopped)
        }
        guard !wasStopped else { return }
        if eventLoop.inEventLoop {
            // Only reachable if the last reference went away on the loop: nothing may wait for the loop here.
            pumpTask?.cancel()
            for channel in listeners { channel.close(promise: nil) }
            for connection in requestChannel.openConnections { connection.shutDown() }
            group.shutdownGracefully { _ in }
            return
        }
        let requestChannel = self.requestChannel
        try? eventLoop.submit {
            pumpTask?.cancel()
            for connection in requestChannel.openConnections { connection.shutDown() }
        }.wait()
        for channel in listeners { try? channel.close().wait() }
        try? group.syncShutdownGracefully()
    }

    // MARK: - The shell's side

    /// Runs a shell command on the simulation's thread and waits for it: how the REPL thread executes lines
    /// while clients are connected. The live clock moves first; parked requests the command readied are answered,
    /// and listeners follow the brokers the command stopped or started.
    public func execute(_ line: String) -> (lines: [String], output: Output) {
        perform { $0.executeAndRender(line) }
    }

    /// Runs `body` with the session on the simulation's thread, waits for it and returns its result.
    public func perform<Result>(_ body: @escaping (Session) -> Result) -> Result {
        let requestChannel = self.requestChannel
        // After `stop()` the loop is gone (a task sent to it would never run) and no other thread touches the
        // session any more.
        if eventLoop.inEventLoop || state.withLockedValue({ $0.stopped }) {
            return body(requestChannel.session)
        }
        // Handing the closure and its result across threads is safe: this thread waits while the loop runs it.
        let exchange = Exchange(body)
        try? eventLoop.submit {
            requestChannel.pump()
            exchange.run(requestChannel.session)
            requestChannel.commandRan()
            self.followBrokers()
            requestChannel.settle()
        }.wait()
        guard let result = exchange.result else {
            // The loop stopped between the check above and the submit.
            return body(requestChannel.session)
        }
        return result
    }

    func bootstrap(broker: Int) -> ServerBootstrap {
        let requestChannel = self.requestChannel
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.autoRead, value: false)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            // Reads of up to a megabyte (NIO's default stops at 64 KiB): a producer's request then mostly arrives
            // in one read, handed on without being copied into a frame; the buffer shrinks again for small requests.
            .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 1 << 20))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(KafkaConnectionHandler(requestChannel: requestChannel, broker: broker))
                }
            }
    }
}

/// A closure and its result, passed to the loop by a thread that waits until the loop has run it.
private final class Exchange<Result>: @unchecked Sendable {
    private let body: (Session) -> Result
    private(set) var result: Result?

    init(_ body: @escaping (Session) -> Result) { self.body = body }

    func run(_ session: Session) { result = body(session) }
}

/// Why the server could not start.
public enum WireServerError: Error, CustomStringConvertible {
    case cannotListen(host: String, port: Int, broker: Int, cause: Error)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port, let broker, let cause):
            let place = port == 0 ? "\(host) (a free port)" : "\(host):\(port)"
            if let io = cause as? IOError, io.errnoCode == EADDRINUSE {
                return "Cannot listen on \(place) for broker \(broker): the port is in use (a Kafka broker or another kafkalab?). Choose other ports with --port N (brokers take N, N+1, …), or --port 0 for free ones."
            }
            if let io = cause as? IOError, io.errnoCode == EACCES {
                return "Cannot listen on \(place) for broker \(broker): permission denied (ports below 1024 need privileges). Choose another first port with --port N, or --port 0 for free ones."
            }
            return "Cannot listen on \(place) for broker \(broker): \(cause). Choose another address with --bind or other ports with --port N (--port 0 for free ones)."
        }
    }
}
