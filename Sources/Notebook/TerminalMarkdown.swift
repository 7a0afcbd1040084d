/// Renders a lesson step's Markdown readably in a terminal: headings underlined, emphasis
/// markers dropped, transcripts shown as indented examples, hidden blocks left out.
enum TerminalMarkdown {
    static func render(_ step: Lesson.Step, number: Int, of total: Int, lessonTitle: String, lang: String = "en") -> [String] {
        let text = LessonText(lang: lang)
        var lines: [String] = []
        let heading = text.stepHeader(lessonTitle, number, total, step.title)
        lines.append(heading)
        lines.append(String(repeating: "─", count: min(heading.count, 72)))
        for block in step.blocks {
            switch block {
            case .prose(let text, _):
                lines += prose(text)
            case .transcript(let transcript):
                for item in transcript.items {
                    lines.append("    kafka> " + item.commandLines.joined(separator: "\n    "))
                    lines += item.input.map { "    >" + $0 }
                    lines += item.expected.map { "    " + $0 }
                }
                lines.append("")
            case .check, .solution, .hint:
                break
            }
        }
        while lines.last?.trimmingCharacters(in: " ").isEmpty == true { lines.removeLast() }
        if step.isTask {
            lines.append("")
            lines.append(text.whenDone(hints: step.hints.count))
        } else if number < total {
            lines.append("")
            lines.append(text.typeNext)
        }
        return lines
    }

    static func prose(_ text: [String]) -> [String] {
        var lines: [String] = []
        var previousBlank = true
        var inCode = false
        for raw in text {
            var line = raw
            if line.hasPrefix("```") {
                // Other code blocks (bash, java, plain) show indented, without their fences.
                inCode.toggle()
                continue
            }
            if inCode {
                lines.append("    " + line)
                previousBlank = false
                continue
            }
            if line.hasPrefix("## ") || line.hasPrefix("# ") { continue }  // titles are shown in the step's header
            if line.hasPrefix("#") {
                let title = String(line.drop { $0 == "#" }).trimmingCharacters(in: " ")
                lines.append(title)
                lines.append(String(repeating: "-", count: min(title.count, 72)))
                previousBlank = false
                continue
            }
            // Only `**` marks emphasis here: `__` is part of names such as __consumer_offsets.
            line = line.replacingAll("**", with: "")
            if line.hasPrefix("- ") || line.hasPrefix("* ") { line = "• " + line.dropFirst(2) }
            if line.hasPrefix("> ") { line = "│ " + line.dropFirst(2) }
            let blank = line.trimmingCharacters(in: " ").isEmpty
            if blank && (previousBlank || lines.last?.isEmpty == true) { continue }
            lines.append(line)
            previousBlank = blank
        }
        return lines
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
