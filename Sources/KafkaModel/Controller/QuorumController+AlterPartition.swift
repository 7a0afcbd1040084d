/// A leader's AlterPartition for one partition: the ISR it wants, with the epochs of the state it computed it from.
public struct AlterPartitionRequest: Sendable, Equatable {
    public let partition: TopicPartition
    /// The leader sending it.
    public let brokerId: Int
    public let leaderEpoch: Int
    public let partitionEpoch: Int
    public let newIsr: [Int]

    public init(partition: TopicPartition, brokerId: Int, leaderEpoch: Int, partitionEpoch: Int, newIsr: [Int]) {
        self.partition = partition
        self.brokerId = brokerId
        self.leaderEpoch = leaderEpoch
        self.partitionEpoch = partitionEpoch
        self.newIsr = newIsr
    }
}

extension QuorumController {
    /// AlterPartition: a leader expands or shrinks its ISR. Checked against the partition's leader, leader epoch and
    /// partition epoch as Kafka 4.0 does (a stale leader gets FENCED_LEADER_EPOCH, a stale view INVALID_UPDATE_VERSION),
    /// then applied whole: one IsrExpanded per replica added, then one IsrShrunk per replica removed.
    public func alterPartition(_ request: AlterPartitionRequest) throws(AlterPartitionError) -> MetadataDelta {
        guard image.activeController != nil else { throw .notController }
        let tp = request.partition
        guard let state = image.topics[tp.topic]?.partitions[safe: tp.partition] else { throw .unknownTopicOrPartition }
        // Kafka's order: epochs from the future mean this is not the controller; a stale leader epoch is fenced before
        // the sender is asked to lead.
        if request.leaderEpoch > state.leaderEpoch || request.partitionEpoch > state.partitionEpoch { throw .notController }
        if request.leaderEpoch < state.leaderEpoch { throw .fencedLeaderEpoch }
        guard state.leader == request.brokerId else { throw .invalidRequest }
        if request.partitionEpoch < state.partitionEpoch { throw .invalidUpdateVersion }
        guard !request.newIsr.isEmpty, request.newIsr.contains(request.brokerId) else { throw .invalidRequest }
        let added = request.newIsr.filter { !state.isr.contains($0) }
        let removed = state.isr.filter { !request.newIsr.contains($0) }
        guard added.allSatisfy(isAcceptableLeader) else { throw .ineligibleReplica }
        return apply { (t: inout ControllerTransaction) in
            var next = state
            next.isr = request.newIsr
            next.partitionEpoch += 1
            t.set(tp, next)
            for r in added { t.record(.isrExpanded(partition: tp, isr: request.newIsr, added: r)) }
            for r in removed { t.record(.isrShrunk(partition: tp, isr: request.newIsr, removed: r)) }
        }.1
    }
}
