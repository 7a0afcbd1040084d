// The controller's leader elections, decided by `PartitionChangeBuilder` (Kafka 4.0.0's rules) and applied here:
// when a broker is fenced or unfenced, by the periodic preferred-leader and unclean-leader tasks, and on an
// ElectLeaders request (`kafka-leader-election.sh`).

/// One partition's answer to an ElectLeaders request: nil error when a leader was elected.
public struct LeaderElectionResult: Sendable, Equatable {
    public let partition: TopicPartition
    public let error: ElectionError?
}

extension Cluster {
    /// `unclean.leader.election.interval.ms` (internal broker config, 5 minutes): how often the controller tries
    /// an unclean election for leaderless partitions of topics with `unclean.leader.election.enable=true`.
    public static let uncleanLeaderElectionIntervalMs: Int64 = 300_000

    /// Whether the controller may elect `broker`: registered, unfenced and running (`isAcceptableLeader`).
    func isAcceptableLeader(_ broker: Int) -> Bool {
        self.broker(broker)?.isAlive == true && !fencedBrokers.contains(broker)
    }

    /// The topic's `unclean.leader.election.enable` (default false).
    func uncleanLeaderElectionEnabled(_ topic: Topic) -> Bool {
        topic.config("unclean.leader.election.enable")?.lowercased() == "true"
    }

    /// Writes the events of a partition change and returns the new state (the caller stores it, after the events:
    /// `emit` relies on `topics` still holding the old leader).
    func apply(_ change: PartitionChangeBuilder.Change, _ tp: TopicPartition, reason: ClusterEvent.ElectionReason) -> PartitionState {
        for removed in change.removedFromIsr { emit(.isrShrunk(partition: tp, isr: change.partition.isr, removed: removed)) }
        if change.leaderChanged {
            emit(.leaderElected(partition: tp, leader: change.partition.leader, epoch: change.partition.leaderEpoch,
                                reason: change.unclean ? .unclean : reason))
        }
        return change.partition
    }

    /// `handleBrokerFenced` for one partition: the broker leaves the ISR and, if it led, the leadership moves
    /// (ONLINE, or UNCLEAN when the topic allows it and no in-sync replica is left).
    func partitionAfterFencing(_ id: Int, _ state: PartitionState, _ tp: TopicPartition, topic: Topic) -> PartitionState {
        // The controller learns a broker stopped only when it fences it: a stopped leader not fenced yet (metadata
        // was frozen when it stopped) keeps its leadership until its own turn; no stopped broker is newly elected.
        let leader = state.leader
        var builder = PartitionChangeBuilder(partition: state, election: uncleanLeaderElectionEnabled(topic) ? .unclean : .online) { [self] r in
            r != id && !fencedBrokers.contains(r) && (r == leader || isAcceptableLeader(r))
        }
        builder.targetIsr = state.isr.filter { $0 != id }
        guard let change = builder.build() else { return state }
        return apply(change, tp, reason: .leaderFailed)
    }

    /// `handleBrokerUnfenced` for one partition: a leaderless partition elects a leader (ONLINE: an in-sync
    /// replica; UNCLEAN when the topic allows it: any running replica).
    func partitionAfterUnfencing(_ state: PartitionState, _ tp: TopicPartition, topic: Topic) -> PartitionState {
        guard state.leader == nil else { return state }
        let builder = PartitionChangeBuilder(partition: state, election: uncleanLeaderElectionEnabled(topic) ? .unclean : .online,
                                             isAcceptableLeader: isAcceptableLeader)
        guard let change = builder.build() else { return state }
        return apply(change, tp, reason: .restarted)
    }

    /// A PREFERRED election for the periodic rebalance and `elect-leaders`: the new state when the preferred
    /// replica takes over, nil otherwise.
    func preferredElection(_ state: PartitionState, _ tp: TopicPartition) -> PartitionState? {
        guard state.leader != state.preferredLeader,
              let change = PartitionChangeBuilder(partition: state, election: .preferred, isAcceptableLeader: isAcceptableLeader).build(),
              change.leaderChanged
        else { return nil }
        return apply(change, tp, reason: .preferred)
    }

