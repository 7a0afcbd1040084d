/// Splits a command line into words the way a POSIX shell does: single quotes keep
/// everything literal, double quotes allow `\"` and `\\`, a backslash outside quotes
/// escapes the next character, and an unquoted `#` at the start of a word begins a comment.
public enum Tokenizer {
    /// Why a line could not be split into words.
    public enum TokenizeError: Error, Equatable, CustomStringConvertible {
        case unterminatedQuote(Character)
        case danglingEscape

        public var description: String {
            switch self {
            case .unterminatedQuote(let quote):
                return "Unbalanced \(quote == "'" ? "single" : "double") quote: close it with \(quote), or escape it as \\\(quote)."
            case .danglingEscape:
                return "The line ends with a backslash: put the rest of the command on the next line."
            }
        }
    }

    /// The words of `line`.
    public static func tokenize(_ line: String) throws(TokenizeError) -> [String] {
        try split(line).words
    }

    /// True when `line` ends in an unescaped backslash, so the command continues on the next line.
    public static func continues(_ line: String) -> Bool {
        var trailing = 0
        for character in line.reversed() {
            guard character == "\\" else { break }
            trailing += 1
        }
        return trailing % 2 == 1
    }

    /// Splits a line of several commands at unquoted `;`, keeping each command's text.
    public static func splitCommands(_ line: String) throws(TokenizeError) -> [String] {
        try split(line).commands.map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
    }

    /// The raw text of `line` from its word number `index` on (quotes kept), for commands
    /// such as `expect` whose argument is an expression rather than shell words.
    public static func rawText(_ line: String, fromWord index: Int) throws(TokenizeError) -> String {
        let starts = try split(line).wordStarts
        guard index < starts.count else { return "" }
        var text = String(line[starts[index]...])
        if let comment = try split(line).commentStart, comment > starts[index] {
            text = String(line[starts[index]..<comment])
        }
        return text.trimmingCharacters(in: " \t")
    }

    private static func split(_ line: String) throws(TokenizeError) -> (words: [String], commands: [String], wordStarts: [String.Index], commentStart: String.Index?) {
        var wordStarts: [String.Index] = []
        var words: [String] = []
        var commands: [String] = []
        var commandStart = line.startIndex
        var current = ""
        var inWord = false
        var index = line.startIndex
        func endWord() {
            if inWord { words.append(current) }
            current = ""
            inWord = false
        }
        while index < line.endIndex {
            let character = line[index]
            switch character {
            case " ", "\t", "\r", "\n":
                endWord()
            case ";":
                endWord()
                commands.append(String(line[commandStart..<index]))
                commandStart = line.index(after: index)
            case "#" where !inWord:
                commands.append(String(line[commandStart..<index]))
                return (words, commands, wordStarts, index)
            case "\\":
                let next = line.index(after: index)
                guard next < line.endIndex else { throw .danglingEscape }
                if !inWord { wordStarts.append(index) }
                current.append(line[next])
                inWord = true
                index = next
            case "'", "\"":
                if !inWord { wordStarts.append(index) }
                inWord = true
                var cursor = line.index(after: index)
                var closed = false
                while cursor < line.endIndex {
                    let inner = line[cursor]
                    if inner == character { closed = true; break }
                    if character == "\"" && inner == "\\" {
                        let escaped = line.index(after: cursor)
                        if escaped < line.endIndex, ["\"", "\\", "$", "`"].contains(line[escaped]) {
                            current.append(line[escaped])
                            cursor = line.index(after: escaped)
                            continue
                        }
                    }
                    current.append(inner)
                    cursor = line.index(after: cursor)
                }
                guard closed else { throw .unterminatedQuote(character) }
                index = cursor
            default:
                if !inWord { wordStarts.append(index) }
                current.append(character)
                inWord = true
            }
            index = line.index(after: index)
        }
        endWord()
        commands.append(String(line[commandStart...]))
        return (words, commands, wordStarts, nil)
    }
}

extension String {
    /// The string without leading and trailing characters from `set` (no Foundation needed).
    public func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
