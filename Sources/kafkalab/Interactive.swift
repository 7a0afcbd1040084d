import Foundation
import KafkaShell
import LineEditing

/// Wires a session to the terminal (libedit) or to a pipe, and runs the shell loop.
enum Interactive {
    /// Colour only on a terminal, and never with `NO_COLOR`.
    static func options(_ base: SessionOptions) -> SessionOptions {
        var options = base
        options.color = Terminal.isTerminal(1) && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        options.interactive = Terminal.isTerminal(0)
        return options
    }

    /// The reader for standard input: libedit on a terminal, plain reads otherwise.
    static func makeReader(for session: Session?) -> LineReader {
        guard Terminal.isTerminal(0) else { return PlainLineReader() }
        let completer: @Sendable (CompletionRequest) -> [String]
        if let session { completer = CompletionBridge.completer(for: session) } else { completer = { _ in [] } }
        return LibEditLineReader(programName: "kafkalab", historyFile: historyPath(), completer: completer)
    }

    static func run(_ session: Session, reader existing: LineReader? = nil) -> Int32 {
        let interactive = Terminal.isTerminal(0)
        let reader = existing ?? makeReader(for: session)
        // Ctrl-C while a command runs must not kill the shell: it raises a flag, and a long command
        // (a tick of years, a perf test) stops at its next safe point. While editing, libedit handles it.
        if interactive {
            Terminal.catchInterrupts()
            session.interruptRequested = { Terminal.interruptRaised }
        }
        let prompt = session.options.color ? "\u{1B}[1;32mkafka>\u{1B}[0m " : "kafka> "
        let driver = ShellDriver(session: session, interactive: interactive, prompt: prompt, read: { prompt in
            let read = reader.readLine(prompt: prompt)
            // A Ctrl-C from before this line was read belongs to no command.
            Terminal.clearInterrupt()
            switch read {
            case .line(let line):
                reader.addHistory(line)
                reader.saveHistory()
                return .line(line)
            case .interrupted: return .interrupted
            case .endOfInput: return .endOfInput
            case .invalid(let offset): return .invalid(byteOffset: offset)
            }
        }, write: { print($0) })
        let status = driver.run()
        reader.saveHistory()
        if interactive { print("bye") }
        return status
    }

    /// `$XDG_STATE_HOME/kafkalab/history`, else `~/.local/state/kafkalab/history`.
    static func historyPath() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/kafkalab/history" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/kafkalab/history"
    }
}
