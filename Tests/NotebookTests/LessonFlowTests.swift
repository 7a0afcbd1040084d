import Foundation
import Testing
import KafkaModel
import KafkaShell
@testable import Notebook

@Suite("Lesson mode")
struct LessonFlowTests {
    static let lessonText = """
        ---
        id: tiny
        title: A tiny lesson
        lang: en
        brokers: 2
        seed: 5
        ---

        # A tiny lesson

        Intro text.

        ## Task: make a topic

        Create `orders` with 2 partitions.

        ```solution
        topic create orders -p 2
        ```

        ```check
        expect topics.orders.partitionCount == 2
        ```

        ```hint
        Try `topic create orders -p 2`.
        ```

        ```hint
        Second hint.
        ```

        ## The end

        Well done.
        """

    /// A lessons folder with one English lesson and a progress file, in a fresh temporary folder.
    static func makeWorkbench() throws -> (session: Session, progressPath: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(TemporaryFolders.prefix() + "lessons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("en"), withIntermediateDirectories: true)
        try lessonText.write(to: root.appendingPathComponent("en/01-tiny.md"), atomically: true, encoding: .utf8)
        let progressPath = root.appendingPathComponent("state/kafkalab/progress.json").path
        let session = Workbench.makeSession(
            options: SessionOptions(), setup: Workbench.Setup(lessonsRoot: root.path, lang: "en", progressPath: progressPath))
        return (session, progressPath)
    }

    @Test("Start, fail a check and see the hint, follow it, pass, and find progress saved")
    func fullFlow() throws {
        let (session, progressPath) = try Self.makeWorkbench()
        let started = session.execute("lesson start tiny")
        #expect(!started.failed)
        #expect(session.cluster.brokers.count == 2, "the front matter shapes the fresh cluster")
        #expect(started.texts.contains { $0.contains("step 1 of 3") })

        #expect(session.execute("next").texts.first?.contains("Task: make a topic") == true)
        let failed = session.execute("check")
        #expect(failed.failed)
        #expect(failed.texts.contains { $0.hasPrefix("✗ topics.orders.partitionCount == 2") })
        #expect(failed.texts.contains("  Try `topic create orders -p 2`."), "a failed check shows the step's first hint")

        _ = session.execute("topic create orders -p 2")
        let passed = session.execute("check")
        #expect(!passed.failed)
        #expect(passed.texts.contains("✓ topics.orders.partitionCount == 2"))
        #expect(passed.texts.last == "Type 'next' to continue.", "passing says what to do next; 'next' moves on")
        #expect(session.execute("next").texts.contains { $0.contains("step 3 of 3") })

        let data = try #require(FileManager.default.contents(atPath: progressPath))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entry = try #require((json["lessons"] as? [String: Any])?["tiny"] as? [String: Any])
        #expect(entry["done"] as? Bool == true)
        #expect(entry["passedSteps"] as? [Int] == [1])
        #expect(entry["step"] as? Int == 2)
    }

    @Test("Hints come one at a time; solution --run solves the step")
    func hintsAndSolution() throws {
        let (session, _) = try Self.makeWorkbench()
        _ = session.execute("lesson start tiny")
        _ = session.execute("next")
        #expect(session.execute("hint").texts == ["Hint 1 of 2:", "  Try `topic create orders -p 2`."])
        #expect(session.execute("hint").texts.prefix(2) == ["Hint 2 of 2:", "  Second hint."])
        #expect(session.execute("solution").texts == ["One solution:", "  kafka> topic create orders -p 2", "Type it yourself, or 'solution --run' to run it."])
        let run = session.execute("solution --run")
        #expect(!run.failed)
        #expect(session.cluster.topics["orders"]?.partitions.count == 2)
    }

    @Test("Progress resumes where the learner left, and reset forgets it")
    func resume() throws {
        let (session, progressPath) = try Self.makeWorkbench()
        _ = session.execute("lesson start tiny")
        _ = session.execute("next")
        _ = session.execute("lesson quit")
        let setup = Workbench.Setup(
            lessonsRoot: (progressPath as NSString).deletingLastPathComponent.replacingOccurrences(of: "/state/kafkalab", with: ""),
            lang: "en", progressPath: progressPath)
        let again = Workbench.makeSession(options: SessionOptions(), setup: setup)
        #expect(again.execute("lesson start tiny").texts.contains { $0.contains("step 2 of 3") })
        #expect(again.cluster.topics["orders"] == nil, "nothing before step 2 to replay")
        _ = again.execute("next")
        _ = again.execute("lesson quit")
        let third = Workbench.makeSession(options: SessionOptions(), setup: setup)
        let resumed = third.execute("lesson start tiny").texts
        #expect(resumed.contains("Resumed at step 3: steps 1–2 were replayed (their examples and solutions) to rebuild the cluster."))
        #expect(third.cluster.topics["orders"]?.partitions.count == 2, "step 2's solution was replayed")
        #expect(third.execute("lesson reset").texts.first == "Progress of 'tiny' forgotten; starting again.")
        #expect(third.execute("lesson list").texts.contains { $0.hasSuffix("in progress (step 1 of 3)") })
    }

    @Test("A Korean lesson's own sentences are in Korean too")
    func koreanEngineText() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(TemporaryFolders.prefix() + "ko-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("ko"), withIntermediateDirectories: true)
        try Self.lessonText.replacingOccurrences(of: "lang: en", with: "lang: ko")
            .write(to: root.appendingPathComponent("ko/01-tiny.md"), atomically: true, encoding: .utf8)
        let session = Workbench.makeSession(options: SessionOptions(), setup: .init(lessonsRoot: root.path, lang: "ko", progressPath: nil))
        let started = session.execute("lesson start tiny").texts
        #expect(started.first == "새 클러스터(브로커 2대)에서 레슨 'tiny'를 시작했다.", "the particle follows the word")
        #expect(started.contains("계속하려면 'next'를 입력하자."))
        _ = session.execute("next")
        #expect(session.execute("check").texts.contains("힌트:"))
        #expect(session.execute("back").failed == false)
        #expect(session.execute("back").texts == ["오류: 'tiny'의 첫 단계다. 'next'로 넘어가자."])
        #expect(session.execute("chek").texts == ["오류: 알 수 없는 명령 'chek'. 'check'를 말한 건가? 'help'를 입력하면 명령 목록이 나온다."])
        #expect(session.execute("expect cluster.brokerCount == 3").texts == ["✗ cluster.brokerCount == 3 — 기대한 값 3, 실제 값 2"])
    }

    @Test("Lesson commands without a lesson, and past the ends, fail clearly")
    func errors() throws {
        let (session, _) = try Self.makeWorkbench()
        for command in ["next", "back", "hint", "check", "solution", "lesson quit", "lesson show"] {
            let output = session.execute(command)
            #expect(output.failed)
            #expect(output.texts == ["error: No lesson in progress. Type 'lesson list', then 'lesson start ID'."], "\(command)")
        }
        #expect(session.execute("lesson start tinny").texts == ["error: Unknown lesson 'tinny'. Did you mean 'tiny'? Lessons: tiny. See 'lesson list'."])
        _ = session.execute("lesson start tiny")
        #expect(session.execute("back").failed)
        _ = session.execute("next"); _ = session.execute("next")
        #expect(session.execute("next").texts == ["error: This is the last step of 'tiny'. Type 'lesson list' to pick another lesson, or 'lesson quit'."])
    }
}

@Suite("Recording")
struct RecordingTests {
    @Test("A recording replays green with the notebook runner; an altered line fails with a diff")
    func recordAndRun() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafkalab-rec-\(UUID().uuidString).md").path
        let session = Workbench.makeSession(options: SessionOptions(brokers: 3, seed: 9), setup: .init(lessonsRoot: nil, lang: "en", progressPath: nil))
        _ = session.executeAndRender("topic create early -p 2")
        #expect(!session.executeAndRender("record start \(path)").output.failed)
        _ = session.executeAndRender("topic create orders -p 3 -r 2")
        _ = session.executeAndRender("broker stop 2")
        _ = session.executeAndRender("tick 5m")
        _ = session.executeAndRender("describe orders")
        // The file is complete after every command, before 'record stop'.
        let midway = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try NotebookRunner().run(NotebookParser.parse(midway)).passed)
        _ = session.executeAndRender("record stop")

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("kafkalab: \(KafkaLabInfo.version)"))
        #expect(text.contains("seed: 9"))
        #expect(text.contains("kafka> topic create early -p 2"), "commands before 'record start' are included")
        #expect(!text.contains("record st"), "record commands are not recorded")
        let result = NotebookRunner().run(try NotebookParser.parse(text))
        #expect(result.passed)
        #expect(result.commands == 5)

        let altered = text.replacingOccurrences(of: "Broker 2 stopped.", with: "Broker 2 is fine.")
        let failing = NotebookRunner().run(try NotebookParser.parse(altered))
        #expect(!failing.passed)
        let diff = failing.failures.flatMap(\.lines)
        #expect(diff.contains("-Broker 2 is fine."))
        #expect(diff.contains("+Broker 2 stopped."))
    }

    @Test("A recording made while real clients are served says so, and still runs green")
    func liveRecordingIsMarked() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafkalab-rec-\(UUID().uuidString).md").path
        let session = Workbench.makeSession(options: SessionOptions(brokers: 3, seed: 9), setup: .init(lessonsRoot: nil, lang: "en", progressPath: nil))
        session.servesRealClients = true
        _ = session.executeAndRender("record start \(path)")
        _ = session.executeAndRender("topic create orders -p 3")
        _ = session.executeAndRender("record stop")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("Recorded while `kafkalab serve` served real clients"))
        #expect(NotebookRunner().run(try NotebookParser.parse(text)).passed)
    }

    @Test("A console producer typed at a terminal records as a transcript that re-runs green, also when a bad line ends it")
    func consoleProducerRecording() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafkalab-rec-\(UUID().uuidString).md").path
        var options = SessionOptions()
        options.interactive = true
        let session = Workbench.makeSession(options: options, setup: .init(lessonsRoot: nil, lang: "en", progressPath: nil))
        _ = session.executeAndRender("topic create t -p 2")
        _ = session.executeAndRender("record start \(path)")
        let opened = session.executeAndRender("kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t --property parse.key=true --property key.separator=:")
        #expect(opened.lines.first?.hasPrefix("Type one record per line") == true, "the terminal shows how to type records")
        _ = session.executeAndRender("a:1")
        _ = session.executeAndRender("b:2")
        _ = session.endInput()
        _ = session.executeAndRender("kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t --property parse.key=true --property key.separator=:")
        _ = session.executeAndRender("c:3")
        let bad = session.executeAndRender("no separator")
        #expect(bad.output.failed)
        #expect(session.inputMode == nil, "a malformed line ends the console producer")
        _ = session.executeAndRender("describe t")
        _ = session.executeAndRender("record stop")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("Type one record per line"), "the prompt's instructions are not part of the transcript")
        #expect(text.contains(">no separator"), "the failed producer and its input are recorded")
        #expect(!text.contains("Unknown command"))
        let result = NotebookRunner().run(try NotebookParser.parse(text))
        #expect(result.passed, "\(result.failures.flatMap(\.lines).joined(separator: "\n"))")
    }

    @Test("record start writes only a new .md file, or with --force a recording kafkalab wrote; never a link or a device")
    func recordingTargets() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kafkalab-rec-rules-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let session = Workbench.makeSession(options: SessionOptions(), setup: .init(lessonsRoot: nil, lang: "en", progressPath: nil))
        let victim = folder + "/notes.md"
        try "my own notes\n".write(toFile: victim, atomically: true, encoding: .utf8)
        #expect(session.execute("record start \(folder)/profile").texts == ["error: Cannot record to '\(folder)/profile': a recording is a Markdown notebook, so its name must end in .md. Choose a folder you can write to."])
        #expect(session.execute("record start \(victim)").failed)
        #expect(session.execute("record start \(victim) --force").texts == ["error: Cannot record to '\(victim)': it is not a notebook kafkalab recorded, and --force only replaces those. Choose a folder you can write to."])
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "my own notes\n", "the learner's file is untouched")
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.md", withDestinationPath: victim)
        #expect(session.execute("record start \(folder)/link.md --force").texts.first?.contains("symbolic link") == true)
        #expect(session.execute("record start /dev/full --force").failed, "a device is never written")

        let own = folder + "/session.md"
        #expect(!session.execute("record start \(own)").failed)
        _ = session.executeAndRender("topic create a")
        #expect(session.execute("record stop").texts.first?.hasPrefix("Recorded 1 command") == true)
        #expect(!session.execute("record start \(own) --force").failed, "--force replaces a recording kafkalab wrote")
        _ = session.execute("record stop")
    }

    @Test("A replayed notebook cannot start a recording; the learner at the prompt afterwards can")
    func replayRefusesRecord() throws {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("kafkalab-replay-\(UUID().uuidString).md").path
        let document = try NotebookParser.parse("""
            ```kafka
            kafka> record start \(target)
            kafka> topic create a
            ```
            """)
        let session = Workbench.makeSession(options: SessionOptions(), setup: .init(lessonsRoot: nil, lang: "en", progressPath: nil))
        var written: [String] = []
        ReplayDriver(document: document, session: session).run(waitForKey: { _ in nil }, write: { written.append($0) })
        #expect(written.contains { $0.hasPrefix("error: A notebook cannot start a recording") })
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(!session.execute("record start \(target)").failed, "typed by the learner, it records")
        _ = session.execute("record stop")
        try? FileManager.default.removeItem(atPath: target)
    }

    @Test("Recording into an unwritable place fails clearly and changes nothing")
    func unwritable() {
        let session = Workbench.makeSession(options: SessionOptions(), setup: .init(lessonsRoot: nil, lang: "en", progressPath: nil))
        let output = session.execute("record start /nonexistent-dir/x.md")
        #expect(output.failed)
        #expect(output.texts == ["error: Cannot record to '/nonexistent-dir/x.md': the folder '/nonexistent-dir' does not exist. Choose a folder you can write to."])
        #expect(session.execute("record stop").texts == ["error: Not recording. Start with: record start FILE.md"])
    }

    @Test("Replay runs every command on a fresh cluster and stops on q")
    func replay() throws {
        let document = try NotebookParser.parse("""
            ---
            brokers: 2
            ---
            ```kafka
            kafka> topic create a
            kafka> topic create b
            kafka> topic create c
            ```
            """)
        let session = Workbench.makeSession(options: NotebookRunner.options(for: document), setup: .init(lessonsRoot: nil, lang: "en", progressPath: nil))
        var answers = ["", "", "q"][...]
        var written: [String] = []
        let ran = ReplayDriver(document: document, session: session).run(waitForKey: { _ in answers.popFirst() ?? nil }, write: { written.append($0) })
        #expect(ran == 2)
        #expect(session.cluster.topicNames == ["a", "b"])
        #expect(session.cluster.brokers.count == 2)
        #expect(written.last == "Replay stopped after 2 of 3 commands. You are at the prompt in that state.")
    }
}
