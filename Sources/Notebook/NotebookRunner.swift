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
        if let controllers = document.value("controllers").flatMap(Int.init) { options.controllers = controllers }
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
        let session = Workbench.makeSession(options: Self.options(for: document), setup: setup)
        // A notebook's files (`> FILE`, `--from-file`) stay in a scratch folder of its own.
        session.files = .scratch()
        session.notebookInControl = true
        return session
    }

    /// Runs `document` through the lesson player, step by step as a learner plays it: a step's
    /// worked examples, its solution, its checks, then the examples after its task. With `update`,
    /// also produces the text with actual outputs written in.
    public func run(_ document: NotebookDocument, update: Bool = false, session: Session? = nil) -> Result {
        let session = session ?? makeSession(for: document)
        let lesson = Lesson(document: document, path: "")
        let player = LessonPlayer(lesson: lesson, session: session)
        var result = Result()
        for index in lesson.steps.indices {
            for problem in player.replay(index) {
                result.failures.append(Failure(kind: problem.isCheck ? .checkFailed : .solutionFailed, line: problem.line, lines: problem.lines))
            }
            result.commands += lesson.steps[index].solution.count
            result.checks += lesson.steps[index].checks.count
        }
        var replacements: [(Range<Int>, [String])] = []
        for (index, step) in lesson.steps.enumerated() {
            for (blockIndex, block) in step.blocks.enumerated() {
                guard case .transcript(let transcript) = block else { continue }
                var newContent: [String] = []
                var changed = false
                for run in player.runs(step: index, block: blockIndex) {
                    let item = run.item
                    result.commands += 1
                    newContent += [NotebookParser.prompt + item.commandLines[0]] + item.commandLines.dropFirst()
                    newContent += item.input.map { ">" + $0 }
                    if run.matches {
                        newContent += item.expected
                    } else {
                        changed = true
                        newContent += run.actual
                        result.failures.append(Failure(
                            line: item.line,
                            lines: UnifiedDiff.render(expected: item.expected, actual: run.actual, header: "line \(item.line): kafka> \(item.command)")))
                    }
                }
                if changed { replacements.append((transcript.contentRange, newContent)) }
            }
        }
        result.failures.sort { $0.line < $1.line }
        if update {
            var lines = document.sourceLines
            for (range, content) in replacements.sorted(by: { $0.0.lowerBound < $1.0.lowerBound }).reversed() {
                lines.replaceSubrange(range, with: content)
            }
            result.updatedText = lines.joined(separator: "\n")
        }
        return result
    }
}
