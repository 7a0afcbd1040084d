import Testing
@testable import KafkaShell

@Suite("Tokenizer")
struct TokenizerTests {
    @Test("Words, quotes and escapes", arguments: [
        ("topic create orders", ["topic", "create", "orders"]),
        ("  spaced\t words  ", ["spaced", "words"]),
        ("produce t 'hello world'", ["produce", "t", "hello world"]),
        ("produce t \"say \\\"hi\\\"\"", ["produce", "t", "say \"hi\""]),
        ("produce t it\\'s", ["produce", "t", "it's"]),
        ("a '' b", ["a", "", "b"]),
        ("a'b'c", ["abc"]),
        ("topics # a comment", ["topics"]),
        ("# only a comment", []),
        ("value#not-a-comment", ["value#not-a-comment"]),
        ("'single \\ stays'", ["single \\ stays"]),
        ("한글 '키'", ["한글", "키"]),
    ] as [(String, [String])])
    func tokenize(_ line: String, _ words: [String]) throws {
        #expect(try Tokenizer.tokenize(line) == words)
    }

    @Test("Unbalanced quotes are one clear error")
    func unbalanced() {
        #expect(throws: Tokenizer.TokenizeError.unterminatedQuote("'")) { try Tokenizer.tokenize("produce t 'oops") }
        #expect(throws: Tokenizer.TokenizeError.unterminatedQuote("\"")) { try Tokenizer.tokenize("produce t \"oops") }
        #expect(Tokenizer.TokenizeError.unterminatedQuote("'").description.contains("close it with '"))
    }

    @Test("A trailing backslash continues the command")
    func continuation() {
        #expect(Tokenizer.continues("kafka-topics.sh --create \\"))
        #expect(!Tokenizer.continues("ends with two \\\\"))
        #expect(!Tokenizer.continues("plain"))
    }

    @Test("Commands split at unquoted semicolons")
    func splitting() throws {
        #expect(try Tokenizer.splitCommands("time; tick 5s ;time") == ["time", "tick 5s", "time"])
        #expect(try Tokenizer.splitCommands("produce t 'a;b'; time") == ["produce t 'a;b'", "time"])
        #expect(try Tokenizer.splitCommands("topics # x; y") == ["topics"])
    }
}
