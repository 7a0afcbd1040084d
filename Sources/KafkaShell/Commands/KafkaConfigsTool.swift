import KafkaModel

/// `kafka-configs.sh` for topics: `--describe` and `--alter --add-config/--delete-config`.
enum KafkaConfigsTool {
    static let all: [Command] = [tool]

    static let spec = CommandSpec(
        "kafka-configs.sh", aliases: ["bin/kafka-configs.sh", "./bin/kafka-configs.sh", "kafka-configs"], group: .kafkaTools,
        abstract: "Kafka's config tool: describe and alter topic configs",
        discussion: "kafkalab simulates --entity-type topics. List values go in brackets: --add-config cleanup.policy=[compact,delete]",
        flags: [
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "REQUIRED: the cluster to connect to"),
            FlagSpec("entity-type", value: "TYPE", help: "topics"),
            FlagSpec("entity-name", value: "NAME", help: "the topic"),
            FlagSpec("topic", value: "TOPIC", help: "same as --entity-type topics --entity-name TOPIC"),
            FlagSpec("describe", help: "show the configs set on the topic"),
            FlagSpec("all", help: "with --describe: every config, defaults included"),
            FlagSpec("alter", help: "change configs"),
            FlagSpec("add-config", value: "K=V[,K=V]", help: "configs to set"),
            FlagSpec("delete-config", value: "K[,K]", help: "configs to return to their defaults"),
        ],
        examples: ["kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type topics --entity-name orders --add-config retention.ms=60000,segment.bytes=1024",
                   "kafka-configs.sh --bootstrap-server localhost:9092 --describe --entity-type topics --entity-name orders"],
        flagCompletion: ["entity-type": .fixed(["topics"]), "entity-name": .topic, "topic": .topic,
                         "add-config": .configKey, "delete-config": .configKey, "bootstrap-server": .fixed(["localhost:9092"])])

    /// The broker config each topic config falls back to, and its default as Kafka shows it.
    static let brokerDefaults: [String: String] = [
        "cleanup.policy": "log.cleanup.policy=delete", "retention.ms": "log.retention.hours=168",
        "retention.bytes": "log.retention.bytes=-1", "segment.bytes": "log.segment.bytes=1073741824",
        "segment.ms": "log.roll.hours=168", "min.cleanable.dirty.ratio": "log.cleaner.min.cleanable.ratio=0.5",
        "delete.retention.ms": "log.cleaner.delete.retention.ms=86400000", "max.message.bytes": "message.max.bytes=1048588",
        "message.timestamp.type": "log.message.timestamp.type=CreateTime", "index.interval.bytes": "log.index.interval.bytes=4096",
        "segment.index.bytes": "log.index.size.max.bytes=10485760", "min.insync.replicas": "min.insync.replicas=1",
        "min.compaction.lag.ms": "log.cleaner.min.compaction.lag.ms=0", "file.delete.delay.ms": "log.segment.delete.delay.ms=60000",
    ]

    static func fail(_ arguments: ParsedArguments, _ exception: String, _ message: String) -> ShellError {
        .toolFailure(["\(exception): \(message)"])
    }

    /// `a=1,b=[x,y]` split on commas outside brackets.
    static func splitConfigs(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for c in text {
            if c == "[" { depth += 1 } else if c == "]" { depth -= 1 }
            if c == "," && depth == 0 { parts.append(current); current = "" } else { current.append(c) }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-configs.sh")
        if let type = arguments.string("entity-type"), type != "topics" {
            throw .toolFailure(["[kafkalab] --entity-type \(type) is not simulated yet; kafkalab has topic configs (--entity-type topics)."])
        }
        guard let name = arguments.string("topic") ?? arguments.string("entity-name") else {
            throw .toolFailure(["Command must include exactly one of --entity-name or --entity-default, and --entity-type topics (or --topic NAME)."])
        }
        guard arguments.has("describe") != arguments.has("alter") else {
            throw .toolFailure(["Command must include exactly one action: --describe, --alter"])
        }
        guard let topic = session.cluster.topics[name] else {
            throw fail(arguments, "org.apache.kafka.common.errors.UnknownTopicOrPartitionException", "The topic '\(name)' does not exist.")
        }
        if arguments.has("describe") {
            let all = arguments.has("all")
            var output = Output(["\(all ? "All" : "Dynamic") configs for topic \(name) are:"])
            let keys = all ? TopicConfigDefinitions.all.map(\.name) : topic.configOverrides.keys.sorted()
            for key in keys {
                let value = topic.config(key) ?? ""
                var synonyms: [String] = []
                if let override = topic.configOverrides[key] { synonyms.append("DYNAMIC_TOPIC_CONFIG:\(key)=\(override)") }
                if let broker = brokerDefaults[key] { synonyms.append("DEFAULT_CONFIG:\(broker)") }
                output.append("  \(key)=\(value) sensitive=false synonyms={\(synonyms.joined(separator: ", "))}")
            }
            return output
        }
        var set: [String: String] = [:]
        for part in arguments.string("add-config").map(splitConfigs) ?? [] {
            guard let equals = part.firstIndex(of: "="), equals != part.startIndex else {
                throw fail(arguments, "java.lang.IllegalArgumentException", "Invalid config '\(part)': write KEY=VALUE.")
            }
            var value = String(part[part.index(after: equals)...])
            if value.hasPrefix("[") && value.hasSuffix("]") { value = String(value.dropFirst().dropLast()) }
            set[String(part[..<equals])] = value
        }
        let deletions = arguments.string("delete-config").map { $0.split(separator: ",").map(String.init) } ?? []
        guard !set.isEmpty || !deletions.isEmpty else {
            throw .toolFailure(["At least one of --add-config or --delete-config must be specified with --alter"])
        }
        do throws(KafkaError) {
            try session.cluster.alterTopicConfig(name, set: set, delete: deletions)
        } catch {
            throw fail(arguments, "org.apache.kafka.common.errors.\(error.exceptionName)", error.message)
        }
        var output = Output()
        output.append("Completed updating config for topic \(name).")
        return output
    }
}

extension ParsedArguments {
    /// The arguments roughly as typed, for Kafka's "with args '...'" lines.
    var rawWords: String {
        spec.flags.compactMap { flag in values[flag.name].map { vs in vs.map { "--\(flag.name)" + ($0.isEmpty ? "" : " \($0)") }.joined(separator: " ") } }
            .joined(separator: " ")
    }
}
