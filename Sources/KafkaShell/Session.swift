import KafkaModel

/// Facts about this build of kafkalab.
public enum KafkaLabInfo {
    /// The version written into recordings and printed by `--version`.
    public static let version = "0.1.0"
}

/// Options a session starts with.
public struct SessionOptions: Sendable {
    public var brokers: Int = 3
    public var seed: UInt64 = ClusterConfig.defaultSeed
    /// Colour escapes in rendered output (a terminal without `NO_COLOR`).
    public var color = false
    /// Print the events a command caused under its output.
    public var showEvents = true
    /// Broker ids, when not 0..brokers-1 (`--broker-ids 1,2,3`, as many tutorials number them).
    public var brokerIds: [Int]?
    /// Standard input is a terminal: commands may read lines at a `>` prompt.
    public var interactive = false
    /// `--data-dir`: keep the cluster's logs and metadata here across runs. Without it the
    /// segment files go to a fresh temporary directory, removed when the session ends.
    public var dataDir: String?
    /// The learner's language (`en` or `ko`): the shell's own messages follow it.
    public var lang = "en"
    /// `--controllers N`: only the first N nodes are controller-quorum voters (nil: all).
    public var controllers: Int?

    public init(brokers: Int = 3, seed: UInt64 = ClusterConfig.defaultSeed) {
        self.brokers = brokers
        self.seed = seed
    }
}

/// One learner's world: a simulated cluster, the commands that act on it, and what the
/// last command printed. Every driver — the REPL, `-c`, notebooks, lessons, replay,
/// tests — goes through `execute(_:)`; nothing is special-cased.
public final class Session {
    public private(set) var options: SessionOptions
    /// The cluster; replaced by a fresh one when a lesson starts (`reset`).
    public private(set) var cluster: Cluster
    /// Every command run since the cluster was made, with its input lines, so a recording
    /// started late can still replay from a fresh cluster.
    public private(set) var history: [(line: String, input: [String])] = []
    public private(set) var registry: CommandRegistry
    /// The last command line run and its output, for `expect output…` checks.
    public private(set) var lastCommand: String?
    public private(set) var lastOutput = Output()
    /// Tab completion for names other modules know (lesson ids, files), by kind.
    public var completionSources: [String: (String) -> [String]] = [:]
    /// Objects other modules keep with the session (the lesson engine, the recorder), by name.
    public var attachments: [String: AnyObject] = [:]
    /// Extra state-tree branches contributed by other modules (lessons, recording).
    public var stateProviders: [String: (Session) -> StateValue] = [:]

    public init(options: SessionOptions = SessionOptions()) {
        self.options = options
        var config = options.brokerIds.map { ClusterConfig(brokerIds: $0, seed: options.seed) }
            ?? ClusterConfig(brokers: options.brokers, seed: options.seed)
        config.controllerCount = options.controllers
        config.logStorage = options.dataDir.map { .files($0) } ?? .temporaryFiles
        self.cluster = Cluster(config: config)
        self.registry = CommandRegistry(StandardCommands.all())
        connectInterrupts()
    }

    /// Whether the learner pressed Ctrl-C while the current command runs (the shell at a terminal sets
    /// it); long commands stop at a safe point and say where.
    public var interruptRequested: () -> Bool = { false } {
        didSet { connectInterrupts() }
    }

    private func connectInterrupts() {
        let probe = interruptRequested
        cluster.interruptProbe = probe
    }

    /// Replaces the cluster with a fresh one of `brokers` brokers and `seed`, as a lesson's
    /// front matter asks. Commands, observers and the environment stay.
    public func reset(brokers: Int, seed: UInt64, brokerIds: [Int]? = nil, controllers: Int? = nil) {
        options.brokers = brokerIds?.count ?? brokers
        options.controllers = controllers
        options.brokerIds = brokerIds
        options.seed = seed
        // A lesson's cluster is a scratch one: it never writes over the learner's --data-dir.
        options.dataDir = nil
        var config = brokerIds.map { ClusterConfig(brokerIds: $0, seed: seed) } ?? ClusterConfig(brokers: brokers, seed: seed)
        config.controllerCount = controllers
        config.logStorage = .temporaryFiles
        cluster = Cluster(config: config)
        adjustStorageToServing()
        connectInterrupts()
        history = []
        lastCommand = nil
        lastOutput = Output()
    }

