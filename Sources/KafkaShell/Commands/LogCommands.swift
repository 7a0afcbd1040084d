import Foundation
import KafkaModel

/// `segments`, `compact` and `kafka-dump-log.sh`: the partition log as files.
enum LogCommands {
    static let all: [Command] = [segments, compact, dumpLog]

    /// `orders` → every partition; `orders-2` → that one (when `orders-2` is not itself a topic).
    static func partitions(_ name: String, _ session: Session) throws(ShellError) -> [TopicPartition] {
        let cluster = session.cluster
        if let topic = cluster.topics[name] { return topic.partitions.indices.map { TopicPartition(name, $0) } }
        if let dash = name.lastIndex(of: "-"), let p = Int(name[name.index(after: dash)...]), let topic = cluster.topics[String(name[..<dash])] {
            guard p < topic.partitions.count else {
                throw ShellError(KafkaError.unknownTopicOrPartition("Partition \(p) of topic \(topic.name) does not exist: it has \(topic.partitions.count)."))
            }
            return [TopicPartition(topic.name, p)]
        }
        try TopicArguments.requireTopic(name, session)
        return []
    }

    static let segments = Command(
        CommandSpec(
            "segments", group: .log, abstract: "List a partition's segment files: base offset, records, bytes, time range",
            discussion: "The last segment is the active one: appends go there, retention and compaction never touch it while it holds data.",
            positionals: [PositionalSpec("TOPIC[-P]", help: "a topic, or one partition of it (orders-0)")],
            examples: ["segments orders", "segments orders-0"], positionalCompletion: .topicPartition)
    ) { arguments, session throws(ShellError) in
        var output = Output()
        for (i, tp) in try partitions(arguments.positionals[0], session).enumerated() {
            let log: UnifiedLog
            do throws(KafkaError) { log = try session.cluster.log(tp) } catch { throw ShellError(error) }
            if i > 0 { output.append("") }
            output.append("\(tp): log start offset \(log.logStartOffset), log end offset \(log.logEndOffset), high watermark \(log.highWatermark), \(log.segments.count) segment\(log.segments.count == 1 ? "" : "s"), \(log.size) bytes", style: .heading)
            var table = Table(["FILE", "BASE", "RECORDS", "OFFSETS", "BYTES", "TIME RANGE", ""])
            for (index, segment) in log.segments.enumerated() {
                let next = index + 1 < log.segments.count ? log.segments[index + 1].baseOffset : log.logEndOffset
                let from = max(segment.baseOffset, log.logStartOffset)
                let records = from < next ? ((try? log.read(from: from, endOffset: next).count) ?? 0) : 0
                let offsets = segment.firstOffset.flatMap { first in segment.lastOffset.map { "\(first)..\($0)" } } ?? "-"
                let times = segment.rollingBasedTimestamp.map { "\(Timestamp.timeOfDay($0))–\(Timestamp.timeOfDay(segment.maxTimestamp))" } ?? "-"
                table.add([segment.logFileName, String(segment.baseOffset), String(records), offsets, String(segment.size), times,
                           index == log.segments.count - 1 ? "active" : ""])
            }
            output.append(lines: table.render())
        }
        return output
    }

    static let compact = Command(
        CommandSpec(
            "compact", group: .log, abstract: "Run the log cleaner on a compacted topic now",
            discussion: "Keeps the newest record per key in the cleanable segments (never the active one); offsets stay, so gaps appear.\nTombstones (key with null value) are kept for delete.retention.ms after the cleaner first sees them.\nThe cleaner also runs by itself every 15s of simulated time when the dirty ratio passes min.cleanable.dirty.ratio.",
            positionals: [PositionalSpec("TOPIC", help: "a topic with cleanup.policy=compact")],
            examples: ["compact users"], positionalCompletion: .topic)
    ) { arguments, session throws(ShellError) in
        let name = arguments.positionals[0]
        try TopicArguments.requireTopic(name, session)
        let policy = session.cluster.topics[name]!.config("cleanup.policy") ?? "delete"
        guard policy.contains("compact") else {
            throw .failed("Topic '\(name)' has cleanup.policy=\(policy): the cleaner compacts only cleanup.policy=compact topics. Set it: kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type topics --entity-name \(name) --add-config cleanup.policy=compact")
        }
        let outcome: [TopicPartition: (removed: Int, kept: Int)]
        do throws(KafkaError) { outcome = try session.cluster.runCleaner(topic: name, force: true) } catch { throw ShellError(error) }
        var output = Output()
        for tp in session.cluster.topics[name]!.partitions.indices.map({ TopicPartition(name, $0) }) {
            let active = session.cluster.logManager.logs[tp]!.activeSegment.baseOffset
            if let result = outcome[tp] {
                output.append("\(tp): removed \(result.removed) record\(result.removed == 1 ? "" : "s"), kept \(result.kept) (active segment from offset \(active) not cleaned)")
            } else {
                output.append("\(tp): nothing to clean (only the active segment, from offset \(active), holds data)")
            }
        }
        return output
    }

