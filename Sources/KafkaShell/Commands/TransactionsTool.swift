import KafkaModel

/// `kafka-transactions.sh` (4.0.0 `tools/.../TransactionsCommand.java`, argparse4j): `list`, `describe`,
/// `describe-producers`, `find-hanging` and `abort`, through ListTransactions, DescribeTransactions, DescribeProducers
/// and WriteTxnMarkers. Tables as `ToolsUtils.prettyPrintTable` prints them (every cell followed by a TAB).
enum TransactionsTool {
    static let all: [Command] = [tool]
    static let prog = "kafka-transactions.sh"

    /// The parser's flags for argparse4j's prefix matching: the main parser's, then the subcommands'.
    static let flags = ["-h", "--help", "-v", "--version", "--bootstrap-server", "--command-config", "--duration-filter", "--transactional-id",
                        "--broker-id", "--topic", "--partition", "--start-offset", "--producer-id", "--producer-epoch", "--coordinator-epoch",
                        "--max-transaction-timeout"]

    /// argparse4j's usage of the main parser (DERIVED: its layout at width 75, as `kafka-metadata-quorum.sh`'s).
    static let usage = [
        "usage: kafka-transactions.sh [-h] [-v] [--command-config FILE]",
        "                             --bootstrap-server host:port COMMAND ...",
    ]

    static let commands = ["list", "describe", "describe-producers", "abort", "find-hanging"]

    static let spec = CommandSpec(
        prog, aliases: ["bin/kafka-transactions.sh", "./bin/kafka-transactions.sh", "kafka-transactions"],
        group: .kafkaTools,
        abstract: "Kafka's transactions tool: list and describe transactions and producers, find and abort hanging ones",
        discussion: """
            list: every transactional id each coordinator knows. describe --transactional-id ID: its state at the
            coordinator. describe-producers --topic T --partition P: the producers the partition's leader remembers and
            the first offset of their open transaction. find-hanging (--broker-id B | --topic T [--partition P]): open
            transactions older than --max-transaction-timeout minutes (15) that no coordinator will finish.
            abort --topic T --partition P --start-offset O: writes an ABORT marker for the transaction open there.
            """,
        flags: [
            FlagSpec("bootstrap-server", value: "host:port", help: "the cluster to connect to (kafkalab listens on localhost:9092)"),
            FlagSpec("command-config", value: "FILE", help: "admin client properties (not simulated)"),
            FlagSpec("duration-filter", value: "MS", help: "list: only transactions running longer than this"),
            FlagSpec("transactional-id", value: "ID", help: "describe: the transactional id"),
            FlagSpec("topic", value: "TOPIC", help: "describe-producers, find-hanging, abort: the topic"),
            FlagSpec("partition", value: "P", help: "describe-producers, find-hanging, abort: the partition"),
            FlagSpec("broker-id", value: "B", help: "describe-producers: ask this replica; find-hanging: search this broker"),
            FlagSpec("max-transaction-timeout", value: "MINUTES", help: "find-hanging: how old an open transaction must be (default 15)"),
            FlagSpec("start-offset", value: "OFFSET", help: "abort: the first offset of the open transaction"),
            FlagSpec("producer-id", value: "ID", help: "abort (older brokers): the producer id"),
            FlagSpec("producer-epoch", value: "EPOCH", help: "abort (older brokers): the producer epoch"),
            FlagSpec("coordinator-epoch", value: "EPOCH", help: "abort (older brokers): the coordinator epoch"),
        ],
        positionals: [PositionalSpec("COMMAND", optional: true, variadic: true, help: "list, describe, describe-producers, find-hanging or abort")],
        examples: [
            "kafka-transactions.sh --bootstrap-server localhost:9092 list",
            "kafka-transactions.sh --bootstrap-server localhost:9092 describe --transactional-id my-txn",
            "kafka-transactions.sh --bootstrap-server localhost:9092 describe-producers --topic t --partition 0",
            "kafka-transactions.sh --bootstrap-server localhost:9092 find-hanging --topic t",
            "kafka-transactions.sh --bootstrap-server localhost:9092 abort --topic t --partition 0 --start-offset 0",
        ],
        positionalCompletion: .fixed(commands),
        flagCompletion: ["bootstrap-server": .fixed(["localhost:9092"])],
        optionParser: .argparse4j(prog: prog, flags: flags, usage: usage))

    /// argparse4j's `handleError`: the usage, then `kafka-transactions.sh: error: …`.
    static func parserError(_ message: String) -> ShellError {
        .toolFailure(usage + KafkaOptionParser.argparseWrap("\(prog): error: \(message)"))
    }

    /// `printErrorAndExit(message, cause)`: `<message>: <cause's message>. Enable debug logging for additional detail.`
    static func failure(_ message: String, _ cause: String) -> ShellError {
        .toolFailure(["\(message): \(cause). Enable debug logging for additional detail."])
    }

