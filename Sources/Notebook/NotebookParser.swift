/// Reads the notebook format: front matter between `---` lines, fenced blocks whose info
/// string names their kind (`kafka`, `check`, `solution`, `hint`), and prose around them.
public enum NotebookParser {
    /// The prompt that marks a command in a transcript.
    public static let prompt = "kafka> "
    
    public static func parse(_ text: String, file: String = "<notebook>") throws(NotebookParseError) -> NotebookDocument {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        func fail(_ line: Int, _ message: String) -> NotebookParseError {
            NotebookParseError(file: file, line: line, message: message)
        }
        var index = 0
        var frontMatter: [(String, String)] = []
        if lines.first == "---" {
            index = 1
            var closed = false
            while index < lines.count {
                let line = lines[index]
                index += 1
                if line == "---" { closed = true; break }
                if line.trimmingCharacters(in: " ").isEmpty || line.hasPrefix("#") { continue }
                guard let colon = line.firstIndex(of: ":") else {
                    throw fail(index, "Front matter line '\(line)' is not 'key: value'.")
                }
                let key = String(line[..<colon]).trimmingCharacters(in: " ")
                var value = String(line[line.index(after: colon)...]).trimmingCharacters(in: " ")
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
                frontMatter.append((key, value))
            }
            guard closed else { throw fail(1, "Front matter opened with '---' is never closed: end it with a '---' line.") }
        }
        for (key, value) in frontMatter {
            if (key == "brokers" && !(Int(value).map { (1...20).contains($0) } ?? false)) {
                throw fail(1, "Front matter 'brokers: \(value)' must be a number from 1 to 20.")
            }
            if key == "controllers" {
                let brokers = frontMatter.first { $0.0 == "brokers" }.flatMap { Int($0.1) } ?? 3
                guard let n = Int(value), (1...brokers).contains(n) else {
                    throw fail(1, "Front matter 'controllers: \(value)' must be a number from 1 to the number of brokers (\(brokers)).")
                }
            }
            if key == "broker-ids" {
                let ids = value.split(separator: ",").map { Int(String($0).trimmingCharacters(in: " ")) }
                guard !ids.isEmpty, ids.count <= 20, ids.allSatisfy({ $0 != nil && $0! >= 0 }), Set(ids).count == ids.count else {
                    throw fail(1, "Front matter 'broker-ids: \(value)' must be distinct non-negative numbers separated by commas, e.g. 1,2,3.")
                }
            }
            if key == "seed" && UInt64(value) == nil {
                throw fail(1, "Front matter 'seed: \(value)' must be a non-negative whole number.")
            }
        }

        var blocks: [NotebookDocument.Block] = []
        var prose: [String] = []
        var proseStart = index + 1
        func flushProse() {
            if !prose.isEmpty { blocks.append(.prose(lines: prose, line: proseStart)) }
            prose = []
        }
        while index < lines.count {
            let line = lines[index]
            let fence = line.prefix { $0 == "`" }
            guard fence.count >= 3 else {
                if prose.isEmpty { proseStart = index + 1 }
                prose.append(line)
                index += 1
                continue
            }
            let info = String(line.dropFirst(fence.count)).trimmingCharacters(in: " ")
            let openLine = index + 1
            var end = index + 1
            while end < lines.count, !(lines[end].hasPrefix(String(fence)) && lines[end].trimmingCharacters(in: "`").trimmingCharacters(in: " ").isEmpty) {
                end += 1
            }
            guard end < lines.count else { throw fail(openLine, "Code block opened here is never closed with \(fence).") }
            let content = Array(lines[(index + 1)..<end])
            let kind = info.split(separator: " ").first.map(String.init) ?? ""
            switch kind {
            case "kafka":
                flushProse()
                let items = try parseTranscript(content, firstLine: index + 2, file: file)
                blocks.append(.transcript(.init(line: openLine, contentRange: (index + 1)..<end, items: items)))
            case "check":
                flushProse()
                var expressions: [(String, Int)] = []
                for (offset, text) in content.enumerated() {
                    let trimmed = text.trimmingCharacters(in: " \t")
                    if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                    guard trimmed.hasPrefix("expect ") else {
                        throw fail(index + 2 + offset, "A check line must start with 'expect ', found '\(trimmed)'.")
                    }
                    expressions.append((String(trimmed.dropFirst("expect ".count)), index + 2 + offset))
                }
                blocks.append(.check(expressions: expressions, line: openLine))
            case "solution":
                flushProse()
                let commands = content.enumerated().compactMap { offset, text -> (String, Int)? in
                    var command = text.trimmingCharacters(in: " \t")
                    if command.hasPrefix(prompt) { command = String(command.dropFirst(prompt.count)) }
                    return command.isEmpty || command.hasPrefix("#") ? nil : (command, index + 2 + offset)
                }
                blocks.append(.solution(commands: commands, line: openLine))
            case "hint":
                flushProse()
                blocks.append(.hint(lines: content, line: openLine))
            default:
                if prose.isEmpty { proseStart = index + 1 }
                prose += lines[index...end]
            }
            index = end + 1
        }
        flushProse()
        return NotebookDocument(frontMatter: frontMatter, blocks: blocks, sourceLines: lines)
    }

    static func parseTranscript(_ content: [String], firstLine: Int, file: String) throws(NotebookParseError) -> [NotebookDocument.Item] {
        var items: [NotebookDocument.Item] = []
        var index = 0
        while index < content.count {
            let line = content[index]
            guard line.hasPrefix(prompt) || line == prompt.trimmingCharacters(in: " ") else {
                if items.isEmpty {
                    if line.trimmingCharacters(in: " ").isEmpty { index += 1; continue }
                    throw NotebookParseError(file: file, line: firstLine + index,
                        message: "A transcript must start with a command line 'kafka> …', found '\(line)'.")
                }
                items[items.count - 1].expected.append(line)
                index += 1
                continue
            }
            var commandLines = [String(line.dropFirst(min(prompt.count, line.count)))]
            let start = index
            index += 1
            while Tokenizer.continuesLine(commandLines.last!), index < content.count {
                commandLines.append(content[index])
                index += 1
            }
            var input: [String] = []
            while index < content.count, content[index].hasPrefix(">") {
                input.append(String(content[index].dropFirst()))
                index += 1
            }
            let command = commandLines.enumerated().map { offset, text in
                offset < commandLines.count - 1 ? String(text.dropLast()) : text
            }.joined(separator: " ")
            items.append(.init(command: command, commandLines: commandLines, input: input, expected: [], line: firstLine + start))
        }
        // A blank line before the closing fence is layout, not output.
        if var last = items.popLast() {
            while last.expected.last?.trimmingCharacters(in: " ").isEmpty == true { last.expected.removeLast() }
            items.append(last)
        }
        return items
    }
}

import KafkaShell

extension Tokenizer {
    static func continuesLine(_ line: String) -> Bool { Tokenizer.continues(line) }
}
