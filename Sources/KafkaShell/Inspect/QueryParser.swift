/// Recursive-descent parser for `Query` text.
struct QueryParser {
    private let characters: [Character]
    private var position = 0
    /// How deep parentheses, `not`, lists and `where(…)` are nested right now, and how many
    /// `and`/`or` terms were read: both are bounded, so no expression can exhaust the stack
    /// (here, or when it is evaluated or printed).
    private var depth = 0
    private var terms = 0
    static let maxDepth = 64
    static let maxTerms = 256
    static let maxLength = 10_000

    init(_ text: String) {
        characters = Array(text)
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    mutating func parseAll() throws(Query.ParseError) -> Query {
        guard characters.count <= Self.maxLength else {
            throw error("Expression too long (\(characters.count) characters; at most \(Self.maxLength)): split it into several checks")
        }
        skipSpaces()
        guard position < characters.count else { throw error("Empty expression: write a path such as topics.orders.partitionCount == 3") }
        let query = try parseOr()
        skipSpaces()
        if position < characters.count {
            throw error("Unexpected '\(String(characters[position...].prefix(12)))': expected an operator (== != < <= > >= contains in), 'and' or 'or'")
        }
        return query
    }

    private mutating func parseOr() throws(Query.ParseError) -> Query {
        var left = try parseAnd()
        while consumeWord("or") {
            try countTerm()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(Query.ParseError) -> Query {
        var left = try parseNot()
        while consumeWord("and") {
            try countTerm()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(Query.ParseError) -> Query {
        if consumeWord("not") {
            try enter()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(Query.ParseError) -> Query {
        let left = try parseOperand()
        skipSpaces()
        for op in ["==", "!=", "<=", ">=", "<", ">"] where consume(op) {
            return .compare(left, Query.Comparison(rawValue: op)!, try parseOperand())
        }
        if peek("=") && !peek("==") { throw error("Use '==' to compare, not '='") }
        if consumeWord("contains") { return .compare(left, .contains, try parseOperand()) }
        if consumeWord("in") { return .compare(left, .in, try parseOperand()) }
        return left
    }

    private mutating func parseOperand() throws(Query.ParseError) -> Query {
        skipSpaces()
        guard position < characters.count else { throw error("Expression ends too early: expected a value or a path") }
        let character = characters[position]
        if character == "(" {
            position += 1
            try enter()
            defer { depth -= 1 }
            let inner = try parseOr()
            guard consume(")") else { throw error("Missing ')'") }
            return inner
        }
        if character == "\"" || character == "'" || character == "[" || character == "-" || character.isNumber {
            return .literal(try parseLiteral())
        }
        if let word = peekWord(), ["true", "false", "null"].contains(word) {
            position += word.count
            return .literal(word == "null" ? .null : .bool(word == "true"))
        }
        return .path(try parsePath())
    }

    private mutating func parsePath() throws(Query.ParseError) -> [Query.PathStep] {
        var steps: [Query.PathStep] = []
        var expectName = true
        while position < characters.count {
            if expectName {
                guard let name = readIdentifier() else {
                    throw error(steps.isEmpty
                        ? "Expected a path such as topics.orders or a value such as 3 or \"text\""
                        : "Expected a name after '.'")
                }
                if position < characters.count, characters[position] == "(" {
                    position += 1
                    if name == "where" {
                        try enter()
                        defer { depth -= 1 }
                        let condition = try parseOr()
                        guard consume(")") else { throw error("Missing ')' after where(…)") }
                        steps.append(.filter(condition))
                    } else {
                        steps.append(.call(name, try parseArguments()))
                    }
                } else {
                    steps.append(.key(name))
                }
                expectName = false
                continue
            }
            if characters[position] == "." {
                position += 1
                expectName = true
            } else if characters[position] == "[" {
                position += 1
                skipSpaces()
                if position < characters.count, characters[position] == "\"" || characters[position] == "'" {
                    guard case .string(let key) = try parseLiteral() else { throw error("Expected a key") }
                    steps.append(.key(key))
                } else {
                    guard let number = readInteger() else { throw error("Expected a number or a quoted key inside [ ]") }
                    steps.append(.index(number))
                }
                guard consume("]") else { throw error("Missing ']'") }
            } else {
                break
            }
        }
        if expectName { throw error("Expected a name after '.'") }
        return steps
    }

    private mutating func parseArguments() throws(Query.ParseError) -> [(String, Query)] {
        try enter()
        defer { depth -= 1 }
        var arguments: [(String, Query)] = []
        skipSpaces()
        if consume(")") { return arguments }
        while true {
            skipSpaces()
            guard let name = readIdentifier() else { throw error("Expected field: value inside ( )") }
            guard consume(":") else { throw error("Expected ':' after '\(name)'") }
            arguments.append((name, try parseOperand()))
            if consume(",") { continue }
            guard consume(")") else { throw error("Missing ')'") }
            return arguments
        }
    }

    private mutating func enter() throws(Query.ParseError) {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw error("Expression nested too deeply (more than \(Self.maxDepth) levels of parentheses, not, lists or where): simplify it")
        }
    }

    private mutating func countTerm() throws(Query.ParseError) {
        terms += 1
        guard terms < Self.maxTerms else {
            throw error("Too many 'and'/'or' terms (at most \(Self.maxTerms)): split it into several checks")
        }
    }

    private mutating func parseLiteral() throws(Query.ParseError) -> StateValue {
        try enter()
        defer { depth -= 1 }
        skipSpaces()
        guard position < characters.count else { throw error("Expected a value") }
        let character = characters[position]
        if character == "\"" || character == "'" {
            position += 1
            var text = ""
            while position < characters.count, characters[position] != character {
                if characters[position] == "\\", position + 1 < characters.count { position += 1 }
                text.append(characters[position])
                position += 1
            }
            guard position < characters.count else { throw error("Unterminated string: close it with \(character)") }
            position += 1
            return .string(text)
        }
        if character == "[" {
            position += 1
            var items: [StateValue] = []
            skipSpaces()
            if consume("]") { return .list(items) }
            while true {
                items.append(try parseLiteral())
                if consume(",") { continue }
                guard consume("]") else { throw error("Missing ']' or ',' in list") }
                return .list(items)
            }
        }
        if let word = peekWord(), ["true", "false", "null"].contains(word) {
            position += word.count
            return word == "null" ? .null : .bool(word == "true")
        }
        let start = position
        if characters[position] == "-" { position += 1 }
        while position < characters.count, characters[position].isNumber || characters[position] == "." || characters[position] == "_" {
            position += 1
        }
        let text = String(characters[start..<position].filter { $0 != "_" })
        if let number = Int64(text) { return .int(number) }
        if let number = Double(text) { return .double(number) }
        position = start
        throw error("Expected a value: a number, \"text\", true, false, null or [list]")
    }

    // MARK: - Lexing

    private mutating func readIdentifier() -> String? {
        skipSpaces()
        let start = position
        guard position < characters.count, characters[position].isLetter || characters[position] == "_" else { return nil }
        while position < characters.count,
            characters[position].isLetter || characters[position].isNumber || characters[position] == "_" || characters[position] == "-"
        {
            position += 1
        }
        return String(characters[start..<position])
    }

    private mutating func readInteger() -> Int? {
        let start = position
        if position < characters.count, characters[position] == "-" { position += 1 }
        while position < characters.count, characters[position].isNumber { position += 1 }
        guard let number = Int(String(characters[start..<position])) else {
            position = start
            return nil
        }
        skipSpaces()
        return number
    }

    private func peekWord() -> String? {
        var end = position
        while end < characters.count, characters[end].isLetter { end += 1 }
        return end > position ? String(characters[position..<end]) : nil
    }

    private mutating func consumeWord(_ word: String) -> Bool {
        skipSpaces()
        guard peekWord() == word else { return false }
        let end = position + word.count
        if end < characters.count, characters[end].isNumber || characters[end] == "_" || characters[end] == "-" || characters[end] == "." {
            return false
        }
        position = end
        return true
    }

    private func peek(_ text: String) -> Bool {
        let needle = Array(text)
        return position + needle.count <= characters.count && Array(characters[position..<position + needle.count]) == needle
    }

    private mutating func consume(_ text: String) -> Bool {
        skipSpaces()
        guard peek(text) else { return false }
        position += text.count
        return true
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position] == " " || characters[position] == "\t" { position += 1 }
    }

    private func error(_ message: String) -> Query.ParseError {
        Query.ParseError(message: message, column: position + 1)
    }
}

