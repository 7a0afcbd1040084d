import ArgumentParser
import Foundation
import KafkaServer
import KafkaShell
import LineEditing
import Notebook

/// Wires a session to the terminal (libedit) or to a pipe, and runs the shell loop.
enum Interactive {
    /// Colour only on a terminal, and never with `NO_COLOR`.
    static func options(_ base: SessionOptions) -> SessionOptions {
        var options = base
        options.color = Terminal.isTerminal(1) && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        options.interactive = Terminal.isTerminal(0)
        return options
    }

    /// The session for the shell's options, or exit status 2 when `--data-dir` cannot be used.
    static func makeSession(cluster: ClusterOptions, lessons: LessonOptions, dataDir: String?) throws -> Session {
        var options = Self.options(cluster.sessionOptions)
        options.dataDir = dataDir
        let session = Workbench.makeSession(options: options, setup: lessons.setup())
        if let problem = session.cluster.storageProblem {
            FileHandle.standardError.write(Data("kafkalab: cannot use --data-dir '\(dataDir ?? "")': \(problem)\n".utf8))
            throw ExitCode(2)
        }
        return session
    }

    /// The reader for standard input: libedit on a terminal, plain reads otherwise.
    /// - Parameter confine: runs work on the session's thread and waits (see `ShellDriver`).
    static func makeReader(for session: Session?, confine: @escaping (@escaping () -> Void) -> Void = { $0() }) -> LineReader {
        guard Terminal.isTerminal(0) else { return PlainLineReader() }
        let completer: @Sendable (CompletionRequest) -> [String]
        if let session { completer = CompletionBridge.completer(for: session, confine: confine) } else { completer = { _ in [] } }
        return LibEditLineReader(programName: "kafkalab", historyFile: historyPath(), completer: completer)
    }

    /// The host of the learner's shell, with `listen` installed: what real clients cause goes to `liveOutput`
    /// (above the prompt at a terminal once `run` attached it, else printed as it comes).
    static func makeHost(for session: Session, liveOutput: LiveOutput) -> SessionHost {
        let host = SessionHost(session: session, onEventLines: { liveOutput.print($0) })
        host.installListenCommand()
        return host
    }

    /// The shell on standard input, its session reached through `host` (`listen` may hand it to a server's thread
    /// and back); events real clients cause appear through `liveOutput`.
    static func run(_ session: Session, host: SessionHost, liveOutput: LiveOutput) -> Int32 {
        let confine: (@escaping () -> Void) -> Void = { host.confine($0) }
        let reader = makeReader(for: session, confine: confine)
        if let editor = reader as? LibEditLineReader {
            // Only once real clients may connect: until then the terminal is read exactly as without `listen`.
            host.whenListening { editor.showLiveOutput(liveOutput) }
        }
        let status = run(session, reader: reader, confine: confine)
        host.shutDown()
        return status
    }

    /// - Parameter confine: runs work on the session's thread and waits (see `ShellDriver`).
    static func run(_ session: Session, reader existing: LineReader? = nil,
                    confine: @escaping (@escaping () -> Void) -> Void = { $0() }) -> Int32 {
        let interactive = Terminal.isTerminal(0)
        let reader = existing ?? makeReader(for: session, confine: confine)
        // Ctrl-C while a command runs must not kill the shell: it raises a flag, and a long command
        // (a tick of years, a perf test) stops at its next safe point. While editing, libedit handles it.
        if interactive {
            Terminal.catchInterrupts()
            confine { session.interruptRequested = { Terminal.interruptRaised } }
        }
        var color = false
        confine { color = session.options.color }
        let prompt = color ? "\u{1B}[1;32mkafka>\u{1B}[0m " : "kafka> "
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
        }, write: { print($0) }, confine: confine)
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
