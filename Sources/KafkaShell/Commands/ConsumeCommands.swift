import Foundation
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
        /// read_committed: partitions whose read stopped at a last stable offset below the high watermark.
        var heldBack: [(partition: TopicPartition, lastStableOffset: Int64, highWatermark: Int64)] = []
    }

    /// `isolation.level` as the consumer sends it in ListOffsets and Fetch: 0 read_uncommitted, 1 read_committed.
    static let isolationLevels = ["read_uncommitted", "read_committed"]

    /// Reads up to `max` records from each partition in turn (partition order) as a consumer does, from the partition
    /// leaders: ListOffsets for where to start, then Fetch with `isolationLevel` (1: below the last stable offset,
    /// without aborted records or markers). A partition without a leader is skipped and reported.
    static func read(_ session: Session, topic: String, partitions: [Int], from start: StartPosition, max: Int,
                     starts: [Int: StartPosition] = [:], isolationLevel: Int8 = 0,
                     client: RequestContext) throws(ShellError) -> ReadResult {
        let cluster = session.cluster
        var result = ReadResult()
        for p in partitions where result.records.count < max {
            let tp = TopicPartition(topic, p)
            do throws(KafkaError) {
                let offset: Int64
                switch starts[p] ?? start {
                case .beginning:
                    offset = try cluster.clientListOffset(tp, timestamp: ListOffsetsRequest.earliestTimestamp, from: client)
                case .end:
                    offset = try cluster.clientListOffset(tp, timestamp: ListOffsetsRequest.latestTimestamp,
                                                          isolationLevel: isolationLevel, from: client)
                case .offset(let n):
                    let first = try cluster.clientListOffset(tp, timestamp: ListOffsetsRequest.earliestTimestamp, from: client)
                    let end = try cluster.clientListOffset(tp, timestamp: ListOffsetsRequest.latestTimestamp, from: client)
                    guard n >= first && n <= end else {
                        throw KafkaError.offsetOutOfRange("Fetch position \(n) is out of range for partition \(tp): the log holds offsets \(first) to \(end).")
                    }
                    offset = n
                }
                let got = try cluster.clientFetch(tp, from: offset, maxRecords: max - result.records.count,
                                                  isolationLevel: isolationLevel, from: client)
                result.records += got.records.map { (p, $0) }
                result.positions[tp] = got.nextOffset
                if isolationLevel == 1, got.lastStableOffset >= 0, got.lastStableOffset < got.highWatermark,
                   got.nextOffset >= got.lastStableOffset {
                    result.heldBack.append((tp, got.lastStableOffset, got.highWatermark))
                }
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
            discussion: "Reads partition by partition up to the high watermark, from each partition's leader (a partition without a leader is skipped and named), with ListOffsets and Fetch requests as a consumer does. Offsets removed by compaction or retention are simply absent. With --isolation-level read_committed it reads up to the last stable offset: records of aborted transactions and transaction markers are never shown (their offsets are gaps), and records after an open transaction wait until it ends.",
            flags: [
                FlagSpec("partition", short: "p", value: "P", help: "only this partition"),
                FlagSpec("from", value: "beginning|end|N", help: "where to start: beginning (default), end, or an offset (needs --partition)"),
                FlagSpec("max", short: "n", value: "N", help: "at most N records (default 100)"),
                FlagSpec("isolation-level", value: "LEVEL", help: "isolation.level: read_uncommitted (default) or read_committed"),
            ],
            positionals: [PositionalSpec("TOPIC", help: "the topic")],
            examples: ["consume orders", "consume orders --partition 2 --from 1 --max 5", "consume payments --isolation-level read_committed"],
            positionalCompletion: .topic, flagCompletion: ["from": .fixed(["beginning", "end"]), "isolation-level": .fixed(isolationLevels)])
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
        let level = arguments.string("isolation-level") ?? "read_uncommitted"
        guard let isolationLevel = isolationLevels.firstIndex(of: level) else {
            throw .usage("Invalid value '\(level)' for '--isolation-level': expected read_uncommitted or read_committed.", command: arguments.spec)
        }
        let client = RequestContext(client: .admin("consume"), clientId: "kafkalab-consume")
        let result = try read(session, topic: topic, partitions: partition.map { [$0] } ?? Array(0..<count), from: start, max: max,
                              isolationLevel: Int8(isolationLevel), client: client)
        let records = result.records
        if records.isEmpty, let (_, error) = result.unavailable.first, result.unavailable.count == 1 { throw ShellError(error) }
        var skipped = Output()
        for (_, error) in result.unavailable { skipped.append("warning: skipped: " + unavailableLine(error), style: .warning) }
        var heldBack: [String] = []
        for held in result.heldBack {
            heldBack.append("Partition \(held.partition.partition) stops at its last stable offset \(held.lastStableOffset) (high watermark \(held.highWatermark)): a transaction is still open.")
        }
        guard !records.isEmpty else {
            skipped.append("No records to read.")
            skipped.append(lines: heldBack)
            return skipped
        }
        let showHeaders = records.contains { !$0.1.headers.isEmpty }
        var table = Table(["PARTITION", "OFFSET", "TIMESTAMP", "KEY", "VALUE"] + (showHeaders ? ["HEADERS"] : []))
        for (p, record) in records {
            table.add([String(p), String(record.offset), Timestamp.timeOfDay(record.timestamp), RecordReport.text(record.key),
                       RecordReport.text(record.value)] + (showHeaders ? [headerText(record.headers)] : []))
        }
        var output = Output(table.render())
        output.append("\(records.count) record\(records.count == 1 ? "" : "s").")
        output.lines += skipped.lines
        output.append(lines: heldBack)
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
            Formatter properties (DefaultMessageFormatter): print.timestamp, print.partition, print.offset, print.delivery,
            print.epoch, print.headers, print.key, print.value (default true), key.separator, line.separator,
            headers.separator, null.literal, key.deserializer, value.deserializer, headers.deserializer.
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
            FlagSpec("consumer-property", value: "KEY=VALUE", repeatable: true, help: "a consumer config (isolation.level and client.id are used; others accepted)"),
            FlagSpec("isolation-level", value: "LEVEL", help: "read_uncommitted (default) or read_committed: stop at the last stable offset, skip aborted records"),
            FlagSpec("key-deserializer", value: "CLASS", help: "how keys are printed, e.g. org.apache.kafka.common.serialization.LongDeserializer"),
            FlagSpec("value-deserializer", value: "CLASS", help: "how values are printed, e.g. org.apache.kafka.common.serialization.LongDeserializer"),
            FlagSpec("formatter", value: "CLASS", help: "how records are printed: \(defaultFormatter) or \(offsetsFormatter) (for __consumer_offsets)"),
            FlagSpec("group", value: "GROUP", help: "read as a member of this consumer group: start at its committed offsets and commit on close"),
        ],
        examples: ["kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --property print.key=true",
                   "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic __consumer_offsets --from-beginning --formatter \"\(offsetsFormatter)\""],
        flagCompletion: ["topic": .topic, "bootstrap-server": .fixed(["localhost:9092"]), "offset": .fixed(["earliest", "latest"]),
                         "isolation-level": .fixed(["read_uncommitted", "read_committed"]),
                         "formatter": .fixed([defaultFormatter, offsetsFormatter]),
                         "property": .fixed(["print.key=true", "print.partition=true", "print.offset=true", "print.timestamp=true", "print.headers=true",
                                              "print.value=false", "print.epoch=true", "print.delivery=true", "key.separator=", "line.separator=",
                                              "headers.separator=", "null.literal="])],
        optionParser: .joptsimple(report: .messageAndUsage, known: ["topic", "include", "partition", "offset", "consumer-property", "consumer.config", "formatter", "property", "formatter-config", "from-beginning", "max-messages", "timeout-ms", "skip-message-on-error", "bootstrap-server", "key-deserializer", "value-deserializer", "enable-systest-events", "isolation-level", "group", "help", "version"]))

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
        // `maybeMergeOptions`: --isolation-level wins over --consumer-property isolation.level; read_uncommitted without either.
        let consumerProperties = MessageFormatterConfig.parseKeyValueArgs(arguments.strings("consumer-property"))
        let level = arguments.string("isolation-level") ?? consumerProperties["isolation.level"] ?? "read_uncommitted"
        guard let isolationLevel = isolationLevels.firstIndex(of: level) else {
            throw .toolFailure(["org.apache.kafka.common.config.ConfigException: Invalid value \(level) for configuration isolation.level: String must be one of: read_committed, read_uncommitted"])
        }
        let client = RequestContext(client: .admin("kafka-console-consumer.sh"), clientId: consumerProperties["client.id"] ?? "console-consumer")
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
        // `ConsoleConsumerOptions.formatterArgs`: --key-deserializer / --value-deserializer, then every --property.
        var formatterArgs: [String: String] = [:]
        if let k = arguments.string("key-deserializer"), !k.isEmpty { formatterArgs["key.deserializer"] = k }
        if let v = arguments.string("value-deserializer"), !v.isEmpty { formatterArgs["value.deserializer"] = v }
        formatterArgs.merge(MessageFormatterConfig.parseKeyValueArgs(arguments.strings("property"))) { _, new in new }
        let formatterConfig = MessageFormatterConfig(formatterArgs)
        let result: ReadResult
        if let group {
            // As a member of the group: start at its committed offsets; auto.offset.reset decides where none exist.
            let committed = session.cluster.committedOffsets(group)
            var starts: [Int: StartPosition] = [:]
            for p in partitions { if let offset = committed[TopicPartition(topic, p)] { starts[p] = .offset(offset) } }
            result = try Self.read(session, topic: topic, partitions: partitions, from: start, max: maxMessages, starts: starts,
                                   isolationLevel: Int8(isolationLevel), client: client)
            // enable.auto.commit=true: the positions are committed when the consumer closes.
            do throws(ResetOffsetsError) { try session.cluster.commitAsClosingMember(group, result.positions) } catch {
                throw .toolFailure(["\(error)"])
            }
        } else {
            result = try read(session, topic: topic, partitions: partitions, from: start, max: maxMessages,
                              isolationLevel: Int8(isolationLevel), client: client)
        }
        let records = result.records
        var output = Output()
        for problem in formatterConfig.problems {
            output.append(problem.hasPrefix("ERROR") ? "[\(KafkaLogTime.format(session.cluster.nowMs))] \(problem)" : problem)
        }
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
        var formatted = ""
        var processed = 0
        var failure: String?
        for (p, record) in records {
            processed += 1
            if readableOffsets {
                if let text = OffsetCommitRecord.describe(key: record.key, value: record.value) { output.append(text) }
                continue
            }
            // `ConsoleConsumer.process` hands the formatter a copy of each record built with `Optional.empty()` as its
            // leader epoch (and no delivery count), so print.epoch always shows Epoch:NOT_PRESENT.
            do throws(MessageFormatterConfig.SerializationError) {
                formatted += try formatterConfig.format(record, partition: p, timestampType: record.timestampTypeLabel(topicState), leaderEpoch: nil)
            } catch {
                // `writeTo` throws; `process` rethrows; `run`'s finally reports the count (this record included), then
                // `main` logs "Unknown error when running consumer: " with the exception.
                failure = error.message
                break
            }
        }
        // The formatter writes bytes; lines end where line.separator (or a value) puts a newline.
        if !formatted.isEmpty {
            var lines = formatted.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            output.append(lines: lines)
        }
        if let failure {
            output.append("Processed a total of \(processed) messages")
            output.append("[\(KafkaLogTime.format(session.cluster.nowMs))] ERROR Unknown error when running consumer:  (org.apache.kafka.tools.consumer.ConsoleConsumer)")
            output.append("org.apache.kafka.common.errors.SerializationException: \(failure)")
            output.failed = true
            return output
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

/// Kafka 4.0.0's `org.apache.kafka.tools.consumer.DefaultMessageFormatter`: its properties and `writeTo`.
struct MessageFormatterConfig {
    var printTimestamp = false, printPartition = false, printOffset = false, printDelivery = false
    var printEpoch = false, printHeaders = false, printKey = false, printValue = true
    var keySeparator = "\t", lineSeparator = "\n", headersSeparator = ",", nullLiteral = "null"
    var keyDeserializer: Deserializer?, valueDeserializer: Deserializer?, headersDeserializer: Deserializer?
    /// Log lines `configure` writes (a deserializer class it cannot load), or kafkalab notes.
    var problems: [String] = []

    /// The deserializers kafkalab runs: `deserialize(topic, headers, bytes).toString()` of Kafka's classes.
    enum Deserializer {
        case string, long, integer, short

        static let prefix = "org.apache.kafka.common.serialization."

        init?(className: String) {
            switch className {
            case Self.prefix + "StringDeserializer": self = .string
            case Self.prefix + "LongDeserializer": self = .long
            case Self.prefix + "IntegerDeserializer": self = .integer
            case Self.prefix + "ShortDeserializer": self = .short
            default: return nil
            }
        }

        /// `LongDeserializer.deserialize`: `if (data.length != 8) throw new SerializationException("Size of data received
        /// by LongDeserializer is not 8")`, else the big-endian value (Integer: 4, Short: 2).
        func text(_ bytes: [UInt8]) throws(SerializationError) -> String {
            func value(_ size: Int, _ name: String) throws(SerializationError) -> Int64 {
                guard bytes.count == size else { throw SerializationError(message: "Size of data received by \(name) is not \(size)") }
                var v: UInt64 = 0
                for b in bytes { v = v << 8 | UInt64(b) }
                let shift = UInt64(64 - 8 * size)
                return Int64(bitPattern: v << shift) >> Int64(shift)
            }
            switch self {
            case .string: return String(decoding: bytes, as: UTF8.self)
            case .long: return String(try value(8, "LongDeserializer"))
            case .integer: return String(try value(4, "IntegerDeserializer"))
            case .short: return String(try value(2, "ShortDeserializer"))
            }
        }
    }

    struct SerializationError: Error { let message: String }

    /// `configure`: each property only when given; booleans are `trim().equalsIgnoreCase("true")`; separators and
    /// `null.literal` are taken literally as UTF-8 bytes (`getByteProperty`): a `\t` typed in a shell stays two characters.
    init(_ properties: [String: String]) {
        func bool(_ key: String, _ current: Bool) -> Bool {
            properties[key].map { $0.trimmingCharacters(in: .whitespaces).lowercased() == "true" } ?? current
        }
        func bytes(_ key: String, _ current: String) -> String { properties[key] ?? current }
        printTimestamp = bool("print.timestamp", printTimestamp)
        printKey = bool("print.key", printKey)
        printOffset = bool("print.offset", printOffset)
        printDelivery = bool("print.delivery", printDelivery)
        printEpoch = bool("print.epoch", printEpoch)
        printPartition = bool("print.partition", printPartition)
        printHeaders = bool("print.headers", printHeaders)
        printValue = bool("print.value", printValue)
        keySeparator = bytes("key.separator", keySeparator)
        lineSeparator = bytes("line.separator", lineSeparator)
        headersSeparator = bytes("headers.separator", headersSeparator)
        nullLiteral = bytes("null.literal", nullLiteral)
        // `getDeserializerProperty`: `Class.forName(name)…newInstance()`; on failure
        // `LOG.error("Unable to instantiate a deserializer from " + name, e)` and no deserializer.
        func deserializer(_ key: String) -> Deserializer? {
            guard let name = properties[key] else { return nil }
            if let known = Deserializer(className: name) { return known }
            if name.hasPrefix(Deserializer.prefix) && name.hasSuffix("Deserializer") {
                problems.append("[kafkalab] \(key)=\(name) is not simulated; the raw bytes are printed.")
            } else {
                problems.append("ERROR Unable to instantiate a deserializer from \(name) (org.apache.kafka.tools.consumer.DefaultMessageFormatter)")
                problems.append("java.lang.ClassNotFoundException: \(name)")
            }
            return nil
        }
        keyDeserializer = deserializer("key.deserializer")
        valueDeserializer = deserializer("value.deserializer")
        headersDeserializer = deserializer("headers.deserializer")
    }

    /// `CommandLineUtils.parseKeyValueArgs(args, acceptMissingValue = true)`: `arg.split("=", 2)`; a key without a
    /// value (`print.key` or `print.key=`) is set to "".
    static func parseKeyValueArgs(_ words: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            result[parts[0]] = parts.count == 2 ? parts[1] : ""
        }
        return result
    }

    /// `writeTo`: timestamp, partition, offset, delivery, epoch, headers, key, value — each followed by
    /// `key.separator` when a later field is printed, else by `line.separator`; the value always by `line.separator`.
    func format(_ record: Record, partition: Int, timestampType: String, leaderEpoch: Int32?) throws(SerializationError) -> String {
        let fields: [(Bool, () throws(SerializationError) -> String)] = [
            (printTimestamp, { "\(timestampType):\(record.timestamp)" }),
            (printPartition, { "Partition:\(partition)" }),
            (printOffset, { "Offset:\(record.offset)" }),
            // A console consumer is no share-group member: `deliveryCount()` is empty.
            (printDelivery, { "Delivery:NOT_PRESENT" }),
            (printEpoch, { "Epoch:" + (leaderEpoch.map(String.init) ?? "NOT_PRESENT") }),
            (printHeaders, { () throws(SerializationError) -> String in
                if record.headers.isEmpty { return "NO_HEADERS" }
                var parts: [String] = []
                for header in record.headers { parts.append("\(header.key):" + (try text(header.value, headersDeserializer))) }
                return parts.joined(separator: headersSeparator)
            }),
            (printKey, { () throws(SerializationError) -> String in try text(record.key, keyDeserializer) }),
            (printValue, { () throws(SerializationError) -> String in try text(record.value, valueDeserializer) }),
        ]
        let printed = fields.filter(\.0)
        var out = ""
        for (i, field) in printed.enumerated() {
            out += try field.1()
            out += i < printed.count - 1 ? keySeparator : lineSeparator
        }
        return out
    }

    /// `deserialize`: `byte[] nonNullBytes = sourceBytes != null ? sourceBytes : nullLiteral;` then the deserializer's
    /// `toString()`, or the bytes themselves — so a null goes through the deserializer as the bytes of `null.literal`.
    func text(_ bytes: [UInt8]?, _ deserializer: Deserializer?) throws(SerializationError) -> String {
        let nonNull = bytes ?? Array(nullLiteral.utf8)
        guard let deserializer else { return String(decoding: nonNull, as: UTF8.self) }
        return try deserializer.text(nonNull)
    }
}
