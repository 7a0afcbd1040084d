/// What a leader knows of one follower of a partition (Kafka's `Replica` / `ReplicaState`), learned from its fetches.
public struct ReplicaState: Sendable, Equatable {
    /// The follower's log end offset: the offset of its last fetch; -1 until it fetched from this leader.
    public internal(set) var logEndOffset: Int64 = -1
    /// The last time the follower had everything the leader had (`lastCaughtUpTimeMs`).
    public internal(set) var lastCaughtUpTimeMs: Int64
    /// The leader's log end offset at the follower's previous fetch.
    var lastFetchLeaderLogEndOffset: Int64 = 0
    /// When the follower last fetched.
    public internal(set) var lastFetchTimeMs: Int64 = 0
    /// The high watermark the leader last sent it: a parked fetch answers early only to tell it a newer one.
    var highWatermarkSent: Int64 = -1

    init(lastCaughtUpTimeMs: Int64) {
        self.lastCaughtUpTimeMs = lastCaughtUpTimeMs
    }

    /// `updateFetchState`: a fetch at `fetchOffset` when the leader's log ended at `leaderEnd`.
    mutating func recordFetch(fetchOffset: Int64, leaderEnd: Int64, nowMs: Int64) {
        if fetchOffset >= leaderEnd {
            lastCaughtUpTimeMs = max(lastCaughtUpTimeMs, nowMs)
        } else if fetchOffset >= lastFetchLeaderLogEndOffset {
            lastCaughtUpTimeMs = max(lastCaughtUpTimeMs, lastFetchTimeMs)
        }
        logEndOffset = fetchOffset
        lastFetchLeaderLogEndOffset = max(leaderEnd, lastFetchLeaderLogEndOffset)
        lastFetchTimeMs = nowMs
    }

    /// `isCaughtUp`: it has the leader's log end, or had it within `maxLagMs`.
    func isCaughtUp(leaderEnd: Int64, nowMs: Int64, maxLagMs: Int64) -> Bool {
        logEndOffset == leaderEnd || nowMs - lastCaughtUpTimeMs <= maxLagMs
    }
}
