import Foundation
import Testing
import KafkaShell
@testable import Notebook

/// Plays every shipped lesson through the shell exactly as a learner does: `lesson start ID
/// --from-start`, each task's solution typed line by line, `check`, `next`. Every check must
/// pass and every worked example must print what the lesson says it prints.
@Suite("Lessons played as a learner plays them")
struct LessonPlaythroughTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let lessonIds: [(lang: String, id: String)] = ["en", "ko"].flatMap { lang in
        LessonLibrary(root: packageRoot + "/lessons", lang: lang).lessons().map { (lang, $0.id) }
    }

    static func session(lang: String) -> Session {
        Workbench.makeSession(options: SessionOptions(), setup: .init(lessonsRoot: packageRoot + "/lessons", lang: lang, progressPath: nil))
    }

    /// Plays one lesson; `rename` rewrites each solution line first.
    static func play(lang: String, id: String, rename: (String) -> String = { $0 }) -> (problems: [String], engine: LessonEngine, lastOutput: [String]) {
        let session = session(lang: lang)
        var problems: [String] = []
        let started = session.executeAndRender("lesson start \(id) --from-start")
        guard !started.output.failed, let engine = LessonEngine.of(session), let lesson = engine.lesson else {
            return (["lesson start failed: \(started.lines)"], LessonEngine.of(session)!, [])
        }
        var last = started.lines
        for index in lesson.steps.indices {
            if engine.stepIndex != index { problems.append("step \(index + 1): the engine is at step \(engine.stepIndex + 1)") }
            let step = lesson.steps[index]
            if step.isTask {
                for line in step.solution {
                    let typed = rename(line)
                    let result = session.executeAndRender(typed)
                    if result.output.failed { problems.append("\(lang)/\(id) step \(index + 1): solution line failed: \(typed)\n" + result.lines.joined(separator: "\n")) }
                }
                let check = session.executeAndRender("check")
                last = check.lines
                if check.output.failed { problems.append("\(lang)/\(id) step \(index + 1) '\(step.title)': check failed:\n" + check.lines.joined(separator: "\n")) }
            }
            if index < lesson.steps.count - 1 {
                let next = session.executeAndRender("next")
                last = next.lines
                if next.output.failed { problems.append("\(lang)/\(id) step \(index + 1): next failed: \(next.lines)") }
            }
        }
        return (problems, engine, last)
    }

    @Test("Every lesson passes step by step, and its examples print what the lesson shows", arguments: lessonIds.map { "\($0.lang)/\($0.id)" })
    func playthrough(_ name: String) throws {
        let parts = name.split(separator: "/").map(String.init)
        let (problems, engine, last) = Self.play(lang: parts[0], id: parts[1])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n\n"))")
        let player = try #require(engine.player)
        for run in player.runs where !run.matches {
            Issue.record(Comment(rawValue: "\(name) line \(run.item.line): kafka> \(run.item.command)\n" + UnifiedDiff.render(expected: run.item.expected, actual: run.actual, header: "example").joined(separator: "\n")))
        }
        let lesson = try #require(engine.lesson)
        let examples = lesson.steps.flatMap(\.blocks).reduce(0) { count, block in
            if case .transcript(let transcript) = block { return count + transcript.items.count }
            return count
        }
        #expect(player.runs.count == examples, "every worked example ran once")
        #expect(engine.progress.entry(lesson.id)?.done == true)
        let ending = parts[0] == "ko" ? "레슨 '\(lesson.id)' 완료!" : "Lesson '\(lesson.id)' complete."
        #expect(last.contains { $0.hasPrefix(ending) }, "the last step ends with the completion message: \(last.suffix(3))")
    }

    /// Names a solution introduces (consumers, producers, groups) that no prose or example of the
    /// lesson imposes: a learner may choose others.
    static func freeNames(in lesson: Lesson) -> [String: String] {
        var imposed = Set<String>()
        for block in lesson.document.blocks {
            switch block {
            case .prose(let lines, _):
                for line in lines { imposed.formUnion(words(line)) }
            case .transcript(let transcript):
                for item in transcript.items { imposed.formUnion(words(item.command)) }
            default: break
            }
        }
        var renames: [String: String] = [:]
        for step in lesson.steps {
            for line in step.solution {
                guard let tokens = try? Tokenizer.tokenize(line) else { continue }
                var introduced: [String] = []
                for (index, token) in tokens.enumerated() where index + 1 < tokens.count {
                    let next = tokens[index + 1]
                    if (token == "start" || token == "assign") && index > 0 && ["consumer", "producer"].contains(tokens[index - 1]) { introduced.append(next) }
                    if token == "--group" || token == "-g" { introduced.append(next) }
                }
                for name in introduced where !imposed.contains(name) && !name.hasPrefix("-") { renames[name] = "my-" + name }
            }
        }
        return renames
    }

    /// The cluster's side of the state tree (not the last output, not lesson progress), resolved.
    static func clusterState(_ session: Session) -> StateValue {
        let tree = session.stateTree()
        return .object(["time", "cluster", "brokers", "topics", "groups", "consumers", "producers", "events"].map { ($0, deepResolve(tree[$0] ?? .null)) })
    }

    static func deepResolve(_ value: StateValue) -> StateValue {
        switch value.resolved {
        case .list(let items): return .list(items.map(deepResolve))
        case .object(let pairs): return .object(pairs.map { ($0.0, deepResolve($0.1)) })
        case let other: return other
        }
    }

    static func words(_ text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }.map(String.init))
    }

    static func apply(_ renames: [String: String], to line: String) -> String {
        guard let tokens = try? Tokenizer.tokenize(line) else { return line }
        return tokens.map { renames[$0] ?? $0 }.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    @Test("Checks judge state, not names: solutions with the learner's own names pass too", arguments: lessonIds.map { "\($0.lang)/\($0.id)" })
    func renamedPlaythrough(_ name: String) throws {
        let parts = name.split(separator: "/").map(String.init)
        let lesson = try #require(LessonLibrary(root: Self.packageRoot + "/lessons", lang: parts[0]).lessons().first { $0.id == parts[1] })
        let renames = Self.freeNames(in: lesson)
        let (problems, _, _) = Self.play(lang: parts[0], id: parts[1]) { Self.apply(renames, to: $0) }
        #expect(problems.isEmpty, "renamed \(renames): \(problems.joined(separator: "\n\n"))")
    }

    @Test("A worked example's events show once, under the example, not again under 'next'")
    func exampleEventsOnce() {
        let session = Self.session(lang: "en")
        _ = session.executeAndRender("lesson start topics-partitions-brokers --from-start")
        let shown = session.executeAndRender("next").lines
        #expect(shown.filter { $0.contains("▸ TopicCreated quickstart") }.count == 1, "\(shown)")
        #expect(shown.contains("    kafka> kafka-topics.sh --bootstrap-server localhost:9092 --create --topic quickstart --partitions 1 --replication-factor 1"))
        #expect(session.cluster.topics["quickstart"] != nil, "the example ran on the learner's cluster")
    }

    @Test("lesson retry rebuilds the cluster as it was when the step began")
    func retry() throws {
        let session = Self.session(lang: "en")
        _ = session.execute("lesson start keys-and-partitions --from-start")
        let engine = try #require(LessonEngine.of(session))
        let lesson = try #require(engine.lesson)
        let task = try #require(lesson.steps.indices.first { lesson.steps[$0].isTask && $0 > 0 })
        while engine.stepIndex < task { _ = session.execute("next") }
        let before = Self.clusterState(session)
        _ = session.execute("topic create mistake -p 1")
        _ = session.execute("tick 1h")
        #expect(Self.clusterState(session) != before)
        let retried = session.execute("lesson retry")
        #expect(!retried.failed)
        #expect(retried.texts.first?.hasPrefix("The cluster is back as at the start of step \(task + 1)") == true)
        #expect(session.cluster.topics["mistake"] == nil)
        #expect(Self.clusterState(session) == before, "the same state, event for event")
    }

    @Test("A failed check mentions lesson retry; the list suggests the next unfinished lesson")
    func retryTipAndNextLesson() throws {
        let session = Self.session(lang: "en")
        _ = session.execute("lesson start kafkalab-basics --from-start")
        let engine = try #require(LessonEngine.of(session))
        while engine.step?.isTask == false { _ = session.execute("next") }
        let failed = session.execute("check")
        #expect(failed.failed)
        #expect(failed.texts.last == "If the cluster went wrong beyond repair, 'lesson retry' rebuilds it as it was at the start of this step.")
        #expect(session.execute("lesson list").texts.last == "Next: lesson start topics-partitions-brokers")
    }

    @Test("Resuming rebuilds the cluster the same way as playing the earlier steps")
    func resumeMatchesPlay() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kafkalab-resume-\(UUID().uuidString)").path
        let progress = root + "/progress.json"
        let setup = Workbench.Setup(lessonsRoot: Self.packageRoot + "/lessons", lang: "en", progressPath: progress)
        let first = Workbench.makeSession(options: SessionOptions(), setup: setup)
        _ = first.execute("lesson start resetting-offsets --from-start")
        _ = first.execute("next")
        _ = first.execute("consumer stop c1")
        #expect(!first.execute("check").failed)
        _ = first.execute("next")
        let played = Self.clusterState(first)
        _ = first.execute("lesson quit")
        let second = Workbench.makeSession(options: SessionOptions(), setup: setup)
        let resumed = second.execute("lesson start resetting-offsets").texts
        #expect(resumed.contains { $0.hasPrefix("Resumed at step 3") })
        #expect(Self.clusterState(second) == played)
    }
}
