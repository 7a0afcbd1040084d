import Testing
@testable import Notebook

@Suite("Notebook parser")
struct NotebookParserTests {
    let sample = """
        ---
        id: demo
        title: "A demo"
        lang: en
        brokers: 3
        seed: 7
        ---

        # Prose

        ```kafka
        kafka> topic create orders \\
        -p 3
        Created topic orders.
        ...
        kafka> kafka-console-producer.sh --topic orders
        >k1:v1
        >k2:v2
        kafka> time
        2024-01-01T00:00:00.000Z (+0ms since start)

        ```

        ```solution
        kafka> topic create payments
        tick 5s
        ```

        ```check
        # a comment
        expect topics.count == 2
        ```

        ```hint
        Use `topic create`.
        ```

        ```bash
        echo other fences stay prose
        ```
        """

    @Test("All block kinds, front matter, continuations, input lines and wildcards")
    func blocks() throws {
        let document = try NotebookParser.parse(sample)
        #expect(document.value("id") == "demo")
        #expect(document.value("title") == "A demo")
        #expect(document.value("seed") == "7")
        guard case .transcript(let transcript) = document.blocks[1] else { Issue.record("no transcript"); return }
        #expect(transcript.items.count == 3)
        #expect(transcript.items[0].command == "topic create orders  -p 3")
        #expect(transcript.items[0].commandLines == ["topic create orders \\", "-p 3"])
        #expect(transcript.items[0].expected == ["Created topic orders.", "..."])
        #expect(transcript.items[1].input == ["k1:v1", "k2:v2"])
        #expect(transcript.items[1].expected == [])
        #expect(transcript.items[2].expected == ["2024-01-01T00:00:00.000Z (+0ms since start)"])
        #expect(transcript.items[2].line == 19)
        guard case .solution(let commands, _) = document.blocks[3] else { Issue.record("no solution"); return }
        #expect(commands.map(\.text) == ["topic create payments", "tick 5s"])
        guard case .check(let expressions, _) = document.blocks[5] else { Issue.record("no check"); return }
        #expect(expressions.map(\.text) == ["topics.count == 2"])
        guard case .hint(let lines, _) = document.blocks[7] else { Issue.record("no hint"); return }
        #expect(lines == ["Use `topic create`."])
        guard case .prose(let prose, _) = document.blocks[8] else { Issue.record("no prose"); return }
        #expect(prose.contains("echo other fences stay prose"))
    }

    @Test("Malformed files get clear errors with line numbers")
    func malformed() {
        let cases: [(String, Int, String)] = [
            ("---\nid: x\n", 1, "never closed"),
            ("---\nnot a pair\n---\n", 2, "is not 'key: value'"),
            ("---\nbrokers: many\n---\n", 1, "must be a number from 1 to 20"),
            ("---\nseed: -1\n---\n", 1, "non-negative whole number"),
            ("text\n```kafka\nkafka> time\n", 2, "never closed"),
            ("```kafka\noutput first\n```\n", 2, "must start with a command line"),
            ("```check\ntopics.count == 1\n```\n", 2, "must start with 'expect '"),
        ]
        for (text, line, fragment) in cases {
            do {
                _ = try NotebookParser.parse(text, file: "f.md")
                Issue.record("parsed: \(text)")
            } catch {
                #expect(error.line == line, "\(text)")
                #expect(error.description.contains(fragment), "\(error)")
                #expect(error.description.hasPrefix("f.md:\(line): "))
            }
        }
    }
}

@Suite("Output matching")
struct OutputMatcherTests {
    @Test("'...' matches any run of lines, including none")
    func wildcard() {
        #expect(OutputMatcher.matches(expected: ["a", "...", "d"], actual: ["a", "b", "c", "d"]))
        #expect(OutputMatcher.matches(expected: ["a", "...", "b"], actual: ["a", "b"]))
        #expect(OutputMatcher.matches(expected: ["..."], actual: []))
        #expect(!OutputMatcher.matches(expected: ["a", "...", "d"], actual: ["a", "b"]))
        #expect(!OutputMatcher.matches(expected: ["a"], actual: ["a", "b"]))
        #expect(OutputMatcher.matches(expected: ["Configs:"], actual: ["Configs: "]), "trailing spaces are ignored")
    }

    @Test("The unified diff shows removed and added lines")
    func diff() {
        let lines = UnifiedDiff.render(expected: ["a", "b", "c"], actual: ["a", "x", "c"], header: "h")
        #expect(lines == ["--- expected", "+++ actual", "@@ h @@", " a", "-b", "+x", " c"])
    }
}
