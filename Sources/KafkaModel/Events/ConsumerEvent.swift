/// What the group coordinator and the simulated consumers did, one case per observable change.
public enum ConsumerEvent: Sendable, Equatable {
    /// How an offset commit was made.
    public enum CommitKind: Sendable {
        /// `enable.auto.commit`: on poll, before a rebalance and on close.
        case auto
        /// `commitSync()`.
        case sync
        /// `commitAsync()`.
        case async
        /// `kafka-consumer-groups.sh --reset-offsets --execute`.
        case resetOffsets
        /// The console consumer's commit as it closes.
        case consoleConsumer
    }

    /// Why FindCoordinator answered COORDINATOR_NOT_AVAILABLE.
    public enum CoordinatorUnavailableReason: Sendable, Equatable {
        /// `__consumer_offsets` could not be created with `offsets.topic.replication.factor` (too few live brokers).
        case offsetsTopicNotCreated(replicationFactor: Int, error: KafkaError)
        /// The group's `__consumer_offsets` partition has no leader.
        case noLeader(partition: Int)
    }

    /// Why `onPartitionsRevoked` ran.
    public enum RevokeContext: Sendable, Equatable {
        /// Eager protocol, before JoinGroup: every partition, nothing is fetched until the rebalance completes.
        case eagerRebalance
        /// Cooperative protocol, after SyncGroup: only the partitions that move to another member.
        case cooperativeRebalance
        /// `close()` (`ConsumerCoordinator.onLeavePrepare`): a dynamic member then sends LeaveGroup; a static one does not.
        case closing(leaveGroup: Bool)
    }

    case consumerStarted(consumer: String, group: String?, topics: [String], assignors: [String])
    case consumerStopped(consumer: String)
    /// The process vanished; `unprocessed` holds the offsets of its last poll it had not finished processing.
    case consumerCrashed(consumer: String, unprocessed: [TopicPartition: ClosedRange<Int64>])
    case consumerRestarted(consumer: String)
    case consumerConfigChanged(consumer: String, key: String, value: String)
    case consumerFailed(consumer: String, exception: String)
    case wakeup(consumer: String)
    case pollTimeout(consumer: String, staticMember: Bool)
    case rejoining(consumer: String, reason: RejoinReason)
    /// A JoinGroup or SyncGroup the coordinator had parked was answered with an error; the consumer rejoins.
    case requestFailed(consumer: String, request: GroupEvent.ParkedRequest, error: GroupError)
    case partitionsRevoked(consumer: String, partitions: [TopicPartition], context: RevokeContext)
    case partitionsAssigned(consumer: String, partitions: [TopicPartition], generation: Int)
    case partitionsLost(consumer: String, partitions: [TopicPartition])
    /// A poll returned a record (the first 50 of a poll; see `recordsConsumedSummary`); key and value as stored.
    case recordConsumed(consumer: String, partition: TopicPartition, offset: Int64, key: [UInt8]?, value: [UInt8]?)
    case recordsConsumedSummary(consumer: String, more: Int)
    /// `auto.offset.reset` set the position: no committed offset, or the position `outOfRange` is not in the log.
    case positionReset(consumer: String, partition: TopicPartition, offset: Int64, policy: ConsumerConfig.AutoOffsetReset, outOfRange: Int64?)
    case seeked(consumer: String, partition: TopicPartition, offset: Int64)
    case paused(consumer: String, partitions: [TopicPartition])
    case resumed(consumer: String, partitions: [TopicPartition])
    case manuallyAssigned(consumer: String, partitions: [TopicPartition])
    case offsetsCommitted(group: String, consumer: String?, offsets: [TopicPartition: Int64], kind: CommitKind)
    case offsetCommitFailed(consumer: String, kind: CommitKind, message: String)
    case groupStateChanged(group: String, from: ClassicGroupState, to: ClassicGroupState)
    case rebalanceStarted(group: String, reason: RebalanceReason)
    case memberJoined(group: String, memberId: String, groupInstanceId: String?)
    case memberRemoved(group: String, memberId: String, reason: MemberRemovalReason)
    case staticMemberReplaced(group: String, groupInstanceId: String, oldMemberId: String, newMemberId: String)
    case generationStarted(group: String, generation: Int, leader: String?, protocol: String?, members: Int)
    case assignmentDistributed(group: String, generation: Int, assignment: [String: [TopicPartition]],
                               transferring: [TopicPartition: String])
    case groupDeleted(group: String)
    case offsetsDeleted(group: String, partitions: [TopicPartition])
    /// The group's `__consumer_offsets` partition got a new leader, which loaded the group's offsets.
    case coordinatorMoved(group: String, from: Int?, to: Int?, partition: Int, loadedOffsets: Int)
    /// FindCoordinator answered COORDINATOR_NOT_AVAILABLE (`attempts` failures since the last such event); the consumer retries.
    case coordinatorNotAvailable(consumer: String, group: String, reason: CoordinatorUnavailableReason, attempts: Int, first: Bool)
    /// A member found its group's new coordinator (FindCoordinator).
    case coordinatorDiscovered(consumer: String, broker: Int, host: String, port: Int)
    /// A consumer cannot fetch an assigned partition (no leader): it retries after `retry.backoff.ms`.
    case fetchWaiting(consumer: String, partition: TopicPartition, error: KafkaError)
    /// The partition has a leader again and the consumer fetches from it.
    case fetchResumed(consumer: String, partition: TopicPartition, leader: Int)

    /// The event's type name.
    public var name: String {
        switch self {
        case .consumerStarted: return "ConsumerStarted"
        case .consumerStopped: return "ConsumerClosed"
        case .consumerCrashed: return "ConsumerCrashed"
        case .consumerRestarted: return "ConsumerRestarted"
        case .consumerConfigChanged: return "ConsumerConfigChanged"
        case .consumerFailed: return "ConsumerFailed"
        case .wakeup: return "Wakeup"
        case .pollTimeout: return "PollTimeout"
        case .rejoining: return "Rejoining"
        case .requestFailed: return "GroupRequestFailed"
        case .partitionsRevoked: return "PartitionsRevoked"
        case .partitionsAssigned: return "PartitionsAssigned"
        case .partitionsLost: return "PartitionsLost"
        case .recordConsumed, .recordsConsumedSummary: return "RecordConsumed"
        case .positionReset: return "PositionReset"
        case .seeked: return "Seeked"
        case .paused: return "Paused"
        case .resumed: return "Resumed"
        case .manuallyAssigned: return "ManuallyAssigned"
        case .offsetsCommitted: return "OffsetsCommitted"
        case .offsetCommitFailed: return "OffsetCommitFailed"
        case .groupStateChanged: return "GroupStateChanged"
        case .rebalanceStarted: return "RebalanceStarted"
        case .memberJoined: return "MemberJoined"
        case .memberRemoved: return "MemberRemoved"
        case .staticMemberReplaced: return "StaticMemberReplaced"
        case .generationStarted: return "GenerationStarted"
        case .assignmentDistributed: return "AssignmentDistributed"
        case .groupDeleted: return "GroupDeleted"
        case .offsetsDeleted: return "OffsetsDeleted"
        case .coordinatorMoved: return "CoordinatorMoved"
        case .coordinatorNotAvailable: return "CoordinatorNotAvailable"
        case .coordinatorDiscovered: return "CoordinatorDiscovered"
        case .fetchWaiting: return "FetchWaiting"
        case .fetchResumed: return "FetchResumed"
        }
    }
}
