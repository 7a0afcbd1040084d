import KafkaModel

/// `consume` and `kafka-console-consumer.sh`: read what the partitions hold, without a group
/// (groups come with the consumer-group commands).
enum ConsumeCommands {
    static let all: [Command] = [consume, consoleConsumer]

    /// Where a read starts.
    enum StartPosition { case beginning, end, offset(Int64) }

    /// What a read got: records in partition order, and the partitions it could not read (no leader), with the error.
    struct ReadResult {
        var records: [(Int, Record)] = []
        var unavailable: [(TopicPartition, KafkaError)] = []
        /// Where each partition that was read stands now (its next offset).
        var positions: [TopicPartition: Int64] = [:]
    }

    /// Reads up to `max` records from each partition in turn (partition order), below the high watermark, from
    /// the partition leaders (ListOffsets, then Fetch). A partition without a leader is skipped and reported.
    static func read(_ session: Session, topic: String, partitions: [Int], from start: StartPosition, max: Int,
                     starts: [Int: StartPosition] = [:]) throws(ShellError) -> ReadResult {
        var result = ReadResult()
        for p in partitions where result.records.count < max {
            let tp = TopicPartition(topic, p)
            do throws(KafkaError) {
                let listed = try session.cluster.listOffsets(tp)
                let offset: Int64
                switch starts[p] ?? start {
                case .beginning: offset = listed.logStartOffset
                case .end: offset = listed.highWatermark
                case .offset(let n):
                    guard n >= listed.logStartOffset && n <= listed.highWatermark else {
                        throw KafkaError.offsetOutOfRange("Fetch position \(n) is out of range for partition \(tp): the log holds offsets \(listed.logStartOffset) to \(listed.highWatermark).")
                    }
                    offset = n
                }
                let got = try session.cluster.fetch(tp, from: offset, maxRecords: max - result.records.count)
                result.records += got.map { (p, $0) }
                result.positions[tp] = got.last.map { $0.offset + 1 } ?? offset
            } catch .leaderNotAvailable(let message) {
                result.unavailable.append((tp, .leaderNotAvailable(message)))
            } catch .notLeaderOrFollower(let message) {
                result.unavailable.append((tp, .notLeaderOrFollower(message)))
            } catch {
                throw ShellError(error)
            }
        }
        return result
    }

    /// One line per partition a read could not reach.
    static func unavailableLine(_ error: KafkaError) -> String { "\(error.message) (\(error.errorName))" }

