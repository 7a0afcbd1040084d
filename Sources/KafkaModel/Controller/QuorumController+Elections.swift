// Partition leadership (Kafka's `ReplicationControlManager`): who leads is decided by `PartitionChangeBuilder`, applied
// here when a broker is fenced or unfenced, by the periodic preferred-leader and unclean-leader tasks and on
// ElectLeaders requests (`kafka-leader-election.sh`).

/// One partition's answer to an ElectLeaders request: nil error when a leader was elected.
public struct LeaderElectionResult: Sendable, Equatable {
    public let partition: TopicPartition
    public let error: ElectionError?
}

extension QuorumController {
    /// The topic's `unclean.leader.election.enable` (default false).
    static func uncleanLeaderElectionEnabled(_ topic: Topic) -> Bool {
        topic.config("unclean.leader.election.enable")?.lowercased() == "true"
    }

    /// Records and stores a partition change: the replicas it took out of the ISR, then its new leader.
    static func commit(_ change: PartitionChangeBuilder.Change, _ tp: TopicPartition, reason: ClusterEvent.ElectionReason,
                       _ t: inout ControllerTransaction) {
        let previousLeader = t.image.topics[tp.topic]!.partitions[tp.partition].leader
        for removed in change.removedFromIsr { t.record(.isrShrunk(partition: tp, isr: change.partition.isr, removed: removed)) }
        if change.leaderChanged {
            t.record(.leaderElected(partition: tp, leader: change.partition.leader, epoch: change.partition.leaderEpoch,
                                    reason: change.unclean ? .unclean : reason), previousLeader: previousLeader)
        }
        t.set(tp, change.partition)
    }

    /// `handleBrokerFenced` for one partition: the broker leaves the ISR and, if it led, the leadership moves
    /// (ONLINE, or UNCLEAN when the topic allows it and no in-sync replica is left).
    static func partitionAfterFencing(_ id: Int, _ tp: TopicPartition, topic: Topic, control: ClusterControlManager,
                                      _ t: inout ControllerTransaction) {
        let state = t.image.topics[tp.topic]!.partitions[tp.partition]
        // The controller learns a broker stopped only when it fences it: a stopped leader not fenced yet (metadata
        // was frozen when it stopped) keeps its leadership until its own turn; no stopped broker is newly elected.
        let leader = state.leader
        var builder = PartitionChangeBuilder(partition: state, election: uncleanLeaderElectionEnabled(topic) ? .unclean : .online) { r in
            r != id && !control.fenced.contains(r) && (r == leader || control.isAcceptableLeader(r))
        }
        builder.targetIsr = state.isr.filter { $0 != id }
        guard let change = builder.build() else { return }
        commit(change, tp, reason: .leaderFailed, &t)
    }

    /// `handleBrokerUnfenced` for one partition: a leaderless partition elects a leader (ONLINE: an in-sync replica;
    /// UNCLEAN when the topic allows it: any running replica).
    static func partitionAfterUnfencing(_ tp: TopicPartition, topic: Topic, control: ClusterControlManager, _ t: inout ControllerTransaction) {
        let state = t.image.topics[tp.topic]!.partitions[tp.partition]
        guard state.leader == nil else { return }
        let builder = PartitionChangeBuilder(partition: state, election: uncleanLeaderElectionEnabled(topic) ? .unclean : .online,
                                             isAcceptableLeader: control.isAcceptableLeader)
        guard let change = builder.build() else { return }
        commit(change, tp, reason: .restarted, &t)
    }

