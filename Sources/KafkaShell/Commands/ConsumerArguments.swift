import KafkaModel

/// Argument helpers for the consumer and group commands.
enum ConsumerArguments {
    /// A duration flag (`45s`, `100ms`, `5m`) in milliseconds.
    static func duration(_ arguments: ParsedArguments, _ name: String, min: Int64 = 0) throws(ShellError) -> Int64? {
        guard let text = arguments.string(name) else { return nil }
        let ms: Int64
        do throws(SimulatedDuration.ParseError) { ms = try SimulatedDuration.parse(text) } catch {
            throw .usage("Invalid value '\(text)' for '--\(name)': \(error.description)", command: arguments.spec)
        }
        guard ms >= min else {
            throw .usage("Invalid value '\(text)' for '--\(name)': expected at least \(SimulatedDuration.format(min)).", command: arguments.spec)
        }
        return ms
    }

    /// `orders:2` (or `orders-2`) as a partition of an existing topic.
    static func partition(_ text: String, _ session: Session, spec: CommandSpec) throws(ShellError) -> TopicPartition {
        var topic = "", number = ""
        if let colon = text.lastIndex(of: ":") {
            topic = String(text[..<colon]); number = String(text[text.index(after: colon)...])
        } else if let dash = text.lastIndex(of: "-") {
            topic = String(text[..<dash]); number = String(text[text.index(after: dash)...])
        }
        guard !topic.isEmpty, let p = Int(number), p >= 0 else {
            throw .usage("Invalid partition '\(text)': write TOPIC:PARTITION, e.g. orders:0.", command: spec)
        }
        try TopicArguments.requireTopic(topic, session)
        let count = session.cluster.topics[topic]!.partitions.count
        guard p < count else {
            throw .failed("Partition \(p) of topic \(topic) with partition count \(count) does not exist. (UNKNOWN_TOPIC_OR_PARTITION)")
        }
        return TopicPartition(topic, p)
    }

    /// `T:P=O,T:P=O` as offsets.
    static func offsets(_ text: String, _ session: Session, spec: CommandSpec) throws(ShellError) -> [TopicPartition: Int64] {
        var out: [TopicPartition: Int64] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=")
            guard parts.count == 2, let o = Int64(parts[1]), o >= 0 else {
                throw .usage("Invalid offset '\(item)': write TOPIC:PARTITION=OFFSET, e.g. orders:0=5.", command: spec)
            }
            out[try partition(String(parts[0]), session, spec: spec)] = o
        }
        return out
    }

    /// The consumer, or a one-line error naming the consumers there are.
    static func consumer(_ name: String, _ session: Session) throws(ShellError) -> KafkaConsumer {
        do throws(ConsumerError) { return try session.cluster.requireConsumer(name) } catch {
            let names = session.cluster.consumerNames
            throw .failed("Unknown consumer '\(name)'.\(Suggestion.didYouMean(name, in: names)) " + (names.isEmpty ? "No consumers yet: consumer start NAME --group G --topic T" : "(consumers: \(names.joined(separator: ", ")))"))
        }
    }

    /// Runs a consumer operation, turning its error into one line.
    static func run(_ body: () throws(ConsumerError) -> Void) throws(ShellError) {
        do throws(ConsumerError) { try body() } catch { throw .failed(error.description) }
    }

    static func list(_ partitions: [TopicPartition]) -> String {
        partitions.isEmpty ? "-" : partitions.map(\.description).joined(separator: ",")
    }
}