    /// The language the shell speaks: a Korean lesson switches it to Korean.
    public var lang: String {
        get { options.lang }
        set { options.lang = newValue }
    }

    /// True while the commands come from a notebook (`kafkalab run`, replay, a lesson's worked
    /// examples) rather than from the learner's keyboard: a notebook is untrusted, so commands
    /// that write where the learner did not ask (`record start`) refuse.
    public var notebookInControl = false

    /// Where `> FILE` writes and `--from-file` reads: the working folder at the shell, a private
    /// scratch folder for notebooks and lessons.
    public var files = UserFiles.workingFolder()

    /// Sends a command's standard output to a file; errors, warnings and events stay on screen.
    private func redirect(_ output: Output, to target: OutputRedirect.Target) throws(ShellError) -> Output {
        let kept = output.lines.filter { [.standardError, .failure, .warning, .terminalOnly].contains($0.style) }
        let written = output.lines.filter { ![.standardError, .failure, .warning, .terminalOnly].contains($0.style) }.map(\.text)
        do throws(UserFiles.Refusal) {
            try files.write(written.map { $0 + "\n" }.joined(), to: target.file, append: target.append)
        } catch {
            throw .failed(error.description)
        }
        var result = output
        result.lines = kept
        let count = written.count
        result.append(options.lang == "ko"
            ? "\(target.file)에 \(count)줄을 \(target.append ? "덧붙였다" : "썼다")."
            : "\(target.append ? "Appended" : "Wrote") \(count) line\(count == 1 ? "" : "s") to \(target.file).", style: .dim)
        return result
    }

    private func takesRawText(_ line: String) -> Bool {
        guard let words = try? Tokenizer.tokenize(line), let (command, _) = registry.find(words) else { return false }
        return command.spec.takesRawText
    }

    /// The learner changed a cluster that lives only in this process (no `--data-dir`): leaving loses it.
    public var holdsUnsavedState: Bool {
        options.dataDir == nil && !history.isEmpty
    }

    /// The group of the command a line runs, if it names one.
    public func commandGroup(of line: String) -> CommandGroup? {
        guard let words = try? Tokenizer.tokenize(line), let (command, _) = registry.find(words) else { return nil }
        return command.spec.group
    }

    /// What opening the log directory found: restored topics and truncated logs (empty for a new cluster).
    public var startupReport: [String] {
        let restored = cluster.restoredTopics
        guard !restored.isEmpty, let dir = cluster.logManager.logDir else { return [] }
        var lines = ["Reopened \(dir): \(restored.count) topic\(restored.count == 1 ? "" : "s") (\(restored.joined(separator: ", "))), time \(Timestamp.iso8601(cluster.nowMs))."]
        let groups = cluster.restoredGroups
        if !groups.isEmpty {
            lines.append("Committed offsets of \(groups.count) group\(groups.count == 1 ? "" : "s") (\(groups.joined(separator: ", "))) read back from __consumer_offsets.")
        }
        for event in cluster.events {
            switch event.kind {
            case .logTruncatedOnRecovery, .logGapOnRecovery: lines.append("Recovery: " + EventText.details(event.kind))
            default: break
            }
        }
        return lines
    }

    /// Adds commands from another module (the lesson engine, recording).
    public func install(_ commands: [Command]) {
        registry.add(commands)
    }

    /// Runs one command line (already joined if it was continued with `\`) and returns
    /// what it printed and the events it caused. Never throws, never crashes on bad input.
    /// The event log keeps at most about this many events in memory (the oldest go first, between commands).
    public var eventsKept = 100_000