    /// ElectLeaders (`kafka-leader-election.sh`): `partitions` nil means every partition, and then partitions
    /// that need no election are left out of the answer (`ReplicationControlManager.electLeaders`). Results in
    /// request order (all partitions: topics by name, partitions by number).
    public func electLeaders(type: ElectionType, partitions: [TopicPartition]?) throws(KafkaError) -> [LeaderElectionResult] {
        try requireController()
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        let all = partitions == nil
        let requested = partitions ?? topicNames.flatMap { name in topics[name]!.partitions.indices.map { TopicPartition(name, $0) } }
        var results: [LeaderElectionResult] = []
        for tp in requested {
            guard var topic = topics[tp.topic] else {
                results.append(LeaderElectionResult(partition: tp, error: .unknownTopicOrPartition("No such topic as \(tp.topic)")))
                continue
            }
            guard topic.partitions.indices.contains(tp.partition) else {
                results.append(LeaderElectionResult(partition: tp, error: .unknownTopicOrPartition("No such partition as \(tp)")))
                continue
            }
            switch PartitionChangeBuilder.electForRequest(topic.partitions[tp.partition], type: type, isAcceptableLeader: isAcceptableLeader) {
            case .success(let change):
                topic.partitions[tp.partition] = apply(change, tp, reason: type == .preferred ? .preferred : .requested)
                topics[tp.topic] = topic
                results.append(LeaderElectionResult(partition: tp, error: nil))
            case .failure(let error):
                if all && error == .electionNotNeeded { continue }
                results.append(LeaderElectionResult(partition: tp, error: error))
            }
        }
        if results.contains(where: { $0.error == nil }) { syncReplicas() }
        return results
    }

    /// The controller's periodic `electUnclean` task (`maybeElectUncleanLeaders`): an UNCLEAN election for every
    /// leaderless partition of a topic with `unclean.leader.election.enable=true`, at most
    /// `maxElectionsPerImbalance` a run. Returns how many partitions got a leader.
    @discardableResult
    func runUncleanLeaderElections() -> Int {
        guard controllerId != nil else { return 0 }
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        var elected = 0
        for name in topicNames {
            var topic = topics[name]!
            guard uncleanLeaderElectionEnabled(topic) else { continue }
            for p in topic.partitions.indices where topic.partitions[p].leader == nil && elected < config.maxElectionsPerImbalance {
                let tp = TopicPartition(name, p)
                guard case .success(let change) = PartitionChangeBuilder.electForRequest(topic.partitions[p], type: .unclean,
                                                                                         isAcceptableLeader: isAcceptableLeader)
                else { continue }
                topic.partitions[p] = apply(change, tp, reason: .requested)
                elected += 1
            }
            topics[name] = topic
        }
        if elected > 0 { syncReplicas() }
        return elected
    }

    /// Whether the unclean task would elect a leader now (idle-time skipping must not jump over it).
    var uncleanElectionPending: Bool {
        guard controllerId != nil else { return false }
        for name in topicNames {
            let topic = topics[name]!
            guard uncleanLeaderElectionEnabled(topic) else { continue }
            for state in topic.partitions where state.leader == nil && state.replicas.contains(where: isAcceptableLeader) { return true }
        }
        return false
    }
}

extension TopicPartition {
    /// `partitions` (in the order they were added) in the order a Java `HashSet<TopicPartition>` iterates them,
    /// as Kafka's tools print such sets.
    public static func javaHashSetOrder(_ partitions: [TopicPartition]) -> [TopicPartition] {
        JavaHashOrder.iterationOrder(partitions, hash: JavaString.topicPartitionHashCode)
    }
}
