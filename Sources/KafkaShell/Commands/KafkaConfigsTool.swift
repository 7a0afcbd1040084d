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
                         "add-config": .configKey, "delete-config": .configKey, "bootstrap-server": .fixed(["localhost:9092"])],
        optionParser: .joptsimple(report: .message, known: ["bootstrap-server", "bootstrap-controller", "command-config", "alter", "describe", "all", "entity-type", "entity-name", "entity-default", "add-config", "add-config-file", "delete-config", "force", "topic", "client", "client-defaults", "user", "user-defaults", "broker", "broker-defaults", "broker-logger", "ip-defaults", "ip", "group", "client-metrics", "help", "version"]))

    /// The broker config each topic config falls back to (`ServerTopicConfigSynonyms.TOPIC_CONFIG_SYNONYMS`, the
    /// first synonym). `nil`: the broker's synonyms of that name have no default (`retention.ms` → `log.retention.ms`,
    /// `segment.ms` → `log.roll.ms`, `segment.jitter.ms` → `log.roll.jitter.ms`, `flush.ms` → `log.flush.interval.ms`),
    /// so `ConfigHelper.configSynonyms`' `allSynonyms.dropWhile(s => s.name != name)` leaves nothing.
    static let brokerSynonym: [String: String?] = [
        "cleanup.policy": "log.cleanup.policy", "compression.type": "compression.type",
        "compression.gzip.level": "compression.gzip.level", "compression.lz4.level": "compression.lz4.level",
        "compression.zstd.level": "compression.zstd.level", "delete.retention.ms": "log.cleaner.delete.retention.ms",
        "file.delete.delay.ms": "log.segment.delete.delay.ms", "flush.messages": "log.flush.interval.messages",
        "flush.ms": nil, "index.interval.bytes": "log.index.interval.bytes",
        "local.retention.bytes": "log.local.retention.bytes", "local.retention.ms": "log.local.retention.ms",
        "max.compaction.lag.ms": "log.cleaner.max.compaction.lag.ms", "max.message.bytes": "message.max.bytes",
        "message.timestamp.after.max.ms": "log.message.timestamp.after.max.ms",
        "message.timestamp.before.max.ms": "log.message.timestamp.before.max.ms",
        "message.timestamp.type": "log.message.timestamp.type", "min.cleanable.dirty.ratio": "log.cleaner.min.cleanable.ratio",
        "min.compaction.lag.ms": "log.cleaner.min.compaction.lag.ms", "min.insync.replicas": "min.insync.replicas",
        "preallocate": "log.preallocate", "retention.bytes": "log.retention.bytes", "retention.ms": nil,
        "segment.bytes": "log.segment.bytes", "segment.index.bytes": "log.index.size.max.bytes", "segment.jitter.ms": nil,
        "segment.ms": nil, "unclean.leader.election.enable": "unclean.leader.election.enable",
    ]

    /// `synonyms={…}` of one topic config (`ConfigHelper.createTopicConfigEntry`): the topic's own override
    /// (`DYNAMIC_TOPIC_CONFIG`), then the primary broker synonym's `DEFAULT_CONFIG` (kafkalab's brokers run without
    /// server.properties overrides, so there are no STATIC_BROKER_CONFIG entries).
    static func synonyms(_ topic: Topic, _ key: String) -> String {
        var list: [String] = []
        if let override = topic.configOverrides[key] { list.append("DYNAMIC_TOPIC_CONFIG:\(key)=\(override)") }
        if let broker = brokerSynonym[key] ?? nil, let value = TopicConfigDefinitions.definition(key)?.defaultValue {
            list.append("DEFAULT_CONFIG:\(broker)=\(value)")
        }
        return list.joined(separator: ", ")
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

    /// 4.0.0 `ConfigCommand.main`: `IllegalArgumentException`, `InvalidConfigurationException` and option errors print
    /// just `e.getMessage` on stderr; anything else prints
    /// `s"Error while executing config command with args '${args.mkString(" ")}'"` and `t.printStackTrace(System.err)`,
    /// whose first line is the exception (kafkalab leaves out the `at …` lines).
    static func unexpected(_ arguments: ParsedArguments, _ before: [String], _ exception: String) -> ShellError {
        let args = arguments.words.joined(separator: " ")
        return .toolFailure(before + ["Error while executing config command with args '\(args)'", exception])
    }

    static let unknownTopic = "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition."

    /// The order of `adminClient.listTopics(...).names()`: the key set of a `java.util.HashMap` (capacity 16,
    /// doubling past 3/4 full; bucket `(h ^ (h >>> 16)) & (capacity - 1)` of `String.hashCode`).
    static func javaHashSetOrder(_ names: [String]) -> [String] {
        var capacity = 16
        while Double(names.count) > 0.75 * Double(capacity) { capacity *= 2 }
        func bucket(_ s: String) -> Int {
            let h = UInt32(bitPattern: JavaString.hashCode(s))
            return Int((h ^ (h >> 16)) & UInt32(capacity - 1))
        }
        return names.sorted { bucket($0) != bucket($1) ? bucket($0) < bucket($1) : JavaString.lessThan($0, $1) }
    }

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-configs.sh")
        guard arguments.has("describe") != arguments.has("alter") else {
            throw .toolFailure(["Command must include exactly one action: --describe, --alter"])
        }
        if let type = arguments.string("entity-type"), type != "topics" {
            throw .toolFailure(["[kafkalab] --entity-type \(type) is not simulated yet; kafkalab has topic configs (--entity-type topics)."])
        }
        if arguments.has("topic") && (arguments.has("entity-type") || arguments.has("entity-name")) {
            throw .toolFailure(["--entity-{type,name,default} should not be used in conjunction with specific entity flags"])
        }
        if !arguments.has("topic") && !arguments.has("entity-type") {
            throw .toolFailure(["At least one entity type must be specified"])
        }
        let name = arguments.string("topic") ?? arguments.string("entity-name")
        let cluster = session.cluster
        if arguments.has("describe") {
            // `describeResourceConfig`: no name → every topic, internal ones included, in the admin's name-set order.
            let all = arguments.has("all")
            let names = name.map { [$0] } ?? javaHashSetOrder(cluster.topics.keys.map { $0 })
            var lines: [String] = []
            for entity in names {
                lines.append("\(all ? "All" : "Dynamic") configs for topic \(entity) are:")
                guard let topic = cluster.topics[entity] else { throw unexpected(arguments, lines, unknownTopic) }
                // `getResourceConfig`: sorted by name; without --all only the DYNAMIC_TOPIC_CONFIG entries.
                let keys = all ? TopicConfigDefinitions.all.map(\.name).sorted() : topic.configOverrides.keys.sorted()
                for key in keys {
                    lines.append("  \(key)=\(topic.config(key) ?? "") sensitive=false synonyms={\(synonyms(topic, key))}")
                }
            }
            return Output(lines)
        }
        guard let name else { throw .toolFailure(["An entity name must be specified with --alter of topics"]) }
        guard arguments.has("add-config") || arguments.has("delete-config") else {
            throw .toolFailure(["At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter"])
        }
        var set: [String: String] = [:]
        for part in arguments.string("add-config").map(splitConfigs) ?? [] {
            // `parseConfigsToBeAdded`: Scala's `require(configsToBeAdded.forall(config => config.length == 2), "Invalid entity
            // config: …")` throws an IllegalArgumentException whose message starts "requirement failed: ".
            guard let equals = part.firstIndex(of: "="), !part[part.index(after: equals)...].contains("=") else {
                throw .toolFailure(["requirement failed: Invalid entity config: all configs to be added must be in the format \"key=val\" or  \"key=[val1,val2]\" to group values which contain commas."])
            }
            var value = String(part[part.index(after: equals)...])
            if value.hasPrefix("[") && value.hasSuffix("]") { value = String(value.dropFirst().dropLast()) }
            set[String(part[..<equals])] = value
        }
        let deletions = arguments.string("delete-config").map { $0.split(separator: ",").map(String.init) } ?? []
        // `alterResourceConfig` describes first: an unknown topic fails there.
        guard let topic = cluster.topics[name] else { throw unexpected(arguments, [], unknownTopic) }
        // "fail the command if any of the configs to be deleted does not exist" (InvalidConfigurationException: message only).
        let notSet = deletions.filter { topic.configOverrides[$0] == nil }
        if !notSet.isEmpty { throw .toolFailure(["Invalid config(s): \(notSet.joined(separator: ","))"]) }
        do throws(KafkaError) {
            try cluster.alterTopicConfig(name, set: set, delete: deletions)
        } catch {
            // The broker's error comes back inside an ExecutionException, which `alterConfig` rethrows.
            throw unexpected(arguments, [], "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.\(error.exceptionName): \(error.message)")
        }
        var output = Output()
        output.append("Completed updating config for topic \(name).")
        return output
    }
}
