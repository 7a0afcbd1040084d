import Testing
@testable import KafkaShell
@testable import KafkaModel

@Suite("Session")
struct SessionTests {
    @Test("Every command has help with an example")
    func helpForEveryCommand() {
        let session = Session()
        for command in session.registry.commands {
            #expect(!command.spec.examples.isEmpty, "\(command.spec.displayName) has no example")
            let output = session.execute("help \(command.spec.displayName)")
            #expect(!output.failed, "help \(command.spec.displayName)")
            #expect(output.texts.contains("Usage: \(command.spec.usage)"))
        }
    }

    @Test("While real clients are served, the cluster allocates no pages ahead of its logs, a lesson's new cluster too; afterwards it does again")
    func servingTurnsAllocationAheadOff() {
        let session = Session()
        #expect(session.cluster.logManager.fileBudget.allocatesPagesAhead)
        session.servesRealClients = true
        #expect(!session.cluster.logManager.fileBudget.allocatesPagesAhead)
        session.reset(brokers: 3, seed: 7)
        #expect(!session.cluster.logManager.fileBudget.allocatesPagesAhead)
        session.servesRealClients = false
        #expect(session.cluster.logManager.fileBudget.allocatesPagesAhead)
    }

    @Test("A command prints the events it caused, and only those")
    func eventsUnderCommands() {
        let session = Session()
        let created = session.execute("topic create t -p 2")
        #expect(created.events.map(\.kind.name) == ["TopicCreated"])
        #expect(session.execute("topics").events.isEmpty)
    }

    @Test("A failed command changes nothing")
    func failureChangesNothing() {
        let session = Session()
        _ = session.execute("topic create t -p 2")
        let eventCount = session.cluster.events.count
        for line in ["topic create t", "topic create u -r 9", "topic alter t -p 1", "topic create v -c retention.ms=x",
                     "topic alter t -p 4 -c nosuch=1", "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic w --partitions 0"] {
            #expect(session.execute(line).failed, "\(line)")
        }
        #expect(session.cluster.events.count == eventCount)
        #expect(session.cluster.topicNames == ["t"])
        #expect(session.cluster.topics["t"]!.partitions.count == 2)
    }

    @Test("Completion offers commands, sub-commands, flags and live names")
    func completion() {
        let session = Session()
        _ = session.execute("topic create orders -p 3")
        _ = session.execute("topic create payments")
        #expect(session.completions(lineBeforeCursor: "ti", word: "ti") == ["time", "tick", "timeline"])
        #expect(session.completions(lineBeforeCursor: "topic cr", word: "cr") == ["create"])
        #expect(session.completions(lineBeforeCursor: "describe o", word: "o") == ["orders"])
        #expect(session.completions(lineBeforeCursor: "topic create x --rep", word: "--rep") == ["--replication-factor"])
        #expect(session.completions(lineBeforeCursor: "kafka-topics.sh --describe --topic p", word: "p") == ["payments"])
        #expect(session.completions(lineBeforeCursor: "broker stop ", word: "") == ["0", "1", "2"])
        #expect(session.completions(lineBeforeCursor: "topic create x -c retention.m", word: "retention.m") == ["retention.ms="])
        #expect(session.completions(lineBeforeCursor: "expect topics.or", word: "topics.or") == ["topics.orders"])
    }

    @Test("Same commands, same output: two sessions with one seed agree")
    func determinism() {
        let script = ["topic create a -p 4 -r 3", "broker stop 2", "tick 10m", "broker start 2", "tick 5m", "events", "inspect topics.a --depth 3"]
        let first = Session(), second = Session()
        for line in script {
            #expect(first.executeAndRender(line).lines == second.executeAndRender(line).lines)
        }
    }
}

@Suite("Interrupting a long command")
struct InterruptTests {
    @Test("Ctrl-C during a long tick stops the clock at a safe point and says where; the next tick runs whole")
    func tickStops() {
        let session = Session()
        _ = session.execute("topic create t")
        _ = session.execute("consumer start c1 --group g --topic t --poll-every 1ms")
        var asked = 0
        session.interruptRequested = {
            asked += 1
            return asked > 3
        }
        let output = session.execute("tick 3650d")
        #expect(output.texts.last?.hasPrefix("Interrupted (Ctrl-C): the clock stopped at") == true)
        let stopped = session.cluster.nowMs - session.cluster.config.startMs
        #expect(stopped > 0 && stopped < 3650 * 86_400_000, "the clock stopped part of the way")
        #expect(session.cluster.consumers["c1"]?.status != nil, "the consumer is still there, in a consistent state")
        session.interruptRequested = { false }
        let next = session.execute("tick 1s")
        #expect(next.texts == ["Time is now \(Timestamp.iso8601(session.cluster.nowMs))."], "no stale interruption")
    }
}

@Suite("Producing many records")
struct ManyRecordsTests {
    @Test("produce --count reports three records, then a summary; Ctrl-C stops it with what was sent")
    func countAndInterrupt() {
        let session = Session()
        _ = session.execute("topic create t -p 2")
        let output = session.execute("produce t v --count 50000")
        #expect(output.texts.prefix(4).last == "…")
        #expect(output.texts.contains { $0.hasPrefix("Sent 50000 records to t: ") })
        var asked = 0
        session.interruptRequested = {
            asked += 1
            return asked >= 2
        }
        let stopped = session.execute("produce t w --count 100000")
        #expect(stopped.texts.contains("Interrupted (Ctrl-C) after 8192 of 100000 records; those are sent."))
        let total = session.cluster.topics["t"]!.partitions.indices.reduce(Int64(0)) { sum, p in
            sum + (session.cluster.logManager.logs[TopicPartition("t", p)]?.logEndOffset ?? 0)
        }
        #expect(total == 50000 + 8192)
    }
}

@Suite("Bounded event log")
struct EventLogBoundTests {
    @Test("Between commands the oldest events go once the log passes its bound; numbering goes on and events says so")
    func bounded() {
        let session = Session()
        session.eventsKept = 200
        _ = session.execute("topic create t")
        while session.cluster.events.count + session.cluster.discardedEventCount <= 260 {
            _ = session.execute("produce t v --partition 0")
        }
        _ = session.execute("time")
        #expect(session.cluster.discardedEventCount > 0)
        #expect(session.cluster.events.count <= 210)
        let last = session.cluster.events.last!
        #expect(last.sequence == session.cluster.discardedEventCount + session.cluster.events.count - 1, "sequence numbers continue")
        let listed = session.execute("events --last 2").texts
        #expect(listed.count == 3, "the table, no note when the last 2 are all kept")
        let all = session.execute("events --type TopicCreated")
        #expect(all.failed, "the TopicCreated event was let go")
        _ = session.execute("produce t v")
        #expect(session.execute("events").texts.last?.hasPrefix("(Events 0–") == true)
    }
}