    /// Real clients may be connected (`kafkalab serve`): the clock follows the wall clock, and jumping it ahead
    /// reaches their sessions too.
    public var servesRealClients = false {
        didSet { adjustStorageToServing() }
    }

    /// While real clients are served, their programs share the machine's cores: the storage does not spend one
    /// allocating pages ahead (see `OpenFileBudget.allocatesPagesAhead`).
    private func adjustStorageToServing() {
        cluster.logManager.fileBudget.allocatesPagesAhead = !servesRealClients
    }

    @discardableResult
    public func execute(_ line: String) -> Output {
        if nesting == 0 && cluster.events.count > eventsKept + eventsKept / 4 {
            cluster.discardEvents(keepingLast: eventsKept)
        }
        let firstEvent = cluster.events.count
        let clusterBefore = ObjectIdentifier(cluster)
        nesting += 1
        let nestedBefore = nestedEventRanges.count
        defer { nesting -= 1 }
        var output = Output()
        // `a; b` runs both, as in a shell.
        if let mode = inputMode {
            output = mode.onLine(line, self)
            output.events = ownEvents(from: firstEvent, nestedBefore: nestedBefore)
            return output
        }
        let commands = (try? Tokenizer.splitCommands(line)) ?? [line]
        for whole in commands.isEmpty ? [line] : commands {
            var part: Output
            var (command, redirect) = OutputRedirect.split(whole)
            if redirect != nil, takesRawText(whole) {
                // `expect a > 3` compares; it does not write a file named 3.
                (command, redirect) = (whole, nil)
            }
            do {
                part = try run(command)
                if let redirect { part = try self.redirect(part, to: redirect) }
            } catch {
                if case .toolFailure(let lines) = error {
                    // A Kafka tool's failure output keeps its own lines.
                    var failure = Output(lines, style: .failure)
                    failure.failed = true
                    part = failure
                } else {
                    part = Output.failure(Self.errorLine(error, lang: options.lang))
                }
            }
            output.lines += part.lines
            output.failed = output.failed || part.failed
            output.exitRequested = output.exitRequested || part.exitRequested
            if part.exitRequested { break }
        }
        // Each broker's offset checkpoints follow the command (a kept --data-dir only; unchanged files are not rewritten).
        if nesting == 1 { cluster.writeBrokerFiles() }
        // A change the metadata file could not record (a full disk) is said once, not kept quiet.
        if nesting == 1, cluster.metadataProblem != reportedMetadataProblem {
            reportedMetadataProblem = cluster.metadataProblem
            if let problem = reportedMetadataProblem {
                output.append("Warning: the cluster's metadata file could not be saved, so a restart would not see this change: \(problem)", style: .warning)
            }
        }
        // A lesson start replaces the cluster: then every event of the fresh one is this command's.
        output.events = ObjectIdentifier(cluster) == clusterBefore ? ownEvents(from: firstEvent, nestedBefore: nestedBefore) : []
        if !(Self.isBlank(line)) {
            lastCommand = line
            lastOutput = output
        }
        return output
    }

    /// How deep `execute` calls are nested: a lesson command runs a step's examples through
    /// `execute` too, and each of those prints its own events.
    private var nesting = 0
    /// The metadata-file problem last shown, so it is said once.
    private var reportedMetadataProblem: String?
    /// Event ranges already reported by nested commands, not yet claimed by the outer one.
    private var nestedEventRanges: [Range<Int>] = []

    /// The events since `firstEvent`, less those a nested command already printed under its own
    /// output; records this command's range for an enclosing one.
    private func ownEvents(from firstEvent: Int, nestedBefore: Int) -> [ClusterEvent] {
        let range = firstEvent..<cluster.events.count
        let nested = nestedEventRanges[min(nestedBefore, nestedEventRanges.count)...]
        var events: [ClusterEvent] = []
        var index = range.lowerBound
        for inner in nested.sorted(by: { $0.lowerBound < $1.lowerBound }) where inner.lowerBound >= index {
            events += cluster.events[index..<min(inner.lowerBound, range.upperBound)]
            index = max(index, inner.upperBound)
        }
        if index < range.upperBound { events += cluster.events[index..<range.upperBound] }
        nestedEventRanges.removeSubrange(min(nestedBefore, nestedEventRanges.count)...)
        if nesting > 1 { nestedEventRanges.append(range) }
        return events
    }

