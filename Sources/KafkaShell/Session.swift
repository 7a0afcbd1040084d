import KafkaModel

/// Options a session starts with.
public struct SessionOptions: Sendable {
    public var brokers: Int = 3
    public var seed: UInt64 = ClusterConfig.defaultSeed
    /// Colour escapes in rendered output (a terminal without `NO_COLOR`).
    public var color = false
    /// Print the events a command caused under its output.
    public var showEvents = true
    /// `--data-dir`: keep the cluster's logs and metadata here across runs. Without it the
    /// segment files go to a fresh temporary directory, removed when the session ends.
    public var dataDir: String?

    public init(brokers: Int = 3, seed: UInt64 = ClusterConfig.defaultSeed) {
        self.brokers = brokers
        self.seed = seed
    }
}

/// One learner's world: a simulated cluster, the commands that act on it, and what the
/// last command printed. Every driver — the REPL, `-c`, notebooks, lessons, replay,
/// tests — goes through `execute(_:)`; nothing is special-cased.
public final class Session {
    public let options: SessionOptions
    public let cluster: Cluster
    public private(set) var registry: CommandRegistry
    /// The last command line run and its output, for `expect output…` checks.
    public private(set) var lastCommand: String?
    public private(set) var lastOutput = Output()
    /// Extra state-tree branches contributed by other modules (lessons, recording).
    public var stateProviders: [String: (Session) -> StateValue] = [:]

    public init(options: SessionOptions = SessionOptions()) {
        self.options = options
        var config = ClusterConfig(brokers: options.brokers, seed: options.seed)
        config.logStorage = options.dataDir.map { .files($0) } ?? .temporaryFiles
        self.cluster = Cluster(config: config)
        self.registry = CommandRegistry(StandardCommands.all())
    }

    /// What opening the log directory found: restored topics and truncated logs (empty for a new cluster).
    public var startupReport: [String] {
        let restored = cluster.restoredTopics
        guard !restored.isEmpty, let dir = cluster.logManager.logDir else { return [] }
        var lines = ["Reopened \(dir): \(restored.count) topic\(restored.count == 1 ? "" : "s") (\(restored.joined(separator: ", "))), time \(Timestamp.iso8601(cluster.nowMs))."]
        for event in cluster.events {
            if case .logTruncatedOnRecovery = event.kind { lines.append("Recovery: " + EventText.details(event.kind)) }
        }
        return lines
    }

    /// Adds commands from another module (the lesson engine, recording).
    public func install(_ commands: [Command]) {
        registry.add(commands)
    }

    /// Runs one command line (already joined if it was continued with `\`) and returns
    /// what it printed and the events it caused. Never throws, never crashes on bad input.
    @discardableResult
    public func execute(_ line: String) -> Output {
        let firstEvent = cluster.events.count
        var output = Output()
        // `a; b` runs both, as in a shell.
        let commands = (try? Tokenizer.splitCommands(line)) ?? [line]
        for command in commands.isEmpty ? [line] : commands {
            let part: Output
            do {
                part = try run(command)
            } catch {
                if case .toolFailure(let lines) = error {
                    // A Kafka tool's failure output keeps its own lines.
                    var failure = Output(lines, style: .failure)
                    failure.failed = true
                    part = failure
                } else {
                    part = Output.failure(Self.errorLine(error))
                }
            }
            output.lines += part.lines
            output.failed = output.failed || part.failed
            output.exitRequested = output.exitRequested || part.exitRequested
            if part.exitRequested { break }
        }
        output.events = Array(cluster.events[firstEvent...])
        if !(Self.isBlank(line)) {
            lastCommand = line
            lastOutput = output
        }
        for observer in observers { observer(line, output) }
        return output
    }

    /// Input lines given with the command (the `>` lines after a console producer in a
    /// transcript or a piped script); a command that reads input takes them.
    public var pendingInput: [String] = []

    /// Called after every command with its line and output (recording listens here).
    public var observers: [(String, Output) -> Void] = []

    /// Runs a command and renders it to text lines, as the shell prints them.
    /// Several commands on one line (`a; b`) render one after the other, each with its events.
    public func executeAndRender(_ line: String, input: [String] = []) -> (lines: [String], output: Output) {
        let parts = (try? Tokenizer.splitCommands(line)) ?? [line]
        guard parts.count > 1 else {
            let start = cluster.nowMs
            pendingInput = input
            defer { pendingInput = [] }
            let output = execute(line)
            return (renderer.render(output, commandStartMs: start), output)
        }
        var lines: [String] = []
        var combined = Output()
        for part in parts {
            let (partLines, output) = executeAndRender(part, input: part == parts.last ? input : [])
            lines += partLines
            combined.lines += output.lines
            combined.events += output.events
            combined.failed = combined.failed || output.failed
            combined.exitRequested = combined.exitRequested || output.exitRequested
            if output.exitRequested { break }
        }
        return (lines, combined)
    }

    public var renderer: OutputRenderer {
        OutputRenderer(color: options.color, showEvents: options.showEvents)
    }

    private func run(_ line: String) throws(ShellError) -> Output {
        let words: [String]
        do {
            words = try Tokenizer.tokenize(line)
        } catch {
            throw .failed(error.description)
        }
        guard !words.isEmpty else { return Output() }
        guard let (command, used) = registry.find(words) else {
            let first = words[0]
            if registry.firstWords.contains(first) {
                let subs = registry.subcommands(of: first)
                let given = words.count > 1 ? words[1] : nil
                let hint = given.flatMap { Suggestion.closest(to: $0, in: subs) }.map { " Did you mean '\(first) \($0)'?" } ?? ""
                let what = given.map { "Unknown sub-command '\(first) \($0)'." } ?? "'\(first)' needs a sub-command."
                throw .failed("\(what)\(hint) Try: \(subs.map { "\(first) \($0)" }.joined(separator: ", ")).")
            }
            throw .unknownCommand(String(first.prefix(80)), suggestion: Suggestion.closest(to: first, in: registry.firstWords))
        }
        var arguments = try ParsedArguments(spec: command.spec, words: Array(words.dropFirst(used)))
        if command.spec.takesRawText {
            arguments.rawText = (try? Tokenizer.rawText(line, fromWord: used)) ?? ""
        }
        return try command.run(arguments, self)
    }

    static func errorLine(_ error: any Error) -> String {
        if let shellError = error as? ShellError, case .toolFailure = shellError {
            return shellError.description
        }
        return "error: \(error)"
    }

    static func isBlank(_ line: String) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" } || line.trimmingCharacters(in: " \t").hasPrefix("#")
    }
}
