/// The shape of a simulated cluster and its broker-level defaults.
public struct ClusterConfig: Sendable, Equatable {
    /// Broker ids, in the order placement walks them.
    public var brokerIds: [Int]
    /// Seed of the cluster's one random generator.
    public var seed: UInt64
    /// `num.partitions`: partitions of a topic created without `--partitions`.
    public var numPartitions: Int = 1
    /// `default.replication.factor`.
    public var defaultReplicationFactor: Int = 1
    /// `auto.leader.rebalance.enable`.
    public var autoLeaderRebalanceEnable: Bool = true
    /// `leader.imbalance.check.interval.seconds`, in ms.
    public var leaderImbalanceCheckIntervalMs: Int64 = 300_000
    /// The KRaft controller's cap on preferred-leader elections per check (`maxElectionsPerImbalance`, 1000);
    /// a check that reaches it runs again 10 ms later. (4.0 has no `leader.imbalance.per.broker.percentage`.)
    public var maxElectionsPerImbalance: Int = 1000
    /// Where simulated time begins.
    public var startMs: Int64 = VirtualClock.defaultEpochMs
    /// Where partition logs live (`log.dirs`): in memory by default.
    public var logStorage: LogManager.Storage = .memory
    /// How many nodes are KRaft controller-quorum voters (`process.roles=broker,controller`): the first ones in
    /// `brokerIds`; nil means every node. The others are brokers only.
    public var controllerCount: Int?
    /// First listener port; broker `i` in `brokerIds` listens on `basePort + i`.
    public var basePort: Int = 9092

    /// The default seed, so that two runs without `--seed` agree.
    public static let defaultSeed: UInt64 = 42

    public init(brokers: Int = 3, seed: UInt64 = ClusterConfig.defaultSeed) {
        precondition(brokers >= 1)
        self.brokerIds = Array(0..<brokers)
        self.seed = seed
    }

    public init(brokerIds: [Int], seed: UInt64 = ClusterConfig.defaultSeed) {
        precondition(!brokerIds.isEmpty)
        self.brokerIds = brokerIds
        self.seed = seed
    }
}
