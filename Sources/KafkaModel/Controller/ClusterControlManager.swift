/// The controller's broker registrations (Kafka's `ClusterControlManager` with its `BrokerHeartbeatManager`): every
/// node with its listener and whether its process runs, which brokers are fenced or crashed, and when each last
/// started. Heartbeats are not simulated one by one: a running broker heartbeats every `broker.heartbeat.interval.ms`
/// from its start, so its last one is derived from the clock.
public struct ClusterControlManager: Sendable, Equatable {
    /// `broker.session.timeout.ms`.
    public static let brokerSessionTimeoutMs: Int64 = 9_000
    /// `broker.heartbeat.interval.ms`.
    public static let brokerHeartbeatIntervalMs: Int64 = 2_000

    /// Every node, in `node.id` order as configured.
    public internal(set) var brokers: [Broker]
    /// Brokers the controller fenced (stopped, or whose session ran out, while there was a quorum).
    public internal(set) var fenced: Set<Int> = []
    /// Brokers that crashed (`broker kill`) and were not started again: fenced only when their session runs out.
    public internal(set) var crashed: Set<Int> = []
    /// When each broker last started (its heartbeats count from there); the cluster's start otherwise.
    var startedMs: [Int: Int64] = [:]
    /// When the cluster started: the stale-session checks run on a grid from there.
    let clusterStartMs: Int64

    public init(brokers: [Broker], clusterStartMs: Int64) {
        self.brokers = brokers
        self.clusterStartMs = clusterStartMs
    }

    public func broker(_ id: Int) -> Broker? { brokers.first { $0.id == id } }

    /// Running brokers, in configured order.
    public var liveBrokerIds: [Int] { brokers.filter(\.isAlive).map(\.id) }

    /// Whether the controller may elect `broker` or add it to an ISR: registered, running and unfenced
    /// (`isAcceptableLeader`).
    public func isAcceptableLeader(_ broker: Int) -> Bool {
        self.broker(broker)?.isAlive == true && !fenced.contains(broker)
    }

    /// The broker's last heartbeat at `nowMs` (a running broker's; a stopped one stopped heartbeating then).
    public func lastHeartbeatMs(_ id: Int, nowMs: Int64) -> Int64 {
        let started = startedMs[id] ?? clusterStartMs
        return started + (nowMs - started) / Self.brokerHeartbeatIntervalMs * Self.brokerHeartbeatIntervalMs
    }

    /// When the controller fences a broker whose heartbeats stop at `nowMs`: the first stale-session check (every
    /// `broker.session.timeout.ms / 8`) past `broker.session.timeout.ms` after its last heartbeat.
    public func sessionExpiryCheckMs(_ id: Int, nowMs: Int64) -> Int64 {
        let deadline = lastHeartbeatMs(id, nowMs: nowMs) + Self.brokerSessionTimeoutMs
        let check = Self.brokerSessionTimeoutMs / 8
        return max(clusterStartMs + ((deadline - clusterStartMs) / check + 1) * check, nowMs)
    }

    mutating func setAlive(_ id: Int, _ alive: Bool) {
        guard let index = brokers.firstIndex(where: { $0.id == id }) else { return }
        brokers[index].isAlive = alive
    }
}
