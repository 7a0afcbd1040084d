import KafkaModel

/// kafkalab's short topic commands: `topic create|delete|alter|config`, `topics`, `describe`.
enum TopicCommands {
    static let all: [Command] = [create, delete, alter, list, describe]

    static let create = Command(
        CommandSpec(
            "topic create", group: .topics, abstract: "Create a topic with partitions spread over the brokers",
            discussion: "Replicas are placed round-robin over the live brokers; the first replica is the preferred leader.\nSame as: kafka-topics.sh --create --topic NAME --partitions N --replication-factor N",
            flags: [
                FlagSpec("partitions", short: "p", value: "N", help: "number of partitions (default num.partitions = 1)"),
                FlagSpec("replication-factor", short: "r", value: "N", help: "copies of each partition (default default.replication.factor = 1)"),
                FlagSpec("config", short: "c", value: "KEY=VALUE", repeatable: true, help: "a topic config, e.g. retention.ms=60000"),
                FlagSpec("if-not-exists", help: "do nothing if the topic already exists"),
            ],
            positionals: [PositionalSpec("NAME", help: "the topic's name: letters, digits, '.', '_' and '-', at most 249")],
            examples: ["topic create orders -p 3 -r 3", "topic create logs -p 1 -c retention.ms=60000"],
            flagCompletion: ["config": .configKey])
    ) { arguments, session throws(ShellError) in
        let name = arguments.positionals[0]
        if arguments.has("if-not-exists"), session.cluster.topics[name] != nil { return Output() }
        let configs = try TopicArguments.configs(arguments.strings("config"), spec: arguments.spec)
        let partitions = try arguments.int("partitions", in: 1...100_000)
        let factor = try arguments.int("replication-factor", in: 1...Int(Int16.max))
        let warnings: [String]
        do throws(KafkaError) {
            warnings = try session.cluster.createTopic(name, partitions: partitions, replicationFactor: factor, configs: configs)
        } catch {
            throw ShellError(error)
        }
        var output = Output()
        output.append(lines: warnings, style: .warning)
        output.append("Created topic \(name).", style: .success)
        return output
    }

    static let delete = Command(
        CommandSpec(
            "topic delete", group: .topics, abstract: "Delete a topic and all its partitions",
            positionals: [PositionalSpec("NAME", help: "the topic to delete")],
            examples: ["topic delete orders"], positionalCompletion: .topic)
    ) { arguments, session throws(ShellError) in
        let name = arguments.positionals[0]
        try TopicArguments.requireTopic(name, session)
        do throws(KafkaError) { try session.cluster.deleteTopic(name) } catch { throw ShellError(error) }
        return Output(["Deleted topic \(name)."])
    }

    static let alter = Command(
        CommandSpec(
            "topic alter", group: .topics, abstract: "Add partitions to a topic, or change its configs",
            discussion: "Partitions can only be added, never removed: to have fewer, create a new topic and copy the records over.\nAdding partitions changes which partition a key maps to.",
            flags: [
                FlagSpec("partitions", short: "p", value: "N", help: "the new, larger partition count"),
                FlagSpec("config", short: "c", value: "KEY=VALUE", repeatable: true, help: "set a topic config"),
                FlagSpec("delete-config", value: "KEY", repeatable: true, help: "return a config to its default"),
            ],
            positionals: [PositionalSpec("NAME", help: "the topic to change")],
            examples: ["topic alter orders -p 6", "topic alter orders -c retention.ms=3600000"],
            positionalCompletion: .topic, flagCompletion: ["config": .configKey, "delete-config": .configKey])
    ) { arguments, session throws(ShellError) in
        let name = arguments.positionals[0]
        try TopicArguments.requireTopic(name, session)
        let partitions = try arguments.int("partitions", in: 1...100_000)
        let configs = try TopicArguments.configs(arguments.strings("config"), spec: arguments.spec)
        let deletions = arguments.strings("delete-config")
        guard partitions != nil || !configs.isEmpty || !deletions.isEmpty else {
            throw .usage("Say what to change: --partitions N, --config KEY=VALUE or --delete-config KEY.", command: arguments.spec)
        }
        var output = Output()
        do throws(KafkaError) {
            // Validate the configs before growing, so a bad config changes nothing.
            for key in configs.keys.sorted() { try TopicConfigDefinitions.validate(name: key, value: configs[key]!) }
            for key in deletions where TopicConfigDefinitions.definition(key) == nil {
                throw KafkaError.invalidConfiguration("Unknown topic config name: \(key)")
            }
            if let partitions {
                try session.cluster.createPartitions(name, totalCount: partitions)
                output.append("Topic \(name) now has \(partitions) partitions.")
            }
            if !configs.isEmpty || !deletions.isEmpty {
                try session.cluster.alterTopicConfig(name, set: configs, delete: deletions)
                output.append("Updated configs of topic \(name).")
            }
        } catch {
            throw ShellError(error)
        }
        return output
    }

