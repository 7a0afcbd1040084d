import KafkaModel

/// `produce`, and named producers: `producer start|flush|close`, `producers`.
enum ProduceCommands {
    static let all: [Command] = [produce, start, flush, close, list]

    /// The shell's own producer behind `produce` (flushed after every command).
    static let shellProducer = "_produce"

    /// One record to send.
    struct Outgoing {
        var key: [UInt8]?
        var value: [UInt8]?
        var headers: [RecordHeader] = []
        var partition: Int?
    }

    static let produce = Command(
        CommandSpec(
            "produce", group: .producing, abstract: "Send records to a topic and see which partition and offset each gets",
            discussion: """
                A keyed record goes to toPositive(murmur2(key)) % partitions, exactly as the Java client.
                A record without a key goes to the producer's sticky partition (Kafka 3.3+ built-in partitioner),
                which changes only after batch.size bytes. --partition overrides both.
                Without --producer the record is sent at once (the shell's producer flushes after every command);
                with --producer it waits in that producer's batch until batch.size fills or linger.ms passes.
                With --count N the values are VALUE-1 … VALUE-N.
                """,
            flags: [
                FlagSpec("key", short: "k", value: "KEY", help: "the record key (UTF-8); no key when omitted"),
                FlagSpec("partition", short: "p", value: "P", help: "send to this partition, whatever the key"),
                FlagSpec("header", short: "H", value: "KEY=VALUE", repeatable: true, help: "a record header"),
                FlagSpec("count", short: "n", value: "N", help: "send N records (values VALUE-1 … VALUE-N)"),
                FlagSpec("null-value", help: "send a null value: with a key, a tombstone that compaction uses to delete the key"),
                FlagSpec("producer", value: "NAME", help: "send through a producer started with 'producer start'"),
                FlagSpec("acks", value: "0|1|all", help: "when the leader answers: 0 never, 1 after its own append, all (default) once the ISR has it"),
            ],
            positionals: [PositionalSpec("TOPIC", help: "the topic"), PositionalSpec("VALUE", optional: true, help: "the record value (UTF-8)")],
            examples: ["produce orders --key user-1 'first order'", "produce orders hello --count 5", "produce users --key alice --null-value",
                       "produce orders x --acks 1"],
            positionalCompletion: .topic, flagCompletion: ["producer": .producer, "acks": .fixed(["0", "1", "all"])])
    ) { arguments, session throws(ShellError) in
        let topic = arguments.positionals[0]
        try TopicArguments.requireTopic(topic, session)
        let nullValue = arguments.has("null-value")
        guard let value = arguments.positional(1) ?? (nullValue ? "" : nil) else {
            throw .usage("Missing VALUE: the record value (or --null-value for a tombstone).", command: arguments.spec)
        }
        if nullValue && arguments.positional(1) != nil {
            throw .usage("Give a VALUE or --null-value, not both.", command: arguments.spec)
        }
        let count = try arguments.int("count", in: 1...10_000_000) ?? 1
        let partition = try arguments.int("partition", in: 0...Int(Int32.max))
        var headers: [RecordHeader] = []
        for text in arguments.strings("header") {
            guard let equals = text.firstIndex(of: "=") else {
                throw .usage("Invalid header '\(text)': write KEY=VALUE.", command: arguments.spec)
            }
            headers.append(RecordHeader(key: String(text[..<equals]), value: Array(text[text.index(after: equals)...].utf8)))
        }
        let key = arguments.string("key").map { Array($0.utf8) }
        // Made one at a time as they are sent: ten million records never sit in memory at once.
        let records = (1...count).lazy.map { i in
            Outgoing(key: key, value: nullValue ? nil : Array((count == 1 ? value : "\(value)-\(i)").utf8), headers: headers, partition: partition)
        }
        var acks: ProducerConfig.Acks?
        if let text = arguments.string("acks") {
            guard let parsed = ProducerConfig.Acks(configValue: text) else {
                throw .usage("Invalid value '\(text)' for '--acks': expected 0, 1 or all.", command: arguments.spec)
            }
            guard arguments.string("producer") == nil else {
                throw .usage("--acks belongs to the producer: give it to 'producer start' instead of --producer's sends.", command: arguments.spec)
            }
            acks = parsed
        }
        return try send(records, topic: topic, producer: arguments.string("producer"), acks: acks, session: session)
    }

