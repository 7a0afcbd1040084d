/// Simulated time: milliseconds since the Unix epoch that only move when told to.
///
/// The cluster never reads the wall clock; every timestamp it produces comes from here,
/// which is what makes the same commands give the same output on every run.
public struct VirtualClock: Sendable, Equatable {
    /// 2024-01-01T00:00:00Z, where every simulated cluster's time begins.
    public static let defaultEpochMs: Int64 = 1_704_067_200_000

    /// The current simulated time in milliseconds since 1970-01-01T00:00:00Z.
    public private(set) var nowMs: Int64

    public init(startMs: Int64 = VirtualClock.defaultEpochMs) {
        self.nowMs = startMs
    }

    /// Moves time forward; time never runs backwards.
    public mutating func advance(to instantMs: Int64) {
        precondition(instantMs >= nowMs, "simulated time never runs backwards")
        nowMs = instantMs
    }
}
