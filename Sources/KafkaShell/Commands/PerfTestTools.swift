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
        discussion: """
            With --throughput N (records/s) the records go out on the simulated clock at that rate: time moves on,
            a progress line prints every 5 s of it, and the numbers are the same on every run.
            With --throughput -1 no simulated time passes and the numbers are kafkalab's own speed (wall clock).
            """,
        flags: [
            FlagSpec("topic", value: "TOPIC", help: "REQUIRED: the topic"),
            FlagSpec("num-records", value: "N", help: "REQUIRED: records to send"),
            FlagSpec("record-size", value: "BYTES", help: "size of each record's value"),
            FlagSpec("payload-file", value: "FILE", help: "not simulated: use --record-size"),
            FlagSpec("payload-monotonic", help: "not simulated: use --record-size"),
            FlagSpec("payload-delimiter", value: "DELIMITER", help: "with --payload-file (not simulated)"),
            FlagSpec("throughput", value: "N", help: "REQUIRED: records/s on the simulated clock; -1 for no limit (wall-clock speed)"),
            FlagSpec("producer-props", value: "K=V", help: "producer configs, e.g. acks=all bootstrap.servers=localhost:9092"),
            FlagSpec("producer.config", value: "FILE", help: "not simulated: use --producer-props"),
            FlagSpec("print-metrics", help: "print the producer's metrics at the end (kafkalab has none to print)"),
            FlagSpec("transactional-id", value: "ID", help: "not simulated"),
            FlagSpec("transaction-duration-ms", value: "MS", help: "not simulated"),
        ],
        positionals: [PositionalSpec("K=V", optional: true, variadic: true, help: "more --producer-props values")],
        examples: ["kafka-producer-perf-test.sh --topic perf --num-records 50 --record-size 100 --throughput 5 --producer-props acks=all bootstrap.servers=localhost:9092",
                   "kafka-producer-perf-test.sh --topic perf --num-records 100000 --record-size 100 --throughput -1 --producer-props acks=all bootstrap.servers=localhost:9092"],
        flagCompletion: ["topic": .topic],
        optionParser: .argparse4j(prog: "producer-performance", flags: producerPerfFlags, usage: producerPerfUsage))

    /// `ProducerPerformance.argParser()` (4.0.0): argparse4j's `-h/--help`, then the flags in definition order.
    static let producerPerfFlags = ["-h", "--help", "--topic", "--num-records", "--record-size", "--payload-file", "--payload-monotonic",
                                    "--payload-delimiter", "--throughput", "--producer-props", "--producer.config", "--print-metrics",
                                    "--transactional-id", "--transaction-duration-ms"]

    /// argparse4j 0.7.0 `printUsage` of that parser at its default width of 75 (the mutually exclusive, required
    /// payload group last, in parentheses).
    static let producerPerfUsage = [
        "usage: producer-performance [-h] --topic TOPIC --num-records NUM-RECORDS",
        "                            [--payload-delimiter PAYLOAD-DELIMITER]",
        "                            --throughput THROUGHPUT",
        "                            [--producer-props PROP-NAME=PROP-VALUE [PROP-NAME=PROP-VALUE ...]]",
        "                            [--producer.config CONFIG-FILE]",
        "                            [--print-metrics]",
        "                            [--transactional-id TRANSACTIONAL-ID]",
        "                            [--transaction-duration-ms TRANSACTION-DURATION]",
        "                            (--record-size RECORD-SIZE |",
        "                            --payload-file PAYLOAD-FILE |",
        "                            --payload-monotonic)",
    ]

    /// argparse4j's error: the usage, then `"producer-performance: error: " + message` wrapped.
    static func producerPerfError(_ message: String) -> ShellError {
        .toolFailure(producerPerfUsage + KafkaOptionParser.argparseWrap("producer-performance: error: \(message)"))
    }

    static let producerPerf = Command(producerSpec) { arguments, session throws(ShellError) in
        // argparse4j checks required arguments in definition order and reports the last one missing,
        // then the required group: "one of the arguments --record-size --payload-file --payload-monotonic is required".
        if let missing = ["topic", "num-records", "throughput"].last(where: { !arguments.has($0) }) {
            throw producerPerfError("argument --\(missing) is required")
        }
        let payloadOptions = ["record-size", "payload-file", "payload-monotonic"].filter { arguments.has($0) }
        if payloadOptions.isEmpty { throw producerPerfError("one of the arguments --record-size --payload-file --payload-monotonic is required") }
        if payloadOptions.count > 1 { throw producerPerfError("argument --\(payloadOptions[1]): not allowed with argument --\(payloadOptions[0])") }
        for unsupported in ["payload-file", "payload-monotonic", "producer.config", "transactional-id", "transaction-duration-ms"] where arguments.has(unsupported) {
            throw .toolFailure(["[kafkalab] --\(unsupported) is not simulated; use --record-size and --producer-props."])
        }
        let topic = arguments.string("topic")!
        let text = arguments.string("num-records")!
        guard let n = Int(text) else { throw producerPerfError("argument --num-records: could not convert '\(text)' to Long (For input string: \"\(text)\")") }
        // `ConfigPostProcessor`: `throw new ArgumentParserException("--num-records should be greater than zero", parser)`.
        guard n >= 1 else { throw producerPerfError("--num-records should be greater than zero") }
        guard arguments.has("producer-props") else { throw producerPerfError("Either --producer-props or --producer.config must be specified.") }
        let props = try ConsoleProducerTool.propertyMap((arguments.string("producer-props").map { [$0] } ?? []) + arguments.positionals)
        try BootstrapServer.check(props["bootstrap.servers"], session: session, tool: "kafka-producer-perf-test.sh")
        let size = try arguments.int("record-size", in: Int(Int32.min)...1_048_576) ?? 100
        guard size >= 1 else { throw producerPerfError("--record-size should be greater than zero") }
        guard session.cluster.topics[topic] != nil else { throw .toolFailure(["[kafkalab] Topic '\(topic)' does not exist (UNKNOWN_TOPIC_OR_PARTITION); create it first."]) }
        // Every record is written to a real segment file: a run may not fill the disk.
        let (bytes, overflow) = n.multipliedReportingOverflow(by: size)
        if overflow || bytes > maxPerfBytes {
            throw .toolFailure(["[kafkalab] \(n) records of \(size) bytes would write more than kafkalab's limit of \(maxPerfBytes >> 30) GiB of log for one perf test; use fewer --num-records or a smaller --record-size."])
        }
        let throughput: Double
        if let text = arguments.string("throughput") {
            guard let value = Double(text), value.isFinite else {
                throw .toolFailure(["argument --throughput: could not convert '\(text)' to Double"])
            }
            throughput = value
        } else {
            throughput = -1
        }
        if throughput == 0 {
            throw .toolFailure(["[kafkalab] --throughput 0 would block forever (Kafka's throttler waits for a wakeup that never comes); use a positive rate or -1."])
        }
        var config = ProducerConfig()
        if throughput < 0 { config.retries = 0 }  // no simulated time passes in an unthrottled run: no retry could come
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
        if throughput > 0 {
            return try throttled(session.cluster, producer: name, topic: topic, payload: payload, records: n, throughput: throughput)
        }
        defer { try? session.cluster.closeProducer(name) }
        let start = wallNanos()
        var failure: KafkaError?
        // N sends of the same keyless record, batched: one call per million instead of N (same partitions, batches
        // and offsets); between two calls Ctrl-C may stop the run.
        var sent = 0
        while sent < n && failure == nil {
            let chunk = min(1_000_000, n - sent)
            do throws(KafkaError) {
                try session.cluster.send(producer: name, topic: topic, value: payload, count: chunk)
            } catch { failure = error }
            sent += chunk
            if sent < n && session.interruptRequested() { break }
        }
        try? session.cluster.flush(producer: name)
        let errors = session.cluster.producers[name]!.results.values.compactMap { result -> KafkaError? in
            if case .failure(let error) = result { return error } else { return nil }
        }
        if failure == nil, let first = errors.first {
            throw .toolFailure(["org.apache.kafka.common.errors.\(first.exceptionName): \(first.message) (\(errors.count) batch\(errors.count == 1 ? "" : "es") failed)"])
        }
        let seconds = max(Double(wallNanos() - start) / 1e9, 1e-9)
        if let failure { throw ShellError(failure) }
        var interrupted: String?
        if sent < n {
            interrupted = "[kafkalab] Interrupted (Ctrl-C) after \(sent) of \(n) records; the records sent so far are in the log."
        }
        let rate = Double(sent) / seconds
        let mb = rate * Double(size) / 1024 / 1024
        let ms = seconds * 1000
        var lines: [String] = []
        if arguments.has("print-metrics") {
            lines.append("[kafkalab] --print-metrics: Kafka prints the producer's metrics table here (ToolsUtils.printMetrics); kafkalab does not simulate client metrics.")
        }
        return Output((interrupted.map { [$0] } ?? []) + [
            "[kafkalab] --throughput -1: no simulated time passed; these numbers are kafkalab's own speed on this machine (wall clock).",
            String(format: "%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.",
                   sent, rate, mb, ms / 2, ms, Int(ms / 2), Int(ms * 0.95), Int(ms * 0.99), Int(ms)),
        ] + lines)
    }

    /// The most one producer perf test writes (its segment files are real).
    static let maxPerfBytes = 4 << 30

    /// A throttled run on the simulated clock: record i goes out at start + i/throughput seconds (kafkalab's
    /// even spacing for `ThroughputThrottler`), each send callback feeds `ProducerPerformance.Stats` at the time
    /// its batch completes, and `close()` waits for every batch, retries included.
    static func throttled(_ cluster: Cluster, producer name: String, topic: String, payload: [UInt8], records n: Int,
                          throughput: Double) throws(ShellError) -> Output {
        let startMs = cluster.nowMs
        var stats = PerfStats(start: startMs, numRecords: n)
        var lines: [String] = []
        var failures: [String] = []
        var pending: [Int: [Int64]] = [:]  // batch id → send times of its records
        func collect() {
            guard let producer = cluster.producers[name], !pending.isEmpty else { return }
            let done = pending.keys.compactMap { id in producer.completedMs[id].map { (id: id, at: $0) } }
                .sorted { ($0.at, $0.id) < ($1.at, $1.id) }
            for (id, at) in done {
                for sent in pending.removeValue(forKey: id)! {
                    switch producer.results[id]! {
                    case .success:
                        if let line = stats.record(latency: Int(at - sent), bytes: payload.count, time: at) { lines.append(line) }
                    case .failure(let error):
                        failures.append("org.apache.kafka.common.errors.\(error.exceptionName): \(error.message)")
                    }
                }
            }
        }
        var failure: KafkaError?
        var interruptedAt: Int?
        for i in 0..<n {
            if i & 1023 == 1023, cluster.interruptProbe?() == true {
                interruptedAt = i
                break
            }
            let due = startMs + Int64((Double(i) * 1000 / throughput).rounded(.down))
            if due > cluster.nowMs {
                cluster.advance(byMs: due - cluster.nowMs, reportsClock: false)
                collect()
            }
            do throws(KafkaError) {
                let receipt = try cluster.send(producer: name, topic: topic, key: nil, value: payload)
                pending[receipt.batchId, default: []].append(cluster.nowMs)
            } catch {
                failure = error
                break
            }
            collect()
        }
        // close(): send what waits at once, then wait for retries until each batch is done.
        try? cluster.flush(producer: name)
        collect()
        while let producer = cluster.producers[name], !producer.retrying.isEmpty {
            cluster.advance(byMs: 100, reportsClock: false)
            collect()
        }
        try? cluster.closeProducer(name)
        if cluster.nowMs > startMs { cluster.reportClockAdvanced(fromMs: startMs) }
        _ = cluster.takeInterruption()
        var output = Output(lines)
        if let interruptedAt {
            output.append("[kafkalab] Interrupted (Ctrl-C) after \(interruptedAt) of \(n) records, at \(Timestamp.iso8601(cluster.nowMs)).", style: .warning)
        }
        for line in failures.prefix(5) { output.append(line, style: .failure) }
        if failures.count > 5 { output.append("[kafkalab] … and \(failures.count - 5) more failed records.", style: .failure) }
        if let failure { throw ShellError(failure) }
        output.append(stats.total(end: cluster.nowMs))
        return output
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
        flagCompletion: ["topic": .topic],
        optionParser: .joptsimple(report: .messageAndUsage, known: ["bootstrap-server", "topic", "group", "fetch-size", "from-latest", "socket-buffer-size", "consumer.config", "print-metrics", "show-detailed-stats", "timeout", "messages", "reporting-interval", "date-format", "hide-header", "help", "version"]))

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
        var leaderless: [KafkaError] = []
        for p in state.partitions.indices where count < n {
            let partition = TopicPartition(topic, p)
            var offset: Int64
            do throws(KafkaError) { offset = try session.cluster.listOffsets(partition).logStartOffset } catch {
                leaderless.append(error)
                continue
            }
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
        var warnings: [String] = []
        if count < n && !leaderless.isEmpty {
            // The consumer gets nothing from a partition without a leader and gives up after --timeout (10 s).
            warnings.append("WARNING: Exiting before consuming the expected number of messages: timeout (10000 ms) exceeded. You can use the --timeout option to increase the timeout.")
            warnings += leaderless.map { "[kafkalab] \(ConsumeCommands.unavailableLine($0))" }
        }
        return Output(warnings + [
            "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
            String(format: "%@, %@, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f", formatter.string(from: startWall),
                   formatter.string(from: startWall.addingTimeInterval(seconds)), mb, mb / seconds, count, Double(count) / seconds,
                   0, fetchMs, mb / seconds, Double(count) / seconds),
        ])
    }
}

