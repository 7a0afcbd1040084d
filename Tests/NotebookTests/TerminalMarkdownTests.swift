import Testing
import KafkaShell
@testable import Notebook

@Suite("Lesson text in the terminal")
struct TerminalMarkdownTests {
    @Test("Tables align by display width (Hangul is two columns); the separator row becomes a rule")
    func tables() {
        let lines = TerminalMarkdown.prose([
            "| 설정 | 기본값 |",
            "|---|---|",
            "| `acks` | all |",
            "| 재시도 | 2147483647 |",
        ]).map(\.text)
        #expect(lines == [
            "  설정    기본값",
            "  ──────  ──────────",
            "  `acks`  all",
            "  재시도  2147483647",
        ])
    }

    @Test("Emphasis markers are dropped in plain text and styled on a colour terminal; code keeps its backticks in plain text")
    func inline() {
        let (plain, styled) = TerminalMarkdown.inline("order is kept *within* a **partition**: `acks=all`, 2 * 3")
        #expect(plain == "order is kept within a partition: `acks=all`, 2 * 3")
        #expect(styled == "order is kept \u{1B}[3mwithin\u{1B}[23m a \u{1B}[1mpartition\u{1B}[22m: \u{1B}[36macks=all\u{1B}[39m, 2 * 3")
    }

    @Test("A step header is underlined exactly as wide as it is shown")
    func header() {
        let lines = TerminalMarkdown.header("[토픽 — 1/7단계] 과제")
        #expect(lines[1].text.count == DisplayWidth.of(lines[0].text))
        #expect(DisplayWidth.of(lines[0].text) == 21)
    }

    @Test("A notebook's control characters never reach the terminal raw, even in styled text")
    func escapes() {
        let (plain, styled) = TerminalMarkdown.inline("evil \u{1B}]0;title\u{7} text")
        #expect(!plain.unicodeScalars.contains("\u{1B}"))
        #expect(!styled.unicodeScalars.contains("\u{7}"))
        #expect(styled.contains("\\e]0;title\\x07"))
    }
}
