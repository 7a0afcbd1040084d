import KafkaModel

/// `kafka-metadata-quorum.sh` (4.0.0 `tools/.../MetadataQuorumCommand.java`, argparse4j): `describe --status`
/// and `describe --replication` of the KRaft quorum, from `Cluster.quorumInfo` (see `Cluster+Quorum.swift` for
/// how its numbers are derived).
enum MetadataQuorumTool {
    static let all: [Command] = [tool]

    /// The parser's flags for argparse4j's prefix matching: the main parser's, then `describe`'s.
    static let flags = ["-h", "--help", "--bootstrap-server", "--bootstrap-controller", "--command-config",
                        "--status", "--replication", "--human-readable"]

    /// argparse4j 0.7.0 `printUsage` of the main parser at width 75 (DERIVED from the producer perf tool's layout:
    /// optional arguments, then the required mutually exclusive group, then the subcommands).
    static let usage = [
        "usage: kafka-metadata-quorum [-h] [--command-config COMMAND_CONFIG]",
        "                             (--bootstrap-server BOOTSTRAP_SERVER |",
        "                             --bootstrap-controller BOOTSTRAP_CONTROLLER)",
        "                             {describe,add-controller,remove-controller}",
        "                             ...",
    ]

    static let spec = CommandSpec(
        "kafka-metadata-quorum.sh", aliases: ["bin/kafka-metadata-quorum.sh", "./bin/kafka-metadata-quorum.sh", "kafka-metadata-quorum"],
        group: .kafkaTools,
        abstract: "Kafka's KRaft quorum tool: the active controller, its epoch and the voters' replication",
        discussion: """
            describe --status: cluster id, the quorum leader (active controller), its epoch, the metadata log's high
            watermark, follower lag and the voters. describe --replication: one row per voter, leader first.
            Every kafkalab node is a combined broker and controller, so every node is a voter. kafkalab keeps no real
            metadata log: its offsets grow by one per metadata change and one no-op record per 500 ms.
            """,
        flags: [
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "the cluster to connect to (kafkalab listens on localhost:9092)"),
            FlagSpec("bootstrap-controller", value: "HOST:PORT", help: "or a controller to connect to (not simulated: use --bootstrap-server)"),
            FlagSpec("command-config", value: "FILE", help: "admin client properties (not simulated)"),
            FlagSpec("status", help: "with describe: a short summary of the quorum"),
            FlagSpec("replication", help: "with describe: each voter's log end offset, lag and fetch times"),
            FlagSpec("human-readable", help: "with --replication: times as 'N ms ago'"),
        ],
        positionals: [PositionalSpec("COMMAND", optional: true, variadic: true, help: "describe (add-controller and remove-controller are not simulated)")],
        examples: [
            "kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe --status",
            "kafka-metadata-quorum.sh --bootstrap-server localhost:9092 describe --replication",
        ],
        positionalCompletion: .fixed(["describe"]),
        flagCompletion: ["bootstrap-server": .fixed(["localhost:9092"])],
        optionParser: .argparse4j(prog: "kafka-metadata-quorum", flags: flags, usage: usage))

    /// argparse4j's `handleError`: the usage, then `kafka-metadata-quorum: error: …`.
    static func parserError(_ message: String) -> ShellError {
        .toolFailure(usage + KafkaOptionParser.argparseWrap("kafka-metadata-quorum: error: \(message)"))
    }

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        let commands = ["describe", "add-controller", "remove-controller"]
        guard let command = arguments.positionals.first else { throw parserError("too few arguments") }
        guard commands.contains(command) else {
            throw parserError("invalid choice: '\(command)' (choose from 'describe', 'add-controller', 'remove-controller')")
        }
        if arguments.positionals.count > 1 {
            throw parserError("unrecognized arguments: '\(arguments.positionals.dropFirst().joined(separator: " "))'")
        }
        let connections = ["bootstrap-server", "bootstrap-controller"].filter { arguments.has($0) }
        if connections.isEmpty { throw parserError("one of the arguments --bootstrap-server --bootstrap-controller is required") }
        if connections.count > 1 { throw parserError("argument --bootstrap-controller: not allowed with argument --bootstrap-server") }
        guard command == "describe" else {
            throw .toolFailure(["[kafkalab] \(command) changes the controller quorum, which kafkalab does not simulate: its quorum is every node. Use describe --status or describe --replication."])
        }
        guard arguments.has("bootstrap-server") else {
            throw .toolFailure(["[kafkalab] --bootstrap-controller is not simulated; use --bootstrap-server \(session.cluster.brokers[0].listener)."])
        }
        if arguments.has("command-config") {
            throw .toolFailure(["[kafkalab] --command-config is not simulated; leave it out."])
        }
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-metadata-quorum.sh")
        // `execute`: TerseExceptions print their message alone.
        let status = arguments.has("status"), replication = arguments.has("replication")
        if status && replication { throw .toolFailure(["Only one of --status or --replication should be specified with describe sub-command"]) }
        if !status && !replication { throw .toolFailure(["One of --status or --replication must be specified with describe sub-command"]) }
        if status && arguments.has("human-readable") {
            throw .toolFailure(["The option --human-readable is only supported along with --replication"])
        }
        guard let quorum = session.cluster.quorumInfo else {
            // Without a quorum leader DescribeQuorum cannot be answered; the admin call times out.
            throw .toolFailure(["org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: describeMetadataQuorum",
                                "[kafkalab] \(session.cluster.metadataFrozenReason ?? "There is no active controller.")"])
        }
        return Output(replication ? replicationLines(quorum, humanReadable: arguments.has("human-readable"), nowMs: session.cluster.nowMs)
                                  : statusLines(quorum))
    }

    /// `handleDescribeStatus`.
    static func statusLines(_ quorum: QuorumInfo) -> [String] {
        let leader = quorum.leader
        // `voters.stream().min(comparingLong(logEndOffset))`: the first voter with the smallest LEO.
        let laggard = quorum.voters.min { $0.logEndOffset < $1.logEndOffset }!
        let lagTime: Int64 = laggard.id == leader.id ? 0 : leader.lastCaughtUpTimestamp - laggard.lastCaughtUpTimestamp
        return [
            "ClusterId:              \(quorum.clusterId)",
            "LeaderId:               \(quorum.leaderId)",
            "LeaderEpoch:            \(quorum.leaderEpoch)",
            "HighWatermark:          \(quorum.highWatermark)",
            "MaxFollowerLag:         \(leader.logEndOffset - laggard.logEndOffset)",
            "MaxFollowerLagTimeMs:   \(lagTime)",
            "CurrentVoters:          [\(quorum.voters.map { node($0, endpoints: true) }.joined(separator: ", "))]",
            "CurrentObservers:       [\(quorum.observers.map { node($0, endpoints: false) }.joined(separator: ", "))]",
        ]
    }

    /// `Node.toString()`: `{"id": 1, "directoryId": "…", "endpoints": ["CONTROLLER://localhost:10093"]}`.
    static func node(_ replica: QuorumInfo.Replica, endpoints: Bool) -> String {
        "{\"id\": \(replica.id), \"directoryId\": \"\(replica.directoryId)\"" + (endpoints ? ", \"endpoints\": [\"\(replica.endpoint)\"]" : "") + "}"
    }

    /// `handleDescribeReplication`: the leader, the other voters, the observers, as `ToolsUtils.prettyPrintTable`
    /// prints them (each cell padded to its column and followed by a TAB).
    static func replicationLines(_ quorum: QuorumInfo, humanReadable: Bool, nowMs: Int64) -> [String] {
        let leader = quorum.leader
        let time = { (ms: Int64) in humanReadable ? "\(nowMs - ms) ms ago" : String(ms) }
        var rows: [[String]] = []
        let ordered = [(leader, "Leader")] + quorum.voters.filter { $0.id != leader.id }.map { ($0, "Follower") }
            + quorum.observers.map { ($0, "Observer") }
        for (replica, status) in ordered {
            rows.append([String(replica.id), replica.directoryId, String(replica.logEndOffset), String(leader.logEndOffset - replica.logEndOffset),
                         time(replica.lastFetchTimestamp), time(replica.lastCaughtUpTimestamp), status])
        }
        return prettyPrintTable(["NodeId", "DirectoryId", "LogEndOffset", "Lag", "LastFetchTimestamp", "LastCaughtUpTimestamp", "Status"], rows)
    }

    /// `ToolsUtils.prettyPrintTable`.
    static func prettyPrintTable(_ headers: [String], _ rows: [[String]]) -> [String] {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return ([headers] + rows).map { row in
            row.enumerated().map { $0.element + String(repeating: " ", count: widths[$0.offset] - $0.element.count) + "\t" }.joined()
        }
    }
}