    /// Sends records through a named producer, or through the shell's producer and flushes; one
    /// report line per record (a summary for many). Validates the topic and partition first.
    static func send(_ records: some Collection<Outgoing>, topic: String, producer named: String?, acks: ProducerConfig.Acks? = nil,
                     session: Session, reportLimit: Int = 10) throws(ShellError) -> Output {
        let cluster = session.cluster
        // One shell producer per acks setting (the default one is acks=all).
        let name = named ?? (acks.map { $0 == .all ? shellProducer : shellProducer + "-acks" + $0.rawValue } ?? shellProducer)
        if let named, cluster.producers[named] == nil {
            let names = cluster.producerNames
            throw .failed("No producer named '\(named)'.\(Suggestion.didYouMean(named, in: names)) Start one: producer start \(named)")
        }
        if named == nil, cluster.producers[name] == nil {
            // The shell's producer flushes within the command, and simulated time stands still meanwhile:
            // it reports a retriable error at once instead of retrying until delivery.timeout.ms.
            var config = ProducerConfig()
            config.retries = 0
            if let acks { config.acks = acks }
            // enable.idempotence needs acks=all (the Java client then turns it off when acks is set otherwise).
            if config.acks != .all { config.enableIdempotence = false }
            do throws(KafkaError) { try cluster.startProducer(name, config: config) } catch { throw ShellError(error) }
        }
        return try sendThrough(records, topic: topic, producer: name, flush: named == nil, session: session, reportLimit: reportLimit)
    }

