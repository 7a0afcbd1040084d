import KafkaModel

/// `kafka-topics.sh` with Kafka's own flags, messages and `--describe` format.
enum KafkaTopicsTool {
    static let all: [Command] = [tool]

    static let spec = CommandSpec(
        "kafka-topics.sh", aliases: ["bin/kafka-topics.sh", "kafka-topics", "./bin/kafka-topics.sh"], group: .kafkaTools,
        abstract: "Kafka's topic tool: create, list, describe, alter and delete topics",
        discussion: "Typed as in any Kafka tutorial. Exactly one action: --create, --list, --describe, --alter or --delete.\n--topic also takes a regular expression, except with --create.",
        flags: [
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "REQUIRED: the cluster to connect to (kafkalab listens on localhost:9092)"),
            FlagSpec("create", help: "create a new topic"),
            FlagSpec("list", help: "list all available topics"),
            FlagSpec("describe", help: "list details for the given topics"),
            FlagSpec("alter", help: "alter the number of partitions of a topic"),
            FlagSpec("delete", help: "delete a topic"),
            FlagSpec("topic", value: "TOPIC", help: "the topic to create, alter, describe or delete (a regex except with --create)"),
            FlagSpec("partitions", value: "N", help: "partitions of the topic being created or altered (WARNING: increasing them for a keyed topic changes where keys go)"),
            FlagSpec("replication-factor", value: "N", help: "replication factor of the topic being created"),
            FlagSpec("config", value: "KEY=VALUE", repeatable: true, help: "a topic config override for the topic being created"),
            FlagSpec("if-not-exists", help: "with --create: only create the topic if it does not exist"),
            FlagSpec("if-exists", help: "with --alter, --describe or --delete: only act if the topic exists"),
            FlagSpec("exclude-internal", help: "exclude internal topics from --list and --describe"),
            FlagSpec("under-replicated-partitions", help: "with --describe: only partitions whose ISR is smaller than their replicas"),
            FlagSpec("unavailable-partitions", help: "with --describe: only partitions whose leader is not available"),
            FlagSpec("under-min-isr-partitions", help: "with --describe: only partitions whose ISR is smaller than min.insync.replicas (or that have no leader)"),
            FlagSpec("at-min-isr-partitions", help: "with --describe: only partitions whose ISR size equals min.insync.replicas"),
            FlagSpec("topics-with-overrides", help: "with --describe: only topics that have config overrides"),
        ],
        examples: [
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic quickstart-events --partitions 3 --replication-factor 3",
            "kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic quickstart-events",
            "kafka-topics.sh --bootstrap-server localhost:9092 --list",
        ],
        flagCompletion: ["topic": .topic, "config": .configKey, "bootstrap-server": .fixed(["localhost:9092"])],
        optionParser: .joptsimple(report: .messageAndStackTrace, known: ["bootstrap-server", "command-config", "list", "create", "delete", "alter", "describe", "topic", "topic-id", "config", "delete-config", "partitions", "replication-factor", "replica-assignment", "under-replicated-partitions", "unavailable-partitions", "under-min-isr-partitions", "at-min-isr-partitions", "topics-with-overrides", "if-exists", "if-not-exists", "exclude-internal", "partition-size-limit-per-response", "help", "version"]))

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        let actions = ["create", "list", "describe", "alter", "delete"].filter { arguments.has($0) }
        guard actions.count == 1 else {
            throw fail("Command must include exactly one action: --list, --describe, --create, --alter or --delete")
        }
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-topics.sh")
        try checkFilterOptions(arguments, action: actions[0])
        let cluster = session.cluster
        switch actions[0] {
        case "create":
            guard let name = arguments.string("topic") else { throw fail("Missing required argument \"[topic]\"") }
            if arguments.has("if-not-exists"), cluster.topics[name] != nil { return Output() }
            let partitions = try positiveInt(arguments, "partitions", "The partitions must be greater than 0")
            let factor = try positiveInt(arguments, "replication-factor", "The replication factor must be between 1 and 32767 inclusive", max: 32767)
            let configs = try TopicArguments.configs(arguments.strings("config"), spec: spec)
            do throws(KafkaError) {
                let warnings = try cluster.createTopic(name, partitions: partitions, replicationFactor: factor, configs: configs)
                var output = Output(warnings)
                output.append("Created topic \(name).")
                return output
            } catch {
                throw fail(error.message)
            }
        case "list":
            let names = cluster.topicNames.filter { !(arguments.has("exclude-internal") && TopicName.isInternal($0)) }
            return Output(try matching(arguments, names, requireMatch: false))
        case "describe":
            let names = try matching(arguments, cluster.topicNames.filter { !(arguments.has("exclude-internal") && TopicName.isInternal($0)) })
            var output = Output()
            for name in names {
                let topic = cluster.topics[name]!
                // 4.0.0 `TopicCommand.DescribeOptions`: any partition filter suppresses the `Topic:` lines
                // (`describeConfigs = !reportUnavailablePartitions && !reportUnderReplicatedPartitions &&
                // !reportUnderMinIsrPartitions && !reportAtMinIsrPartitions`) and prints the partitions matching
                // at least one; `--topics-with-overrides` prints no partition lines (`describePartitions = !reportOverriddenConfigs`).
                let filters = ["under-replicated-partitions", "unavailable-partitions", "under-min-isr-partitions", "at-min-isr-partitions"]
                    .filter { arguments.has($0) }
                if !filters.isEmpty {
                    let minIsr = Int(topic.config("min.insync.replicas") ?? "1") ?? 1
                    for index in topic.partitions.indices {
                        let state = topic.partitions[index]
                        // `hasUnavailablePartitions(liveBrokers)`: no leader, or a leader not among `describeCluster().nodes()`,
                        // the brokers the metadata has unfenced (a broker stopped while metadata is frozen still counts).
                        let unavailable = state.leader.map { cluster.fencedBrokers.contains($0) || cluster.broker($0) == nil } ?? true
                        let matches = filters.contains { filter in
                            switch filter {
                            case "under-replicated-partitions": return state.isUnderReplicated
                            case "unavailable-partitions": return unavailable
                            // `isUnderMinIsr`: `!hasLeader() || info.isr().size() < minIsrCount()`
                            case "under-min-isr-partitions": return state.leader == nil || state.isr.count < minIsr
                            // `isAtMinIsrPartitions`: `minIsrCount() == info.isr().size()`
                            default: return state.isr.count == minIsr
                            }
                        }
                        if matches { output.append(TopicDescription.kafkaPartitionLine(topic, index)) }
                    }
                } else if arguments.has("topics-with-overrides") {
                    if !topic.configOverrides.isEmpty { output.append(TopicDescription.kafkaLines(topic, partitions: [])[0]) }
                } else {
                    output.append(lines: TopicDescription.kafkaLines(topic))
                }
            }
            return output
        case "alter":
            let names = try matching(arguments, cluster.topicNames, required: true)
            guard arguments.has("partitions") else {
                throw fail("Missing required argument \"[partitions]\"")
            }
            let partitions = try positiveInt(arguments, "partitions", "The partitions must be greater than 0")!
            var output = Output()
            for name in names {
                let before = cluster.topics[name]!.partitions.count
                let keys = partitions > before ? ((try? PartitionCommands.keyCounts(session, topic: name)) ?? [:]) : [:]
                do throws(KafkaError) { try cluster.createPartitions(name, totalCount: partitions) } catch { throw fail(error.message) }
                // 4.0.0 `TopicService.alterTopic` prints nothing on success; the WARNING about keys is only in the
                // `--partitions` help text. kafkalab adds a labelled note when keys already in the topic move.
                let moved = keys.keys.sorted().compactMap { key -> String? in
                    let old = partitionForKey(Array(key.utf8), numPartitions: before)
                    let new = partitionForKey(Array(key.utf8), numPartitions: partitions)
                    return old == new ? nil : "\(key) (\(old) → \(new))"
                }
                if !keys.isEmpty {
                    output.append(moved.isEmpty ? "[kafkalab] Every existing key of \(name) still maps to the same partition."
                        : "[kafkalab] Keys of \(name) that now map to another partition: \(moved.joined(separator: ", ")). Their old records stay where they are.")
                }
            }
            return output
        default:
            let names = try matching(arguments, cluster.topicNames, required: true)
            for name in names {
                do throws(KafkaError) { try cluster.deleteTopic(name) } catch { throw fail(error.message) }
            }
            return Output()
        }
    }

    /// The partition filters of `--describe`, in `TopicCommandOptions.checkInvalidArgs` order.
    static let partitionFilters = ["under-replicated-partitions", "under-min-isr-partitions", "at-min-isr-partitions", "unavailable-partitions"]

    /// `checkInvalidArgs`: a partition filter goes only with `--describe` and not with `--topics-with-overrides`
    /// (`CommandLineUtils.printUsageAndExit`: the message, then the options table, left out here).
    private static func checkFilterOptions(_ arguments: ParsedArguments, action: String) throws(ShellError) {
        for filter in partitionFilters where arguments.has(filter) {
            let other = action != "describe" ? action : (arguments.has("topics-with-overrides") ? "topics-with-overrides" : nil)
            if let other {
                throw .toolFailure(["Option \"[\(filter)]\" can't be used with option \"[\(other)]\"",
                                    "[kafkalab] The partition filters go with --describe, and not with --topics-with-overrides."])
            }
        }
        if arguments.has("topics-with-overrides") && action != "describe" {
            throw .toolFailure(["Option \"[topics-with-overrides]\" can't be used with option \"[\(action)]\"",
                                "[kafkalab] --topics-with-overrides goes with --describe."])
        }
    }

    /// Kafka's tool failure line.
    static func fail(_ message: String) -> ShellError {
        .toolFailure(["Error while executing topic command : \(message)"])
    }

    private static func positiveInt(_ arguments: ParsedArguments, _ name: String, _ message: String, max: Int = Int(Int32.max)) throws(ShellError) -> Int? {
        guard let text = arguments.string(name) else { return nil }
        guard let number = Int(text) else {
            throw fail("Invalid value '\(text)' for option --\(name): not a number")
        }
        guard number >= 1, number <= max else { throw fail(message) }
        return number
    }

    /// The topics `--topic` names (a regular expression, as in Kafka), or all of them.
    private static func matching(_ arguments: ParsedArguments, _ names: [String], required: Bool = false, requireMatch: Bool = true) throws(ShellError) -> [String] {
        guard let pattern = arguments.string("topic") else {
            if required { throw fail("Missing required argument \"[topic]\"") }
            return names
        }
        let matched: [String]
        if names.contains(pattern) && pattern.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            matched = [pattern]
        } else if let regex = try? Regex(pattern) {
            matched = names.filter { (try? regex.wholeMatch(in: $0)) != nil }
        } else {
            matched = names.filter { $0 == pattern }
        }
        if matched.isEmpty && requireMatch && !arguments.has("if-exists") {
            // 4.0.0 `ensureTopicExists(List<String> foundTopics, Optional<String> requestedTopic, …)`:
            // `String.format("Topic '%s' does not exist as expected", requestedTopic)` formats the Optional itself.
            throw fail("Topic 'Optional[\(pattern)]' does not exist as expected")
        }
        return matched
    }
}

/// Checks `--bootstrap-server` against the simulated cluster's listeners.
enum BootstrapServer {
    static func check(_ value: String?, session: Session, tool: String) throws(ShellError) {
        let listeners = session.cluster.brokers.map(\.listener)
        guard let value else {
            throw .toolFailure(["Missing required argument \"[bootstrap-server]\": add --bootstrap-server \(listeners[0]) (kafkalab's cluster listens there)."])
        }
        let servers = value.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }
        let known = Set(listeners + listeners.map { $0.replacingHost(with: "127.0.0.1") })
        guard servers.contains(where: known.contains) else {
            throw .toolFailure([
                "Could not connect to \(value): no broker listens there. kafkalab's cluster listens on \(listeners.joined(separator: ", ")); try --bootstrap-server \(listeners[0])."
            ])
        }
    }
}

extension String {
    fileprivate func replacingHost(with host: String) -> String {
        guard let colon = lastIndex(of: ":") else { return self }
        return host + self[colon...]
    }
}
