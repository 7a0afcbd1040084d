import KafkaShell

/// Replays a recorded notebook one command at a time: shows the command, waits for Enter
/// (`q` stops), runs it and prints what it prints now. The session is left in the state the
/// recording reached, for the shell to carry on.
public struct ReplayDriver {
    public let document: NotebookDocument
    public let session: Session

    public init(document: NotebookDocument, session: Session) {
        self.document = document
        self.session = session
    }

    /// The commands to replay, in order: every transcript command and every solution.
    public var commands: [(line: String, input: [String])] {
        document.blocks.flatMap { block -> [(line: String, input: [String])] in
            switch block {
            case .transcript(let transcript): return transcript.items.map { ($0.command, $0.input) }
            case .solution(let commands, _): return commands.map { ($0.text, []) }
            default: return []
            }
        }
    }

    /// - Parameters:
    ///   - waitForKey: shows a prompt and returns what the learner typed (nil at end of input:
    ///     the rest runs without waiting).
    /// - Returns: how many commands ran.
    @discardableResult
    public func run(waitForKey: (String) -> String?, write: (String) -> Void) -> Int {
        let all = commands
        // The notebook's commands are not the learner's: they cannot record (the learner can, after).
        session.notebookInControl = true
        defer { session.notebookInControl = false }
        var waiting = true
        for (index, command) in all.enumerated() {
            let shown = "kafka> " + VisibleText.escaped(command.line)
            if waiting {
                guard let answer = waitForKey("[\(index + 1)/\(all.count)] \(shown)   (Enter: run, q: stop) ") else {
                    waiting = false
                    write(shown)
                    runOne(command, write: write)
                    continue
                }
                if answer.trimmingCharacters(in: " ").lowercased() == "q" {
                    write("Replay stopped after \(index) of \(all.count) commands. You are at the prompt in that state.")
                    return index
                }
            } else {
                write(shown)
            }
            runOne(command, write: write)
        }
        write("Replay finished: \(all.count) command\(all.count == 1 ? "" : "s"). You are at the prompt in the resulting state.")
        return all.count
    }

    private func runOne(_ command: (line: String, input: [String]), write: (String) -> Void) {
        for line in command.input { write(">" + VisibleText.escaped(line)) }
        for line in session.executeAndRender(command.line, input: command.input).lines { write(line) }
    }
}
