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

    public init(_ commands: [Command] = []) {
        self.commands = commands
    }

    public mutating func add(_ more: [Command]) {
        commands += more
    }

    /// The command whose name (or alias) is the longest prefix of `words`, and how many words it used.
    public func find(_ words: [String]) -> (Command, Int)? {
        var best: (Command, Int)?
        for command in commands {
            for name in [command.spec.name] + command.spec.aliases where name.count <= words.count {
                if Array(words.prefix(name.count)) == name, name.count > (best?.1 ?? 0) {
                    best = (command, name.count)
                }
            }
        }
        return best
    }

    /// Every first word a command starts with (for suggestions and Tab).
    public var firstWords: [String] {
        var seen = Set<String>()
        var result: [String] = []
        for command in commands {
            for name in [command.spec.name] + command.spec.aliases where seen.insert(name[0]).inserted {
                result.append(name[0])
            }
        }
        return result
    }

    /// The second words under a first word (`topic` → create, delete, …).
    public func subcommands(of first: String) -> [String] {
        commands.compactMap { $0.spec.name.count > 1 && $0.spec.name[0] == first ? $0.spec.name[1] : nil }
    }

    /// The command named exactly by `text` (e.g. `topic create`), or by its first word.
    public func named(_ text: String) -> Command? {
        let words = text.split(separator: " ").map(String.init)
        return commands.first { $0.spec.name == words || $0.spec.aliases.contains(words) }
    }
}
