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

    @Test("On a pipe, '>' lines after a command are its input")
    func pipedInput() {
        let result = drive(["read-lines", ">a", ">b:c", "time"], interactive: false)
        #expect(result.written == ["got a", "got b:c", "2024-01-01T00:00:00.000Z (+0ms since start)"])
        #expect(result.status == 0)
    }

    @Test("At a terminal, a command can read lines at a '>' prompt until end of input")
    func interactiveInput() {
        let result = drive(["read-lines", "one", "two"], interactive: true)
        #expect(result.written == ["reading", "got one", "got two", "done"])
        #expect(result.prompts == ["kafka> ", ">", ">", ">", "kafka> "])
    }

    @Test("A failed command on a pipe makes the exit status 1; continuation lines join")
    func statusAndContinuation() {
        #expect(drive(["nosuch", "time"], interactive: false).status == 1)
        let joined = drive(["topic create a \\", "-p 2", "topics"], interactive: false)
        #expect(joined.written.contains { $0.hasPrefix("a ") && $0.contains("2") })
    }
}
