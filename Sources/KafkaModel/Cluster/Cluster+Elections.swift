// The controller's leader elections (`QuorumController+Elections.swift`) as the cluster runs them: the periodic
// unclean-leader task and ElectLeaders requests (`kafka-leader-election.sh`); the brokers then learn the new leaders.

extension Cluster {
    /// `unclean.leader.election.interval.ms` (internal broker config, 5 minutes): how often the controller tries
    /// an unclean election for leaderless partitions of topics with `unclean.leader.election.enable=true`.
    public static let uncleanLeaderElectionIntervalMs: Int64 = 300_000

    /// ElectLeaders (`kafka-leader-election.sh`): `partitions` nil means every partition, and then partitions
    /// that need no election are left out of the answer. Results in request order (all partitions: topics by name,
    /// partitions by number).
    public func electLeaders(type: ElectionType, partitions: [TopicPartition]?) throws(KafkaError) -> [LeaderElectionResult] {
        try requireController()
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        let (results, delta) = try controller.electLeaders(type: type, partitions: partitions)
        emit(delta)
        if results.contains(where: { $0.error == nil }) { syncReplicas() }
        return results
    }

    /// The controller's periodic `electUnclean` task, at most `maxElectionsPerImbalance` a run. Returns how many
    /// partitions got a leader.
    @discardableResult
    func runUncleanLeaderElections() -> Int {
        guard controllerId != nil else { return 0 }
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        let (elected, delta) = controller.electUncleanLeaders(limit: config.maxElectionsPerImbalance)
        emit(delta)
        if elected > 0 { syncReplicas() }
        return elected
    }

    /// Whether the unclean task would elect a leader now (idle-time skipping must not jump over it).
    var uncleanElectionPending: Bool { controller.uncleanElectionPending }
}

extension TopicPartition {
    /// `partitions` (in the order they were added) in the order a Java `HashSet<TopicPartition>` iterates them,
    /// as Kafka's tools print such sets.
    public static func javaHashSetOrder(_ partitions: [TopicPartition]) -> [TopicPartition] {
        JavaHashOrder.iterationOrder(partitions, hash: JavaString.topicPartitionHashCode)
    }
}
