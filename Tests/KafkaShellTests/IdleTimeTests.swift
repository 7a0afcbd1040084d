import Testing
@testable import KafkaShell
@testable import KafkaModel

/// Skipping idle time in long ticks must change nothing a learner can see: the same events at the same
/// instants, the same state, as stepping timer by timer.
@Suite("Long ticks skip idle time exactly")
struct IdleTimeTests {
    /// A random cluster: topics with short retention or compaction, groups with several consumers, a crashed or
    /// stopped one now and then, records produced, then long ticks with occasional changes in between.
    static func script(seed: UInt64) -> [String] {
        var random = SeededRandom(seed: seed)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        var lines = [
            "topic create logs -p \(1 + pick(3)) -c retention.ms=\([3_600_000, 86_400_000, 604_800_000][pick(3)]) -c segment.ms=600000",
            "topic create keys -p 2 -c cleanup.policy=compact -c min.cleanable.dirty.ratio=0.01" + (pick(2) == 0 ? " -c min.compaction.lag.ms=7200000" : ""),
            "produce logs v --count \(1 + pick(20))",
            "produce keys --key k\(pick(3)) v",
        ]
        for i in 0..<(1 + pick(4)) {
            lines.append("consumer start c\(i) --group g\(pick(2)) --topic \(["logs", "keys", "logs,keys"][pick(3)]) --auto-offset-reset earliest")
        }
        lines.append("tick 10s")
        for _ in 0..<4 {
            switch pick(7) {
            case 0: lines.append("consumer crash c0")
            case 1: lines.append("consumer stop c0")
            case 2: lines.append("produce logs late --count 3")
            case 3: lines.append("produce keys --key k1 again")
            case 4: lines.append("broker stop 2")
            case 5: lines.append("broker start 2")
            default: lines.append("consumer start extra\(pick(100)) --group g0 --topic logs")
            }
            lines.append("tick \(["1h", "7h", "1d", "2d"][pick(4)])")
        }
        return lines
    }

    static func run(_ lines: [String], skipping: Bool) -> (events: [String], state: StateValue) {
        let session = Session()
        session.cluster.idleSkipping = skipping
        for line in lines { _ = session.execute(line) }
        let events = session.cluster.events.map { "\($0.timestampMs) \($0.kind.name) \(EventText.details($0.kind))" }
        let tree = session.stateTree()
        let state = StateValue.object(["time", "topics", "groups", "consumers", "brokers"].map { ($0, deep(tree[$0] ?? .null)) })
        return (events, state)
    }

    static func deep(_ value: StateValue) -> StateValue {
        switch value.resolved {
        case .list(let items): return .list(items.map(deep))
        case .object(let pairs): return .object(pairs.map { ($0.0, deep($0.1)) })
        case let other: return other
        }
    }

    @Test("Random clusters: skipping and stepping give the same events and state", arguments: Array(UInt64(1)...24))
    func sameAsStepping(seed: UInt64) {
        let lines = Self.script(seed: seed)
        let skipped = Self.run(lines, skipping: true)
        let stepped = Self.run(lines, skipping: false)
        #expect(skipped.events.count == stepped.events.count, "\(lines)")
        for (a, b) in zip(skipped.events, stepped.events) where a != b {
            Issue.record(Comment(rawValue: "first difference: skipped «\(a)» stepped «\(b)»\n\(lines.joined(separator: "\n"))"))
            break
        }
        #expect(skipped.state == stepped.state, "\(lines)")
    }

    @Test("A long tick with steady consumers actually skips")
    func skips() {
        let session = Session()
        _ = session.execute("topic create t")
        for i in 0..<5 { _ = session.execute("consumer start c\(i) --group g --topic t") }
        _ = session.execute("tick 10s")
        var timersFired = 0
        session.interruptRequested = { timersFired += 1; return false }
        _ = session.execute("tick 365d")
        // Stepping would fire ~52 million heartbeats (probed every 256 timers); skipping leaves only the margins.
        #expect(timersFired < 10_000, "\(timersFired) probes")
        #expect(session.cluster.groupState("g") == .stable)
    }
}
