/// The words of one command line parsed against a `CommandSpec`.
public struct ParsedArguments: Sendable {
    public let spec: CommandSpec
    /// Values given for each flag, by long name, in the order typed; a switch holds "".
    public private(set) var values: [String: [String]] = [:]
    /// Positional words, in order.
    public private(set) var positionals: [String] = []
    /// The arguments as typed, quotes kept, when the spec asks for it.
    public var rawText = ""
    /// The words after the command name, as the shell split them (a Java tool's `args`).
    public var words: [String] = []

    /// Parses `words` (the command's own words already removed).
    public init(spec: CommandSpec, words: [String]) throws(ShellError) {
        self.spec = spec
        var index = 0
        var onlyPositionals = false
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" || Self.isNegativeNumber(word) {
                positionals.append(word)
                continue
            }
            if word == "--" { onlyPositionals = true; continue }
            var inlineValue: String?
            let flag: FlagSpec
            if word.hasPrefix("--") {
                var name = String(word.dropFirst(2))
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                flag = try spec.optionParser.resolve(name, typed: "--\(name)", spec: spec)
            } else if case .joptsimple = spec.optionParser {
                // joptsimple reads `-name` as the long option `name` when it is one, else as a cluster of short options.
                var name = String(word.dropFirst())
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                if let found = spec.flags.first(where: { $0.name == name }) {
                    flag = found
                } else {
                    inlineValue = nil
                    flag = try spec.optionParser.resolve(String(name.prefix(1)), typed: "-\(name.prefix(1))", spec: spec)
                }
            } else {
                let letters = Array(word.dropFirst())
                guard let letter = letters.first, let found = spec.flags.first(where: { $0.short == letter }) else {
                    throw ShellError.unknownFlag(word, command: spec)
                }
                if letters.count > 1 { inlineValue = String(letters.dropFirst()) }
                flag = found
            }
            if flag.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < words.count, !words[index].hasPrefix("--") else {
                        throw ShellError.usage("Option '--\(flag.name)' needs a value (\(flag.valueName!)): \(flag.help).", command: spec)
                    }
                    value = words[index]
                    index += 1
                }
                if !flag.repeatable, values[flag.name] != nil {
                    throw ShellError.usage("Option '--\(flag.name)' was given twice; give it once.", command: spec)
                }
                values[flag.name, default: []].append(value)
            } else {
                if inlineValue != nil {
                    throw ShellError.usage("Option '--\(flag.name)' takes no value.", command: spec)
                }
                values[flag.name] = [""]
            }
        }
        let required = spec.positionals.filter { !$0.optional }.count
        if positionals.count < required {
            let missing = spec.positionals[positionals.count]
            throw ShellError.usage("Missing \(missing.name): \(missing.help).", command: spec)
        }
        if !(spec.positionals.last?.variadic ?? false), positionals.count > spec.positionals.count {
            let extra = positionals[spec.positionals.count]
            throw ShellError.usage("Unexpected argument '\(extra)'.", command: spec)
        }
    }

    private static func isNegativeNumber(_ word: String) -> Bool {
        word.count > 1 && word.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Whether the flag was given.
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// The flag's value, if given.
    public func string(_ name: String) -> String? { values[name]?.last }

    /// Every value given for a repeatable flag.
    public func strings(_ name: String) -> [String] { values[name] ?? [] }

    /// The flag's value as a whole number, checked against `range`.
    public func int(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(ShellError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let number = Int(text) else {
            throw ShellError.usage("Invalid value '\(text)' for '--\(name)': expected a whole number.", command: spec)
        }
        guard range.contains(number) else {
            throw ShellError.usage("Invalid value '\(text)' for '--\(name)': expected \(Self.describe(range)).", command: spec)
        }
        return number
    }

    /// The positional at `index`, if given.
    public func positional(_ index: Int) -> String? {
        index < positionals.count ? positionals[index] : nil
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "a number of at least \(range.lowerBound)" }
        return "a number from \(range.lowerBound) to \(range.upperBound)"
    }
}
