/// `help`, `clear` and `exit`.
enum ShellCommands {
    static let all: [Command] = [help, clear, exit]

    static let clear = Command(
        CommandSpec(
            "clear", aliases: ["cls"], group: .shell, abstract: "Clear the terminal screen (the cluster is untouched)",
            discussion: "Only a terminal is cleared: in a pipe, a notebook or a recording it prints nothing.",
            examples: ["clear"])
    ) { _, session throws(ShellError) in
        // The escape is kafkalab's own, and only for a colour terminal: nothing reaches a pipe or a file.
        guard session.options.color else { return Output() }
        return Output(["\u{1B}[H\u{1B}[2J\u{1B}[3J"], style: .control)
    }

    static let help = Command(
        CommandSpec(
            "help", group: .shell, abstract: "List commands, or show one command's usage, options and example",
            positionals: [PositionalSpec("COMMAND", optional: true, variadic: true, help: "the command to explain, e.g. 'topic create'")],
            examples: ["help", "help topic create", "help kafka-topics.sh"], positionalCompletion: .commandName)
    ) { arguments, session throws(ShellError) in
        let words = arguments.positionals
        guard !words.isEmpty else { return Output(HelpText.overview(session.registry)) }
        if let (command, used) = session.registry.find(words), used == words.count {
            return Output(HelpText.details(command.spec))
        }
        let subs = session.registry.subcommands(of: words[0])
        if words.count == 1, !subs.isEmpty {
            let specs = session.registry.commands.filter { $0.spec.name.count > 1 && $0.spec.name[0] == words[0] }.map(\.spec)
            return Output(HelpText.family(words[0], specs))
        }
        let all = session.registry.commands.map(\.spec.displayName)
        throw .failed("No help for '\(words.joined(separator: " "))': it is not a command.\(Suggestion.didYouMean(words.joined(separator: " "), in: all)) Type 'help' to list commands.")
    }

    static let exit = Command(
        CommandSpec("exit", aliases: ["quit"], group: .shell, abstract: "Leave kafkalab (Ctrl-D does the same)", examples: ["exit"])
    ) { _, _ throws(ShellError) in
        var output = Output()
        output.exitRequested = true
        return output
    }
}

/// The text of `help`.
enum HelpText {
    static func overview(_ registry: CommandRegistry) -> [String] {
        var lines = ["kafkalab — a simulated Kafka cluster to learn by doing. Type 'help COMMAND' for details and an example."]
        for group in CommandGroup.allCases {
            let specs = registry.commands.map(\.spec).filter { $0.group == group }
            guard !specs.isEmpty else { continue }
            lines.append("")
            lines.append(group.rawValue)
            lines += listing(specs)
        }
        lines.append("")
        lines.append("Lines starting with # are comments. Tab completes commands, options and names; Up recalls history.")
        return lines
    }

    static func family(_ first: String, _ specs: [CommandSpec]) -> [String] {
        var lines = ["'\(first)' commands:"] + listing(specs)
        lines.append("Type 'help \(first) \(specs.first.map { $0.name[1] } ?? "")' for details.")
        return lines
    }

    /// Command names in a column, each with its abstract.
    static func listing(_ specs: [CommandSpec]) -> [String] {
        let width = specs.map(\.displayName.count).max() ?? 0
        return specs.map { "  " + $0.displayName + String(repeating: " ", count: width - $0.displayName.count + 2) + $0.abstract }
    }

    static func details(_ spec: CommandSpec) -> [String] {
        var lines = ["\(spec.displayName) — \(spec.abstract)", "", "Usage: \(spec.usage)"]
        if !spec.aliases.isEmpty {
            lines.append("Also: " + spec.aliases.map { $0.joined(separator: " ") }.joined(separator: ", "))
        }
        if let discussion = spec.discussion {
            lines.append("")
            lines += discussion.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        if !spec.positionals.isEmpty {
            lines.append("")
            lines.append("Arguments:")
            let width = spec.positionals.map(\.name.count).max() ?? 0
            for positional in spec.positionals {
                lines.append("  " + positional.name + String(repeating: " ", count: width - positional.name.count + 2) + positional.help)
            }
        }
        if !spec.flags.isEmpty {
            lines.append("")
            lines.append("Options:")
            let width = spec.flags.map(\.synopsis.count).max() ?? 0
            for flag in spec.flags {
                lines.append("  " + flag.synopsis + String(repeating: " ", count: width - flag.synopsis.count + 2) + flag.help)
            }
        }
        lines.append("")
        lines.append(spec.examples.count == 1 ? "Example:" : "Examples:")
        lines += spec.examples.map { "  " + $0 }
        return lines
    }
}
