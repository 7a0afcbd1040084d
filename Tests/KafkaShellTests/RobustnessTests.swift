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
    ]

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
            let output = session.execute(line)
            // A line of several commands (`a; b`) prints one result per command.
            // Kafka's own tools print what Kafka prints, which may take several lines (an option error, then
            // kafkalab's labelled "Did you mean" line).
            if output.failed && !line.contains(";") && !line.hasPrefix("kafka-topics.sh") {
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
