import KafkaModel

/// `kafka-get-offsets.sh` (4.0.0 `tools/.../GetOffsetShell.java`): ListOffsets for the partitions a topic regex
/// and partition list (or `--topic-partitions` patterns) select, printed `topic:partition:offset`.
enum GetOffsetsTool {
    static let all: [Command] = [tool]

    static let usageText = "An interactive shell for getting topic-partition offsets."

    static let spec = CommandSpec(
        "kafka-get-offsets.sh", aliases: ["bin/kafka-get-offsets.sh", "./bin/kafka-get-offsets.sh", "kafka-get-offsets"], group: .kafkaTools,
        abstract: "Kafka's offset tool: the earliest, latest or by-time offset of each partition",
        discussion: """
            Prints topic:partition:offset, sorted as text. --time latest (the default, -1) is the high watermark,
            earliest (-2) the log start offset, max-timestamp (-3) the offset of the record with the largest timestamp,
            and a number of ms since the epoch the first offset whose timestamp is at least that (nothing when none is).
            A partition without a leader is skipped with a message (Kafka's admin client first waits 60 s for one).
            """,
        flags: [
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "REQUIRED: the cluster to connect to (kafkalab listens on localhost:9092)"),
            FlagSpec("topic", value: "TOPIC", help: "the topic, or a regular expression (default: every topic)"),
            FlagSpec("partitions", value: "P,P", help: "partition ids, comma separated (default: every partition)"),
            FlagSpec("topic-partitions", value: "PATTERNS", help: "instead of --topic/--partitions: topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3"),
            FlagSpec("time", value: "TIME", help: "latest (-1, the default), earliest (-2), max-timestamp (-3), or a timestamp in ms"),
            FlagSpec("exclude-internal-topics", help: "leave out internal topics such as __consumer_offsets"),
        ],
        examples: [
            "kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic orders",
            "kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic orders --partitions 0,1 --time earliest",
        ],
        flagCompletion: ["topic": .topic, "time": .fixed(["latest", "earliest", "max-timestamp", "-1", "-2", "-3"]),
                         "bootstrap-server": .fixed(["localhost:9092"])],
        optionParser: .joptsimple(report: .prefixed("Error occurred: "), known: ["bootstrap-server", "topic-partitions", "topic", "partitions", "time", "command-config", "exclude-internal-topics", "help", "version"]))

    /// `mainNoExit`'s `TerseException` line.
    static func fail(_ message: String, hint: String? = nil) -> ShellError {
        .toolFailure(["Error occurred: \(message)"] + (hint.map { ["[kafkalab] \($0)"] } ?? []))
    }

    /// Which offset ListOffsets asks for (`OffsetSpec`).
    enum OffsetSpec: Equatable {
        case earliest, latest, maxTimestamp, earliestLocal, latestTiered
        case timestamp(Int64)
    }

    /// `parseOffsetSpec`.
    static func offsetSpec(_ text: String) throws(ShellError) -> OffsetSpec {
        switch text {
        case "earliest": return .earliest
        case "latest": return .latest
        case "max-timestamp": return .maxTimestamp
        case "earliest-local": return .earliestLocal
        case "latest-tiered": return .latestTiered
        default:
            guard let value = Int64(text) else {
                throw fail("Malformed time argument \(text). Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp")
            }
            switch value {
            case -2: return .earliest
            case -1: return .latest
            case -3: return .maxTimestamp
            case -4: return .earliestLocal
            case -5: return .latestTiered
            default: return .timestamp(value)
            }
        }
    }

    /// One `--topic-partitions` rule, or `--topic` with `--partitions`.
    struct Rule {
        let topic: Regex<AnyRegexOutput>?
        let allows: (Int) -> Bool
    }

    static func topicRegex(_ pattern: String) throws(ShellError) -> Regex<AnyRegexOutput> {
        do { return try Regex(pattern) } catch {
            throw fail("Invalid topic regex '\(pattern)'", hint: "--topic takes a Java regular expression, e.g. 'orders|payments' or 'orders.*'.")
        }
    }

    /// `parseRuleSpec` with `TOPIC_PARTITION_PATTERN` `([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?`.
    static func rule(_ spec: String) throws(ShellError) -> Rule {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let topicText = parts[0]
        let topic = topicText.isEmpty ? nil : try topicRegex(topicText)
        guard parts.count == 2 else { return Rule(topic: topic, allows: { _ in true }) }
        let partition = parts[1]
        let isDigits = { (s: Substring) in s.allSatisfy { $0.isASCII && $0.isNumber } }
        if isDigits(Substring(partition)) {
            guard !partition.isEmpty else { return Rule(topic: topic, allows: { _ in true }) }
            guard let p = Int32(partition) else { throw fail("For input string: \"\(partition)\"") }
            return Rule(topic: topic, allows: { $0 == Int(p) })
        }
        let bounds = partition.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2, isDigits(bounds[0]), isDigits(bounds[1]) else { throw fail("Invalid rule specification: \(spec)") }
        let lower = bounds[0].isEmpty ? 0 : Int(Int32(bounds[0]) ?? Int32.max)
        let upper = bounds[1].isEmpty ? Int(Int32.max) : Int(Int32(bounds[1]) ?? Int32.max)
        return Rule(topic: topic, allows: { $0 >= lower && $0 < upper })
    }

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        if arguments.words.isEmpty { throw .toolFailure([usageText, "Usage: \(spec.usage)"]) }
        guard arguments.has("bootstrap-server") else {
            throw .toolFailure(["Missing required argument \"[bootstrap-server]\"", "Usage: \(spec.usage)"])
        }
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-get-offsets.sh")
        // `fetchOffsets`.
        if arguments.has("topic-partitions") && (arguments.has("topic") || arguments.has("partitions")) {
            throw fail("--topic-partitions cannot be used with --topic or --partitions")
        }
        let offsetSpec = try offsetSpec(arguments.string("time") ?? "latest")
        var rules: [Rule] = []
        if let patterns = arguments.string("topic-partitions") {
            for spec in patterns.split(separator: ",", omittingEmptySubsequences: false) { rules.append(try rule(String(spec))) }
        } else {
            var ids: Set<Int> = []
            if let text = arguments.string("partitions"), !text.isEmpty {
                for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let id = Int32(part) else {
                        throw fail("--partitions expects a comma separated list of numeric partition ids, but received: \(text)")
                    }
                    ids.insert(Int(id))
                }
            }
            let topic = try topicRegex(arguments.string("topic") ?? ".*")
            rules = [Rule(topic: topic, allows: { ids.isEmpty || ids.contains($0) })]
        }
        let cluster = session.cluster
        var partitions: [TopicPartition] = []
        for name in cluster.topicNames where !(arguments.has("exclude-internal-topics") && TopicName.isInternal(name)) {
            let matching = rules.filter { rule in rule.topic.map { (try? $0.wholeMatch(in: name)) != nil } ?? true }
            guard !matching.isEmpty else { continue }
            for p in cluster.topics[name]!.partitions.indices where matching.contains(where: { $0.allows(p) }) {
                partitions.append(TopicPartition(name, p))
            }
        }
        if partitions.isEmpty {
            throw fail("Could not match any topic-partitions with the specified filters",
                       hint: cluster.topicNames.isEmpty ? "There are no topics yet: create one with topic create NAME."
                           : "Topics here: \(cluster.topicNames.joined(separator: ", ")); 'describe TOPIC' shows a topic's partitions.")
        }
        var lines: [(String, String)] = []
        var output = Output()
        for tp in partitions {
            let offset: Int64?
            do throws(KafkaError) {
                offset = try lookUp(tp, offsetSpec, cluster: cluster)
            } catch {
                // The admin client retries a partition without a leader until `default.api.timeout.ms` (60 s).
                output.append("Skip getting offsets for topic-partition \(tp) due to error: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listOffsets(api=METADATA)", style: .standardError)
                output.append("[kafkalab] \(error.message)", style: .standardError)
                continue
            }
            // `ListOffsetsResponse.UNKNOWN_OFFSET` (-1) is not printed.
            if let offset { lines.append((tp.description, "\(tp.topic):\(tp.partition):\(offset)")) }
        }
        // A `TreeMap` ordered by `TopicPartition::toString` (so t-10 comes before t-2).
        lines.sort { $0.0.utf16.lexicographicallyPrecedes($1.0.utf16) }
        output.lines = lines.map { Output.Line($0.1) } + output.lines
        return output
    }

    /// What the leader answers for one partition (read_uncommitted: nothing at or past the high watermark).
    static func lookUp(_ tp: TopicPartition, _ spec: OffsetSpec, cluster: Cluster) throws(KafkaError) -> Int64? {
        let listed = try cluster.listOffsets(tp)
        switch spec {
        case .earliest, .earliestLocal:
            return listed.logStartOffset
        case .latest:
            return listed.highWatermark
        case .latestTiered:
            // No tiered storage: the broker answers -1.
            return nil
        case .maxTimestamp:
            return cluster.offsetOfMaxTimestamp(tp)
        case .timestamp(let ms):
            return cluster.offsetForTimestamp(tp, ms)
        }
    }
}
