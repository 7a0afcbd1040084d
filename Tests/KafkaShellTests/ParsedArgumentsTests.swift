import Testing
@testable import KafkaShell

@Suite("Flag parsing")
struct ParsedArgumentsTests {
    let spec = CommandSpec(
        "topic create", group: .topics, abstract: "x",
        flags: [
            FlagSpec("partitions", short: "p", value: "N", help: "partitions"),
            FlagSpec("config", short: "c", value: "K=V", repeatable: true, help: "config"),
            FlagSpec("if-not-exists", help: "switch"),
        ],
        positionals: [PositionalSpec("NAME", help: "the topic's name")], examples: ["topic create t"])

    @Test("Long, short, inline and repeated flags")
    func forms() throws {
        let parsed = try ParsedArguments(spec: spec, words: ["t", "-p", "3", "--config=a=1", "-cb=2", "--if-not-exists"])
        #expect(parsed.positionals == ["t"])
        #expect(try parsed.int("partitions") == 3)
        #expect(parsed.strings("config") == ["a=1", "b=2"])
        #expect(parsed.has("if-not-exists"))
        #expect(try ParsedArguments(spec: spec, words: ["--partitions=4", "t"]).int("partitions") == 4)
    }

    @Test("Bad input gets one line naming what is allowed")
    func errors() {
        func message(_ words: [String]) -> String {
            do { _ = try ParsedArguments(spec: spec, words: words); return "parsed" } catch { return error.description }
        }
        #expect(message(["t", "--partitons", "3"]) == "Unknown option '--partitons' for 'topic create'. Did you mean '--partitions'? See 'help topic create'.")
        #expect(message(["t", "-p"]).hasPrefix("Option '--partitions' needs a value (N): partitions."))
        #expect(message([]).hasPrefix("Missing NAME: the topic's name."))
        #expect(message(["t", "u"]).hasPrefix("Unexpected argument 'u'."))
        #expect(message(["t", "-p", "1", "-p", "2"]).hasPrefix("Option '--partitions' was given twice"))
        #expect(message(["t", "--if-not-exists=yes"]).hasPrefix("Option '--if-not-exists' takes no value."))
        let parsed = try? ParsedArguments(spec: spec, words: ["t", "-p", "three"])
        #expect(throws: ShellError.self) { try parsed?.int("partitions") }
    }

    @Test("A negative number is a value, not a flag")
    func negativeNumbers() throws {
        let parsed = try ParsedArguments(spec: spec, words: ["-5"])
        #expect(parsed.positionals == ["-5"])
    }
}
