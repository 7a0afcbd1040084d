/// One state change in the simulated cluster, stamped with simulated time.
///
/// The model appends an event for every change it makes; the shell prints the events a
/// command caused under its output, and `events` lists them all.
public struct ClusterEvent: Sendable, Equatable {
    /// Position in the cluster's event log, from 0.
    public let sequence: Int
    /// Simulated time of the change.
    public let timestampMs: Int64
    /// What changed.
    public let kind: Kind

    public init(sequence: Int, timestampMs: Int64, kind: Kind) {
        self.sequence = sequence
        self.timestampMs = timestampMs
        self.kind = kind
    }

    /// Why a partition got a new leader.
    public enum ElectionReason: Sendable, Equatable {
        /// The leader's broker stopped.
        case leaderFailed
        /// The preferred replica took leadership back (`elect-leaders` or the imbalance check).
        case preferred
        /// A partition without a leader got one when a replica's broker started again.
        case restarted
        /// Chosen from outside the ISR (`unclean.leader.election.enable`, or `--election-type UNCLEAN`): the ISR is reset to
        /// the new leader, and records only the old in-sync replicas had are truncated when they return.
        case unclean
        /// An election asked for with `kafka-leader-election.sh` that found an in-sync replica.
        case requested
    }

    /// The kinds of change, named as Kafka's components would log them.
    public enum Kind: Sendable, Equatable {
        case brokerRegistered(broker: Int)
        case controllerElected(broker: Int)
        case brokerFenced(broker: Int)
        case brokerUnfenced(broker: Int)
        /// Fewer than a majority of the controller quorum run: no active controller, metadata is frozen.
        case quorumLost(running: Int, voters: Int, majority: Int)
        case topicCreated(topic: String, partitions: Int, replicationFactor: Int)
        case topicDeleted(topic: String)
        case partitionsAdded(topic: String, from: Int, to: Int)
        case topicConfigChanged(topic: String, key: String, value: String?)
        case leaderElected(partition: TopicPartition, leader: Int?, epoch: Int, reason: ElectionReason)
        case isrShrunk(partition: TopicPartition, isr: [Int], removed: Int)
        case isrExpanded(partition: TopicPartition, isr: [Int], added: Int)
        case clockAdvanced(fromMs: Int64, toMs: Int64)
        /// The leader appended a batch at `firstOffset...lastOffset`.
        case recordsAppended(partition: TopicPartition, firstOffset: Int64, lastOffset: Int64, count: Int, bytes: Int)
        /// A new active segment began at `baseOffset`.
        case segmentRolled(partition: TopicPartition, baseOffset: Int64, reason: RollReason)
        /// Retention deleted a whole segment.
        case segmentDeleted(partition: TopicPartition, baseOffset: Int64, reason: SegmentDeletionReason)
        /// The log start offset moved forward (records below it are gone).
        case logStartOffsetIncremented(partition: TopicPartition, from: Int64, to: Int64)
        /// The log cleaner compacted the partition's cleanable segments.
        case logCompacted(partition: TopicPartition, removed: Int, kept: Int)
        /// Recovery on start-up cut a torn or corrupt tail off the partition's log.
        case logTruncatedOnRecovery(partition: TopicPartition, bytes: Int, records: Int)
        /// Recovery on start-up found offsets no segment holds: a segment file is missing.
        case logGapOnRecovery(partition: TopicPartition, from: Int64, to: Int64)
        /// A named producer started with its config.
        case producerStarted(producer: String, acks: ProducerConfig.Acks, lingerMs: Int64, batchSize: Int, partitioner: ProducerConfig.Partitioner)
        /// A producer was closed (its batches were sent first).
        case producerClosed(producer: String)
        /// A producer's accumulator opened a new batch for a partition.
        case batchCreated(producer: String, partition: TopicPartition, batch: Int)
        /// A producer sent a batch to the partition leader; `reason` says why it was ready.
        case batchSent(producer: String, partition: TopicPartition, records: Int, bytes: Int, reason: BatchSendReason)
        /// The built-in (sticky) partitioner picked a new partition for records without a key.
        case stickyPartitionChanged(producer: String, topic: String, partition: Int)
        /// The leader refused a producer's batch (attempt 1 is the first send); `retryInMs` when the producer
        /// sends it again after that backoff, nil when the records failed for good.
        case produceFailed(producer: String, partition: TopicPartition, batch: Int, records: Int, attempt: Int, error: KafkaError, retryInMs: Int64?)
        /// A batch failed on the producer's side: `delivery.timeout.ms` passed or the producer closed with it unsent.
        case batchExpired(producer: String, partition: TopicPartition, records: Int, reason: BatchExpiry)
        /// Consumer groups and consumers (see `ConsumerEvent`).
        case group(ConsumerEvent)
        /// Replication and the faults that test it (see `ReplicationEvent`).
        case replication(ReplicationEvent)
        /// Transactions: the coordinator, markers and last stable offsets (see `TransactionEvent`).
        case transaction(TransactionEvent)

        /// The event's type name, as the `events` listing shows it.
        public var name: String {
            switch self {
            case .brokerRegistered: return "BrokerRegistered"
            case .controllerElected: return "ControllerElected"
            case .brokerFenced: return "BrokerFenced"
            case .brokerUnfenced: return "BrokerUnfenced"
            case .quorumLost: return "QuorumLost"
            case .topicCreated: return "TopicCreated"
            case .topicDeleted: return "TopicDeleted"
            case .partitionsAdded: return "PartitionsAdded"
            case .topicConfigChanged: return "TopicConfigChanged"
            case .leaderElected: return "LeaderElected"
            case .isrShrunk: return "IsrShrunk"
            case .isrExpanded: return "IsrExpanded"
            case .clockAdvanced: return "ClockAdvanced"
            case .recordsAppended: return "RecordsAppended"
            case .segmentRolled: return "SegmentRolled"
            case .segmentDeleted: return "SegmentDeleted"
            case .logStartOffsetIncremented: return "LogStartOffsetIncremented"
            case .logCompacted: return "LogCompacted"
            case .logTruncatedOnRecovery: return "LogTruncatedOnRecovery"
            case .logGapOnRecovery: return "LogGapOnRecovery"
            case .producerStarted: return "ProducerStarted"
            case .producerClosed: return "ProducerClosed"
            case .batchCreated: return "BatchCreated"
            case .batchSent: return "BatchSent"
            case .stickyPartitionChanged: return "StickyPartitionChanged"
            case .produceFailed: return "ProduceFailed"
            case .batchExpired: return "BatchExpired"
            case .group(let event): return event.name
            case .replication(let event): return event.name
            case .transaction(let event): return event.name
            }
        }
    }
}