    static let consume = Command(
        CommandSpec(
            "consume", group: .consuming, abstract: "Read records from a topic's partitions (no consumer group)",
            discussion: "Reads partition by partition up to the high watermark, from each partition's leader (a partition without a leader is skipped and named). Offsets removed by compaction or retention are simply absent.",
            flags: [
                FlagSpec("partition", short: "p", value: "P", help: "only this partition"),
                FlagSpec("from", value: "beginning|end|N", help: "where to start: beginning (default), end, or an offset (needs --partition)"),
                FlagSpec("max", short: "n", value: "N", help: "at most N records (default 100)"),
            ],
            positionals: [PositionalSpec("TOPIC", help: "the topic")],
            examples: ["consume orders", "consume orders --partition 2 --from 1 --max 5"],
            positionalCompletion: .topic, flagCompletion: ["from": .fixed(["beginning", "end"])])
    ) { arguments, session throws(ShellError) in
        let topic = arguments.positionals[0]
        try TopicArguments.requireTopic(topic, session)
        let count = session.cluster.topics[topic]!.partitions.count
        let partition = try arguments.int("partition", in: 0...Int(Int32.max))
        if let partition, partition >= count {
            throw ShellError(KafkaError.unknownTopicOrPartition("Partition \(partition) of topic \(topic) does not exist: it has \(count) partition\(count == 1 ? "" : "s") (0..\(count - 1))."))
        }
        let start: StartPosition
        switch arguments.string("from") ?? "beginning" {
        case "beginning", "earliest": start = .beginning
        case "end", "latest": start = .end
        case let text:
            guard let n = Int64(text), n >= 0 else {
                throw .usage("Invalid value '\(text)' for '--from': expected beginning, end or an offset.", command: arguments.spec)
            }
            guard partition != nil || count == 1 else {
                throw .usage("--from \(text) names an offset, which belongs to one partition: add --partition P.", command: arguments.spec)
            }
            start = .offset(n)
        }
        let max = try arguments.int("max", in: 1...Int.max) ?? 100
        let result = try read(session, topic: topic, partitions: partition.map { [$0] } ?? Array(0..<count), from: start, max: max)
        let records = result.records
        if records.isEmpty, let (_, error) = result.unavailable.first, result.unavailable.count == 1 { throw ShellError(error) }
        var skipped = Output()
        for (_, error) in result.unavailable { skipped.append("warning: skipped: " + unavailableLine(error), style: .warning) }
        guard !records.isEmpty else { skipped.append("No records to read."); return skipped }
        let showHeaders = records.contains { !$0.1.headers.isEmpty }
        var table = Table(["PARTITION", "OFFSET", "TIMESTAMP", "KEY", "VALUE"] + (showHeaders ? ["HEADERS"] : []))
        for (p, record) in records {
            table.add([String(p), String(record.offset), Timestamp.timeOfDay(record.timestamp), RecordReport.text(record.key),
                       RecordReport.text(record.value)] + (showHeaders ? [headerText(record.headers)] : []))
        }
        var output = Output(table.render())
        output.append("\(records.count) record\(records.count == 1 ? "" : "s").")
        output.lines += skipped.lines
        return output
    }

    static func headerText(_ headers: [RecordHeader]) -> String {
        headers.isEmpty ? "NO_HEADERS" : headers.map { "\($0.key):\(RecordReport.text($0.value))" }.joined(separator: ",")
    }

