/// What one input did: the answer, the events to record, and the timers to (re)schedule.
public struct GroupStep: Sendable, Equatable {
    /// The answer to the request.
    public var response: GroupResponse = .none
    /// Observable effects, in order.
    public var events: [GroupEvent] = []
    /// Timers to schedule (each replaces any earlier timer with the same `key`).
    public var timers: [GroupTimer] = []
}
