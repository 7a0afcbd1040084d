import KafkaShell

/// A lesson: a notebook read as steps. Each `## ` heading starts a step; a step with
/// ` ```check ` blocks is a task the learner must pass.
public struct Lesson: Sendable {
    /// One step: its heading, its blocks, and what makes it a task.
    public struct Step: Sendable {
        public var title: String
        public var blocks: [NotebookDocument.Block]

        public var checks: [(text: String, line: Int)] {
            blocks.flatMap { block -> [(text: String, line: Int)] in
                if case .check(let expressions, _) = block { return expressions }
                return []
            }
        }

        public var hints: [[String]] {
            blocks.compactMap { if case .hint(let lines, _) = $0 { return lines } else { return nil } }
        }

        public var solution: [String] {
            blocks.flatMap { block -> [String] in
                if case .solution(let commands, _) = block { return commands.map(\.text) }
                return []
            }
        }

        public var isTask: Bool { !checks.isEmpty }

        /// Where the task's blocks (solution, check, hint) begin and end; nil for a step without them.
        var taskBlockRange: ClosedRange<Int>? {
            let isTaskBlock: (NotebookDocument.Block) -> Bool = { block in
                switch block {
                case .check, .solution, .hint: return true
                case .prose, .transcript: return false
                }
            }
            guard let first = blocks.firstIndex(where: isTaskBlock), let last = blocks.lastIndex(where: isTaskBlock) else { return nil }
            return first...last
        }

        /// The blocks shown (and whose worked examples run) when the step is entered: everything
        /// up to the task's last block. Prose between a task's blocks belongs to the task's text.
        public var introBlockIndices: Range<Int> {
            guard let range = taskBlockRange else { return blocks.indices }
            return 0..<(range.upperBound + 1)
        }

        /// What follows the task (after its last check, solution or hint block): shown, and its worked
        /// examples run, once the task is passed or the learner moves on.
        public var aftermathBlockIndices: Range<Int> {
            guard let range = taskBlockRange else { return blocks.endIndex..<blocks.endIndex }
            return (range.upperBound + 1)..<blocks.endIndex
        }
    }

    public let id: String
    public let title: String
    public let lang: String
    public let brokers: Int
    public let seed: UInt64
    /// Broker ids when the front matter gives `broker-ids` (tutorials often number brokers 1, 2, 3).
    public let brokerIds: [Int]?
    /// `controllers:` in the front matter: only the first N nodes are controller-quorum voters.
    public let controllers: Int?
    public let steps: [Step]
    public let document: NotebookDocument
    /// Where it was read from.
    public let path: String

    public init(document: NotebookDocument, path: String) {
        self.document = document
        self.path = path
        let fileName = path.split(separator: "/").last.map { String($0.dropLast($0.hasSuffix(".md") ? 3 : 0)) } ?? path
        id = document.value("id") ?? fileName
        title = document.value("title") ?? id
        lang = document.value("lang") ?? "en"
        brokers = NotebookRunner.options(for: document).brokers
        seed = document.value("seed").flatMap(UInt64.init) ?? 42
        let ids = NotebookRunner.options(for: document).brokerIds
        brokerIds = ids
        controllers = NotebookRunner.options(for: document).controllers
        steps = Self.split(document.blocks, title: title)
    }

    /// Splits blocks into steps at `## ` headings inside prose.
    static func split(_ blocks: [NotebookDocument.Block], title: String) -> [Step] {
        var steps: [Step] = [Step(title: title, blocks: [])]
        for block in blocks {
            guard case .prose(let lines, let line) = block else {
                steps[steps.count - 1].blocks.append(block)
                continue
            }
            var current: [String] = []
            var currentLine = line
            for (offset, text) in lines.enumerated() {
                if text.hasPrefix("## ") {
                    if !current.isEmpty { steps[steps.count - 1].blocks.append(.prose(lines: current, line: currentLine)) }
                    current = []
                    steps.append(Step(title: String(text.dropFirst(3)).trimmingCharacters(in: " "), blocks: []))
                    currentLine = line + offset + 1
                }
                current.append(text)
            }
            if !current.isEmpty { steps[steps.count - 1].blocks.append(.prose(lines: current, line: currentLine)) }
        }
        // An intro made only of the title heading and blank lines is not a step of its own.
        if steps.count > 1, steps[0].blocks.allSatisfy({ block in
            if case .prose(let lines, _) = block { return lines.allSatisfy { $0.hasPrefix("# ") || $0.trimmingCharacters(in: " ").isEmpty } }
            return false
        }) {
            steps.removeFirst()
        }
        return steps
    }
}
