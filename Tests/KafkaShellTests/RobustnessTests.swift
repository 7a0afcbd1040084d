import Testing
@testable import KafkaShell
import KafkaModel

@Suite("Robustness: bad input never crashes and never half-changes state")
struct RobustnessTests {
    /// Words that reach deep into the command language.
    static let vocabulary = [
        "topic", "create", "delete", "alter", "topics", "describe", "kafka-topics.sh", "--create", "--topic", "--partitions",
        "--replication-factor", "--config", "--bootstrap-server", "localhost:9092", "-p", "-r", "-c", "orders", "a.b", "a_b",
        "retention.ms=1", "cleanup.policy=x", "0", "-1", "3", "99999999999999999999", "tick", "5s", "7d", "time", "events",
        "inspect", "expect", "==", "topics.orders", "[", "]", "(", ")", "\"", "'", "\\", ";", "#", "broker", "stop", "start",
        "elect-leaders", "help", "brokers", "--if-not-exists", "--describe", "--alter", "--list", "--delete", "한글", "\u{0}",
        // Producers, consumers, groups and Kafka's tools.
        "produce", "--key", "--partition", "--count", "--header", "k=v", "--producer", "producer", "flush", "close", "producers",
        "--acks", "all", "--linger", "--batch-size", "--partitioner", "round-robin", "partition-of", "keys", "consume", "--from",
        "beginning", "--max", "consumer", "poll", "commit", "seek", "pause", "resume", "assign", "crash", "restart", "slow",
        "fault", "consumers", "groups", "lag", "c1", "g1", "--group", "-g", "-t", "--auto-offset-reset", "earliest",
        "--no-auto-commit", "--process-time", "--group-instance-id", "--assignor", "cooperative-sticky", "segments", "compact",
        "kafka-consumer-groups.sh", "--reset-offsets", "--to-earliest", "--shift-by", "--by-duration", "P999999999999D",
        "--execute", "--all-topics", "--export", "kafka-console-producer.sh", "kafka-console-consumer.sh", "--from-beginning",
        "--property", "print.key=true", "kafka-configs.sh", "--entity-type", "topics", "--entity-name", "--add-config",
        "kafka-dump-log.sh", "--files", "orders-0/00000000000000000000.log", "kafka-producer-perf-test.sh", "--num-records",
        "--record-size", "--throughput", "100", "kafka-consumer-perf-test.sh", "--messages", ">", "plan.csv", "clear",
        "\u{1B}[2J", "\u{7}",
    ]

    /// What a failed command must leave exactly as it was.
    static func fingerprint(_ session: Session) -> String {
        let cluster = session.cluster
        var parts = ["t=\(cluster.nowMs)", "events=\(cluster.events.count)"]
        for name in cluster.topics.keys.sorted() {
            let topic = cluster.topics[name]!
            parts.append("\(name):" + topic.partitions.enumerated().map { index, partition in
                "\(partition.leader ?? -1)/\(partition.isr)/\(cluster.logManager.logs[TopicPartition(name, index)]?.logEndOffset ?? -1)"
            }.joined(separator: ","))
        }
        parts += cluster.brokers.map { "b\($0.id)=\($0.isAlive)" }
        return parts.joined(separator: " ")
    }

    @Test("100,000 random lines: each gets output, no crash, exit never requested by accident")
    func randomLines() {
        var random = SeededRandom(seed: 2024)
        let session = Session()
        for iteration in 0..<100_000 {
            var line: String
            if iteration % 10 == 0 {
                // Random bytes, decoded leniently.
                let bytes = (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                line = String(decoding: bytes, as: UTF8.self)
            } else {
                let count = Int(random.next() % 8)
                line = (0..<count).map { _ in Self.vocabulary[Int(random.next() % UInt64(Self.vocabulary.count))] }.joined(separator: " ")
            }
            if line.contains("exit") || line.contains("quit") { continue }
            // A console producer left reading input would take the next lines as records.
            if session.inputMode != nil { _ = session.endInput() }
            let before = Self.fingerprint(session)
            let output = session.execute(line)
            // A failed command changes nothing: no event, no record, no clock movement, no new topic.
            if output.failed && !line.contains(";") && session.inputMode == nil {
                let after = Self.fingerprint(session)
                #expect(before == after, "state changed by a failed command: \(line)")
                if before != after { return }
            }
            // A line of several commands (`a; b`) prints one result per command.
            // Kafka's own tools print what Kafka prints, which may take several lines (an option error, then
            // kafkalab's labelled "Did you mean" line).
            if output.failed && !line.contains(";") && !line.hasPrefix("kafka-") {
                #expect(output.lines.count == 1, "one-line error for: \(line)")
            }
        }
        // The cluster stays internally consistent.
        for topic in session.cluster.topics.values {
            for partition in topic.partitions {
                #expect(!partition.isr.isEmpty)
                #expect(Set(partition.isr).isSubset(of: Set(partition.replicas)))
                if let leader = partition.leader { #expect(partition.isr.contains(leader)) }
            }
        }
    }

    @Test("A 1 MB line gets a one-line error")
    func hugeLine() {
        let session = Session()
        let output = session.execute(String(repeating: "x", count: 1_000_000))
        #expect(output.failed)
        #expect(output.lines.count == 1)
        #expect(output.lines[0].text.count < 300)
        let quoted = session.execute("topic create '" + String(repeating: "y", count: 1_000_000) + "'")
        #expect(quoted.failed && quoted.lines.count == 1)
    }
}