    /// A command that reads lines from the learner (a console producer at a terminal) sets
    /// this: until input ends, every line executed goes to `onLine` instead of the command
    /// language, and the shell shows `prompt`.
    public struct InputMode {
        public let prompt: String
        public let onLine: (String, Session) -> Output
        public let onEnd: (Session) -> Output

        public init(prompt: String, onLine: @escaping (String, Session) -> Output, onEnd: @escaping (Session) -> Output) {
            self.prompt = prompt
            self.onLine = onLine
            self.onEnd = onEnd
        }
    }

    /// Set while a command reads input line by line.
    public var inputMode: InputMode?

    /// Lines may follow a command as its input (a pipe): a command that reads input opens its
    /// input mode and the driver feeds it the `>` lines that come next.
    public var inputMayFollow = false


    /// Ends line-by-line input (Ctrl-D at the `>` prompt) and returns what the command prints then.
    public func endInput() -> (lines: [String], output: Output) {
        guard let mode = inputMode else { return ([], Output()) }
        inputMode = nil
        let start = cluster.nowMs
        let firstEvent = cluster.events.count
        var output = mode.onEnd(self)
        output.events = Array(cluster.events[firstEvent...])
        let plain = OutputRenderer(color: false, showEvents: options.showEvents, forNotebook: true).render(output, commandStartMs: start)
        for observer in observers { observer(ExecutedCommand(kind: .inputEnd, line: "", input: [], plainLines: plain, output: output)) }
        return (renderer.render(output, commandStartMs: start), output)
    }

    /// Input lines given with the command (the `>` lines after a console producer in a
    /// transcript or a piped script); a command that reads input takes them.
    public var pendingInput: [String] = []

    /// What an observer hears after each command a driver runs.
    public struct ExecutedCommand {
        /// A command, a line typed at a command's `>` input prompt, or the end of that input.
        public enum Kind: Sendable { case command, inputLine, inputEnd }
        public var kind: Kind = .command
        public let line: String
        public let input: [String]
        /// The output as rendered without colour, events included.
        public let plainLines: [String]
        public let output: Output
    }

    /// Called after every command run through `executeAndRender` (recording listens here).
    public var observers: [(ExecutedCommand) -> Void] = []

    /// Runs a command and renders it to text lines, as the shell prints them.
    /// Several commands on one line (`a; b`) render one after the other, each with its events.
    public func executeAndRender(_ line: String, input: [String] = []) -> (lines: [String], output: Output) {
        let result = executeAndRenderBoth(line, input: input, wantPlain: false)
        return (result.lines, result.output)
    }

