import Foundation
import KafkaModel

/// `kafka-log-dirs.sh` (4.0.0 `tools/.../LogDirsCommand.java`): DescribeLogDirs on the chosen brokers, printed
/// as one JSON line in Jackson's order of Java hash maps.
enum LogDirsTool {
    static let all: [Command] = [tool]

    static let usageText = "This tool helps to query log directory usage on the specified brokers."

    static let spec = CommandSpec(
        "kafka-log-dirs.sh", aliases: ["bin/kafka-log-dirs.sh", "./bin/kafka-log-dirs.sh", "kafka-log-dirs"], group: .kafkaTools,
        abstract: "Kafka's log-directory tool: each broker's replicas on disk, their sizes and lag",
        discussion: """
            Prints one JSON line: for each broker queried, its log directory and every replica in it with its size in
            bytes (the segment files), offsetLag (the broker's own high watermark minus the replica's log end, never
            below 0: Kafka's getLogEndOffsetLag, so 0 for leaders and for followers alike) and isFuture (false: no
            replica is being moved between directories). Stopped brokers are not in the cluster's metadata: asking for
            one is an error. The log directory is the broker's real folder with --data-dir; a session's temporary
            folder is shown as /tmp/kraft-combined-logs/broker-N (Kafka 4.0's quickstart log.dirs).
            """,
        flags: [
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "REQUIRED: the cluster to connect to (kafkalab listens on localhost:9092)"),
            FlagSpec("describe", help: "REQUIRED: describe the log directories of the brokers"),
            FlagSpec("topic-list", value: "T1,T2", help: "only these topics' replicas (default: every topic)"),
            FlagSpec("broker-list", value: "0,1", help: "only these brokers (default: every running broker)"),
            FlagSpec("command-config", value: "FILE", help: "admin client properties (accepted, not read)"),
        ],
        examples: [
            "kafka-log-dirs.sh --bootstrap-server localhost:9092 --describe",
            "kafka-log-dirs.sh --bootstrap-server localhost:9092 --describe --topic-list orders --broker-list 0,1",
        ],
        flagCompletion: ["topic-list": .topic, "bootstrap-server": .fixed(["localhost:9092"])],
        optionParser: .joptsimple(report: .messageAndUsage, known: ["bootstrap-server", "command-config", "describe", "topic-list", "broker-list", "help", "version"]))

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        if arguments.words.isEmpty { throw .toolFailure([usageText, "Usage: \(spec.usage)"]) }
        guard arguments.has("bootstrap-server") else {
            throw .toolFailure(["Missing required argument \"[bootstrap-server]\"", "Usage: \(spec.usage)"])
        }
        guard arguments.has("describe") else {
            throw .toolFailure(["Missing required argument \"[describe]\"", "Usage: \(spec.usage)"])
        }
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-log-dirs.sh")
        let topics = Set((arguments.string("topic-list") ?? "").split(separator: ",").map(String.init))
        var asked: Set<Int> = []
        for part in (arguments.string("broker-list") ?? "").split(separator: ",") {
            guard let id = Int32(part) else {
                throw .toolFailure(["For input string: \"\(part)\"",
                                    "[kafkalab] --broker-list takes broker ids separated by commas, e.g. --broker-list 0,1."])
            }
            asked.insert(Int(id))
        }
        let cluster = session.cluster
        // `describeCluster().nodes()`: the running brokers.
        let live = Set(cluster.brokers.filter(\.isAlive).map(\.id))
        let missing = asked.subtracting(live)
        if !missing.isEmpty {
            throw .toolFailure(["ERROR: The given brokers do not exist from --broker-list: \(javaSetOrder(missing)). Current existent brokers: \(javaSetOrder(live))"])
        }
        let queried = asked.isEmpty ? live : asked
        var brokers: [String] = []
        for id in javaIntegerOrder(queried) {
            var entries: [(tp: TopicPartition, size: Int, lag: Int64)] = []
            for (tp, replica) in cluster.replicaManagers[id]?.partitions ?? [:] where topics.isEmpty || topics.contains(tp.topic) {
                let log = replica.log
                entries.append((tp, log.size, max(log.highWatermark - log.logEndOffset, 0)))
            }
            let partitions = javaHashMapOrder(entries, hash: { javaHash($0.tp) }, tieBreak: { $0.tp.topic != $1.tp.topic ? $0.tp.topic < $1.tp.topic : $0.tp.partition < $1.tp.partition }).map {
                "{\"partition\":\"\(jsonEscaped($0.tp.description))\",\"size\":\($0.size),\"offsetLag\":\($0.lag),\"isFuture\":false}"
            }
            let dir = logDirectory(cluster, broker: id)
            brokers.append("{\"broker\":\(id),\"logDirs\":[{\"partitions\":[\(partitions.joined(separator: ","))],\"error\":null,\"logDir\":\"\(jsonEscaped(dir))\"}]}")
        }
        return Output([
            "Querying brokers for log directories information",
            "Received log directory information from brokers \(javaSetOrder(queried))",
            "{\"brokers\":[\(brokers.joined(separator: ","))],\"version\":1}",
        ])
    }

    /// A broker's log directory as the tool shows it.
    static func logDirectory(_ cluster: Cluster, broker: Int) -> String {
        let folder = LogManager.brokerFolder(broker)
        if cluster.logManager.keepsMetadata, let dir = cluster.logManager.logDir { return dir + "/" + folder }
        return "/tmp/kraft-combined-logs/" + folder
    }

    /// Java's `String.hashCode`.
    static func javaHash(_ text: String) -> Int32 {
        var h: Int32 = 0
        for unit in text.utf16 { h = h &* 31 &+ Int32(unit) }
        return h
    }

    /// `TopicPartition.hashCode`: 31 × (31 + partition) + topic's hash.
    static func javaHash(_ tp: TopicPartition) -> Int32 {
        (31 &+ Int32(truncatingIfNeeded: tp.partition)) &* 31 &+ javaHash(tp.topic)
    }

    /// The iteration order of a `HashMap` filled with `elements` one by one (capacity 16, doubled past 3/4 full):
    /// by bucket (`(h ^ h >>> 16) & (capacity - 1)`); within a bucket, by `tieBreak` (Kafka's insertion order there
    /// comes from other hash maps).
    static func javaHashMapOrder<T>(_ elements: [T], hash: (T) -> Int32, tieBreak: (T, T) -> Bool) -> [T] {
        var capacity = 16
        while elements.count > capacity * 3 / 4 { capacity *= 2 }
        func bucket(_ element: T) -> Int {
            let h = UInt32(bitPattern: hash(element))
            return Int((h ^ (h >> 16)) & UInt32(capacity - 1))
        }
        return elements.map { (bucket($0), $0) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : tieBreak($0.1, $1.1) }
            .map(\.1)
    }

    /// A `HashSet<Integer>`'s order (an integer's hash is itself).
    static func javaIntegerOrder(_ ids: Set<Int>) -> [Int] {
        javaHashMapOrder(Array(ids), hash: { Int32(truncatingIfNeeded: $0) }, tieBreak: <)
    }

    /// `commaDelimitedStringFromIntegerSet`.
    static func javaSetOrder(_ ids: Set<Int>) -> String {
        javaIntegerOrder(ids).map(String.init).joined(separator: ",")
    }

    /// Jackson's string escaping.
    static func jsonEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04X", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
