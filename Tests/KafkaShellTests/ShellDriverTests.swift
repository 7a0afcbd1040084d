import Testing
@testable import KafkaShell

@Suite("Shell driver")
struct ShellDriverTests {
    /// A command that echoes its input lines, or opens a `>` prompt when it has none.
    static let reader = Command(
        CommandSpec("read-lines", group: .shell, abstract: "test", examples: ["read-lines"])
    ) { _, session throws(ShellError) in
        if !session.pendingInput.isEmpty { return Output(session.pendingInput.map { "got \($0)" }) }
        session.inputMode = Session.InputMode(
            prompt: ">",
            onLine: { line, _ in Output(["got \(line)"]) },
            onEnd: { _ in Output(["done"]) })
        return Output(["reading"])
    }

    func drive(_ lines: [String], interactive: Bool) -> (written: [String], prompts: [String], status: Int32) {
        let session = Session()
        session.install([Self.reader])
        var remaining = lines[...]
        var written: [String] = [], prompts: [String] = []
        let driver = ShellDriver(session: session, interactive: interactive, read: { prompt in
            prompts.append(prompt)
            return remaining.popFirst().map { .line($0) } ?? .endOfInput
        }, write: { written.append($0) })
        let status = driver.run()
        return (interactive ? Array(written.dropFirst()) : written, prompts, status)
    }

    @Test("On a pipe, a command runs as soon as its line arrives: nothing is read ahead (kafkalab as a co-process)")
    func noReadAhead() {
        let session = Session()
        var log: [String] = []
        var lines = ["time", "topics"][...]
        let driver = ShellDriver(session: session, interactive: false, read: { _ in
            log.append("read")
            return lines.popFirst().map { .line($0) } ?? .endOfInput
        }, write: { log.append("write " + $0) })
        _ = driver.run()
        #expect(log == ["read", "write 2024-01-01T00:00:00.000Z (+0ms since start)", "read", "write No topics yet. Create one: topic create orders -p 3 -r 3", "read"])
    }

    @Test("A line that is not UTF-8 is refused with one line, and the script fails")
    func invalidUTF8() {
        let session = Session()
        var inputs: [ShellDriver.Input] = [.invalid(byteOffset: 7), .line("time")]
        var written: [String] = []
        let status = ShellDriver(session: session, interactive: false, read: { _ in
            inputs.isEmpty ? .endOfInput : inputs.removeFirst()
        }, write: { written.append($0) }).run()
        #expect(written == ["error: This line is not valid UTF-8 (from byte 7); kafkalab reads UTF-8 text. The line was ignored.", "2024-01-01T00:00:00.000Z (+0ms since start)"])
        #expect(status == 1)
    }

    @Test("At a terminal, Ctrl-D with an unsaved cluster asks once; a second Ctrl-D leaves")
    func ctrlDAsksOnce() {
        let session = Session()
        var inputs: [ShellDriver.Input] = [.line("topic create t"), .endOfInput, .line("time"), .endOfInput, .endOfInput][...].map { $0 }
        var written: [String] = []
        let driver = ShellDriver(session: session, interactive: true, read: { _ in
            inputs.isEmpty ? .endOfInput : inputs.removeFirst()
        }, write: { written.append($0) })
        _ = driver.run()
        let warning = "The cluster is not saved (kafkalab was started without --data-dir). Press Ctrl-D again, or type 'exit', to leave."
        #expect(written.filter { $0 == warning }.count == 2, "asked after the first Ctrl-D, and again after a command in between")
        #expect(written.contains("2024-01-01T00:00:00.000Z (+0ms since start)"), "the shell kept going after the first Ctrl-D")
        #expect(inputs.isEmpty, "the second Ctrl-D in a row left")
    }

    @Test("In Korean the greeting, common errors and the Ctrl-D warning are Korean, particles chosen by sound")
    func korean() {
        var options = SessionOptions()
        options.lang = "ko"
        let session = Session(options: options)
        var inputs: [ShellDriver.Input] = [.line("topc"), .line("topic create t"), .line("topic craete t"), .endOfInput, .endOfInput]
        var written: [String] = []
        _ = ShellDriver(session: session, interactive: true, read: { _ in inputs.isEmpty ? .endOfInput : inputs.removeFirst() },
                        write: { written.append($0) }).run()
        #expect(written.first?.hasPrefix("kafkalab: 브로커 3대") == true)
        #expect(written.contains("오류: 알 수 없는 명령 'topc'. 'topic'을 말한 건가? 'help'를 입력하면 명령 목록이 나온다."))
        #expect(written.contains { $0.hasPrefix("오류: 알 수 없는 하위 명령 'topic craete'. 'topic create'를 말한 건가?") })
        #expect(written.contains { $0.hasPrefix("클러스터는 저장되지 않는다") })
    }

    @Test("Ctrl-D on a fresh cluster, or on a pipe, leaves at once")
    func ctrlDLeavesWhenNothingIsLost() {
        #expect(drive([], interactive: true).written.isEmpty)
        #expect(drive(["topic create t"], interactive: false).written == ["Created topic t.", "  ▸ TopicCreated t: 1 partition, replication factor 1"])
    }

    @Test("On a pipe, '>' lines after a command are its input")
    func pipedInput() {
        let result = drive(["read-lines", ">a", ">b:c", "time"], interactive: false)
        // The command opens its input, takes the '>' lines, and the next command ends it.
        #expect(result.written == ["reading", "got a", "got b:c", "done", "2024-01-01T00:00:00.000Z (+0ms since start)"])
        #expect(result.status == 0)
    }

    @Test("At a terminal, a command can read lines at a '>' prompt until end of input")
    func interactiveInput() {
        let result = drive(["read-lines", "one", "two"], interactive: true)
        // The Ctrl-D that ended the input does not leave the shell; the next one asks first (the
        // cluster is not saved), and only a second one in a row leaves.
        #expect(result.written.prefix(4) == ["reading", "got one", "got two", "done"])
        #expect(result.written.last?.hasPrefix("The cluster is not saved") == true)
        #expect(result.prompts == ["kafka> ", ">", ">", ">", "kafka> ", "kafka> "])
    }

    @Test("A failed command on a pipe makes the exit status 1; continuation lines join")
    func statusAndContinuation() {
        #expect(drive(["nosuch", "time"], interactive: false).status == 1)
        let joined = drive(["topic create a \\", "-p 2", "topics"], interactive: false)
        #expect(joined.written.contains { $0.hasPrefix("a ") && $0.contains("2") })
    }
}
