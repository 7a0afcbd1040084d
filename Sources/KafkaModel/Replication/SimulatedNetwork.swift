/// The links between brokers: a latency for every message and the brokers cut off from the others
/// (`network isolate`). Clients sit beside the brokers: their requests are answered in the same instant and reach
/// even an isolated broker — which is how a zombie leader keeps acknowledging `acks=1` writes.
public struct SimulatedNetwork: Sendable, Equatable {
    /// One-way delay of every broker-to-broker message (replica fetches and their answers).
    public var latencyMs: Int64 = 1
    /// Brokers cut off from every other broker and from the controller.
    public internal(set) var isolated: Set<Int> = []
    /// Faults armed on the produce path between clients and a broker (`network drop-requests|drop-responses`).
    public internal(set) var clientFaults: [Int: ClientFaults] = [:]
    /// `acks=all` produces waiting in a purgatory whose answer a fault will lose on its way back.
    var lostAnswers: Set<RequestContext> = []
    /// Answers slowed down by `network delay`, by the id of their arrival timer.
    var answersInTransit: [Int: AnswerInTransit] = [:]
    var nextAnswerId = 0

    public init() {}

    /// Whether a message from `a` reaches `b`.
    public func connects(_ a: Int, _ b: Int) -> Bool {
        a == b || (!isolated.contains(a) && !isolated.contains(b))
    }
}

/// A replica fetcher (Kafka's `ReplicaFetcherThread`, one per follower broker and leader broker as
/// `num.replica.fetchers=1`): one Fetch request at a time for every partition the follower copies from that leader.
struct ReplicaFetcher: Sendable, Equatable {
    /// Follower and leader broker.
    struct Key: Sendable, Hashable, Comparable {
        let follower: Int
        let leader: Int
        static func < (a: Key, b: Key) -> Bool { (a.follower, a.leader) < (b.follower, b.leader) }
    }

    enum State: Sendable, Equatable {
        /// A request will be sent at this time (after a backoff, or a slow broker's delay).
        case sending(atMs: Int64)
        /// A request is on its way or its answer is.
        case inFlight(request: Int)
        /// The leader holds the request until it has data (`replica.fetch.wait.max.ms`); `expiryScheduled` when
        /// the leader has something newer to say (a high watermark) and will answer at the wait's end.
        case parked(request: Int, sinceMs: Int64, expiryScheduled: Bool)
    }

    var state: State
}

/// One partition of a Fetch request from a follower: where its log ends and the epoch of its last batch.
struct FetchPartition: Sendable, Equatable {
    let fetchOffset: Int64
    let lastFetchedEpoch: Int32
    let currentLeaderEpoch: Int
}

/// A follower's Fetch request in flight.
struct ReplicaFetchRequest: Sendable, Equatable {
    let id: Int
    let key: ReplicaFetcher.Key
    let partitions: [TopicPartition: FetchPartition]
}

/// The leader's answer for one partition.
struct FetchPartitionResponse: Sendable, Equatable {
    var error: KafkaError?
    var highWatermark: Int64 = 0
    var logStartOffset: Int64 = 0
    var bytes: [UInt8] = []
    /// Set when the follower's tail diverged: the epoch and the offset its log must end at.
    var divergingEpoch: (epoch: Int32, endOffset: Int64)?

    static func == (a: Self, b: Self) -> Bool {
        a.error == b.error && a.highWatermark == b.highWatermark && a.logStartOffset == b.logStartOffset && a.bytes == b.bytes
            && a.divergingEpoch?.epoch == b.divergingEpoch?.epoch && a.divergingEpoch?.endOffset == b.divergingEpoch?.endOffset
    }
}

/// An `acks=all` produce waiting in the leader's purgatory (Kafka's `DelayedProduce`) until the high watermark
/// passes its batch, the leader loses the partition, or `request.timeout.ms` passes.
struct DelayedProduce: Sendable, Equatable {
    let id: Int
    /// Who sent the request, and its correlation id: where the answer goes (`Cluster.deliver(_:to:)`).
    let context: RequestContext
    let partition: TopicPartition
    let leader: Int
    let leaderEpoch: Int
    let firstOffset: Int64
    /// The high watermark that acknowledges it: one past the batch's last offset.
    let requiredOffset: Int64
    let records: Int
    let sentMs: Int64
}
