/// The read–execute–print loop, independent of how lines are read: the executable
/// wires it to libedit on a terminal or to plain reads on a pipe.
public final class ShellDriver {
    /// What reading a line gave.
    public enum Input: Equatable, Sendable {
        case line(String)
        case interrupted
        case endOfInput
    }

    public let session: Session
    private let read: (String) -> Input
    private let write: (String) -> Void
    private let interactive: Bool
    private let prompt: String

    /// - Parameters:
    ///   - read: reads one line, showing the given prompt when interactive.
    ///   - write: prints one line of output (without its newline).
    ///   - interactive: a terminal: print a greeting and a goodbye, keep going after errors.
    public init(session: Session, interactive: Bool, prompt: String = "kafka> ",
                read: @escaping (String) -> Input, write: @escaping (String) -> Void) {
        self.session = session
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
            write("kafkalab: a simulated Kafka cluster with \(session.cluster.brokers.count) brokers at \(session.cluster.brokers[0].listener). Type 'help', or 'lesson list' to start learning.")
        }
        loop: while true {
            guard let line = readCommand() else { break }
            // In a script, the `>` lines after a console producer are its input.
            var input: [String] = []
            if !interactive && Self.readsInput(line) {
                while case .line(let next)? = peeked ?? Optional(read("")) {
                    peeked = nil
                    guard next.hasPrefix(">") else { peeked = .line(next); break }
                    input.append(String(next.dropFirst()))
                }
            }
            let (lines, output) = session.executeAndRender(line, input: input)
            for text in lines { write(text) }
            if output.failed { anyFailed = true }
            if output.exitRequested { break loop }
        }
        return anyFailed && !interactive ? 1 : 0
    }

    /// A line read ahead while collecting `>` input.
    private var peeked: Input?

    /// Whether a command line takes `>` input lines (the console producer).
    static func readsInput(_ line: String) -> Bool {
        let first = line.split(separator: " ").first.map(String.init) ?? ""
        return first.hasSuffix("kafka-console-producer.sh") || first == "kafka-console-producer"
    }

    /// Reads one command, joining lines continued with a trailing backslash; nil at the end.
    private func readCommand() -> String? {
        var text = ""
        var currentPrompt = prompt
        while true {
            let next = peeked ?? read(currentPrompt)
            peeked = nil
            switch next {
            case .endOfInput:
                return text.isEmpty ? nil : text
            case .interrupted:
                text = ""
                currentPrompt = prompt
            case .line(let line):
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
