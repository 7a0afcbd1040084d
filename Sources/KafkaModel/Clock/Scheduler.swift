import HeapModule

/// A timer queue on simulated time: Kafka's timers (session timeouts, auto-commit,
/// retention checks, linger) are entries here, fired in due order as the clock advances.
///
/// Two timers due at the same instant fire by rank, then in the order they were scheduled, so a
/// run is reproducible: notebooks' output depends on this exact order.
///
/// The timers sit in a heap (swift-collections' min-max `Heap`) rather than a sorted array:
/// nearly every fired timer schedules another (heartbeats, linger, periodic checks), and a sorted
/// array paid O(n) shifts for each insert, where a heap pays O(log n). Cancellation is lazy — a
/// cancelled timer stays in the heap, leaves `waiting`, and is dropped when it reaches the top —
/// because a heap cannot find an arbitrary entry without an index to update on every swap.
///
/// The methods are `@inlinable` so that a `Scheduler` used from another module (the bench, tests) is
/// specialized for its task type there too; unspecialized, every heap comparison goes through
/// generic witnesses and costs several times more.
public struct Scheduler<Task: Sendable>: Sendable {
    /// One scheduled timer.
    public struct Timer: Sendable {
        public let id: Int
        public let dueMs: Int64
        public let task: Task
        /// Among timers due at the same instant, lower ranks fire first; equal ranks in scheduling order.
        public let rank: Int

        @usableFromInline
        init(id: Int, dueMs: Int64, task: Task, rank: Int) {
            self.id = id
            self.dueMs = dueMs
            self.task = task
            self.rank = rank
        }

        /// The firing order. Ids grow with every `schedule`, so ordering by id last is FIFO for ties,
        /// and no two timers compare equal: the heap's order is total, whatever its internal layout.
        @inlinable
        func firesBefore(_ other: Timer) -> Bool {
            (dueMs, rank, id) < (other.dueMs, other.rank, other.id)
        }
    }

    /// `Heap` needs `Comparable` elements; the wrapper keeps that conformance, and its id-only `==`,
    /// off the public `Timer`, where `==` would read as equality of tasks.
    @usableFromInline
    struct Entry: Comparable, Sendable {
        @usableFromInline let timer: Timer
        @inlinable init(timer: Timer) { self.timer = timer }
        @inlinable static func < (a: Entry, b: Entry) -> Bool { a.timer.firesBefore(b.timer) }
        @inlinable static func == (a: Entry, b: Entry) -> Bool { a.timer.id == b.timer.id }
    }

    @usableFromInline var heap = Heap<Entry>()
    /// Ids of the timers still to fire. The heap may also hold cancelled timers (lazy deletion), so
    /// this, not the heap, says what is pending — and lets cancelling a fired id be a no-op.
    @usableFromInline var waiting = Set<Int>()
    @usableFromInline var nextId = 0

    @inlinable public init() {}

    /// Schedules `task` to run at `dueMs`; returns an id to cancel it with.
    @inlinable @discardableResult
    public mutating func schedule(at dueMs: Int64, _ task: Task, rank: Int = 0) -> Int {
        let timer = Timer(id: nextId, dueMs: dueMs, task: task, rank: rank)
        nextId += 1
        heap.insert(Entry(timer: timer))
        waiting.insert(timer.id)
        return timer.id
    }

    /// Cancels a timer; cancelling one that already fired (or was cancelled or removed) does nothing.
    @inlinable
    public mutating func cancel(_ id: Int) {
        guard waiting.remove(id) != nil else { return }
        // Cancelled entries are skipped at pop; rebuild once they outnumber the live ones, so a
        // schedule-then-cancel pattern cannot grow the heap without bound. Amortized O(1) per cancel.
        let dead = heap.count - waiting.count
        if dead > 64 && dead > waiting.count {
            heap = Heap(heap.unordered.filter { waiting.contains($0.timer.id) })
        }
    }

    /// Removes and returns the earliest timer due at or before `instantMs`, if any.
    @inlinable
    public mutating func popDue(notAfter instantMs: Int64) -> Timer? {
        while let first = heap.min, first.timer.dueMs <= instantMs {
            heap.removeMin()
            // A cancelled timer's entry is discarded here, on its way out.
            if waiting.remove(first.timer.id) != nil { return first.timer }
        }
        return nil
    }

    /// Removes every waiting timer `matches` picks, and returns them in due order.
    ///
    /// `matches` sees the timers in no particular order, so it must not depend on being asked in due order.
    @inlinable
    public mutating func removeAll(where matches: (Timer) -> Bool) -> [Timer] {
        var removed: [Timer] = []
        var kept: [Entry] = []
        kept.reserveCapacity(waiting.count)
        for entry in heap.unordered where waiting.contains(entry.timer.id) {
            if matches(entry.timer) {
                removed.append(entry.timer)
            } else {
                kept.append(entry)
            }
        }
        guard !removed.isEmpty else { return [] }
        for timer in removed { waiting.remove(timer.id) }
        // Heapifying what is kept is O(n), and drops cancelled entries on the way.
        heap = Heap(kept)
        return removed.sorted { $0.firesBefore($1) }
    }

    /// When the earliest waiting timer is due, if any (cancelled entries at the top are dropped on the way).
    @inlinable
    public mutating func nextDueMs() -> Int64? {
        while let first = heap.min {
            if waiting.contains(first.timer.id) { return first.timer.dueMs }
            heap.removeMin()
        }
        return nil
    }

    /// The waiting timer that would fire first among those `matches` picks, without sorting the queue.
    ///
    /// `matches` sees the timers in no particular order. O(n): meant for rare scans (idle-time skipping),
    /// where `pending`'s sorted copy would cost O(n log n) to look at a prefix.
    @inlinable
    public func earliest(where matches: (Timer) -> Bool) -> Timer? {
        var best: Timer?
        for entry in heap.unordered where waiting.contains(entry.timer.id) && matches(entry.timer) {
            if best.map({ entry.timer.firesBefore($0) }) ?? true { best = entry.timer }
        }
        return best
    }

    /// The timers still waiting, earliest first: a sorted copy, O(n log n), for tests and inspection.
    @inlinable
    public var pending: [Timer] {
        heap.unordered.lazy.filter { waiting.contains($0.timer.id) }.map(\.timer).sorted { $0.firesBefore($1) }
    }

    /// How many timers are still waiting (cancelled ones not counted).
    @inlinable
    public var count: Int { waiting.count }

    /// Whether no timer is waiting (cancelled ones not counted).
    @inlinable
    public var isEmpty: Bool { waiting.isEmpty }
}
