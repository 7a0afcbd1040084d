import ArgumentParser
import Foundation
import KafkaShell
import LineEditing

/// `kafkalab [shell]`: the interactive shell, or a script on standard input, or `-c`.
struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell", abstract: "Start the kafkalab shell (the default).")

    @OptionGroup var cluster: ClusterOptions

    @Option(name: .customShort("c"), help: "Run these commands (separated by ';') and exit.")
    var commands: String?

    @Option(name: .customLong("init"), help: "Run these commands (separated by ';') first, then continue.")
    var initCommands: String?

    @Option(name: .customLong("data-dir"), help: "Keep the cluster's segment files and metadata in DIR across runs (default: a fresh temporary folder).")
    var dataDir: String?

    mutating func run() throws {
        var options = cluster.sessionOptions
        let stdinIsTerminal = Terminal.isTerminal(0)
        let stdoutIsTerminal = Terminal.isTerminal(1)
        options.color = stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        options.dataDir = dataDir
        let session = Session(options: options)
        let write: (String) -> Void = { print($0) }
        if let problem = session.cluster.storageProblem {
            FileHandle.standardError.write(Data("kafkalab: cannot use --data-dir \(dataDir ?? ""): \(problem)\n".utf8))
            throw ExitCode(2)
        }
        for line in session.startupReport { write(line) }

        if let initCommands {
            for line in session.executeAndRender(initCommands).lines { write(line) }
        }
        if let commands {
            let driver = ShellDriver(session: session, interactive: false, read: Self.lines([commands]), write: write)
            throw ExitCode(driver.run())
        }
        let reader: LineReader
        if stdinIsTerminal {
            reader = LibEditLineReader(programName: "kafkalab", historyFile: Self.historyPath(), completer: CompletionBridge.completer(for: session))
            signal(SIGINT, SIG_IGN)
        } else {
            reader = PlainLineReader()
        }
        let prompt = options.color ? "\u{1B}[1;32mkafka>\u{1B}[0m " : "kafka> "
        let driver = ShellDriver(session: session, interactive: stdinIsTerminal, prompt: prompt, read: { prompt in
            switch reader.readLine(prompt: prompt) {
            case .line(let line):
                reader.addHistory(line)
                reader.saveHistory()
                return .line(line)
            case .interrupted: return .interrupted
            case .endOfInput: return .endOfInput
            }
        }, write: write)
        let status = driver.run()
        reader.saveHistory()
        if stdinIsTerminal { write("bye") }
        throw ExitCode(status)
    }

    /// `$XDG_STATE_HOME/kafkalab/history`, else `~/.local/state/kafkalab/history`.
    static func historyPath() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/kafkalab/history" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/kafkalab/history"
    }

    /// A reader over fixed lines.
    static func lines(_ lines: [String]) -> (String) -> ShellDriver.Input {
        var remaining = lines[...]
        return { _ in
            guard let next = remaining.popFirst() else { return .endOfInput }
            return .line(next)
        }
    }
}
