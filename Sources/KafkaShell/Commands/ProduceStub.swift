import KafkaModel

/// A minimal `produce` for this branch's transcripts and lessons, through the cluster's producer
/// (same partitioning as the full `produce` of the log branch, which replaces this file on merge).
enum ProduceStub {
    static let all: [Command] = [produce]

    static let produce = Command(
        CommandSpec(
            "produce", group: .topics, abstract: "Send records to a topic",
            flags: [FlagSpec("key", short: "k", value: "KEY", help: "the record key"),
                    FlagSpec("partition", short: "p", value: "P", help: "send to this partition"),
                    FlagSpec("count", short: "n", value: "N", help: "send N records (values VALUE-1 … VALUE-N)")],
            positionals: [PositionalSpec("TOPIC", help: "the topic"), PositionalSpec("VALUE", help: "the record value")],
            examples: ["produce orders --key user-1 hello", "produce orders hello --count 5"], positionalCompletion: .topic)
    ) { arguments, session throws(ShellError) in
        let topic = arguments.positionals[0]
        try TopicArguments.requireTopic(topic, session)
        let value = arguments.positionals[1]
        let count = try arguments.int("count", in: 1...1_000_000) ?? 1
        let partition = try arguments.int("partition", in: 0...Int(Int32.max))
        let cluster = session.cluster
        if let partition, partition >= cluster.topics[topic]!.partitions.count {
            throw .failed("Partition \(partition) of topic \(topic) with partition count \(cluster.topics[topic]!.partitions.count) is not present in metadata. (UNKNOWN_TOPIC_OR_PARTITION)")
        }
        let name = "_produce"
        do throws(KafkaError) {
            if cluster.producers[name] == nil { try cluster.startProducer(name, config: ProducerConfig()) }
            for i in 1...count {
                let text = count == 1 ? value : "\(value)-\(i)"
                try cluster.send(producer: name, topic: topic, partition: partition, key: arguments.string("key").map { Array($0.utf8) },
                                 value: Array(text.utf8))
            }
            try cluster.flush(producer: name)
        } catch {
            throw ShellError(error)
        }
        return Output(["Sent \(count) record\(count == 1 ? "" : "s") to \(topic)."])
    }
}