    /// An argparse4j `Integer`/`Long`/`Short` argument.
    static func number<T: FixedWidthInteger>(_ arguments: ParsedArguments, _ flag: String, _ type: String, as: T.Type) throws(ShellError) -> T? {
        guard let text = arguments.string(flag) else { return nil }
        guard let value = T(text) else { throw parserError("argument --\(flag): could not convert '\(text)' to \(type) (For input string: \"\(text)\")") }
        return value
    }

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        guard let command = arguments.positionals.first else { throw parserError("too few arguments") }
        guard commands.contains(command) else {
            throw parserError("invalid choice: '\(command)' (choose from \(commands.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        if arguments.positionals.count > 1 {
            throw parserError("unrecognized arguments: '\(arguments.positionals.dropFirst().joined(separator: " "))'")
        }
        guard arguments.has("bootstrap-server") else { throw parserError("argument --bootstrap-server is required") }
        if arguments.has("command-config") { throw .toolFailure(["[kafkalab] --command-config is not simulated; leave it out."]) }
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: prog)
        let admin = TransactionsAdmin(cluster: session.cluster)
        switch command {
        case "list":
            return Output(try admin.list(durationFilter: try number(arguments, "duration-filter", "Long", as: Int64.self)))
        case "describe":
            guard let id = arguments.string("transactional-id") else { throw subparserError(command, "argument --transactional-id is required") }
            return Output(try admin.describe(id))
        case "describe-producers":
            let (tp, broker) = try partitionArguments(command, arguments)
            return Output(try admin.describeProducers(tp, broker: broker))
        case "find-hanging":
            let broker = try number(arguments, "broker-id", "Integer", as: Int.self)
            let topic = arguments.string("topic")
            guard topic != nil || broker != nil else {
                throw .toolFailure(["The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search"])
            }
            let partition = try number(arguments, "partition", "Integer", as: Int.self)
            if partition != nil && topic == nil { throw .toolFailure(["The --partition argument requires --topic to be provided"]) }
            let minutes = try number(arguments, "max-transaction-timeout", "Integer", as: Int64.self) ?? 15
            return Output(try admin.findHanging(topic: topic, partition: partition, broker: broker, maxTimeoutMs: minutes * 60_000))
        default:
            let (tp, _) = try partitionArguments(command, arguments)
            if let start = try number(arguments, "start-offset", "Long", as: Int64.self) {
                try admin.abort(tp, startOffset: start)
            } else if let producerId = try number(arguments, "producer-id", "Long", as: Int64.self) {
                guard let epoch = try number(arguments, "producer-epoch", "Short", as: Int16.self) else {
                    throw .toolFailure(["Missing required argument --producer-epoch"])
                }
                guard let coordinatorEpoch = try number(arguments, "coordinator-epoch", "Integer", as: Int32.self) else {
                    throw .toolFailure(["Missing required argument --coordinator-epoch"])
                }
                try admin.abort(tp, producerId: producerId, epoch: epoch, coordinatorEpoch: max(0, coordinatorEpoch))
            } else {
                throw .toolFailure(["The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)"])
            }
            // The tool prints nothing when the marker is written.
            return Output()
        }
    }

    /// Each subcommand's usage items, in the order `addSubparser` adds them.
    static let subcommandArguments: [String: [String]] = [
        "describe": ["[-h]", "--transactional-id TRANSACTIONAL_ID"],
        "describe-producers": ["[-h]", "[--broker-id BROKER_ID]", "--topic TOPIC", "--partition PARTITION"],
        "abort": ["[-h]", "--topic TOPIC", "--partition PARTITION", "[--start-offset START_OFFSET]", "[--producer-id PRODUCER_ID]",
                  "[--producer-epoch PRODUCER_EPOCH]", "[--coordinator-epoch COORDINATOR_EPOCH]"],
    ]

    /// A subparser's usage: its items packed onto lines of at most 75 characters, continuation lines indented under the
    /// first item (DERIVED from the main parsers' usages kafkalab pins, e.g. `kafka-metadata-quorum.sh`'s).
    static func subcommandUsage(_ command: String) -> [String] {
        let head = "usage: \(prog) \(command) "
        var lines: [String] = []
        var line = head
        for item in subcommandArguments[command] ?? [] {
            if line.count > head.count && line.count + 1 + item.count > 75 {
                lines.append(line)
                line = String(repeating: " ", count: head.count) + item
            } else {
                line += (line.count > head.count ? " " : "") + item
            }
        }
        return lines + [line]
    }

    /// A subcommand's parser error: argparse4j's `handleError` prints the subparser's usage and its prog.
    static func subparserError(_ command: String, _ message: String) -> ShellError {
        .toolFailure(subcommandUsage(command) + KafkaOptionParser.argparseWrap("\(prog) \(command): error: \(message)"))
    }

    /// `--topic` and `--partition` (both required), and `--broker-id`.
    static func partitionArguments(_ command: String, _ arguments: ParsedArguments) throws(ShellError) -> (TopicPartition, Int?) {
        guard let topic = arguments.string("topic") else { throw subparserError(command, "argument --topic is required") }
        guard let partition = try number(arguments, "partition", "Integer", as: Int.self) else {
            throw subparserError(command, "argument --partition is required")
        }
        return (TopicPartition(topic, partition), try number(arguments, "broker-id", "Integer", as: Int.self))
    }
}
