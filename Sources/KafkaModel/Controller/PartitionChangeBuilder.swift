/// The KRaft controller's leader election for one partition, as Kafka 4.0.0's
/// `metadata/src/main/java/org/apache/kafka/controller/PartitionChangeBuilder.java` decides it (ELR off, as 4.0
/// bootstraps it; no reassignment in progress). A pure function of the partition and of which brokers may lead:
/// the `Cluster` applies the change it returns.
///
/// - `isValidNewLeader(r)`: `r` is in the target ISR and is an acceptable leader (registered, unfenced, not in
///   controlled shutdown, not the broker being removed).
/// - ONLINE and UNCLEAN (`electAnyLeader`): keep the current leader if valid; else the first valid replica in
///   assignment order; else, UNCLEAN only, the first acceptable replica in assignment order, and the ISR becomes
///   just that leader (an unclean election: records only the old ISR had may be lost); else no leader.
/// - PREFERRED (`electPreferredLeader`): `replicas[0]` if valid; else the current leader if valid; else the
///   first valid replica of `replicas[1...]`; else no leader.
/// - The ISR is set to the target ISR unless that is empty (with ELR off the last ISR member stays listed while
///   the partition has no leader). Every leader change bumps the leader epoch; every change bumps the partition epoch.
public struct PartitionChangeBuilder {
    /// Kafka's `PartitionChangeBuilder.Election`.
    public enum Election: Sendable, Equatable {
        /// `kafka-leader-election.sh --election-type PREFERRED` and the periodic rebalance.
        case preferred
        /// Broker changes and AlterPartition: clean elections only (the default).
        case online
        /// Like ONLINE, then any live replica outside the ISR (`unclean.leader.election.enable`).
        case unclean
    }

    /// Who `electLeader` picked; `unclean` when the leader came from outside the ISR.
    public struct ElectionResult: Sendable, Equatable {
        public let leader: Int?
        public let unclean: Bool
    }

    /// The partition after `build()`.
    public struct Change: Sendable, Equatable {
        public let partition: PartitionState
        public let leaderChanged: Bool
        public let unclean: Bool
        /// Replicas the ISR lost (the target ISR without them), in ISR order; empty when the ISR did not shrink.
        public let removedFromIsr: [Int]
    }

    public let partition: PartitionState
    public var election: Election = .online
    /// The ISR the change aims at (the current ISR unless set, e.g. without a broker being fenced).
    public var targetIsr: [Int]
    /// Whether a broker may lead: registered, unfenced, not shutting down.
    public let isAcceptableLeader: (Int) -> Bool

    public init(partition: PartitionState, election: Election = .online, isAcceptableLeader: @escaping (Int) -> Bool) {
        self.partition = partition
        self.election = election
        self.targetIsr = partition.isr
        self.isAcceptableLeader = isAcceptableLeader
    }

    private func isValidNewLeader(_ replica: Int?) -> Bool {
        guard let replica else { return false }
        return targetIsr.contains(replica) && isAcceptableLeader(replica)
    }

    /// `PartitionChangeBuilder.electLeader`.
    public func electLeader() -> ElectionResult {
        if election == .preferred {
            if let first = partition.replicas.first, isValidNewLeader(first) { return ElectionResult(leader: first, unclean: false) }
            if isValidNewLeader(partition.leader) { return ElectionResult(leader: partition.leader, unclean: false) }
            if let other = partition.replicas.dropFirst().first(where: isValidNewLeader) { return ElectionResult(leader: other, unclean: false) }
            return ElectionResult(leader: nil, unclean: false)
        }
        if isValidNewLeader(partition.leader) { return ElectionResult(leader: partition.leader, unclean: false) }
        if let clean = partition.replicas.first(where: isValidNewLeader) { return ElectionResult(leader: clean, unclean: false) }
        if election == .unclean, let any = partition.replicas.first(where: isAcceptableLeader) {
            return ElectionResult(leader: any, unclean: true)
        }
        return ElectionResult(leader: nil, unclean: false)
    }

    /// The partition's new state, or nil when nothing changes (`build()` returning `Optional.empty()`).
    public func build() -> Change? {
        var next = partition
        let result = electLeader()
        var removed: [Int] = []
        if !targetIsr.isEmpty && targetIsr != partition.isr {
            removed = partition.isr.filter { !targetIsr.contains($0) }
            next.isr = targetIsr
        }
        let leaderChanged = result.leader != partition.leader
        if leaderChanged {
            next.leader = result.leader
            next.leaderEpoch += 1
            if result.unclean, let leader = result.leader {
                // "If the election was unclean, we have to forcibly set the ISR to just the new leader."
                next.isr = [leader]
                removed = []
            }
        }
        guard next != partition else { return nil }
        next.partitionEpoch += 1
        return Change(partition: next, leaderChanged: leaderChanged, unclean: leaderChanged && result.unclean, removedFromIsr: removed)
    }
}

/// What `kafka-leader-election.sh` asks the controller (`ElectLeadersRequest.electionType`).
public enum ElectionType: String, Sendable, CaseIterable {
    case preferred = "PREFERRED"
    case unclean = "UNCLEAN"
}

/// Why the controller elected no leader for a partition of an ElectLeaders request
/// (`ReplicationControlManager.electLeader`), with the exception the admin client turns it into.
public enum ElectionError: Sendable, Equatable, Error {
    /// PREFERRED on a partition led by its first replica, or UNCLEAN on one that has a leader.
    case electionNotNeeded
    /// PREFERRED that could not move the leadership.
    case preferredLeaderNotAvailable
    /// UNCLEAN with no live replica to lead.
    case eligibleLeadersNotAvailable
    /// No such topic or partition: `No such topic as t` / `No such partition as t-9`.
    case unknownTopicOrPartition(String)

    /// The Java exception's `toString()` (class name, then the message the admin client gives it).
    public var javaException: String {
        switch self {
        case .electionNotNeeded:
            return "org.apache.kafka.common.errors.ElectionNotNeededException: Leader election not needed for topic partition."
        case .preferredLeaderNotAvailable:
            return "org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: The preferred leader was not available."
        case .eligibleLeadersNotAvailable:
            return "org.apache.kafka.common.errors.EligibleLeadersNotAvailableException: Eligible topic partition leaders are not available."
        case .unknownTopicOrPartition(let message):
            return "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: \(message)"
        }
    }
}

extension PartitionChangeBuilder {
    /// `ReplicationControlManager.electLeader` for one partition of an ElectLeaders request: the change to apply,
    /// or the partition's error.
    public static func electForRequest(
        _ partition: PartitionState, type: ElectionType, isAcceptableLeader: @escaping (Int) -> Bool
    ) -> Result<Change, ElectionError> {
        switch type {
        case .preferred where partition.leader == partition.preferredLeader:
            return .failure(.electionNotNeeded)
        case .unclean where partition.leader != nil:
            return .failure(.electionNotNeeded)
        default:
            break
        }
        let builder = PartitionChangeBuilder(partition: partition, election: type == .preferred ? .preferred : .unclean,
                                             isAcceptableLeader: isAcceptableLeader)
        guard let change = builder.build() else {
            return .failure(type == .preferred ? .preferredLeaderNotAvailable : .eligibleLeadersNotAvailable)
        }
        return .success(change)
    }
}
