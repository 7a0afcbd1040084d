// Broker registration, heartbeats and fencing (Kafka's `ClusterControlManager`, `BrokerHeartbeatManager` and
// `ReplicationControlManager.handleBrokerFenced/Unfenced`). kafkalab's controller sees a broker's process stop or start
// at once; what it does about it (fencing, unfencing, elections) needs the quorum.

extension QuorumController {
    /// A broker's process stopped (cleanly or not): it no longer heartbeats.
    public func processBrokerStop(_ id: Int) {
        _ = apply { (t: inout ControllerTransaction) in t.image.cluster.setAlive(id, false) }
    }

    /// A stopped broker crashed rather than shut down: the controller fences it only when its session runs out.
    public func processBrokerCrash(_ id: Int) {
        _ = apply { (t: inout ControllerTransaction) in _ = t.image.cluster.crashed.insert(id) }
    }

    /// BrokerRegistration: a broker (re)started at `nowMs` and registers; its heartbeats count from now. Returns
    /// whether this is a new incarnation of a crashed broker the controller has not fenced yet (its log may have lost
    /// what it acknowledged: the cluster fences it once the quorum is settled, see `fenceBroker`).
    @discardableResult
    public func registerBroker(_ id: Int, nowMs: Int64) -> Bool {
        apply { (t: inout ControllerTransaction) in
            t.image.cluster.setAlive(id, true)
            let reregisters = t.image.cluster.crashed.remove(id) != nil && !t.image.cluster.fenced.contains(id)
            t.image.cluster.startedMs[id] = nowMs
            return reregisters
        }.0
    }

    /// After a node stopped, started or was cut off or healed: loses or elects the active controller; a controller
    /// fences the brokers that shut down cleanly, starts the session of those that crashed or are cut off (when newly
    /// elected: a new controller gives every broker a new session) and unfences the brokers that heartbeat again.
    public func quorumChanged(unreachable: Set<Int>) -> MetadataDelta {
        self.unreachable = unreachable
        let voters = runningVoters
        let majority = quorumMajority
        return apply { (t: inout ControllerTransaction) in
            guard voters.count >= majority else {
                if t.image.activeController != nil {
                    t.image.activeController = nil
                    t.record(.quorumLost(running: voters.count, voters: voterIds.count, majority: majority))
                }
                return
            }
            var elected = false
            if t.image.activeController.map({ !voters.contains($0) }) ?? true {
                t.image.activeController = voters.min()
                t.record(.controllerElected(broker: t.image.activeController!))
                elected = true
            }
            for broker in t.image.cluster.brokers where !t.image.cluster.fenced.contains(broker.id) && (!broker.isAlive || unreachable.contains(broker.id)) {
                if !broker.isAlive && !t.image.cluster.crashed.contains(broker.id) {
                    Self.fence(broker.id, &t)
                } else if elected {
                    t.delta.entries.append(.sessionExpiryCheck(broker: broker.id))
                }
            }
            for broker in t.image.cluster.brokers where broker.isAlive && !unreachable.contains(broker.id) && t.image.cluster.fenced.contains(broker.id) {
                Self.heartbeat(broker.id, &t)
            }
        }.1
    }

    /// BrokerHeartbeat from a running broker the controller reaches: a fenced one is unfenced and leaderless partitions
    /// it may lead elect it. Nothing changes without a quorum.
    public func processBrokerHeartbeat(_ id: Int) -> MetadataDelta {
        guard image.activeController != nil, image.cluster.broker(id)?.isAlive == true, !unreachable.contains(id) else { return MetadataDelta() }
        return apply { (t: inout ControllerTransaction) in Self.heartbeat(id, &t) }.1
    }

    /// Fences a broker (a new incarnation of a crashed broker, see `registerBroker`): out of every ISR and leadership.
    /// Nothing changes without a quorum.
    public func fenceBroker(_ id: Int) -> MetadataDelta {
        guard image.activeController != nil, image.cluster.broker(id) != nil, !image.cluster.fenced.contains(id) else { return MetadataDelta() }
        return apply { (t: inout ControllerTransaction) in Self.fence(id, &t) }.1
    }

    /// The stale-session check for a broker whose heartbeats stopped: fenced if it is still stopped or cut off and
    /// not fenced yet, and there is a controller (otherwise the next controller gives it a new session). Nil when
    /// nothing is done.
    public func processSessionExpiry(_ id: Int) -> MetadataDelta? {
        guard let broker = image.cluster.broker(id), !image.cluster.fenced.contains(id), !broker.isAlive || unreachable.contains(id),
              image.activeController != nil else { return nil }
        return apply { (t: inout ControllerTransaction) in
            t.record(.replication(.brokerSessionExpired(broker: id)))
            Self.fence(id, &t)
        }.1
    }

    /// `handleBrokerFenced`: the broker leaves every ISR (but the last member's place) and the leadership it held moves.
    static func fence(_ id: Int, _ t: inout ControllerTransaction) {
        t.image.cluster.fenced.insert(id)
        t.record(.brokerFenced(broker: id))
        let control = t.image.cluster
        for (tp, topic) in partitions(on: id, t.image) {
            partitionAfterFencing(id, tp, topic: topic, control: control, &t)
        }
    }

    /// `handleBrokerUnfenced`: the broker is unfenced and leaderless partitions elect a leader.
    static func heartbeat(_ id: Int, _ t: inout ControllerTransaction) {
        t.image.cluster.fenced.remove(id)
        t.record(.brokerUnfenced(broker: id))
        let control = t.image.cluster
        for (tp, topic) in partitions(on: id, t.image) {
            partitionAfterUnfencing(tp, topic: topic, control: control, &t)
        }
    }

    /// The partitions with a replica on `broker`, topics by name, partitions by number.
    private static func partitions(on broker: Int, _ image: MetadataImage) -> [(TopicPartition, Topic)] {
        image.topicNames.flatMap { name in
            let topic = image.topics[name]!
            return topic.partitions.indices.filter { topic.partitions[$0].replicas.contains(broker) }.map { (TopicPartition(name, $0), topic) }
        }
    }
}
