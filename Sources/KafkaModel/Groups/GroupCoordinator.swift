/// The group coordinator's memory (Kafka's `GroupCoordinatorShard` state, reduced): the classic
/// groups, their committed offsets, and the timers the groups asked for.
///
/// The cluster owns one and drives it (`Cluster+Groups.swift`); each commit is also written as a
/// record to the group's `__consumer_offsets` partition.
public struct GroupCoordinator: Sendable {
    /// `offsets.topic.num.partitions`.
    public static let offsetsTopic = "__consumer_offsets"

    /// Groups by id.
    public internal(set) var groups: [String: ClassicGroup] = [:]
    /// Committed offsets by group id.
    public internal(set) var offsets: [String: [TopicPartition: OffsetAndMetadata]] = [:]
    /// The newest deadline wanted per "group|timer key".
    var wantedTimers: [String: (group: String, timer: GroupTimer)] = [:]
    /// When the pending scheduler entry per "group|timer key" fires.
    var scheduledTimers: [String: Int64] = [:]
    /// Asynchronous commits in flight, by id.
    var inflightCommits: [Int: PendingAsyncCommit] = [:]
    var nextCommitId = 0
    /// Parked JoinGroups by group and member id: who gets the answer when the join phase completes.
    var parkedJoins: [String: [String: RequestContext]] = [:]
    /// Parked SyncGroups by group and member id: who gets the answer when the leader's assignment arrives.
    var parkedSyncs: [String: [String: RequestContext]] = [:]

    public init() {}

    /// Takes a parked request out of the registry; false when it was already answered (or parked by another client).
    @discardableResult
    mutating func unpark(_ kind: GroupEvent.ParkedRequest, _ groupId: String, _ memberId: String, _ context: RequestContext? = nil) -> Bool {
        func take(_ parked: inout [String: [String: RequestContext]]) -> Bool {
            guard let found = parked[groupId]?[memberId], context == nil || found == context else { return false }
            parked[groupId]?[memberId] = nil
            if parked[groupId]?.isEmpty == true { parked[groupId] = nil }
            return true
        }
        switch kind {
        case .joinGroup: return take(&parkedJoins)
        case .syncGroup: return take(&parkedSyncs)
        }
    }

    /// Every group id the coordinator knows (with members or committed offsets), in Java string order.
    public var groupIds: [String] {
        Set(groups.keys).union(offsets.keys).sorted(by: JavaString.lessThan)
    }

    /// The group's state as `kafka-consumer-groups.sh` describes it: unknown groups are Dead,
    /// groups known only by their offsets are Empty.
    public func state(of groupId: String) -> ClassicGroupState {
        if let group = groups[groupId] { return group.state }
        return offsets[groupId] != nil ? .empty : .dead
    }

    /// The committed offsets of a group (next offset to read), by partition.
    public func committed(_ groupId: String) -> [TopicPartition: Int64] {
        (offsets[groupId] ?? [:]).mapValues(\.offset)
    }
}

/// A committed offset (`OffsetAndMetadata`): the next offset the group will read.
public struct OffsetAndMetadata: Sendable, Equatable {
    public var offset: Int64
    public var leaderEpoch: Int32?
    public var metadata: String
    public var commitTimestampMs: Int64
}

/// An asynchronous commit between its send and its answer.
struct PendingAsyncCommit: Sendable {
    var consumer: String
    var group: String
    var memberId: String
    var generation: Int
    var offsets: [TopicPartition: Int64]
    var fails: Bool
    /// The consumer's positions (which carry leader epochs), not offsets given by the caller.
    var positions: Bool
}
