import Foundation
import KafkaModel

/// `kafka-leader-election.sh` (4.0.0 `tools/.../LeaderElectionCommand.java`): an ElectLeaders request to the
/// controller, PREFERRED or UNCLEAN, for one partition, a JSON file's partitions, or all of them.
enum LeaderElectionTool {
    static let all: [Command] = [tool]

    static let spec = CommandSpec(
        "kafka-leader-election.sh", aliases: ["bin/kafka-leader-election.sh", "./bin/kafka-leader-election.sh", "kafka-leader-election"],
        group: .kafkaTools,
        abstract: "Kafka's leader election tool: move leaders to preferred replicas, or elect uncleanly",
        discussion: """
            Exactly one of --all-topic-partitions, --topic with --partition, or --path-to-json-file, whose file looks like
            {"partitions": [{"topic": "orders", "partition": 0}]}.
            PREFERRED moves the leadership to the first replica when it is alive and in sync. UNCLEAN elects a leader for
            a partition that has none, from outside the ISR if need be: the ISR becomes just that leader. The records only
            the old in-sync replicas had are lost: when they come back, they truncate them (ReplicaTruncated).
            """,
        flags: [
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "REQUIRED: the cluster to connect to (kafkalab listens on localhost:9092)"),
            FlagSpec("election-type", value: "preferred|unclean", help: "REQUIRED: the type of election"),
            FlagSpec("all-topic-partitions", help: "elect for every partition that needs it"),
            FlagSpec("topic", value: "TOPIC", help: "the topic of the one partition to elect for (with --partition)"),
            FlagSpec("partition", value: "P", help: "the partition to elect for (with --topic)"),
            FlagSpec("path-to-json-file", value: "FILE", help: "a JSON file listing the partitions: {\"partitions\": [{\"topic\": \"t\", \"partition\": 0}]}"),
        ],
        examples: [
            "kafka-leader-election.sh --bootstrap-server localhost:9092 --election-type preferred --all-topic-partitions",
            "kafka-leader-election.sh --bootstrap-server localhost:9092 --election-type unclean --topic orders --partition 0",
        ],
        flagCompletion: ["topic": .topic, "election-type": .fixed(["preferred", "unclean"]), "path-to-json-file": .file,
                         "bootstrap-server": .fixed(["localhost:9092"])],
        optionParser: .joptsimple(report: .messageAndStackTrace, known: ["bootstrap-server", "admin.config", "path-to-json-file", "topic", "partition", "all-topic-partitions", "election-type", "help", "version"]))

    /// `mainNoExit`: the exception's message on stderr (the stack trace that follows is left out), exit 1.
    static func fail(_ message: String, hint: String? = nil) -> ShellError { .toolFailure([message] + (hint.map { ["[kafkalab] \($0)"] } ?? [])) }

    static let example = "For example: kafka-leader-election.sh --bootstrap-server localhost:9092 --election-type preferred --all-topic-partitions"

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        // `LeaderElectionCommandOptions.validate()`.
        let missing = ["bootstrap-server", "election-type"].filter { !arguments.has($0) }
        if !missing.isEmpty { throw fail("Missing required option(s): \(missing.joined(separator: ", "))", hint: example) }
        if ["topic", "all-topic-partitions", "path-to-json-file"].filter({ arguments.has($0) }).count != 1 {
            throw fail("One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file", hint: example)
        }
        if arguments.has("topic") && !arguments.has("partition") { throw fail("Missing required option(s): partition", hint: "Add --partition N, the partition of --topic to elect for.") }
        if !arguments.has("topic") && arguments.has("partition") { throw fail("Option partition is only allowed if topic is used", hint: "Add --topic T, or leave out --partition.") }
        // joptsimple's `EnumConverter` ignores case; values convert when read (`OptionArgumentConversionException`).
        let typed = arguments.string("election-type")!
        guard let type = ElectionType.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(typed) == .orderedSame }) else {
            throw .toolFailure(["Cannot parse argument '\(typed)' of option election-type",
                                "[kafkalab] The election type is preferred or unclean, e.g. --election-type preferred."])
        }
        var partitions: [TopicPartition]?
        if let path = arguments.string("path-to-json-file") {
            partitions = try readJsonFile(path, session: session)
        } else if let topic = arguments.string("topic") {
            let text = arguments.string("partition")!
            guard let partition = Int32(text) else {
                throw .toolFailure(["Cannot parse argument '\(text)' of option partition",
                                    "[kafkalab] --partition takes a partition number, e.g. --partition 0."])
            }
            partitions = [TopicPartition(topic, Int(partition))]
        }
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-leader-election.sh")
        let results: [LeaderElectionResult]
        do throws(KafkaError) {
            results = try session.cluster.electLeaders(type: type, partitions: partitions)
        } catch {
            // No controller: the admin call times out (30 s).
            var output = Output(["Timeout waiting for election results"])
            output.append(lines: ["Timeout waiting for election results", "[kafkalab] \(error.message)"], style: .standardError)
            output.failed = true
            return output
        }
        return render(results, type: type)
    }

    /// `electLeaders`' printing: succeeded, then not needed, then one line per failure, each set in Java
    /// `HashSet`/`HashMap` order; on failures stderr gets `N replica(s) could not be elected`.
    static func render(_ results: [LeaderElectionResult], type: ElectionType) -> Output {
        let succeeded = TopicPartition.javaHashSetOrder(results.filter { $0.error == nil }.map(\.partition))
        let noop = TopicPartition.javaHashSetOrder(results.filter { $0.error == .electionNotNeeded }.map(\.partition))
        let failed = results.filter { $0.error != nil && $0.error != .electionNotNeeded }
        let failedOrder = TopicPartition.javaHashSetOrder(failed.map(\.partition))
        var output = Output()
        if !succeeded.isEmpty {
            output.append("Successfully completed leader election (\(type.rawValue)) for partitions \(succeeded.map(\.description).joined(separator: ", "))")
        }
        if !noop.isEmpty {
            output.append("Valid replica already elected for partitions \(noop.map(\.description).joined(separator: ", "))")
        }
        for tp in failedOrder {
            let error = failed.first { $0.partition == tp }!.error!
            output.append("Error completing leader election (\(type.rawValue)) for partition: \(tp): \(error.javaException)")
        }
        if !failed.isEmpty {
            output.append("\(failed.count) replica(s) could not be elected", style: .standardError)
            output.failed = true
        }
        return output
    }

    /// `parseReplicaElectionData`: `{"partitions": [{"topic": "t", "partition": 0}, …]}`.
    static func readJsonFile(_ path: String, session: Session) throws(ShellError) -> [TopicPartition] {
        let text: String
        do throws(UserFiles.Refusal) { text = try session.files.read(path) } catch {
            if error.description.hasPrefix("NoSuchFileException") {
                throw .toolFailure(["java.nio.file.NoSuchFileException: \(path)",
                                    "[kafkalab] Write the file first, e.g. with a command's output: ... > \(path)"])
            }
            throw .failed(error.description)
        }
        // `Json.parseFull` gives nothing for text that is not JSON.
        guard let data = text.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw .toolFailure(["Replica election data is empty",
                                "[kafkalab] \(path) is not JSON; it should look like {\"partitions\": [{\"topic\": \"orders\", \"partition\": 0}]}."])
        }
        guard let object = json as? [String: Any], let list = object["partitions"] else {
            throw fail("Replica election data is missing \"partitions\" field")
        }
        let shape = "[kafkalab] Each entry of \"partitions\" needs a string \"topic\" and a number \"partition\", e.g. {\"topic\": \"orders\", \"partition\": 0}."
        guard let entries = list as? [Any] else { throw .toolFailure(["Replica election data: \"partitions\" is not an array", shape]) }
        var partitions: [TopicPartition] = []
        for entry in entries {
            guard let fields = entry as? [String: Any], let topic = fields["topic"] as? String,
                  let number = fields["partition"] as? Int, let partition = Int32(exactly: number)
            else { throw .toolFailure(["Replica election data has an entry that is not a topic and a partition: \(describe(entry))", shape]) }
            partitions.append(TopicPartition(topic, Int(partition)))
        }
        var seen = Set<TopicPartition>(), duplicates: [TopicPartition] = []
        for tp in partitions {
            if seen.contains(tp) { if !duplicates.contains(tp) { duplicates.append(tp) } } else { seen.insert(tp) }
        }
        if !duplicates.isEmpty {
            // `String.join(",", duplicatePartitions.toString())`: the set's own `[a, b]`.
            let set = TopicPartition.javaHashSetOrder(duplicates).map(\.description).joined(separator: ", ")
            throw fail("Replica election data contains duplicate partitions: [\(set)]")
        }
        return partitions
    }

    private static func describe(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return "\(value)" }
        return String(text.dropFirst().dropLast())
    }
}
