/// What replication does, as the learner watches it: followers copying from leaders, high watermarks moving,
/// `acks=all` produces answered, tails truncated, and the faults the learner causes.
public enum ReplicationEvent: Sendable, Equatable {
    /// Why a replica's log lost its tail.
    public enum TruncationReason: Sendable, Equatable {
        /// Its leader's log diverged at `endOffset` (the end of `epoch` on the leader): the records past it were
        /// written under an older leader and never reached the high watermark.
        case divergingEpoch(leader: Int, epoch: Int32, endOffset: Int64)
        /// The broker crashed with `--lose-unflushed`: what was not flushed to disk is gone.
        case unflushed
    }

    /// A follower copied batches from its leader (`firstOffset...lastOffset`).
    case replicaFetched(partition: TopicPartition, follower: Int, leader: Int, firstOffset: Int64, lastOffset: Int64, records: Int)
    /// The leader's high watermark moved: consumers may read up to it.
    case highWatermarkAdvanced(partition: TopicPartition, leader: Int, from: Int64, to: Int64)
    /// A replica's log was cut back to end at `toOffset`, losing `records` records.
    case replicaTruncated(partition: TopicPartition, broker: Int, toOffset: Int64, records: Int, reason: TruncationReason)
    /// An `acks=all` produce waited for replication and got its answer after `waitedMs`.
    case produceAcknowledged(producer: String, partition: TopicPartition, batch: Int, offset: Int64, waitedMs: Int64)
    /// A broker crashed (no controlled shutdown); `loseUnflushed` when its unflushed records are lost.
    case brokerKilled(broker: Int, loseUnflushed: Bool)
    /// The controller fenced a broker whose heartbeats stopped (`broker.session.timeout.ms` passed).
    case brokerSessionExpired(broker: Int)
    /// A broker's replica fetcher now waits `delayMs` before each fetch (0: back to normal).
    case fetchDelayChanged(broker: Int, delayMs: Int64)
    /// A broker was cut off from the other brokers and the controller (`isolated`), or reconnected.
    case networkPartitioned(broker: Int, isolated: Bool)
    /// The one-way broker-to-broker latency changed.
    case networkLatencyChanged(latencyMs: Int64)
    /// The produce-path faults armed for a broker changed (empty: cleared).
    case clientFaultsChanged(broker: Int, faults: ClientFaults)
    /// A fault lost a produce request on its way to `broker` (`response: false`, nothing appended) or its answer on
    /// the way back (`response: true`, the batch is in the log).
    case produceLost(producer: String, partition: TopicPartition, broker: Int, batch: Int, response: Bool)
    /// An answer `network delay` slowed down reached its producer, `delayMs` after the broker sent it.
    case produceAnswerArrived(producer: String, partition: TopicPartition, broker: Int, batch: Int, delayMs: Int64)
    /// An idempotent producer bumped its epoch after a batch with sequence numbers failed (KIP-360).
    case producerEpochBumped(producer: String, producerId: Int64, epoch: Int16)
    /// The producer heard nothing for `request.timeout.ms` and closed the connection (`NetworkClient`).
    case producerDisconnected(producer: String, broker: Int)
    /// The leader found a batch with the same producer id, epoch and sequences among the producer's last five: a
    /// retry, answered with the original offsets and not appended again.
    case duplicateBatchAnswered(partition: TopicPartition, broker: Int, producerId: Int64, epoch: Int16,
                                firstSequence: Int32, lastSequence: Int32, firstOffset: Int64, lastOffset: Int64)

    /// The event's type name, as the `events` listing shows it.
    public var name: String {
        switch self {
        case .replicaFetched: return "ReplicaFetched"
        case .highWatermarkAdvanced: return "HighWatermarkAdvanced"
        case .replicaTruncated: return "ReplicaTruncated"
        case .produceAcknowledged: return "ProduceAcknowledged"
        case .brokerKilled: return "BrokerKilled"
        case .brokerSessionExpired: return "BrokerSessionExpired"
        case .fetchDelayChanged: return "FetchDelayChanged"
        case .networkPartitioned: return "NetworkPartitioned"
        case .networkLatencyChanged: return "NetworkLatencyChanged"
        case .clientFaultsChanged: return "ClientFaultsChanged"
        case .produceLost: return "ProduceLost"
        case .produceAnswerArrived: return "ProduceAnswerArrived"
        case .producerDisconnected: return "ProducerDisconnected"
        case .producerEpochBumped: return "ProducerEpochBumped"
        case .duplicateBatchAnswered: return "DuplicateBatchAnswered"
        }
    }

    /// The partition the event is about, if one.
    public var partition: TopicPartition? {
        switch self {
        case let .replicaFetched(tp, _, _, _, _, _), let .highWatermarkAdvanced(tp, _, _, _), let .replicaTruncated(tp, _, _, _, _),
             let .produceAcknowledged(_, tp, _, _, _), let .produceLost(_, tp, _, _, _), let .produceAnswerArrived(_, tp, _, _, _),
             let .duplicateBatchAnswered(tp, _, _, _, _, _, _, _):
            return tp
        default:
            return nil
        }
    }
}