/// Kafka's `ProducerPerformance.Stats` on simulated time: totals, a latency sample, and a window printed
/// every `reportingInterval` (5000 ms) when a callback comes in.
struct PerfStats {
    let start: Int64
    let sampling: Int
    var latencies: [Int] = []
    var iteration = 0
    var count = 0, bytes = 0, maxLatency = 0, totalLatency = 0
    var windowCount = 0, windowMaxLatency = 0, windowTotalLatency = 0, windowBytes = 0
    var windowStart: Int64
    let reportingInterval: Int64 = 5000

    init(start: Int64, numRecords: Int) {
        self.start = start
        self.windowStart = start
        self.sampling = max(1, numRecords / min(numRecords, 500_000))
    }

    /// `Stats.record` (with the callback's `iteration++`); returns the window line when one is due.
    mutating func record(latency: Int, bytes: Int, time: Int64) -> String? {
        count += 1
        self.bytes += bytes
        totalLatency += latency
        maxLatency = max(maxLatency, latency)
        windowCount += 1
        windowBytes += bytes
        windowTotalLatency += latency
        windowMaxLatency = max(windowMaxLatency, latency)
        if iteration % sampling == 0 { latencies.append(latency) }
        iteration += 1
        guard time - windowStart >= reportingInterval else { return nil }
        let elapsed = Double(time - windowStart)
        let line = String(format: "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.",
                          windowCount, 1000.0 * Double(windowCount) / elapsed, 1000.0 * Double(windowBytes) / elapsed / (1024.0 * 1024.0),
                          Double(windowTotalLatency) / Double(windowCount), Double(windowMaxLatency))
        windowStart = time
        windowCount = 0
        windowMaxLatency = 0
        windowTotalLatency = 0
        windowBytes = 0
        return line
    }

    /// `Stats.printTotal`.
    func total(end: Int64) -> String {
        let elapsed = Double(max(end - start, 1))
        let sorted = latencies.sorted()
        let percentile = { (p: Double) -> Int in sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))] }
        return String(format: "%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.",
                      count, 1000.0 * Double(count) / elapsed, 1000.0 * Double(bytes) / elapsed / (1024.0 * 1024.0),
                      count == 0 ? 0 : Double(totalLatency) / Double(count), Double(maxLatency),
                      percentile(0.5), percentile(0.95), percentile(0.99), percentile(0.999))
    }
}
