import Foundation
import KafkaModel

/// `kafka-producer-perf-test.sh` and `kafka-consumer-perf-test.sh`: the one place kafkalab reads the
/// wall clock, to measure its own in-process speed. Notebooks must match their numbers with `...`.
enum PerfTestTools {
    static let all: [Command] = [producerPerf, consumerPerf]

    static func wallNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static let producerSpec = CommandSpec(
        "kafka-producer-perf-test.sh", aliases: ["bin/kafka-producer-perf-test.sh", "./bin/kafka-producer-perf-test.sh"],
        group: .kafkaTools, abstract: "Kafka's producer benchmark: send N records of S bytes and print the rate",
        discussion: "Measures kafkalab's real in-process speed (wall clock): numbers differ run to run.",
        flags: [
            FlagSpec("topic", value: "TOPIC", help: "REQUIRED: the topic"),
            FlagSpec("num-records", value: "N", help: "REQUIRED: records to send"),
            FlagSpec("record-size", value: "BYTES", help: "size of each record's value"),
            FlagSpec("throughput", value: "N", help: "records/s cap; -1 for none (kafkalab never throttles)"),
            FlagSpec("producer-props", value: "K=V", help: "producer configs, e.g. acks=all bootstrap.servers=localhost:9092"),
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "the cluster (or bootstrap.servers in --producer-props)"),
        ],
        positionals: [PositionalSpec("K=V", optional: true, variadic: true, help: "more --producer-props values")],
        examples: ["kafka-producer-perf-test.sh --topic perf --num-records 100000 --record-size 100 --throughput -1 --producer-props acks=all bootstrap.servers=localhost:9092"],
        flagCompletion: ["topic": .topic])

    static let producerPerf = Command(producerSpec) { arguments, session throws(ShellError) in
        let props = try ConsoleProducerTool.propertyMap((arguments.string("producer-props").map { [$0] } ?? []) + arguments.positionals)
        try BootstrapServer.check(arguments.string("bootstrap-server") ?? props["bootstrap.servers"], session: session, tool: "kafka-producer-perf-test.sh")
        guard let topic = arguments.string("topic") else { throw .toolFailure(["Missing required argument \"[topic]\""]) }
        guard let text = arguments.string("num-records"), let n = Int(text), n >= 1 else {
            throw .toolFailure(["Missing required argument \"[num-records]\" (a positive number)"])
        }
        let size = try arguments.int("record-size", in: 0...1_048_576) ?? 100
        guard session.cluster.topics[topic] != nil else { throw .toolFailure(["[kafkalab] Topic '\(topic)' does not exist (UNKNOWN_TOPIC_OR_PARTITION); create it first."]) }
        var config = ProducerConfig()
        config.retries = 0  // no simulated time passes during an unthrottled run, so a retry could never come
        if let acks = props["acks"] {
            guard let parsed = ProducerConfig.Acks(configValue: acks) else { throw ConsoleProducerTool.invalid("acks", acks, "String must be one of: all, -1, 0, 1") }
            config.acks = parsed
        }
        if let v = props["batch.size"].flatMap(Int.init), v > 0 { config.batchSize = v }
        if let v = props["linger.ms"].flatMap(Int64.init), v >= 0 { config.lingerMs = v }
        // Kafka's payload: random upper-case letters.
        var generator = SeededRandom(seed: 7)
        let payload = (0..<size).map { _ in UInt8(65 + generator.next() % 26) }
        let name = "_perf-producer"
        do throws(KafkaError) { try session.cluster.startProducer(name, config: config, reportsAppends: false) } catch { throw ShellError(error) }
        defer { try? session.cluster.closeProducer(name) }
        let start = wallNanos()
        var failure: KafkaError?
        // N sends of the same keyless record, batched: one call instead of N (same partitions, batches and offsets).
        do throws(KafkaError) {
            try session.cluster.send(producer: name, topic: topic, value: payload, count: n)
        } catch { failure = error }
        try? session.cluster.flush(producer: name)
        let errors = session.cluster.producers[name]!.results.values.compactMap { result -> KafkaError? in
            if case .failure(let error) = result { return error } else { return nil }
        }
        if failure == nil, let first = errors.first {
            throw .toolFailure(["org.apache.kafka.common.errors.\(first.exceptionName): \(first.message) (\(errors.count) batch\(errors.count == 1 ? "" : "es") failed)"])
        }
        let seconds = max(Double(wallNanos() - start) / 1e9, 1e-9)
        if let failure { throw ShellError(failure) }
        let rate = Double(n) / seconds
        let mb = rate * Double(size) / 1024 / 1024
        let ms = seconds * 1000
        return Output([
            String(format: "%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.",
                   n, rate, mb, ms / 2, ms, Int(ms / 2), Int(ms * 0.95), Int(ms * 0.99), Int(ms)),
        ])
    }

    static let consumerSpec = CommandSpec(
        "kafka-consumer-perf-test.sh", aliases: ["bin/kafka-consumer-perf-test.sh", "./bin/kafka-consumer-perf-test.sh"],
        group: .kafkaTools, abstract: "Kafka's consumer benchmark: read N records and print the rate",
        discussion: "Measures kafkalab's real in-process speed (wall clock): numbers differ run to run.",
        flags: [
            FlagSpec("topic", value: "TOPIC", help: "REQUIRED: the topic"),
            FlagSpec("messages", value: "N", help: "REQUIRED: records to read"),
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "REQUIRED: the cluster"),
            FlagSpec("show-detailed-stats", help: "accepted"),
        ],
        examples: ["kafka-consumer-perf-test.sh --bootstrap-server localhost:9092 --topic perf --messages 100000"],
        flagCompletion: ["topic": .topic])

    static let consumerPerf = Command(consumerSpec) { arguments, session throws(ShellError) in
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-consumer-perf-test.sh")
        guard let topic = arguments.string("topic") else { throw .toolFailure(["Missing required argument \"[topic]\""]) }
        guard let text = arguments.string("messages"), let n = Int(text), n >= 1 else {
            throw .toolFailure(["Missing required argument \"[messages]\" (a positive number)"])
        }
        guard let state = session.cluster.topics[topic] else { throw .toolFailure(["[kafkalab] Topic '\(topic)' does not exist (UNKNOWN_TOPIC_OR_PARTITION)."]) }
        let startWall = Date()
        let start = wallNanos()
        var count = 0
        var bytes = 0
        // Zero-copy fetches (1 MB, `fetch.max.bytes`'s default per partition), counting record views.
        let fetched = FetchedRecords()
        for p in state.partitions.indices where count < n {
            let partition = TopicPartition(topic, p)
            guard var offset = session.cluster.logManager.logs[partition]?.logStartOffset else { continue }
            while count < n {
                do throws(KafkaError) { try session.cluster.fetch(partition, from: offset, into: fetched) } catch { break }
                if fetched.isEmpty { break }
                for view in fetched.views.prefix(n - count) { bytes += max(0, view.keySize) + max(0, view.valueSize) }
                count += min(fetched.count, n - count)
                offset = fetched.nextOffset
            }
        }
        let seconds = max(Double(wallNanos() - start) / 1e9, 1e-9)
        let mb = Double(bytes) / 1024 / 1024
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss:SSS"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let fetchMs = Int(seconds * 1000)
        return Output([
            "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
            String(format: "%@, %@, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f", formatter.string(from: startWall),
                   formatter.string(from: startWall.addingTimeInterval(seconds)), mb, mb / seconds, count, Double(count) / seconds,
                   0, fetchMs, mb / seconds, Double(count) / seconds),
        ])
    }
}
