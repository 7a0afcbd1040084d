/// A producer's settings, with Kafka 4.0's defaults (`ProducerConfig.java`).
public struct ProducerConfig: Sendable, Equatable {
    /// `acks`: when the leader answers (reference 9.1).
    public enum Acks: String, Sendable, Equatable, CaseIterable {
        /// Fire and forget: no answer, no offset.
        case none = "0"
        /// After the leader's own append.
        case leader = "1"
        /// After every in-sync replica has the batch (the default since Kafka 3.0).
        case all = "all"

        /// Parses `0`, `1`, `all` or `-1`.
        public init?(configValue: String) {
            switch configValue {
            case "0": self = .none
            case "1": self = .leader
            case "all", "-1": self = .all
            default: return nil
            }
        }
    }

    /// Which partitioner picks partitions for records without a key.
    public enum Partitioner: String, Sendable, Equatable, CaseIterable {
        /// Kafka 3.3+'s built-in strictly uniform sticky partitioner (KIP-794), the default.
        case builtIn = "built-in"
        /// `RoundRobinPartitioner`, keys ignored, strict rotation (4.0; the only `partitioner.class` Kafka ships).
        /// `DefaultPartitioner` and `UniformStickyPartitioner` were deleted in 4.0 (KAFKA-18262).
        case roundRobin = "round-robin"
    }

    /// The class name of Kafka's `RoundRobinPartitioner`.
    public static let roundRobinPartitionerClass = "org.apache.kafka.clients.producer.RoundRobinPartitioner"
    /// Partitioners Kafka shipped before 4.0 (deleted by KAFKA-18262), by kafkalab's old names.
    public static let removedPartitioners = ["uniform-sticky": "org.apache.kafka.clients.producer.UniformStickyPartitioner",
                                             "default": "org.apache.kafka.clients.producer.internals.DefaultPartitioner"]

    /// `acks` (default `all`).
    public var acks: Acks = .all
    /// `linger.ms` (default 5 in Kafka 4.0, KIP-1030; 0 before).
    public var lingerMs: Int64 = 5
    /// `batch.size` (default 16384).
    public var batchSize: Int = 16384
    /// The null-key partitioner.
    public var partitioner: Partitioner = .builtIn
    /// `enable.idempotence` (default true since 3.0): with `acks=all`, batches carry a producer id and sequence numbers.
    public var enableIdempotence = true
    /// `retries` (default Integer.MAX_VALUE): how often a batch that failed with a retriable error is sent again.
    public var retries: Int = Int(Int32.max)
    /// `retry.backoff.ms` (default 100): the first wait before a retry; it doubles per attempt
    /// (`ExponentialBackoff`, multiplier 2) up to `retry.backoff.max.ms`. kafkalab leaves out the ±20 % jitter.
    public var retryBackoffMs: Int64 = 100
    /// `retry.backoff.max.ms` (default 1000).
    public var retryBackoffMaxMs: Int64 = 1000
    /// `delivery.timeout.ms` (default 120000): a batch not acknowledged this long after it was created fails.
    public var deliveryTimeoutMs: Int64 = 120_000
    /// `request.timeout.ms` (default 30000): how long the producer waits for a produce response.
    public var requestTimeoutMs: Int64 = 30_000

    /// `max.in.flight.requests.per.connection` (default 5): unanswered requests per broker; ordering holds beyond 1
    /// only with idempotence (the broker rejects a sequence gap).
    public var maxInFlightRequestsPerConnection = 5
    /// `max.block.ms` (default 60000): how long `send()` and `initTransactions()` may block.
    public var maxBlockMs: Int64 = 60_000
    /// `transactional.id` (default none): set, the producer is transactional.
    public var transactionalId: String?
    /// `transaction.timeout.ms` (default 60000): the coordinator aborts a transaction open longer than this.
    public var transactionTimeoutMs: Int64 = 60_000

    /// The wait before retry number `attempts + 1` (`ExponentialBackoff.backoff(attempts)`, without jitter).
    public func retryBackoff(attempts: Int) -> Int64 {
        let initial = min(retryBackoffMaxMs, retryBackoffMs)
        guard retryBackoffMaxMs > initial else { return initial }
        var value = initial
        for _ in 0..<min(attempts, 62) where value < retryBackoffMaxMs { value *= 2 }
        return min(value, retryBackoffMaxMs)
    }

    public init() {}
}
