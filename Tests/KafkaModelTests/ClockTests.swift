import Testing
@testable import KafkaModel

@Suite("Simulated time")
struct ClockTests {
    @Test("Time starts at 2024-01-01T00:00:00Z")
    func epoch() {
        #expect(Timestamp.iso8601(VirtualClock().nowMs) == "2024-01-01T00:00:00.000Z")
        #expect(Timestamp.epochMs(year: 2024, month: 1, day: 1) == VirtualClock.defaultEpochMs)
        #expect(Timestamp.iso8601(VirtualClock.defaultEpochMs + 59 * 86_400_000 + 1) == "2024-02-29T00:00:00.001Z")
    }

    @Test("Durations parse as learners type them", arguments: [
        ("500ms", 500), ("5s", 5000), ("2m", 120_000), ("1h", 3_600_000), ("7d", 604_800_000), ("1h30m", 5_400_000), ("0s", 0),
    ] as [(String, Int64)])
    func durations(_ text: String, _ ms: Int64) throws {
        #expect(try SimulatedDuration.parse(text) == ms)
        #expect(try SimulatedDuration.parse(SimulatedDuration.format(ms)) == ms)
    }

    @Test("Malformed durations are refused", arguments: ["", "5", "s", "5x", "-5s", "5 s", "1.5s", "99999999999999d"])
    func malformed(_ text: String) {
        #expect(throws: SimulatedDuration.ParseError.self) { try SimulatedDuration.parse(text) }
    }

    @Test("The scheduler fires timers in due order, equal deadlines in scheduling order")
    func schedulerOrder() {
        var scheduler = Scheduler<String>()
        scheduler.schedule(at: 30, "c")
        scheduler.schedule(at: 10, "a1")
        scheduler.schedule(at: 20, "b")
        scheduler.schedule(at: 10, "a2")
        let cancelled = scheduler.schedule(at: 15, "x")
        scheduler.cancel(cancelled)
        var fired: [String] = []
        while let timer = scheduler.popDue(notAfter: 25) { fired.append(timer.task) }
        #expect(fired == ["a1", "a2", "b"])
        #expect(scheduler.pending.map(\.task) == ["c"])
    }

    @Test("Advancing the cluster's clock fires the controller's periodic check at its due time")
    func clusterTimers() {
        let cluster = Cluster()
        let start = cluster.nowMs
        cluster.advance(byMs: 299_999)
        let leaderCheck = { cluster.scheduler.pending.first { $0.task == .leaderImbalanceCheck }?.dueMs }
        #expect(leaderCheck() == start + 300_000)
        cluster.advance(byMs: 1)
        #expect(leaderCheck() == start + 600_000)
        #expect(cluster.nowMs == start + 300_000)
    }

    @Test("The seeded generator repeats from its seed")
    func seededRandom() {
        var a = SeededRandom(seed: 1), b = SeededRandom(seed: 1), c = SeededRandom(seed: 2)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
    }
}
