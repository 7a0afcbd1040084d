import KafkaModel

/// What one command produced: lines of text with a style each, the events it caused,
/// and whether it failed. Rendering to text happens in one place, `OutputRenderer`.
public struct Output: Sendable {
    /// How a line is emphasised on a colour terminal.
    public enum Style: Sendable, Equatable {
        case plain, heading, success, failure, warning, dim
        /// Shown at a terminal only, never written to a notebook (an input prompt's instructions).
        case terminalOnly
        /// kafkalab's own terminal control (clearing the screen): printed as is at a terminal, never elsewhere.
        case control
        /// What a Kafka tool prints on standard error: shown, but not sent to a `> FILE`.
        case standardError
    }

    /// One line of output.
    public struct Line: Sendable, Equatable {
        public let text: String
        public let style: Style
        /// The line with inline colour escapes (emphasis, code) for a colour terminal; `text`
        /// is what every other output shows.
        public let styled: String?
        public init(_ text: String, style: Style = .plain, styled: String? = nil) {
            self.text = text
            self.style = style
            self.styled = styled
        }
    }

    public var lines: [Line] = []
    /// The cluster events the command caused, in order.
    public var events: [ClusterEvent] = []
    /// True when the command failed; a script's exit status follows it.
    public var failed = false
    /// True when the command asks the shell to end (`exit`).
    public var exitRequested = false

    public init() {}

    public init(_ texts: [String], style: Style = .plain) {
        lines = texts.map { Line($0, style: style) }
    }

    public static func text(_ text: String) -> Output {
        Output(text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    public mutating func append(_ text: String, style: Style = .plain) {
        lines.append(Line(text, style: style))
    }

    public mutating func append(lines texts: [String], style: Style = .plain) {
        lines += texts.map { Line($0, style: style) }
    }

    /// A failed output holding one error line.
    public static func failure(_ message: String) -> Output {
        var output = Output()
        output.append(message, style: .failure)
        output.failed = true
        return output
    }

    /// The text lines only, unstyled.
    public var texts: [String] { lines.map(\.text) }
}