    /// The periodic rebalance (`auto.leader.rebalance.enable`): the preferred leader takes over where it is alive and in
    /// sync, at most `limit` partitions, only those `only` prefers when given. Returns how many moved (none without a quorum).
    public func electPreferredLeaders(only broker: Int? = nil, limit: Int = .max) -> (moved: Int, delta: MetadataDelta) {
        guard image.activeController != nil else { return (0, MetadataDelta()) }
        let control = image.cluster
        return apply { (t: inout ControllerTransaction) in
            var moved = 0
            for name in t.image.topicNames {
                for (p, state) in t.image.topics[name]!.partitions.enumerated() {
                    guard moved < limit, broker == nil || broker == state.preferredLeader, state.leader != state.preferredLeader,
                          let change = PartitionChangeBuilder(partition: state, election: .preferred, isAcceptableLeader: control.isAcceptableLeader).build(),
                          change.leaderChanged
                    else { continue }
                    Self.commit(change, TopicPartition(name, p), reason: .preferred, &t)
                    moved += 1
                }
            }
            return moved
        }
    }

    /// ElectLeaders (`kafka-leader-election.sh`): `partitions` nil means every partition, and then partitions that
    /// need no election are left out of the answer (`ReplicationControlManager.electLeaders`). Results in request order
    /// (all partitions: topics by name, partitions by number).
    public func electLeaders(type: ElectionType, partitions: [TopicPartition]?) throws(KafkaError) -> (results: [LeaderElectionResult], delta: MetadataDelta) {
        try requireQuorum()
        let control = image.cluster
        return apply { (t: inout ControllerTransaction) in
            let all = partitions == nil
            let requested = partitions ?? t.image.topicNames.flatMap { name in t.image.topics[name]!.partitions.indices.map { TopicPartition(name, $0) } }
            var results: [LeaderElectionResult] = []
            for tp in requested {
                guard let topic = t.image.topics[tp.topic] else {
                    results.append(LeaderElectionResult(partition: tp, error: .unknownTopicOrPartition("No such topic as \(tp.topic)")))
                    continue
                }
                guard topic.partitions.indices.contains(tp.partition) else {
                    results.append(LeaderElectionResult(partition: tp, error: .unknownTopicOrPartition("No such partition as \(tp)")))
                    continue
                }
                switch PartitionChangeBuilder.electForRequest(topic.partitions[tp.partition], type: type, isAcceptableLeader: control.isAcceptableLeader) {
                case .success(let change):
                    Self.commit(change, tp, reason: type == .preferred ? .preferred : .requested, &t)
                    results.append(LeaderElectionResult(partition: tp, error: nil))
                case .failure(let error):
                    if all && error == .electionNotNeeded { continue }
                    results.append(LeaderElectionResult(partition: tp, error: error))
                }
            }
            return results
        }
    }

    /// The periodic `electUnclean` task (`maybeElectUncleanLeaders`): an UNCLEAN election for every leaderless partition
    /// of a topic with `unclean.leader.election.enable=true`, at most `limit` a run. Returns how many got a leader.
    public func electUncleanLeaders(limit: Int) -> (elected: Int, delta: MetadataDelta) {
        guard image.activeController != nil else { return (0, MetadataDelta()) }
        let control = image.cluster
        return apply { (t: inout ControllerTransaction) in
            var elected = 0
            for name in t.image.topicNames {
                let topic = t.image.topics[name]!
                guard Self.uncleanLeaderElectionEnabled(topic) else { continue }
                for p in topic.partitions.indices where topic.partitions[p].leader == nil && elected < limit {
                    guard case .success(let change) = PartitionChangeBuilder.electForRequest(topic.partitions[p], type: .unclean,
                                                                                             isAcceptableLeader: control.isAcceptableLeader)
                    else { continue }
                    Self.commit(change, TopicPartition(name, p), reason: .requested, &t)
                    elected += 1
                }
            }
            return elected
        }
    }

    /// Whether the unclean task would elect a leader now (idle-time skipping must not jump over it).
    public var uncleanElectionPending: Bool {
        guard image.activeController != nil else { return false }
        for name in topicNames {
            let topic = topics[name]!
            guard Self.uncleanLeaderElectionEnabled(topic) else { continue }
            for state in topic.partitions where state.leader == nil && state.replicas.contains(where: isAcceptableLeader) { return true }
        }
        return false
    }
}