    /// Like `executeAndRender`, and also the lines as rendered without colour (what a notebook
    /// compares), laid out exactly as the shown ones.
    public func executeAndRenderBoth(_ line: String, input: [String] = [], wantPlain: Bool = true) -> (lines: [String], plainLines: [String], output: Output) {
        let parts = inputMode == nil ? ((try? Tokenizer.splitCommands(line)) ?? [line]) : [line]
        guard parts.count > 1 else {
            let start = cluster.nowMs
            pendingInput = input
            defer { pendingInput = [] }
            let clusterBefore = ObjectIdentifier(cluster)
            let isInputLine = inputMode != nil
            var output = execute(line)
            var shown = renderer.render(output, commandStartMs: start)
            let wantsPlain = !observers.isEmpty || wantPlain
            let plainRenderer = OutputRenderer(color: false, showEvents: options.showEvents, forNotebook: true)
            var plain = wantsPlain ? plainRenderer.render(output, commandStartMs: start) : []
            if !isInputLine && inputMode != nil && !input.isEmpty {
                // Input given with the command (a transcript's or a pipe's `>` lines) is read line by
                // line, exactly as lines typed at the `>` prompt are: one path, the same output.
                for inputLine in input where inputMode != nil {
                    let lineStart = cluster.nowMs
                    let lineOutput = execute(inputLine)
                    shown += renderer.render(lineOutput, commandStartMs: lineStart)
                    if wantsPlain { plain += plainRenderer.render(lineOutput, commandStartMs: lineStart) }
                    output.failed = output.failed || lineOutput.failed
                }
                if let mode = inputMode {
                    inputMode = nil
                    let endStart = cluster.nowMs
                    let firstEvent = cluster.events.count
                    var ending = mode.onEnd(self)
                    ending.events = Array(cluster.events[firstEvent...])
                    shown += renderer.render(ending, commandStartMs: endStart)
                    if wantsPlain { plain += plainRenderer.render(ending, commandStartMs: endStart) }
                    output.failed = output.failed || ending.failed
                }
            }
            if isInputLine {
                // A line typed at a `>` prompt is input of the command that opened it.
                if !history.isEmpty { history[history.count - 1].input.append(line) }
            } else if ObjectIdentifier(cluster) == clusterBefore, !Self.isBlank(line) {
                history.append((line, input))
            }
            if !observers.isEmpty {
                let executed = ExecutedCommand(kind: isInputLine ? .inputLine : .command, line: line, input: input, plainLines: plain, output: output)
                for observer in observers { observer(executed) }
            }
            return (shown, plain, output)
        }
        var lines: [String] = []
        var plainLines: [String] = []
        var combined = Output()
        for part in parts {
            let (partLines, partPlain, output) = executeAndRenderBoth(part, input: part == parts.last ? input : [], wantPlain: wantPlain)
            lines += partLines
            plainLines += partPlain
            combined.lines += output.lines
            combined.events += output.events
            combined.failed = combined.failed || output.failed
            combined.exitRequested = combined.exitRequested || output.exitRequested
            if output.exitRequested { break }
        }
        return (lines, plainLines, combined)
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
                let suggestion = given.flatMap { Suggestion.closest(to: $0, in: subs) }
                let choices = subs.map { "\(first) \($0)" }.joined(separator: ", ")
                if options.lang == "ko" {
                    let hint = suggestion.map { " '\(first) \($0)'" + KoreanParticle.eulReul.form(after: $0) + " 말한 건가?" } ?? ""
                    let what = given.map { "알 수 없는 하위 명령 '\(first) \($0)'." } ?? "'\(first)' 뒤에는 하위 명령이 필요하다."
                    throw .failed("\(what)\(hint) 가능한 것: \(choices).")
                }
                let hint = suggestion.map { " Did you mean '\(first) \($0)'?" } ?? ""
                let what = given.map { "Unknown sub-command '\(first) \($0)'." } ?? "'\(first)' needs a sub-command."
                throw .failed("\(what)\(hint) Try: \(choices).")
            }
            if let tool = KafkaToolCatalog.message(for: first, available: registry.firstWords.sorted(), lang: options.lang) {
                throw .failed(tool)
            }
            throw .unknownCommand(String(first.prefix(80)), suggestion: Suggestion.closest(to: first, in: registry.firstWords))
        }
        var arguments = try ParsedArguments(spec: command.spec, words: Array(words.dropFirst(used)))
        arguments.words = Array(words.dropFirst(used))
        if command.spec.takesRawText {
            arguments.rawText = (try? Tokenizer.rawText(line, fromWord: used)) ?? ""
        }
        return try command.run(arguments, self)
    }

    static func errorLine(_ error: ShellError, lang: String = "en") -> String {
        if case .toolFailure = error { return error.description }
        return (lang == "ko" ? "오류: " : "error: ") + error.description(lang: lang)
    }

    static func isBlank(_ line: String) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" } || line.trimmingCharacters(in: " \t").hasPrefix("#")
    }
}