    static let dumpSpec = CommandSpec(
        "kafka-dump-log.sh", aliases: ["bin/kafka-dump-log.sh", "./bin/kafka-dump-log.sh", "kafka-dump-log"],
        group: .kafkaTools, abstract: "Kafka's segment dumper: batches, records and index entries of .log/.index/.timeindex files",
        discussion: "PATH names one of this cluster's segment files: relative to the log directory (orders-0/00000000000000000000.log),\nor with a log directory in front as tutorials write it (/tmp/kafka-logs/orders-0/00000000000000000000.log).\nOther files on your machine are never read.",
        flags: [
            FlagSpec("files", value: "PATH[,PATH]", help: "REQUIRED: the files to dump"),
            FlagSpec("deep-iteration", help: "one line per record, not only per batch"),
            FlagSpec("print-data-log", help: "also print keys and payloads (implies --deep-iteration)"),
        ],
        examples: ["kafka-dump-log.sh --files orders-0/00000000000000000000.log --print-data-log",
                   "kafka-dump-log.sh --files /tmp/kafka-logs/orders-0/00000000000000000000.index"],
        optionParser: .joptsimple(report: .uncaught, known: ["print-data-log", "verify-index-only", "index-sanity-check", "files", "max-message-size", "max-bytes", "deep-iteration", "value-decoder-class", "key-decoder-class", "offsets-decoder", "transaction-log-decoder", "cluster-metadata-decoder", "remote-log-metadata-decoder", "share-group-state-decoder", "skip-record-metadata", "help", "version"]))

    static let dumpLog = Command(dumpSpec) { arguments, session throws(ShellError) in
        guard let files = arguments.string("files") else { throw .toolFailure(["Missing required argument \"[files]\""]) }
        var output = Output()
        for path in files.split(separator: ",").map(String.init) {
            let bytes = try readSegmentFile(path, session)
            do throws(DumpLogSegments.DumpError) {
                let printData = arguments.has("print-data-log")
                let dump = try DumpLogSegments.dump(path: path, bytes: bytes, deepIteration: arguments.has("deep-iteration") || printData)
                // A key or payload may hold line breaks: Kafka prints them as they are, so they start new lines here too.
                let text = DumpLogText.lines(dump, printDataLog: printData).joined(separator: "\n")
                output.append(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            } catch {
                if case .unknownFile = error {
                    throw .toolFailure(["Ignoring unknown file \(path): kafka-dump-log.sh reads .log, .index, .timeindex, .txnindex and .snapshot files named by a 20-digit offset."])
                }
                throw .toolFailure(["org.apache.kafka.common.errors.CorruptRecordException: \(error.description)"])
            }
        }
        return output
    }

    /// The bytes of a segment file named as the learner wrote it.
    static func readSegmentFile(_ path: String, _ session: Session) throws(ShellError) -> [UInt8] {
        let parts = path.split(separator: "/").map(String.init)
        // `<topic>-<p>/<file>` at the end of the path names a partition the cluster hosts: with `broker-<id>/` in front,
        // that broker's replica; without, the leader's (as `data/orders-0/…` in the seed notes).
        var replicaBroker: Int?
        if parts.count >= 3, parts[parts.count - 3].hasPrefix("broker-") { replicaBroker = Int(parts[parts.count - 3].dropFirst(7)) }
        if parts.count >= 2, let tp = partitionNamed(parts[parts.count - 2], session),
           let log = replicaBroker.map({ session.cluster.replica(tp, on: $0)?.log }) ?? session.cluster.logManager.logs[tp],
           let bytes = try? log.storage.readAll(parts[parts.count - 1]),
           (try? log.storage.listFiles())?.contains(parts[parts.count - 1]) == true {
            return bytes
        }
        // Only the cluster's own segment files: never a host file, however it is named or linked.
        guard parts.count >= 2, partitionNamed(parts[parts.count - 2], session) != nil else {
            throw .failed("kafka-dump-log.sh reads only this cluster's segment files, named TOPIC-PARTITION/OFFSET.log (or .index, .timeindex), e.g. orders-0/00000000000000000000.log; a log directory in front is fine. See 'segments TOPIC' for the files.")
        }
        let known = session.cluster.logManager.logs.keys.sorted().prefix(3).compactMap { tp in
            session.cluster.logManager.logs[tp].map { "\(tp)/\($0.activeSegment.logFileName)" }
        }
        throw .toolFailure(["Exception in thread \"main\" java.nio.file.NoSuchFileException: \(path)" + (known.isEmpty ? "" : " (segment files look like: \(known.joined(separator: ", ")))")])
    }

    private static func partitionNamed(_ name: String, _ session: Session) -> TopicPartition? {
        guard let dash = name.lastIndex(of: "-"), let p = Int(name[name.index(after: dash)...]) else { return nil }
        let tp = TopicPartition(String(name[..<dash]), p)
        return session.cluster.logManager.logs[tp] != nil ? tp : nil
    }
}
