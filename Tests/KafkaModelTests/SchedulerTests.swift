import Testing
@testable import KafkaModel

/// The firing order is what makes runs reproducible (notebook output depends on it), so these pin it
/// down, and compare the heap against a plain list on random operation sequences.
@Suite("Scheduler")
struct SchedulerTests {
    /// A scheduler with `timers` (due, task, rank) scheduled in the order given.
    static func scheduled(_ timers: [(dueMs: Int64, task: String, rank: Int)]) -> Scheduler<String> {
        var scheduler = Scheduler<String>()
        for timer in timers { scheduler.schedule(at: timer.dueMs, timer.task, rank: timer.rank) }
        return scheduler
    }

    @Test("Equal deadlines fire by rank, equal ranks in scheduling order")
    func ranksAndFIFO() {
        var scheduler = Self.scheduled([
            (20, "late", 0), (10, "r2-first", 2), (10, "r0-first", 0), (10, "r1", 1), (10, "r2-second", 2),
            (10, "r0-second", 0), (5, "early", 9),
        ])
        #expect(scheduler.pending.map(\.task) == ["early", "r0-first", "r0-second", "r1", "r2-first", "r2-second", "late"])
        var fired: [String] = []
        while let timer = scheduler.popDue(notAfter: 10) { fired.append(timer.task) }
        #expect(fired == ["early", "r0-first", "r0-second", "r1", "r2-first", "r2-second"])
        #expect(scheduler.count == 1)
        #expect(scheduler.popDue(notAfter: 19) == nil)
        #expect(scheduler.popDue(notAfter: 20)?.task == "late")
        #expect(scheduler.isEmpty)
    }

    @Test("Ids grow with every schedule, and a timer keeps its id, due time and rank")
    func ids() {
        var scheduler = Scheduler<Int>()
        let ids = (0..<5).map { scheduler.schedule(at: Int64(10 - $0), $0, rank: $0 % 2) }
        #expect(ids == Array(0..<5))
        let timer = scheduler.pending.first { $0.id == 3 }
        #expect(timer?.dueMs == 7 && timer?.rank == 1 && timer?.task == 3)
    }

    @Test("Cancelling removes a waiting timer; a fired, cancelled or unknown id changes nothing")
    func cancel() {
        var scheduler = Scheduler<String>()
        let a = scheduler.schedule(at: 1, "a")
        let b = scheduler.schedule(at: 2, "b")
        let c = scheduler.schedule(at: 3, "c")
        #expect(scheduler.popDue(notAfter: 1)?.task == "a")
        scheduler.cancel(a)  // already fired
        #expect(scheduler.count == 2)
        scheduler.cancel(b)
        scheduler.cancel(b)  // twice
        scheduler.cancel(99)  // never scheduled
        #expect(scheduler.count == 1)
        #expect(scheduler.pending.map(\.id) == [c])
        #expect(scheduler.popDue(notAfter: 10)?.id == c)
        #expect(scheduler.popDue(notAfter: 10) == nil)
        #expect(scheduler.isEmpty)
    }

    @Test("Cancelling most timers keeps the rest in order (the heap is rebuilt without them)")
    func massCancel() {
        var scheduler = Scheduler<Int>()
        let ids = (0..<1000).map { scheduler.schedule(at: Int64(($0 * 7919) % 500), $0) }
        for id in ids where id % 10 != 0 { scheduler.cancel(id) }
        #expect(scheduler.count == 100)
        var fired: [Scheduler<Int>.Timer] = []
        while let timer = scheduler.popDue(notAfter: .max) { fired.append(timer) }
        #expect(fired.map(\.task) == (0..<100).map { $0 * 10 }.sorted { (($0 * 7919) % 500, $0) < (($1 * 7919) % 500, $1) })
        #expect(scheduler.isEmpty)
    }

    @Test("removeAll returns the removed timers in firing order and keeps the others")
    func removeAllOrder() {
        var scheduler = Self.scheduled([(30, "x3", 0), (10, "y1", 0), (10, "x1b", 1), (20, "x2", 0), (10, "x1a", 0)])
        let cancelled = scheduler.schedule(at: 5, "x0")
        scheduler.cancel(cancelled)
        let removed = scheduler.removeAll { $0.task.hasPrefix("x") }
        #expect(removed.map(\.task) == ["x1a", "x1b", "x2", "x3"])
        #expect(scheduler.pending.map(\.task) == ["y1"])
        #expect(scheduler.removeAll { _ in false }.isEmpty)
        #expect(scheduler.count == 1)
    }

