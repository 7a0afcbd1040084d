/// The read–execute–print loop, independent of how lines are read: the executable
/// wires it to libedit on a terminal or to plain reads on a pipe.
public final class ShellDriver {
    /// What reading a line gave.
    public enum Input: Equatable, Sendable {
        case line(String)
        case interrupted
        case endOfInput
        /// A line that is not valid UTF-8 (its first bad byte's offset): refused, not guessed at.
        case invalid(byteOffset: Int)
    }

    public let session: Session
    private let read: (String) -> Input
    private let write: (String) -> Void
    private let interactive: Bool
    private let prompt: String
    private let confine: (@escaping () -> Void) -> Void

    /// - Parameters:
    ///   - read: reads one line, showing the given prompt when interactive.
    ///   - write: prints one line of output (without its newline).
    ///   - interactive: a terminal: print a greeting and a goodbye, keep going after errors.
    ///   - confine: runs work that touches the session and waits for it. By default on the caller's thread;
    ///     `kafkalab serve` runs it on the thread that owns the session while clients are connected.
    public init(session: Session, interactive: Bool, prompt: String = "kafka> ",
                read: @escaping (String) -> Input, write: @escaping (String) -> Void,
                confine: @escaping (@escaping () -> Void) -> Void = { $0() }) {
        self.session = session
        self.confine = confine
        self.read = read
        self.write = write
        self.interactive = interactive
        self.prompt = prompt
    }

    /// Runs until end of input or `exit`; returns the process exit status
    /// (1 when a command failed and the input was not a terminal).
    public func run() -> Int32 {
        var anyFailed = false
        if interactive {
            write(withSession { _ in self.banner })
        }
        // On a pipe, a command that reads input (a console producer) takes the '>' lines after it.
        withSession { [interactive] in $0.inputMayFollow = !interactive }
        loop: while true {
            if let prompt = withSession({ $0.inputMode?.prompt }) {
                if interactive {
                    // A console producer at a terminal: one record per line until Ctrl-D (or Ctrl-C).
                    switch nextInput(prompt) {
                    case .line(let text):
                        for rendered in withSession({ $0.executeAndRender(text).lines }) { write(rendered) }
                    case .invalid(let offset):
                        write(invalidLine(offset))
                    case .interrupted, .endOfInput:
                        let (lines, output) = withSession { $0.endInput() }
                        for rendered in lines { write(rendered) }
                        if output.failed { anyFailed = true }
                    }
                } else {
                    // On a pipe, input lines start with '>' as tutorials print them (`>key1:value1`);
                    // any other line ends the input and is the next command. Nothing is read ahead
                    // of a command that does not read input, so kafkalab works as a co-process.
                    let next = nextInput("")
                    if case .line(let text) = next, text.hasPrefix(">") {
                        let (lines, output) = withSession { $0.executeAndRender(String(text.dropFirst())) }
                        for rendered in lines { write(rendered) }
                        if output.failed { anyFailed = true }
                    } else {
                        lookahead = next
                        let (lines, output) = withSession { $0.endInput() }
                        for rendered in lines { write(rendered) }
                        if output.failed { anyFailed = true }
                    }
                }
                continue
            }
            guard let line = readCommand() else { break }
            if invalidInput {
                invalidInput = false
                anyFailed = true
                continue
            }
            let (lines, output) = withSession { $0.executeAndRender(line) }
            for text in lines { write(text) }
            if output.failed { anyFailed = true }
            if output.exitRequested { break loop }
        }
        return anyFailed && !interactive ? 1 : 0
    }

    /// The greeting at a terminal, in the learner's language.
    var banner: String {
        let count = session.cluster.brokers.count
        let listener = session.cluster.brokers[0].listener
        if session.lang == "ko" {
            return "kafkalab: 브로커 \(count)대(\(listener))로 된 시뮬레이션 Kafka 클러스터. 'help'로 명령을 보거나 'lesson list'로 학습을 시작하자."
        }
        return "kafkalab: a simulated Kafka cluster with \(count) brokers at \(listener). Type 'help', or 'lesson list' to start learning."
    }

    /// Runs `body` with the session where `confine` says and returns its result.
    private func withSession<Result>(_ body: @escaping (Session) -> Result) -> Result {
        var result: Result?
        let session = self.session
        confine { result = body(session) }
        return result!
    }

    private var lookahead: Input?
    private var warnedBeforeLeaving = false
    private var invalidInput = false

    func invalidLine(_ offset: Int) -> String {
        withSession { $0.lang } == "ko"
            ? "오류: 이 줄은 올바른 UTF-8이 아니다(\(offset)번째 바이트부터). kafkalab은 UTF-8 텍스트를 읽는다. 줄을 무시했다."
            : "error: This line is not valid UTF-8 (from byte \(offset)); kafkalab reads UTF-8 text. The line was ignored."
    }

    var leaveWarning: String {
        if session.lang == "ko" {
            return "클러스터는 저장되지 않는다(--data-dir 없이 시작했다). 나가려면 Ctrl-D를 한 번 더 누르거나 'exit'를 입력하자."
        }
        return "The cluster is not saved (kafkalab was started without --data-dir). Press Ctrl-D again, or type 'exit', to leave."
    }

    private func nextInput(_ prompt: String) -> Input {
        if let pending = lookahead {
            lookahead = nil
            return pending
        }
        return read(prompt)
    }

    /// Reads one command, joining lines continued with a trailing backslash; nil at the end.
    private func readCommand() -> String? {
        var text = ""
        var currentPrompt = prompt
        while true {
            switch nextInput(currentPrompt) {
            case .endOfInput:
                if interactive && text.isEmpty && !warnedBeforeLeaving && withSession({ $0.holdsUnsavedState }) {
                    // Ctrl-D is easy to press by mistake (it also ends a console producer's input):
                    // ask once before the cluster is lost.
                    warnedBeforeLeaving = true
                    write(withSession { _ in self.leaveWarning })
                    continue
                }
                return text.isEmpty ? nil : text
            case .interrupted:
                text = ""
                currentPrompt = prompt
            case .invalid(let offset):
                write(invalidLine(offset))
                invalidInput = true
                return ""
            case .line(let line):
                warnedBeforeLeaving = false
                if Tokenizer.continues(line) {
                    text += String(line.dropLast()) + " "
                    currentPrompt = "     > "
                } else {
                    return text + line
                }
            }
        }
    }
}
