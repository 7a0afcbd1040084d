import DequeModule

/// A simulated producer client (Kafka's `KafkaProducer`): its config, its record accumulator,
/// the null-key partitioner state per topic, and the outcome of every batch it sent.
///
/// The cluster drives it (`Cluster.send`, `Cluster.flush`, the `linger.ms` timer), since the
/// simulation runs on the cluster's clock and random generator.
public struct KafkaProducer: Sendable, Equatable {
    public let name: String
    public let config: ProducerConfig
    /// Named producers report batches forming and being sent as events; the shell's own
    /// one-shot producers (`produce`, the console producer) stay quiet.
    public let reportsBatches: Bool
    /// Whether the leader's appends of this producer's batches are events (perf tests say no).
    public let reportsAppends: Bool
    public internal(set) var accumulator: RecordAccumulator
    var builtIn: [String: BuiltInPartitioner] = [:]
    var roundRobin: [String: RoundRobinPartitioner] = [:]
    /// Base offset of every sent batch (−1 under acks=0), or the broker's error.
    public internal(set) var results: [Int: Result<Int64, KafkaError>] = [:]
    /// When each finished batch got its result (the send callback's time).
    public internal(set) var completedMs: [Int: Int64] = [:]
    /// Whether a `linger.ms` timer is scheduled.
    var lingerTimerDue: Int64?
    /// Totals since the producer started.
    /// The id `InitProducerId` gave this producer when it is idempotent (`enable.idempotence=true`, `acks=all`).
    public internal(set) var producerId: Int64?
    /// The producer epoch its batches carry (bumped after a batch with sequence numbers failed, KIP-360).
    public internal(set) var producerEpoch: Int16 = 0
    /// A transactional producer's state machine (`transactional.id` set); nil otherwise.
    public internal(set) var transactionManager: TransactionManager?
    /// How many failed records a transactional producer has looked at: a new failure puts it in ABORTABLE_ERROR.
    var transactionFailuresSeen = 0
    /// The next sequence number per partition (idempotent producers number their records per partition).
    var sequences: [TopicPartition: Int32] = [:]
    /// The base sequence of each batch appended but not yet answered: its retries carry the same one.
    var batchSequences: [Int: Int32] = [:]
    /// Batches the leader acknowledged (or that went out under acks=0), and their records.
    public internal(set) var sentBatches = 0
    public internal(set) var sentRecords = 0
    /// Records whose batch failed for good (a non-retriable error, retries used up, or `delivery.timeout.ms`).
    public internal(set) var failedRecords = 0
    /// Batches that failed with a retriable error and wait for their next attempt, per partition, oldest first
    /// (later batches of the partition wait behind them, to keep the order).
    public internal(set) var retrying: [TopicPartition: Deque<RetryingBatch>] = [:]
    /// When the retry timer is armed.
    var retryTimerDue: Int64?

    /// Records waiting for a retry, over all partitions.
    public var retryingRecords: Int { retrying.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.recordCount } } }

    public init(name: String, config: ProducerConfig, reportsBatches: Bool, reportsAppends: Bool = true) {
        self.name = name
        self.reportsAppends = reportsAppends
        self.config = config
        self.reportsBatches = reportsBatches
        self.accumulator = RecordAccumulator(batchSize: config.batchSize)
    }

    /// The sticky partition the built-in partitioner holds for `topic`, if any.
    public func stickyPartition(topic: String) -> Int? {
        switch config.partitioner {
        case .builtIn: return builtIn[topic]?.stickyPartition
        case .roundRobin: return nil
        }
    }
}

/// A batch between attempts (Kafka re-enqueues it in the accumulator with `retry = true`).
public struct RetryingBatch: Sendable, Equatable {
    public internal(set) var batch: ProducerBatch
    /// `copies` more records equal to `repeatedRecord` follow `batch.records` (a perf test's batches are not built
    /// record by record: a queue of them would otherwise hold every record it waits to send).
    public internal(set) var copies = 0
    public internal(set) var repeatedRecord: Record?
    /// Attempts so far (0: queued behind a retrying batch, never sent).
    public internal(set) var attempts: Int
    /// When it may be sent again (`lastAttemptMs + backoff`).
    public internal(set) var nextAttemptMs: Int64
    /// A failure whose answer is still on its way (the request is in flight until then).
    public internal(set) var pendingFailure: PendingFailure?
    /// Sent and appended, waiting for the `acks=all` answer.
    public internal(set) var inFlight = false

    /// The batch's records, the copies included.
    public var recordCount: Int { batch.records.count + copies }

    /// The batch with its copies written out.
    public var materializedBatch: ProducerBatch {
        guard copies > 0, let repeatedRecord else { return batch }
        var full = batch
        full.records.append(contentsOf: repeatElement(repeatedRecord, count: copies))
        return full
    }

    /// Equal when they hold the same records, however many of them are kept as copies.
    public static func == (lhs: RetryingBatch, rhs: RetryingBatch) -> Bool {
        lhs.attempts == rhs.attempts && lhs.nextAttemptMs == rhs.nextAttemptMs && lhs.pendingFailure == rhs.pendingFailure
            && lhs.inFlight == rhs.inFlight && lhs.recordCount == rhs.recordCount && lhs.materializedBatch == rhs.materializedBatch
    }

    /// The `ProduceFailed` event to write when a timed-out request's answer arrives.
    public struct PendingFailure: Sendable, Equatable {
        public let atMs: Int64
        public let attempt: Int
        public let records: Int
        public let error: KafkaError
        /// nil: no retry is left, the batch fails for good with `error`.
        public let retryInMs: Int64?
        /// The node the producer disconnects from first, when the request timed out on the client (no answer came).
        public internal(set) var disconnectedFrom: Int? = nil
    }
}

/// Why a record went to its partition.
public enum PartitionChoice: Sendable, Equatable {
    /// The record named its partition.
    case explicit
    /// `toPositive(murmur2(key)) % partitions`.
    case key(hash: Int32)
    /// No key: the producer's null-key partitioner chose.
    case noKey(ProducerConfig.Partitioner)
}

/// Where `Cluster.send` put a record: its partition, why, and its place in a batch.
public struct SendReceipt: Sendable, Equatable {
    public let partition: TopicPartition
    /// The topic's partition count when the record was sent.
    public let partitionCount: Int
    public let choice: PartitionChoice
    public let batchId: Int
    public let indexInBatch: Int
}
