import ArgumentParser
import Dispatch
import Foundation
import KafkaServer
import KafkaShell
import LineEditing

/// `kafkalab serve`: the simulated cluster on real sockets, one listener per broker, with the shell alongside.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the simulated cluster to real Kafka clients (kcat, kafka-python, confluent-kafka), with the shell alongside.",
        discussion: """
            Each broker listens on its own port: broker ids in order on --port, --port+1, … While serving, the \
            cluster's clock follows the wall clock. Type shell commands as usual; what real clients \
            cause is printed above the prompt. When standard input is not a terminal, the commands on it run and \
            kafkalab keeps serving after its end, until SIGTERM or SIGINT (then it exits with status 0).

            Example:
              kafkalab serve --brokers 3 --init "topic create orders -p 3"
              kcat -b 127.0.0.1:9092 -L            (in another terminal)

            For scripts: kafkalab serve --port 0 --port-file /tmp/bootstrap </dev/null &
            """)

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var lessonOptions: LessonOptions

    @Option(help: "Port of the first broker; the others take the next ports. 0: a free port for each broker.")
    var port: Int = 9092

    @Option(name: .customLong("bind"), help: ArgumentHelp(
        "Address to listen on. Only this machine can connect unless you give another address (0.0.0.0 for all).",
        valueName: "host"))
    var bindHost: String = "127.0.0.1"

    @Option(name: .customLong("advertised-host"), help: ArgumentHelp(
        "Host name clients are told to connect to (default: the --bind address, or 127.0.0.1 for 0.0.0.0).",
        valueName: "host"))
    var advertisedHost: String?

    @Option(name: .customLong("port-file"), help: ArgumentHelp(
        "Once listening, write the bootstrap servers (host:port,host:port,…) and a newline to this file.",
        valueName: "file"))
    var portFile: String?

    @Option(name: .customLong("init"), help: "Run these commands (separated by ';') before listening.")
    var initCommands: String?

    @Option(name: .customLong("data-dir"), help: "Keep the cluster's segment files and metadata in DIR across runs (default: a fresh temporary folder).")
    var dataDir: String?

    func validate() throws {
        let brokers = cluster.brokerIds.flatMap(ClusterOptions.parseIds)?.count ?? cluster.brokers
        guard port == 0 || (1...65536 - brokers).contains(port) else {
            throw ValidationError("--port must be 0 (free ports) or from 1 to \(65536 - brokers) so that \(brokers) brokers fit on consecutive ports, got \(port).")
        }
    }

    mutating func run() throws {
        let session = try Interactive.makeSession(cluster: cluster, lessons: lessonOptions, dataDir: dataDir)
        for line in session.startupReport { print(line) }
        let brokerIds = session.cluster.brokers.map(\.id)

        let liveOutput = LiveOutput()
        // From here on the session belongs to the server's thread: this one reaches it through `server`.
        let server = WireServer(session: session, handler: WireRequestHandler(session: session),
                                onEventLines: { liveOutput.print($0) })
        defer { server.stop() }
        // `listen` shows the addresses; `listen stop` refuses (serve listens until it exits).
        let host = SessionHost(session: session, serving: server)
        server.perform { _ in host.installListenCommand() }
        defer { withExtendedLifetime(host) {} }
        if let initCommands {
            for line in server.execute(initCommands).lines { print(line) }
        }
        do {
            try server.start(host: bindHost, advertisedHost: advertisedHost, firstPort: port, brokerIds: brokerIds)
        } catch {
            FileHandle.standardError.write(Data("kafkalab: \(error)\n".utf8))
            throw ExitCode(2)
        }
        for listener in server.listeners {
            let address = WireServer.address(host: listener.host, port: listener.port)
            if server.isListening(broker: listener.broker) {
                print("Broker \(listener.broker) listening on \(address)")
            } else {
                print("Broker \(listener.broker) is stopped; it will listen on \(address) once started")
            }
        }
        print("bootstrap.servers=\(server.bootstrap)")
        if let portFile { try Self.write(server.bootstrap + "\n", to: portFile) }

        let confine: (@escaping () -> Void) -> Void = { work in server.perform { _ in work() } }
        if Terminal.isTerminal(0) {
            let reader = Interactive.makeReader(for: session, confine: confine)
            (reader as? LibEditLineReader)?.showLiveOutput(liveOutput)
            let status = Interactive.run(session, reader: reader, confine: confine)
            Self.stop(server)
            throw ExitCode(status)
        }

        let signalSources = Self.stopOnSignals(server)
        defer { withExtendedLifetime(signalSources) {} }
        let reader = PlainLineReader()
        let driver = ShellDriver(session: session, interactive: false, read: { prompt in
            switch reader.readLine(prompt: prompt) {
            case .line(let line): return .line(line)
            case .interrupted: return .interrupted
            case .endOfInput: return .endOfInput
            case .invalid(let offset): return .invalid(byteOffset: offset)
            }
        }, write: { print($0) }, confine: confine)
        let status = driver.run()
        if server.perform({ $0.lastOutput.exitRequested }) {
            Self.stop(server)
            throw ExitCode(status)
        }
        // A script's end is not the server's: clients started next to it still need the brokers.
        while true { pause() }
    }

    /// Saves what clients changed (a kept --data-dir's checkpoints), closes every listener and removes the temporary
    /// log directory (the process exits next, without tearing the cluster down).
    static func stop(_ server: WireServer) {
        server.perform { $0.cluster.writeBrokerFiles() }
        server.stop()
        server.perform { $0.cluster.logManager.removeTemporaryDirectory() }
    }

    /// SIGTERM or SIGINT: stop serving and exit with status 0. The sources must be kept alive.
    static func stopOnSignals(_ server: WireServer) -> [DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                stop(server)
                Foundation.exit(0)
            }
            source.resume()
            return source
        }
    }

    /// Writes the file whole or not at all, so a script polling for it never reads half a line.
    static func write(_ text: String, to path: String) throws {
        let partial = path + ".partial"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: partial))
            if rename(partial, path) != 0 { throw CocoaError(.fileWriteUnknown) }
        } catch {
            FileHandle.standardError.write(Data("kafkalab: cannot write --port-file '\(path)': \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
    }
}
