import KafkaShell

/// Runs a notebook on a fresh session: every transcript command is executed and its output
/// compared; every solution is run and every check evaluated. The one path is `Session.execute`.
public struct NotebookRunner {
    /// One mismatch or failed check.
    public struct Failure: Sendable {
        /// A transcript's output differs (what `--update` rewrites), or a solution or check failed.
        public enum Kind: Sendable { case outputDiffers, solutionFailed, checkFailed }
        public var kind: Kind = .outputDiffers
        public let line: Int
        public let lines: [String]
    }

    /// The outcome of one notebook.
    public struct Result: Sendable {
        public var commands = 0
        public var checks = 0
        public var failures: [Failure] = []
        /// The file's text with expected outputs replaced by actual ones (for `--update`).
        public var updatedText: String?
        public var passed: Bool { failures.isEmpty }
    }

    /// Lessons are available to notebooks (so transcripts can test lesson mode); progress stays in memory.
    public let setup: Workbench.Setup

    public init(setup: Workbench.Setup = Workbench.Setup(lessonsRoot: nil, lang: "en", progressPath: nil)) {
        self.setup = setup
    }

    /// The session options a notebook's front matter asks for (`brokers`, `seed`).
    public static func options(for document: NotebookDocument) -> SessionOptions {
        var options = SessionOptions()
        if let brokers = document.value("brokers").flatMap(Int.init) { options.brokers = brokers }
        if let seed = document.value("seed").flatMap(UInt64.init) { options.seed = seed }
        if let ids = document.value("broker-ids")?.split(separator: ",").compactMap({ Int(String($0).trimmingCharacters(in: " ")) }), !ids.isEmpty {
            options.brokerIds = ids
            options.brokers = ids.count
        }
        return options
    }

    /// A fresh session shaped by the notebook's front matter.
    public func makeSession(for document: NotebookDocument) -> Session {
        var setup = setup
        if let lang = document.value("lang") { setup.lang = lang }
        return Workbench.makeSession(options: Self.options(for: document), setup: setup)
    }

    /// Runs `document`; with `update`, also produces the text with actual outputs written in.
    public func run(_ document: NotebookDocument, update: Bool = false, session: Session? = nil) -> Result {
        let session = session ?? makeSession(for: document)
        var result = Result()
        var replacements: [(Range<Int>, [String])] = []
        for block in document.blocks {
            switch block {
            case .transcript(let transcript):
                var newContent: [String] = []
                var changed = false
                for item in transcript.items {
                    let (actual, _) = session.executeAndRender(item.command, input: item.input)
                    result.commands += 1
                    newContent += [NotebookParser.prompt + item.commandLines[0]] + item.commandLines.dropFirst()
                    newContent += item.input.map { ">" + $0 }
                    if OutputMatcher.matches(expected: item.expected, actual: actual) {
                        newContent += item.expected
                    } else {
                        changed = true
                        newContent += actual
                        result.failures.append(Failure(
                            line: item.line,
                            lines: UnifiedDiff.render(expected: item.expected, actual: actual, header: "line \(item.line): kafka> \(item.command)")))
                    }
                }
                if changed { replacements.append((transcript.contentRange, newContent)) }
            case .solution(let commands, _):
                for (command, line) in commands {
                    let output = session.execute(command)
                    result.commands += 1
                    if output.failed {
                        result.failures.append(Failure(kind: .solutionFailed, line: line, lines: ["solution command failed at line \(line): \(command)"] + session.renderer.render(output).map { "  " + $0 }))
                    }
                }
            case .check(let expressions, _):
                for (expression, line) in expressions {
                    let output = session.check(expression)
                    result.checks += 1
                    if output.failed {
                        result.failures.append(Failure(kind: .checkFailed, line: line, lines: ["check failed at line \(line): " + output.texts.joined(separator: " ")]))
                    }
                }
            case .prose, .hint:
                break
            }
        }
        if update {
            var lines = document.sourceLines
            for (range, content) in replacements.reversed() { lines.replaceSubrange(range, with: content) }
            result.updatedText = lines.joined(separator: "\n")
        }
        return result
    }
}
