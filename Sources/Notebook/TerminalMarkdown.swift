import KafkaShell

/// Renders a lesson step's Markdown for a terminal: the step header underlined as wide as it
/// is (in columns: Hangul takes two), tables aligned, `**emphasis**` and `` `code` `` styled on a
/// colour terminal, worked examples shown with what they printed on the learner's cluster,
/// hidden blocks (solution, check, hint) left out.
enum TerminalMarkdown {
    /// The step's header and its underline.
    static func header(_ title: String) -> [Output.Line] {
        [Output.Line(title, style: .heading), Output.Line(String(repeating: "─", count: DisplayWidth.of(title)))]
    }

    /// `blocks` of a step, with each worked example's output taken from `runs(blockIndex)`
    /// (what it printed when it ran), or the notebook's expected output if it has not run.
    static func blocks(_ step: Lesson.Step, _ indices: Range<Int>, runs: (Int) -> [LessonPlayer.ExampleRun]) -> [Output.Line] {
        var lines: [Output.Line] = []
        for index in indices {
            switch step.blocks[index] {
            case .prose(let text, _):
                lines += prose(text)
            case .transcript(let transcript):
                let ran = runs(index)
                for (offset, item) in transcript.items.enumerated() {
                    let commandText = "    kafka> " + item.commandLines.joined(separator: "\n    ")
                    lines.append(Output.Line(commandText, style: .plain, styled: "    \u{1B}[1mkafka>\u{1B}[0m " + VisibleText.escaped(item.commandLines.joined(separator: "\n    "))))
                    lines += item.input.map { Output.Line("    >" + $0) }
                    if offset < ran.count {
                        lines += zip(ran[offset].actual, ran[offset].shown).map { Output.Line("    " + $0.0, styled: "    " + $0.1) }
                    } else {
                        lines += item.expected.map { Output.Line("    " + $0) }
                    }
                }
                lines.append(Output.Line(""))
            case .check, .solution, .hint:
                break
            }
        }
        while lines.last?.text.trimmingCharacters(in: " ").isEmpty == true { lines.removeLast() }
        while lines.first?.text.trimmingCharacters(in: " ").isEmpty == true { lines.removeFirst() }
        return lines
    }

    /// Prose: headings underlined, bullets and quotes marked, tables aligned, code blocks indented.
    static func prose(_ text: [String]) -> [Output.Line] {
        var lines: [Output.Line] = []
        var previousBlank = true
        var inCode = false
        var table: [String] = []
        func flushTable() {
            guard !table.isEmpty else { return }
            lines += Self.table(table)
            table = []
            previousBlank = false
        }
        for raw in text {
            if !inCode, raw.trimmingCharacters(in: " ").hasPrefix("|") {
                table.append(raw)
                continue
            }
            flushTable()
            var line = raw
            if line.hasPrefix("```") {
                // Other code blocks (bash, java, plain) show indented, without their fences.
                inCode.toggle()
                continue
            }
            if inCode {
                lines.append(Output.Line("    " + line, styled: "    " + VisibleText.escaped(line)))
                previousBlank = false
                continue
            }
            if line.hasPrefix("## ") || line.hasPrefix("# ") { continue }  // titles are shown in the step's header
            if line.hasPrefix("#") {
                let title = inline(String(line.drop { $0 == "#" }).trimmingCharacters(in: " "))
                lines.append(Output.Line(title.plain, style: .heading, styled: title.styled))
                lines.append(Output.Line(String(repeating: "-", count: DisplayWidth.of(title.plain))))
                previousBlank = false
                continue
            }
            if line.hasPrefix("- ") || line.hasPrefix("* ") { line = "• " + line.dropFirst(2) }
            if line.hasPrefix("> ") { line = "│ " + line.dropFirst(2) }
            let blank = line.trimmingCharacters(in: " ").isEmpty
            if blank && (previousBlank || lines.last?.text.isEmpty == true) { continue }
            let rendered = inline(line)
            lines.append(Output.Line(rendered.plain, styled: rendered.styled))
            previousBlank = blank
        }
        flushTable()
        return lines
    }

    /// A Markdown table with its columns aligned by display width; the separator row becomes a rule.
    static func table(_ rows: [String]) -> [Output.Line] {
        var cells: [[(plain: String, styled: String)]] = []
        var headerRows = 0
        for row in rows {
            var trimmed = Substring(row.trimmingCharacters(in: " "))
            if trimmed.hasPrefix("|") { trimmed = trimmed.dropFirst() }
            if trimmed.hasSuffix("|") && !trimmed.hasSuffix("\\|") { trimmed = trimmed.dropLast() }
            let parts = splitCells(String(trimmed))
            if parts.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } && $0.contains("-") }) {
                if headerRows == 0 { headerRows = cells.count }
                continue
            }
            cells.append(parts.map { inline($0.trimmingCharacters(in: " ")) })
        }
        let columns = cells.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell.plain)) }
        }
        var lines: [Output.Line] = []
        for (rowIndex, row) in cells.enumerated() {
            var plain = "  ", styled = "  "
            for (index, cell) in row.enumerated() {
                let padding = index < row.count - 1 ? String(repeating: " ", count: widths[index] - DisplayWidth.of(cell.plain) + 2) : ""
                plain += cell.plain + padding
                styled += (rowIndex < headerRows ? "\u{1B}[1m\(cell.styled)\u{1B}[22m" : cell.styled) + padding
            }
            lines.append(Output.Line(plain, styled: styled))
            if rowIndex + 1 == headerRows {
                let rule = "  " + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
                lines.append(Output.Line(rule))
            }
        }
        return lines
    }

    /// Splits a table row at `|`, except inside `code` spans and after a backslash.
    private static func splitCells(_ row: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var inCode = false
        var escaped = false
        for character in row {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "`" { inCode.toggle() }
            if character == "|" && !inCode {
                cells.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        cells.append(current)
        return cells
    }

    /// Inline Markdown: `**bold**` and `*emphasis*` lose their markers (bold, italic on a colour terminal); `` `code` ``
    /// keeps its backticks in plain text and is shown in colour, without them, on a terminal.
    /// Only `**` marks emphasis: `__` is part of names such as __consumer_offsets.
    static func inline(_ text: String) -> (plain: String, styled: String) {
        var plain = "", styled = ""
        // A notebook is untrusted: its own control characters never reach the terminal raw.
        var rest = Substring(VisibleText.escaped(text))
        var bold = false
        while let character = rest.first {
            if rest.hasPrefix("**") {
                bold.toggle()
                styled += bold ? "\u{1B}[1m" : "\u{1B}[22m"
                rest = rest.dropFirst(2)
                continue
            }
            // `*emphasis*`: a star right before a word, closed by a star right after one.
            if character == "*", let next = rest.dropFirst().first, next != " ", next != "*",
               let close = rest.dropFirst().firstIndex(of: "*"), rest[rest.index(before: close)] != " " {
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                plain += inner
                styled += "\u{1B}[3m" + inner + "\u{1B}[23m"
                rest = rest[rest.index(after: close)...]
                continue
            }
            if character == "`", let close = rest.dropFirst().firstIndex(of: "`") {
                let code = rest[rest.index(after: rest.startIndex)..<close]
                plain += "`" + code + "`"
                styled += "\u{1B}[36m" + code + "\u{1B}[39m"
                rest = rest[rest.index(after: close)...]
                continue
            }
            plain.append(character)
            styled.append(character)
            rest = rest.dropFirst()
        }
        if bold { styled += "\u{1B}[22m" }
        return (plain, styled)
    }
}
