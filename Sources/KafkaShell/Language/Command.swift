/// A command: its declaration and what it does. Every command family builds these; the
/// `Session` finds one by name and runs it.
public struct Command: Sendable {
    public let spec: CommandSpec
    public let run: @Sendable (ParsedArguments, Session) throws(ShellError) -> Output

    public init(_ spec: CommandSpec, run: @escaping @Sendable (ParsedArguments, Session) throws(ShellError) -> Output) {
        self.spec = spec
        self.run = run
    }
}

/// The commands a session knows, found by their words.
public struct CommandRegistry: Sendable {
    public private(set) var commands: [Command] = []
    /// Every spelling (name or alias) by its first word: command index and the full words.
    private var spellings: [String: [(index: Int, words: [String])]] = [:]
    /// Every first word a command starts with, in registration order (for suggestions and Tab).
    public private(set) var firstWords: [String] = []

    public init(_ commands: [Command] = []) {
        add(commands)
    }

    public mutating func add(_ more: [Command]) {
        for command in more {
            let index = commands.count
            commands.append(command)
            for name in [command.spec.name] + command.spec.aliases {
                if spellings[name[0]] == nil { firstWords.append(name[0]) }
                spellings[name[0], default: []].append((index, name))
            }
        }
    }

    /// The command whose name (or alias) is the longest prefix of `words`, and how many words it used.
    public func find(_ words: [String]) -> (Command, Int)? {
        guard let first = words.first, let candidates = spellings[first] else { return nil }
        var best: (Command, Int)?
        for (index, name) in candidates where name.count <= words.count && name.count > (best?.1 ?? 0) {
            if words[..<name.count].elementsEqual(name) { best = (commands[index], name.count) }
        }
        return best
    }

    /// The second words under a first word (`topic` → create, delete, …).
    public func subcommands(of first: String) -> [String] {
        (spellings[first] ?? []).compactMap { $0.words.count > 1 ? $0.words[1] : nil }
    }

    /// The command named exactly by `text` (e.g. `topic create`), or by its first word.
    public func named(_ text: String) -> Command? {
        let words = text.split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        return (spellings[first] ?? []).first { $0.words == words }.map { commands[$0.index] }
    }
}
