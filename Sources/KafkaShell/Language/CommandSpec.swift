/// One option a command takes, with its help text beside it.
public struct FlagSpec: Sendable {
    /// Long name without dashes: `partitions` for `--partitions`.
    public let name: String
    /// One-letter short form: `p` for `-p`.
    public let short: Character?
    /// Placeholder for the value (`N`, `TOPIC`); nil for a switch that takes no value.
    public let valueName: String?
    public let help: String
    /// May be given more than once (`--config a=1 --config b=2`).
    public let repeatable: Bool

    public init(_ name: String, short: Character? = nil, value: String? = nil, repeatable: Bool = false, help: String) {
        self.name = name
        self.short = short
        self.valueName = value
        self.help = help
        self.repeatable = repeatable
    }

    public var takesValue: Bool { valueName != nil }

    /// `-p, --partitions N`.
    public var synopsis: String {
        let long = "--\(name)" + (valueName.map { " \($0)" } ?? "")
        return short.map { "-\($0), \(long)" } ?? long
    }
}

/// One positional argument.
public struct PositionalSpec: Sendable {
    public let name: String
    public let help: String
    public let optional: Bool
    /// Takes every remaining word.
    public let variadic: Bool

    public init(_ name: String, optional: Bool = false, variadic: Bool = false, help: String) {
        self.name = name
        self.help = help
        self.optional = optional
        self.variadic = variadic
    }
}

/// Where a command sits in `help`, grouped by the Kafka concept it teaches.
public enum CommandGroup: String, CaseIterable, Sendable {
    case topics = "Topics and partitions"
    case producing = "Producing records"
    case consuming = "Consuming records"
    case log = "The log on disk: segments, retention, compaction"
    case brokers = "Brokers and the controller"
    case groups = "Consumers and consumer groups"
    case time = "Simulated time and events"
    case inspect = "Inspecting and checking state"
    case kafkaTools = "Kafka's own tools"
    case lessons = "Lessons"
    case recording = "Recording"
    /// `listen`: the shell's cluster on real sockets (installed by the kafkalab executable only).
    case serving = "Real Kafka clients"
    case shell = "The shell"
}

/// What completion should offer for a value: live names from the session.
public enum CompletionKind: Sendable, Equatable {
    case none
    case topic
    /// Topic names and `topic-partition` names (`orders-0`).
    case topicPartition
    /// Names of running producers.
    case producer
    case broker
    case configKey
    case fixed([String])
    case commandName
    case statePath
    case lesson
    case file
    /// Consumer group ids.
    case group
    /// Names of consumers.
    case consumer
}

/// The declaration of one command: its name, options, help and example, as
/// swift-argument-parser's `CommandConfiguration` would hold them.
public struct CommandSpec: Sendable {
    /// The words that name it: `["topic", "create"]`.
    public let name: [String]
    /// Other spellings: `["bin/kafka-topics.sh", "kafka-topics"]`.
    public let aliases: [[String]]
    public let group: CommandGroup
    public let abstract: String
    public let discussion: String?
    public let flags: [FlagSpec]
    public let positionals: [PositionalSpec]
    public let examples: [String]
    /// What Tab offers for positional values.
    public let positionalCompletion: CompletionKind
    /// What Tab offers for each flag's value, by flag name.
    public let flagCompletion: [String: CompletionKind]
    /// The command also receives its arguments as raw text, quotes kept (`expect`, `inspect`).
    public let takesRawText: Bool
    /// How option names are matched: exactly (kafkalab, joptsimple tools) or by unique prefix (argparse4j tools).
    public let optionParser: KafkaOptionParser

    public init(
        _ name: String, aliases: [String] = [], group: CommandGroup, abstract: String, discussion: String? = nil,
        flags: [FlagSpec] = [], positionals: [PositionalSpec] = [], examples: [String],
        positionalCompletion: CompletionKind = .none, flagCompletion: [String: CompletionKind] = [:], takesRawText: Bool = false,
        optionParser: KafkaOptionParser = .kafkalab
    ) {
        self.takesRawText = takesRawText
        self.optionParser = optionParser
        self.name = name.split(separator: " ").map(String.init)
        self.aliases = aliases.map { $0.split(separator: " ").map(String.init) }
        self.group = group
        self.abstract = abstract
        self.discussion = discussion
        self.flags = flags
        self.positionals = positionals
        self.examples = examples
        self.positionalCompletion = positionalCompletion
        self.flagCompletion = flagCompletion
    }

    public var displayName: String { name.joined(separator: " ") }

    /// `topic create NAME [--partitions N] [--config KEY=VALUE]...`.
    public var usage: String {
        var parts = [displayName]
        for positional in positionals {
            let text = positional.name + (positional.variadic ? "..." : "")
            parts.append(positional.optional ? "[\(text)]" : text)
        }
        for flag in flags {
            let text = "--\(flag.name)" + (flag.valueName.map { " \($0)" } ?? "")
            parts.append("[\(text)]" + (flag.repeatable ? "..." : ""))
        }
        return parts.joined(separator: " ")
    }
}