    /// Sends through the producer `name` (which exists), flushing after when asked. Records are taken one
    /// at a time; beyond the few it reports line by line, only one receipt per batch is kept.
    static func sendThrough(_ records: some Collection<Outgoing>, topic: String, producer name: String, flush: Bool = true, session: Session,
                            reportLimit: Int = 10) throws(ShellError) -> Output {
        let cluster = session.cluster
        let partitionCount = cluster.topics[topic]!.partitions.count
        if let bad = records.first(where: { $0.partition.map { $0 >= partitionCount } ?? false })?.partition {
            throw ShellError(KafkaError.unknownTopicOrPartition("Partition \(bad) of topic \(topic) with partition count \(partitionCount) is not present in metadata."))
        }
        let total = records.count
        let everyLine = total <= reportLimit
        var shown: [(Outgoing, SendReceipt)] = []
        // Per batch: its first record's receipt and key (for a failure line), and how many records it took.
        var batches: [Int: (receipt: SendReceipt, key: [UInt8]?, count: Int)] = [:]
        var batchOrder: [Int] = []
        var sent = 0
        var failure: ShellError?
        for record in records {
            do throws(KafkaError) {
                let receipt = try cluster.send(producer: name, topic: topic, partition: record.partition, key: record.key,
                                               value: record.value, headers: record.headers)
                if everyLine || sent < 3 { shown.append((record, receipt)) }
                if let known = batches[receipt.batchId] {
                    batches[receipt.batchId]!.count = known.count + 1
                } else {
                    batches[receipt.batchId] = (receipt, record.key, 1)
                    batchOrder.append(receipt.batchId)
                }
                sent += 1
            } catch {
                failure = ShellError(error)
                break
            }
            if sent & 4095 == 0 && session.interruptRequested() { break }
        }
        if flush {
            try? cluster.flush(producer: name)
            // Like `send().get()`: the answer of an acks=all send comes once the followers have the records.
            cluster.awaitAnswers(producer: name)
        }
        var output = Output()
        var failed = 0, waiting = 0, shownFailures = 0
        var errorNames: [String] = []
        var perPartition: [Int: (count: Int, first: Int64, last: Int64)] = [:]
        // Every record when few; else the first three (whatever became of them), "…", and the first record of
        // further failed batches, up to three failure lines in all.
        var shownFailedBatches = Set<Int>()
        for (record, receipt) in shown {
            let outcome = cluster.offset(of: receipt, producer: name)
            var isFailure = false
            if case .failure = outcome {
                isFailure = true
                shownFailures += 1
                shownFailedBatches.insert(receipt.batchId)
            }
            output.append(RecordReport.line(key: record.key, receipt, producer: cluster.producers[name], outcome: outcome), style: isFailure ? .failure : .plain)
        }
        if !everyLine && sent > 3 { output.append("…") }
        for id in batchOrder {
            let batch = batches[id]!
            switch cluster.offset(of: batch.receipt, producer: name) {
            case nil: waiting += batch.count
            case .failure(let error):
                failed += batch.count
                if !errorNames.contains(error.errorName) { errorNames.append(error.errorName) }
                if !everyLine && shownFailures < 3 && !shownFailedBatches.contains(id) {
                    shownFailures += 1
                    output.append(RecordReport.line(key: batch.key, batch.receipt, producer: cluster.producers[name], outcome: .failure(error)), style: .failure)
                }
            case .success(let offset) where offset < 0: break
            case .success(let offset):
                let p = batch.receipt.partition.partition
                let old = perPartition[p] ?? (0, offset, offset)
                perPartition[p] = (old.count + batch.count, min(old.first, offset), max(old.last, offset + Int64(batch.count) - 1))
            }
        }
        if !everyLine {
            let parts = perPartition.keys.sorted().map { p in
                let v = perPartition[p]!
                return "partition \(p): \(v.count) (offsets \(v.first)..\(v.last))"
            }
            let written = sent - failed - waiting
            if failed == 0 && waiting == 0 {
                output.append("Sent \(sent) records to \(topic)" + (parts.isEmpty ? "." : ": " + parts.joined(separator: ", ") + "."))
            } else {
                var summary: [String] = []
                if written > 0 { summary.append("\(written) written" + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")) }
                if waiting > 0 { summary.append("\(waiting) waiting in producer \(name)'s batches") }
                if failed > 0 { summary.append("\(failed) failed (\(errorNames.joined(separator: ", ")))") }
                if written == 0 && failed == 0 {
                    output.append("Queued \(sent) records for \(topic): all wait in producer \(name)'s batches (sent when batch.size fills, linger.ms passes or on 'producer flush \(name)').")
                } else {
                    let verb = written > 0 ? "Sent \(written) of \(sent) records" : "Sent none of \(sent) records"
                    output.append("\(verb) to \(topic): " + summary.joined(separator: ", ") + ".", style: failed > 0 ? .failure : .plain)
                }
            }
        }
        if failure == nil && sent < total {
            output.append("Interrupted (Ctrl-C) after \(sent) of \(total) records; those are sent.", style: .warning)
        }
        if let failure {
            output.append(failure.description, style: .failure)
            output.failed = true
        }
        if failed > 0 { output.failed = true }
        return output
    }

    static let start = Command(
        CommandSpec(
            "producer start", group: .producing, abstract: "Start a named producer with its own batching and partitioner",
            discussion: """
                A producer keeps a record accumulator: records wait in per-partition batches until batch.size
                fills or linger.ms passes on the simulated clock (tick), or until 'producer flush'.
                Kafka 4.0 defaults: acks=all, enable.idempotence=true, linger.ms=5, batch.size=16384.
                """,
            flags: [
                FlagSpec("acks", value: "0|1|all", help: "when the leader answers (default all)"),
                FlagSpec("linger", value: "DURATION", help: "linger.ms: how long a batch waits for more records (default 5ms)"),
                FlagSpec("batch-size", value: "BYTES", help: "batch.size (default 16384)"),
                FlagSpec("partitioner", value: "NAME", help: "null-key partitioner: built-in (default) or round-robin (RoundRobinPartitioner)"),
                FlagSpec("enable-idempotence", value: "true|false", help: "enable.idempotence (default true; needs acks=all, retries > 0, max in flight <= 5)"),
                FlagSpec("retries", value: "N", help: "retries (default 2147483647)"),
                FlagSpec("max-in-flight", value: "N", help: "max.in.flight.requests.per.connection (default 5)"),
                FlagSpec("property", value: "KEY=VALUE", repeatable: true, help: "any producer config by Kafka's name, e.g. delivery.timeout.ms=30000"),
                FlagSpec("transactional-id", value: "ID", help: "transactional.id: a transactional producer (then producer init, begin, commit)"),
                FlagSpec("transaction-timeout", value: "DURATION", help: "transaction.timeout.ms (default 1m)"),
            ],
            positionals: [PositionalSpec("NAME", help: "the producer's name")],
            examples: ["producer start p1", "producer start p1 --acks 1 --linger 100ms --batch-size 1024 --partitioner round-robin",
                       "producer start p2 --enable-idempotence false --max-in-flight 5 --property retry.backoff.ms=50",
                       "producer start tx --transactional-id my-txn --transaction-timeout 30s"],
            flagCompletion: ["acks": .fixed(["0", "1", "all"]), "partitioner": .fixed(ProducerConfig.Partitioner.allCases.map(\.rawValue)),
                             "linger": .fixed(["0ms", "5ms", "100ms", "1s"]), "enable-idempotence": .fixed(["true", "false"]),
                             "property": .fixed(ProducerConfig.propertyNames.map { $0 + "=" })])
    ) { arguments, session throws(ShellError) in
        let name = arguments.positionals[0]
        guard !name.hasPrefix("_"), !name.isEmpty else { throw .usage("Producer names may not start with '_'.", command: arguments.spec) }
        var config = ProducerConfig()
        if let text = arguments.string("acks") {
            guard let acks = ProducerConfig.Acks(configValue: text) else {
                throw .usage("Invalid value '\(text)' for '--acks': expected 0, 1 or all.", command: arguments.spec)
            }
            config.acks = acks
        }
        if let text = arguments.string("linger") {
            if let ms = Int64(text), ms >= 0 {
                config.lingerMs = ms
            } else {
                do throws(SimulatedDuration.ParseError) {
                    config.lingerMs = try SimulatedDuration.parse(text)
                } catch { throw .usage("Invalid value '\(text)' for '--linger': \(error.description)", command: arguments.spec) }
            }
        }
        if let size = try arguments.int("batch-size", in: 1...Int(Int32.max)) { config.batchSize = size }
        if let text = arguments.string("partitioner") {
            if let removed = ProducerConfig.removedPartitioners[text] {
                // Kafka 4.0.0 deleted the class (KAFKA-18262); setting it fails in ConfigDef.parseType.
                throw .toolFailure(["org.apache.kafka.common.config.ConfigException: Invalid value \(removed) for configuration partitioner.class: Class \(removed) could not be found.",
                                    "[kafkalab] Kafka 4.0 removed \(removed) (KAFKA-18262). Leave partitioner.class unset for the built-in sticky partitioner, or use round-robin."])
            }
            guard let partitioner = ProducerConfig.Partitioner(rawValue: text) else {
                throw .usage("Invalid value '\(text)' for '--partitioner': expected built-in or round-robin.", command: arguments.spec)
            }
            config.partitioner = partitioner
        }
        var properties: [(String, String)] = []
        for (flag, property) in [("enable-idempotence", "enable.idempotence"), ("retries", "retries"),
                                 ("max-in-flight", "max.in.flight.requests.per.connection")] {
            if let value = arguments.string(flag) { properties.append((property, value)) }
        }
        if let id = arguments.string("transactional-id") { properties.append(("transactional.id", id)) }
        if let text = arguments.string("transaction-timeout") {
            if let ms = Int64(text) {
                properties.append(("transaction.timeout.ms", String(ms)))
            } else {
                do throws(SimulatedDuration.ParseError) {
                    properties.append(("transaction.timeout.ms", String(try SimulatedDuration.parse(text))))
                } catch { throw .usage("Invalid value '\(text)' for '--transaction-timeout': \(error.description)", command: arguments.spec) }
            }
        }
        properties += try ConsoleProducerTool.pairs(arguments.strings("property"))
        let notices: [ProducerConfigNotice]
        do throws(ConfigException) {
            (config, notices) = try config.applying(properties)
        } catch {
            throw .failed(error.description)
        }
        do throws(KafkaError) { try session.cluster.startProducer(name, config: config) } catch { throw ShellError(error) }
        var output = Output(["Started producer \(name) (acks=\(config.acks.rawValue), linger.ms=\(config.lingerMs), batch.size=\(config.batchSize), partitioner=\(config.partitioner.rawValue))."])
        for notice in notices { output.append("\(notice.level.rawValue) \(notice.message)", style: .dim) }
        return output
    }

    static func requireProducer(_ name: String, _ session: Session) throws(ShellError) {
        guard session.cluster.producers[name] == nil || name.hasPrefix("_") else { return }
        let names = session.cluster.producerNames
        throw .failed("No producer named '\(name)'.\(Suggestion.didYouMean(name, in: names)) (\(names.isEmpty ? "no producers yet; start one: producer start \(name)" : "producers: " + names.joined(separator: ", ")))")
    }

    static let flush = Command(
        CommandSpec("producer flush", group: .producing, abstract: "Send a producer's waiting batches now",
                    positionals: [PositionalSpec("NAME", help: "the producer")], examples: ["producer flush p1"],
                    positionalCompletion: .producer)
    ) { arguments, session throws(ShellError) in
        let name = arguments.positionals[0]
        try requireProducer(name, session)
        let waiting = session.cluster.producers[name]!.accumulator.pendingRecords
        do throws(KafkaError) { try session.cluster.flush(producer: name) } catch { throw ShellError(error) }
        return Output([waiting == 0 ? "Producer \(name) had nothing waiting." : "Flushed \(waiting) record\(waiting == 1 ? "" : "s") from producer \(name)."])
    }

    static let close = Command(
        CommandSpec("producer close", group: .producing, abstract: "Flush and close a producer",
                    positionals: [PositionalSpec("NAME", help: "the producer")], examples: ["producer close p1"],
                    positionalCompletion: .producer)
    ) { arguments, session throws(ShellError) in
        let name = arguments.positionals[0]
        try requireProducer(name, session)
        do throws(KafkaError) { try session.cluster.closeProducer(name) } catch { throw ShellError(error) }
        return Output(["Closed producer \(name)."])
    }

    static let list = Command(
        CommandSpec("producers", group: .producing, abstract: "List producers with their config and waiting batches",
                    examples: ["producers"])
    ) { _, session throws(ShellError) in
        let cluster = session.cluster
        guard !cluster.producerNames.isEmpty else { return Output(["No producers. Start one: producer start p1"]) }
        let transactional = cluster.producerNames.contains { cluster.producers[$0]!.transactionManager != nil }
        var table = Table(["PRODUCER", "ACKS", "LINGER.MS", "BATCH.SIZE", "PARTITIONER", "WAITING", "SENT BATCHES", "SENT RECORDS", "FAILED RECORDS"]
                          + (transactional ? ["TRANSACTION"] : []))
        for name in cluster.producerNames {
            let p = cluster.producers[name]!
            var waiting = p.accumulator.batches.keys.sorted().map { "\($0):\(p.accumulator.batches[$0]!.reduce(0) { $0 + $1.records.count })" }
            waiting += p.retrying.keys.sorted().map { tp in
                let queue = p.retrying[tp]!
                // The first batch is either waiting for an answer (sent, or lost and not yet timed out) or for a retry.
                let state = queue.first.map { $0.inFlight || $0.pendingFailure != nil } == true ? "in flight" : "retrying"
                return "\(tp):\(queue.reduce(0) { $0 + $1.recordCount }) (\(state))"
            }
            table.add([name, p.config.acks.rawValue, String(p.config.lingerMs), String(p.config.batchSize), p.config.partitioner.rawValue,
                       waiting.isEmpty ? "-" : waiting.joined(separator: " "), String(p.sentBatches), String(p.sentRecords), String(p.failedRecords)]
                      + (transactional ? [TransactionCommands.summary(p)] : []))
        }
        return Output(table.render())
    }
}
