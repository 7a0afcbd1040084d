/// A timer queue on simulated time: Kafka's timers (session timeouts, auto-commit,
/// retention checks, linger) are entries here, fired in due order as the clock advances.
///
/// Two timers due at the same instant fire in the order they were scheduled, so a run
/// is reproducible.
public struct Scheduler<Task: Sendable>: Sendable {
    /// One scheduled timer.
    public struct Timer: Sendable {
        public let id: Int
        public let dueMs: Int64
        public let task: Task
        /// Among timers due at the same instant, lower ranks fire first; equal ranks in scheduling order.
        public let rank: Int
    }

    private var timers: [Timer] = []
    private var nextId = 0

    public init() {}

    /// Schedules `task` to run at `dueMs`; returns an id to cancel it with.
    @discardableResult
    public mutating func schedule(at dueMs: Int64, _ task: Task, rank: Int = 0) -> Int {
        let timer = Timer(id: nextId, dueMs: dueMs, task: task, rank: rank)
        nextId += 1
        // Insert after every timer due before `dueMs`, or at `dueMs` with a rank no higher: equal deadlines and
        // ranks keep FIFO order.
        var low = 0, high = timers.count
        while low < high {
            let mid = (low + high) / 2
            if timers[mid].dueMs < dueMs || (timers[mid].dueMs == dueMs && timers[mid].rank <= rank) { low = mid + 1 } else { high = mid }
        }
        timers.insert(timer, at: low)
        return timer.id
    }

    /// Cancels a timer; cancelling one that already fired does nothing.
    public mutating func cancel(_ id: Int) {
        timers.removeAll { $0.id == id }
    }

    /// Removes and returns the earliest timer due at or before `instantMs`, if any.
    public mutating func popDue(notAfter instantMs: Int64) -> Timer? {
        guard let first = timers.first, first.dueMs <= instantMs else { return nil }
        return timers.removeFirst()
    }

    /// Removes every waiting timer `matches` picks, and returns them in due order.
    public mutating func removeAll(where matches: (Timer) -> Bool) -> [Timer] {
        var removed: [Timer] = []
        timers.removeAll { timer in
            guard matches(timer) else { return false }
            removed.append(timer)
            return true
        }
        return removed
    }

    /// When the earliest waiting timer is due, if any.
    public var nextDueMs: Int64? { timers.first?.dueMs }

    /// The timers still waiting, earliest first.
    public var pending: [Timer] { timers }
}