    static let list = Command(
        CommandSpec(
            "topics", group: .topics, abstract: "List topics with their partition counts",
            flags: [FlagSpec("internal", short: "a", help: "include internal topics such as __consumer_offsets")],
            examples: ["topics", "topics --internal"])
    ) { arguments, session throws(ShellError) in
        let cluster = session.cluster
        let names = cluster.topicNames.filter { arguments.has("internal") || !TopicName.isInternal($0) }
        guard !names.isEmpty else { return Output(["No topics yet. Create one: topic create orders -p 3 -r 3"]) }
        var table = Table(["TOPIC", "PARTITIONS", "RF", "LEADERS"])
        for name in names {
            let topic = cluster.topics[name]!
            table.add([name, String(topic.partitions.count), String(topic.replicationFactor),
                       topic.partitions.map { $0.leader.map(String.init) ?? "-" }.joined(separator: ",")])
        }
        return Output(table.render())
    }

    static let describe = Command(
        CommandSpec(
            "describe", group: .topics, abstract: "Show a topic's partitions: leader, replicas and in-sync replicas",
            positionals: [PositionalSpec("TOPIC", optional: true, help: "the topic; all topics when omitted")],
            examples: ["describe orders"], positionalCompletion: .topic)
    ) { arguments, session throws(ShellError) in
        let cluster = session.cluster
        let names: [String]
        if let name = arguments.positional(0) {
            try TopicArguments.requireTopic(name, session)
            names = [name]
        } else {
            names = cluster.topicNames.filter { !TopicName.isInternal($0) }
            if names.isEmpty { return Output(["No topics yet. Create one: topic create orders -p 3 -r 3"]) }
        }
        var output = Output()
        for (index, name) in names.enumerated() {
            if index > 0 { output.append("") }
            output.append(lines: TopicDescription.table(cluster.topics[name]!, cluster: cluster))
        }
        return output
    }
}

/// Argument helpers shared by the topic commands and `kafka-topics.sh`.
enum TopicArguments {
    /// `KEY=VALUE` words as a dictionary; a word without `=` is a usage error.
    static func configs(_ words: [String], spec: CommandSpec) throws(ShellError) -> [String: String] {
        var configs: [String: String] = [:]
        for word in words {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw .usage("Invalid config '\(word)': write KEY=VALUE, e.g. retention.ms=60000.", command: spec)
            }
            configs[String(word[..<equals])] = String(word[word.index(after: equals)...])
        }
        return configs
    }

    static func requireTopic(_ name: String, _ session: Session) throws(ShellError) {
        guard session.cluster.topics[name] == nil else { return }
        let names = session.cluster.topicNames
        let hint = Suggestion.didYouMean(name, in: names)
        let listing = names.isEmpty ? "there are no topics yet" : "topics: " + names.joined(separator: ", ")
        throw .failed("Unknown topic '\(name)'.\(hint) (\(listing)) (UNKNOWN_TOPIC_OR_PARTITION)")
    }
}