    @Test("earliest(where:) finds the first timer to fire among those picked")
    func earliest() {
        var scheduler = Scheduler<String>()
        scheduler.schedule(at: 10, "a")
        scheduler.schedule(at: 20, "b", rank: 1)
        scheduler.schedule(at: 20, "c")
        let cancelled = scheduler.schedule(at: 15, "d")
        scheduler.cancel(cancelled)
        #expect(scheduler.earliest { $0.task != "a" }?.task == "c")
        #expect(scheduler.earliest { _ in true }?.task == "a")
        #expect(scheduler.earliest { $0.task == "d" } == nil)
    }

    /// The specification: a list of waiting timers, searched in full for the earliest by (due, rank, id).
    struct Reference {
        var timers: [Scheduler<Int>.Timer] = []
        var nextId = 0

        static func firesBefore(_ a: Scheduler<Int>.Timer, _ b: Scheduler<Int>.Timer) -> Bool {
            (a.dueMs, a.rank, a.id) < (b.dueMs, b.rank, b.id)
        }

        mutating func schedule(at dueMs: Int64, _ task: Int, rank: Int) -> Int {
            timers.append(.init(id: nextId, dueMs: dueMs, task: task, rank: rank))
            nextId += 1
            return nextId - 1
        }

        mutating func cancel(_ id: Int) { timers.removeAll { $0.id == id } }

        mutating func popDue(notAfter instant: Int64) -> Scheduler<Int>.Timer? {
            guard let first = timers.min(by: Self.firesBefore), first.dueMs <= instant else { return nil }
            timers.removeAll { $0.id == first.id }
            return first
        }

        mutating func removeAll(where matches: (Scheduler<Int>.Timer) -> Bool) -> [Scheduler<Int>.Timer] {
            let removed = timers.filter(matches).sorted(by: Self.firesBefore)
            timers.removeAll(where: matches)
            return removed
        }

        var pending: [Scheduler<Int>.Timer] { timers.sorted(by: Self.firesBefore) }
    }

    @Test("The heap behaves as the reference list on 300 random operation sequences")
    func matchesReference() {
        var random = SeededRandom(seed: 0x5EED)
        func draw(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        func describe(_ timers: [Scheduler<Int>.Timer]) -> [String] { timers.map { "\($0.id)@\($0.dueMs)/\($0.rank):\($0.task)" } }
        for sequence in 0..<300 {
            var scheduler = Scheduler<Int>()
            var reference = Reference()
            var now: Int64 = 0
            // Few distinct instants and ranks, so ties (the FIFO rule) are common; some sequences cancel a lot,
            // so that cancelled entries outnumber the live ones and the heap is rebuilt.
            let spread = 1 + draw(60), ranks = 1 + draw(4), cancelShare = draw(2) == 0 ? 1 : 6
            for step in 0..<(50 + draw(350)) {
                let roll = draw(30)
                if roll < 12 {
                    let due = now + Int64(draw(spread)), rank = draw(ranks)
                    let id = scheduler.schedule(at: due, step, rank: rank)
                    #expect(id == reference.schedule(at: due, step, rank: rank))
                } else if roll < 12 + cancelShare {
                    // A waiting timer, or any id so far (fired, cancelled) or one not yet given out.
                    let id = draw(2) == 0 && !reference.timers.isEmpty
                        ? reference.timers[draw(reference.timers.count)].id : draw(reference.nextId + 2)
                    scheduler.cancel(id)
                    reference.cancel(id)
                } else if roll < 26 {
                    now += Int64(draw(spread / 2 + 1))
                    var fired: [Scheduler<Int>.Timer] = [], expected: [Scheduler<Int>.Timer] = []
                    while let timer = scheduler.popDue(notAfter: now) { fired.append(timer) }
                    while let timer = reference.popDue(notAfter: now) { expected.append(timer) }
                    #expect(describe(fired) == describe(expected), "sequence \(sequence) step \(step)")
                } else if roll < 28 {
                    let modulus = 2 + draw(4), remainder = draw(2)
                    let removed = scheduler.removeAll { $0.task % modulus == remainder }
                    let expected = reference.removeAll { $0.task % modulus == remainder }
                    #expect(describe(removed) == describe(expected), "sequence \(sequence) step \(step)")
                } else {
                    let modulus = 2 + draw(3)
                    #expect(scheduler.earliest { $0.task % modulus == 0 }?.id
                        == reference.pending.first { $0.task % modulus == 0 }?.id, "sequence \(sequence) step \(step)")
                }
                #expect(scheduler.count == reference.timers.count, "sequence \(sequence) step \(step)")
                #expect(scheduler.isEmpty == reference.timers.isEmpty)
            }
            #expect(describe(scheduler.pending) == describe(reference.pending), "sequence \(sequence)")
            var rest: [Scheduler<Int>.Timer] = []
            while let timer = scheduler.popDue(notAfter: .max) { rest.append(timer) }
            #expect(describe(rest) == describe(reference.pending), "sequence \(sequence)")
        }
    }
}
