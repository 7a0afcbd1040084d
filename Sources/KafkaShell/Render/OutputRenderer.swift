import KafkaModel

/// Turns `Output` into text: the command's lines, then the events it caused indented
/// beneath them. Colour only when asked for (a terminal without `NO_COLOR`).
public struct OutputRenderer: Sendable {
    public var color: Bool
    public var showEvents: Bool

    /// Leave out lines only a terminal shows (a console producer's "Type one record per line"
    /// prompt): notebooks and recordings hold what a re-run prints.
    public var forNotebook: Bool

    public init(color: Bool = false, showEvents: Bool = true, forNotebook: Bool = false) {
        self.color = color
        self.showEvents = showEvents
        self.forNotebook = forNotebook
    }

    /// The rendered lines, without trailing newlines.
    public func render(_ output: Output, commandStartMs: Int64? = nil) -> [String] {
        // Every line may hold a learner's bytes: control characters are escaped before printing.
        // `styled` lines are built from already escaped text; `.control` lines are kafkalab's own.
        var result = output.lines.filter { !(forNotebook && ($0.style == .terminalOnly || $0.style == .control)) }.map { line in
            if line.style == .control { return line.text }
            if color, let styled = line.styled { return paint(styled, line.style) }
            return paint(VisibleText.escaped(line.text), line.style)
        }
        if showEvents {
            for line in EventFolding.fold(output.events) {
                result.append(paint("  ▸ " + VisibleText.escaped(EventText.line(line.event, details: line.details, relativeTo: commandStartMs)), .dim))
            }
        }
        return result
    }

    private func paint(_ text: String, _ style: Output.Style) -> String {
        guard color else { return text }
        let code: String
        switch style {
        case .plain, .control: return text
        case .heading: code = "1"
        case .success: code = "32"
        case .failure: code = "31"
        case .warning, .standardError: code = "33"
        case .dim, .terminalOnly: code = "36"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
