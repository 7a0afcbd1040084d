/// A deadline the caller must schedule on its clock and report back with `ClassicGroup.timerFired(_:nowMs:)`.
/// A timer with the same `key` supersedes the earlier one; stale timers are ignored by the group.
public enum GroupTimer: Sendable, Hashable {
    /// `group.initial.rebalance.delay.ms` while a new group collects its first members.
    case initialRebalanceDelay(deadlineMs: Int64)
    /// Rebalance timeout of the join phase (max `max.poll.interval.ms` of the members).
    case joinTimeout(deadlineMs: Int64)
    /// Rebalance timeout of the sync phase for `generation`.
    case syncTimeout(generation: Int, deadlineMs: Int64)
    /// `session.timeout.ms` of one member.
    case sessionExpiry(memberId: String, deadlineMs: Int64)

    /// Identity of the timer slot: a newer timer with the same key replaces the older one.
    public var key: String {
        switch self {
        case .initialRebalanceDelay, .joinTimeout: return "join"
        case .syncTimeout: return "sync"
        case .sessionExpiry(let m, _): return "session:\(m)"
        }
    }

    /// When the timer fires.
    public var deadlineMs: Int64 {
        switch self {
        case .initialRebalanceDelay(let d), .joinTimeout(let d), .syncTimeout(_, let d), .sessionExpiry(_, let d): return d
        }
    }
}
