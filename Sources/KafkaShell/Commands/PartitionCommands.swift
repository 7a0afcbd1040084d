import KafkaModel

/// `partition-of` (where would a key go) and `keys` (where did the keys go).
enum PartitionCommands {
    static let all: [Command] = [partitionOf, keys]

    static let partitionOf = Command(
        CommandSpec(
            "partition-of", group: .producing, abstract: "Show the murmur2 hash and partition of keys, without producing",
            discussion: "partition = toPositive(murmur2(UTF-8 key bytes)) % partitions, as the Java client computes it.\ntoPositive clears the sign bit (x & 0x7fffffff); it is not abs().",
            flags: [FlagSpec("partitions", short: "p", value: "N", help: "use this partition count instead of the topic's")],
            positionals: [PositionalSpec("TOPIC", help: "the topic"), PositionalSpec("KEY", variadic: true, help: "one or more keys")],
            examples: ["partition-of orders user-1 user-2 한글키", "partition-of orders user-1 --partitions 6"],
            positionalCompletion: .topic)
    ) { arguments, session throws(ShellError) in
        let topic = arguments.positionals[0]
        try TopicArguments.requireTopic(topic, session)
        let keys = Array(arguments.positionals.dropFirst())
        guard !keys.isEmpty else { throw .usage("Missing KEY: one or more keys.", command: arguments.spec) }
        let count = try arguments.int("partitions", in: 1...100_000) ?? session.cluster.topics[topic]!.partitions.count
        var table = Table(["KEY", "UTF-8 BYTES", "MURMUR2", "TOPOSITIVE", "PARTITION"])
        for key in keys {
            let bytes = Array(key.utf8)
            let hash = Murmur2.hash(bytes)
            let positive = toPositive(hash)
            table.add([key, bytes.isEmpty ? "(empty)" : bytes.map { String($0, radix: 16).leftPadded(2) }.joined(),
                       String(hash), String(positive), "\(positive) % \(count) = \(Int(positive) % count)"])
        }
        return Output(table.render())
    }

    /// Records per key per partition, over every retained record of the topic.
    static func keyCounts(_ session: Session, topic: String) throws(ShellError) -> [String: [Int: Int]] {
        var counts: [String: [Int: Int]] = [:]
        let count = session.cluster.topics[topic]!.partitions.count
        let read = try ConsumeCommands.read(session, topic: topic, partitions: Array(0..<count), from: .beginning, max: Int.max,
                                            client: RequestContext(client: .admin("keys"), clientId: "kafkalab-keys"))
        // The counts need every partition: one without a leader cannot be read.
        if let (_, error) = read.unavailable.first { throw ShellError(error) }
        for (p, record) in read.records {
            guard let key = record.key else { continue }
            counts[RecordReport.text(key), default: [:]][p, default: 0] += 1
        }
        return counts
    }

    static let keys = Command(
        CommandSpec(
            "keys", group: .producing, abstract: "Show how a topic's keys are spread over its partitions, as a bar chart",
            discussion: "Counts every retained record with a key. A key whose records sit in more than one partition\nwas produced before and after the partition count changed.",
            positionals: [PositionalSpec("TOPIC", help: "the topic")],
            examples: ["keys orders"], positionalCompletion: .topic)
    ) { arguments, session throws(ShellError) in
        let topic = arguments.positionals[0]
        try TopicArguments.requireTopic(topic, session)
        let counts = try keyCounts(session, topic: topic)
        guard !counts.isEmpty else { return Output(["No keyed records in \(topic) yet."]) }
        let width = counts.values.flatMap(\.values).max() ?? 1
        var table = Table(["KEY", "PARTITION", "RECORDS"])
        for key in counts.keys.sorted() {
            for (p, n) in counts[key]!.sorted(by: { $0.key < $1.key }) {
                let bar = String(repeating: "█", count: max(1, n * 20 / width))
                table.add([key, String(p), "\(bar) \(n)"])
            }
        }
        var output = Output(table.render())
        let count = session.cluster.topics[topic]!.partitions.count
        var perPartition = [Int](repeating: 0, count: count)
        for byPartition in counts.values { for (p, n) in byPartition { perPartition[p] += n } }
        output.append("Per partition: " + perPartition.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: ", "))
        return output
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