    static let consoleSpec = CommandSpec(
        "kafka-console-consumer.sh", aliases: ["bin/kafka-console-consumer.sh", "./bin/kafka-console-consumer.sh", "kafka-console-consumer"],
        group: .kafkaTools, abstract: "Kafka's console consumer: print records, then 'Processed a total of N messages'",
        discussion: """
            Without --from-beginning or --offset it starts at the end, so it prints only records produced later.
            kafkalab prints what is available and stops; --timeout-ms also moves the simulated clock.
            Formatter properties: print.key, print.partition, print.offset, print.timestamp, print.headers, key.separator.
            """,
        flags: [
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "REQUIRED: the cluster to connect to"),
            FlagSpec("topic", value: "TOPIC", help: "the topic to consume"),
            FlagSpec("from-beginning", help: "start at the earliest offset instead of the latest"),
            FlagSpec("partition", value: "P", help: "consume only this partition"),
            FlagSpec("offset", value: "earliest|latest|N", help: "where to start in --partition (default latest)"),
            FlagSpec("max-messages", value: "N", help: "stop after N messages"),
            FlagSpec("timeout-ms", value: "MS", help: "stop when no message arrives for this long"),
            FlagSpec("property", value: "KEY=VALUE", repeatable: true, help: "a formatter property, e.g. print.key=true"),
            FlagSpec("consumer-property", value: "KEY=VALUE", repeatable: true, help: "a consumer config (accepted)"),
            FlagSpec("isolation-level", value: "LEVEL", help: "read_uncommitted (default) or read_committed"),
            FlagSpec("formatter", value: "CLASS", help: "how records are printed: \(defaultFormatter) or \(offsetsFormatter) (for __consumer_offsets)"),
            FlagSpec("group", value: "GROUP", help: "read as a member of this consumer group: start at its committed offsets and commit on close"),
        ],
        examples: ["kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --property print.key=true",
                   "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic __consumer_offsets --from-beginning --formatter \"\(offsetsFormatter)\""],
        flagCompletion: ["topic": .topic, "bootstrap-server": .fixed(["localhost:9092"]), "offset": .fixed(["earliest", "latest"]),
                         "isolation-level": .fixed(["read_uncommitted", "read_committed"]),
                         "formatter": .fixed([defaultFormatter, offsetsFormatter]),
                         "property": .fixed(["print.key=true", "print.partition=true", "print.offset=true", "print.timestamp=true", "print.headers=true", "key.separator="])])

    static let consoleConsumer = Command(consoleSpec) { arguments, session throws(ShellError) in
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-console-consumer.sh")
        guard let topic = arguments.string("topic") else {
            throw .toolFailure(["Exactly one of --include/--topic is required."])
        }
        let group = arguments.string("group")
        if let group {
            if arguments.has("partition") || arguments.has("offset") {
                throw .toolFailure(["Options group and partition/offset cannot be specified together."])
            }
            let state = session.cluster.groupState(group)
            guard state == .empty || state == .dead else {
                throw .toolFailure(["[kafkalab] Group \(group) has active members (state \(state)); the console consumer would join it and trigger a rebalance. Stop them first, or join as a simulated consumer: consumer start NAME --group \(group) --topic \(topic)"])
            }
        }
        if let level = arguments.string("isolation-level"), !["read_uncommitted", "read_committed"].contains(level) {
            throw .toolFailure(["org.apache.kafka.common.config.ConfigException: Invalid value \(level) for configuration isolation.level: String must be one of: read_committed, read_uncommitted"])
        }
        if arguments.has("offset") && arguments.has("from-beginning") {
            throw .toolFailure(["Options from-beginning and offset cannot be specified together."])
        }
        if arguments.has("offset") && !arguments.has("partition") {
            throw .toolFailure(["The partition is required when offset is specified."])
        }
        guard let topicState = session.cluster.topics[topic] else {
            throw .toolFailure(["[kafkalab] Topic '\(topic)' does not exist (UNKNOWN_TOPIC_OR_PARTITION); the console consumer would wait for it. Processed a total of 0 messages"])
        }
        var partitions = Array(topicState.partitions.indices)
        if let text = arguments.string("partition") {
            guard let p = Int(text), p >= 0 else { throw .toolFailure(["Invalid value '\(text)' for option --partition"]) }
            guard p < partitions.count else {
                throw .toolFailure(["[kafkalab] Partition \(p) of topic \(topic) does not exist (UNKNOWN_TOPIC_OR_PARTITION): it has \(partitions.count). Processed a total of 0 messages"])
            }
            partitions = [p]
        }
        var start: StartPosition = arguments.has("from-beginning") ? .beginning : .end
        switch arguments.string("offset") {
        case nil: break
        case "earliest": start = .beginning
        case "latest": start = .end
        case let text?:
            guard let n = Int64(text), n >= 0 else { throw .toolFailure(["Invalid offset: \(text)"]) }
            start = .offset(n)
        }
        let formatter = arguments.string("formatter")
        if let formatter, formatter != defaultFormatter, formatter != offsetsFormatter {
            var lines = ["Exception in thread \"main\" java.lang.ClassNotFoundException: \(formatter)"]
            if formatter.hasSuffix("OffsetsMessageFormatter") {
                lines.append("[kafkalab] Kafka 4.0 moved the offsets formatter: --formatter \"\(offsetsFormatter)\"")
            }
            throw .toolFailure(lines)
        }
        var maxMessages = Int.max
        if let text = arguments.string("max-messages") {
            guard let n = Int(text), n >= 1 else { throw .toolFailure(["Invalid value '\(text)' for option --max-messages"]) }
            maxMessages = n
        }
        let properties = try ConsoleProducerTool.propertyMap(arguments.strings("property"))
        let separator = properties["key.separator"].map(ConsoleProducerTool.unescape) ?? "\t"
        let flag = { (name: String) in properties[name] == "true" }
        let result: ReadResult
        if let group {
            // As a member of the group: start at its committed offsets; auto.offset.reset decides where none exist.
            let committed = session.cluster.committedOffsets(group)
            var starts: [Int: StartPosition] = [:]
            for p in partitions { if let offset = committed[TopicPartition(topic, p)] { starts[p] = .offset(offset) } }
            result = try Self.read(session, topic: topic, partitions: partitions, from: start, max: maxMessages, starts: starts)
            // enable.auto.commit=true: the positions are committed when the consumer closes.
            do throws(ResetOffsetsError) { try session.cluster.commitAsClosingMember(group, result.positions) } catch {
                throw .toolFailure(["\(error)"])
            }
        } else {
            result = try read(session, topic: topic, partitions: partitions, from: start, max: maxMessages)
        }
        let records = result.records
        var output = Output()
        // The consumer finds no leader in the metadata for these partitions: it fetches nothing from them and
        // keeps asking (retry.backoff.ms) until a leader is elected.
        for (_, error) in result.unavailable {
            output.append("[\(KafkaLogTime.format(session.cluster.nowMs))] WARN [kafkalab] \(unavailableLine(error)); the consumer waits for a leader and reads nothing from it (org.apache.kafka.clients.consumer.internals.AbstractFetch)")
        }
        // `__consumer_offsets` holds binary commit records: print them as Kafka's OffsetsMessageFormatter does.
        let readableOffsets = formatter == offsetsFormatter || (formatter == nil && topic == GroupCoordinator.offsetsTopic)
        if readableOffsets && formatter == nil {
            output.append("[kafkalab] Offset commits shown as --formatter \"\(offsetsFormatter)\" prints them; Kafka's default formatter would print raw bytes.")
        }
        for (p, record) in records {
            if readableOffsets {
                if let text = OffsetCommitRecord.describe(key: record.key, value: record.value) { output.append(text) }
                continue
            }
            var line = ""
            if flag("print.timestamp") { line += "\(record.timestampTypeLabel(topicState)):\(record.timestamp)" + separator }
            if flag("print.partition") { line += "Partition:\(p)" + separator }
            if flag("print.offset") { line += "Offset:\(record.offset)" + separator }
            if flag("print.headers") { line += headerText(record.headers) + separator }
            if flag("print.key") { line += RecordReport.text(record.key) + separator }
            line += RecordReport.text(record.value)
            output.append(line)
        }
        if records.count < maxMessages, let text = arguments.string("timeout-ms") {
            guard let ms = Int64(text), ms >= 0 else { throw .toolFailure(["Invalid value '\(text)' for option --timeout-ms"]) }
            session.cluster.advance(byMs: ms)
            output.append("[\(KafkaLogTime.format(session.cluster.nowMs))] ERROR Error processing message, terminating consumer process:  (org.apache.kafka.tools.consumer.ConsoleConsumer)")
            output.append("org.apache.kafka.common.errors.TimeoutException")
        }
        output.append("Processed a total of \(records.count) messages")
        return output
    }
}

extension ConsumeCommands {
    /// Kafka 4.0's formatter classes for `--formatter`.
    static let defaultFormatter = "org.apache.kafka.tools.consumer.DefaultMessageFormatter"
    static let offsetsFormatter = "org.apache.kafka.tools.consumer.OffsetsMessageFormatter"
}

extension Record {
    /// `CreateTime` or `LogAppendTime`, as the topic stamps records.
    func timestampTypeLabel(_ topic: Topic) -> String {
        topic.config("message.timestamp.type") == "LogAppendTime" ? "LogAppendTime" : "CreateTime"
    }
}

/// Kafka's log4j time stamp: `2024-01-01 00:00:05,000`.
enum KafkaLogTime {
    static func format(_ ms: Int64) -> String {
        let iso = Timestamp.iso8601(ms)  // 2024-01-01T00:00:05.000Z
        return iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "").replacingOccurrences(of: ".", with: ",")
    }
}
