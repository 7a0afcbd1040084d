import Foundation
import Testing
import KafkaShell
import KafkaModel
@testable import Notebook

/// Untrusted notebooks and lesson commands: random mutations of the shipped lessons are parsed (and
/// those that parse are run), and random lesson and recording commands are typed; nothing may crash,
/// hang, or write outside the session's scratch folder.
@Suite("Robustness of notebooks and lesson commands")
struct NotebookFuzzTests {
    static let lessonFiles: [String] = {
        let root = LessonPlaythroughTests.packageRoot + "/lessons/en"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted().compactMap { try? String(contentsOfFile: root + "/" + $0, encoding: .utf8) }
    }()

    static let fragments = ["```", "```kafka", "```check", "```solution", "```hint", "---", "## Task", "kafka> ", "kafka> tick 1h",
                            ">", "...", "expect ((((", "record start x.md", "lesson start 1", "\u{1B}[2J", "\u{0}", "brokers: 999",
                            "seed: -1", "broker-ids: 1,1", "kafka> topic create t > /etc/passwd", "\\", "# x"]

    static func mutate(_ text: String, _ random: inout SeededRandom) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<(1 + Int(random.next() % 6)) where !lines.isEmpty {
            let at = Int(random.next() % UInt64(lines.count))
            switch random.next() % 5 {
            case 0: lines.remove(at: at)
            case 1: lines.insert(fragments[Int(random.next() % UInt64(fragments.count))], at: at)
            case 2: lines.insert(lines[at], at: at)
            case 3: lines[at] = String(lines[at].prefix(Int(random.next() % 20)))
            default: lines[at] += fragments[Int(random.next() % UInt64(fragments.count))]
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test("300 mutated lessons: each parses or fails with file:line, and those that parse run without crashing")
    func mutatedLessons() throws {
        var random = SeededRandom(seed: 77)
        var ran = 0
        for round in 0..<300 {
            let source = Self.lessonFiles[round % Self.lessonFiles.count]
            let text = Self.mutate(source, &random)
            do {
                let document = try NotebookParser.parse(text, file: "fuzz.md")
                _ = Lesson(document: document, path: "fuzz.md")
                if round % 3 == 0 {
                    _ = NotebookRunner().run(document)
                    ran += 1
                }
            } catch {
                #expect(error.description.hasPrefix("fuzz.md:"), "a parse error names the file and line: \(error)")
            }
        }
        #expect(ran > 0)
    }

    @Test("5,000 random lesson and recording commands in a session that plays lessons: no crash, one-line errors")
    func lessonCommands() {
        let words = ["lesson", "list", "start", "show", "retry", "reset", "quit", "next", "back", "hint", "solution", "--run",
                     "check", "record", "stop", "--force", "--from-start", "1", "2", "10", "99", "keys-and-partitions",
                     "rebalancing", "x.md", "../x.md", "/dev/full", "tick", "1h", "topics", ">", "plan.csv", "\u{1B}]0;t\u{7}"]
        let session = Workbench.makeSession(options: SessionOptions(), setup: .init(
            lessonsRoot: LessonPlaythroughTests.packageRoot + "/lessons", lang: "en", progressPath: nil))
        session.files = .scratch()
        session.notebookInControl = true  // nothing here may record into the working folder
        var random = SeededRandom(seed: 5)
        for _ in 0..<5_000 {
            let line = (0..<(1 + Int(random.next() % 4))).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
            if session.inputMode != nil { _ = session.endInput() }
            let output = session.execute(line)
            if output.failed && !line.contains(";") {
                #expect(output.lines.count <= 3, "a short error for: \(line)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: "x.md"))
    }
}
