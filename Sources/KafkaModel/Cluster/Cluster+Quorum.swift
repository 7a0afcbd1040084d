/// The KRaft metadata quorum as `kafka-metadata-quorum.sh describe` shows it (DescribeQuorum, 4.0.0
/// `MetadataQuorumCommand`). kafkalab keeps no real `__cluster_metadata` log, so the numbers are derived,
/// deterministically and plausibly, from what it does keep:
///
/// - ClusterId: a Kafka-style 22-character Uuid drawn from the cluster's seed (its own generator, so topic ids
///   do not change), as `kafka-storage.sh random-uuid` would have given at format time.
/// - Voters: every node (`process.roles=broker,controller`), formatted as a dynamic quorum (`--standalone` /
///   `--initial-controllers`, kraft.version 1): each has a directory id (drawn from the seed) and the endpoint
///   `CONTROLLER://localhost:<broker port + 1000>` (9092 → 10092). No observers: combined nodes are voters.
/// - LeaderId: the active controller. LeaderEpoch: how many times a controller was elected (1 at start).
/// - HighWatermark: 1 bootstrap record, plus one record per metadata change (broker registration, fence and
///   unfence, topic creation with one record per partition, config change, leader and ISR change), plus the
///   controller's no-op record every `metadata.max.idle.interval.ms` (500 ms) of simulated time since start.
/// - A running voter has fetched up to the high watermark (LEO = HW, lag 0) just now; a stopped voter stopped
///   fetching when it was last fenced (else at the start): its LEO lacks the no-op records since then, and its
///   LastFetchTimestamp and LastCaughtUpTimestamp are that moment.
public struct QuorumInfo: Sendable, Equatable {
    public struct Replica: Sendable, Equatable {
        public let id: Int
        public let directoryId: String
        public let endpoint: String
        public let logEndOffset: Int64
        public let lastFetchTimestamp: Int64
        public let lastCaughtUpTimestamp: Int64
    }

    public let clusterId: String
    public let leaderId: Int
    public let leaderEpoch: Int
    public let highWatermark: Int64
    /// Voters by id (DescribeQuorum's order).
    public let voters: [Replica]
    public let observers: [Replica]

    public var leader: Replica { voters.first { $0.id == leaderId }! }
}

extension Cluster {
    /// `metadata.max.idle.interval.ms`: the controller appends a no-op record this often.
    public static let metadataMaxIdleIntervalMs: Int64 = 500

    /// The cluster's id, fixed by its seed.
    public var clusterId: String { Self.seededUuids(config.seed, count: 1)[0] }

    /// Twenty-two-character ids drawn from `seed` with a generator of their own.
    static func seededUuids(_ seed: UInt64, count: Int) -> [String] {
        var generator = SeededRandom(seed: seed ^ 0x6b72_6166_745f_6964)  // "kraft_id"
        var ids: [String] = []
        while ids.count < count {
            let text = KafkaUuid.base64(generator.nextUuidBytes())
            if !text.hasPrefix("-") { ids.append(text) }
        }
        return ids
    }

    /// The quorum as DescribeQuorum answers it; nil while there is no active controller (no quorum leader).
    public var quorumInfo: QuorumInfo? {
        guard let leaderId = controllerId else { return nil }
        let noOps = { (ms: Int64) in max(0, ms - self.config.startMs) / Self.metadataMaxIdleIntervalMs }
        let highWatermark = 1 + controller.metadataRecords + noOps(nowMs)
        let directoryIds = Self.seededUuids(config.seed, count: brokers.count + 1).dropFirst()
        var voters: [QuorumInfo.Replica] = []
        var observers: [QuorumInfo.Replica] = []
        let voterIds = Set(controllerIds)
        for (broker, directoryId) in zip(brokers, directoryIds).sorted(by: { $0.0.id < $1.0.id }) {
            var leo = highWatermark, fetched = nowMs
            if !broker.isAlive {
                fetched = lastFencedMs(broker.id) ?? config.startMs
                leo = max(0, highWatermark - (noOps(nowMs) - noOps(fetched)))
            }
            let replica = QuorumInfo.Replica(id: broker.id, directoryId: directoryId, endpoint: "CONTROLLER://\(broker.host):\(broker.port + 1000)",
                                              logEndOffset: leo, lastFetchTimestamp: fetched, lastCaughtUpTimestamp: fetched)
            // Brokers that are not voters (`--controllers N`) fetch the metadata log as observers.
            if voterIds.contains(broker.id) { voters.append(replica) } else { observers.append(replica) }
        }
        return QuorumInfo(clusterId: clusterId, leaderId: leaderId, leaderEpoch: controller.controllerElections, highWatermark: highWatermark,
                          voters: voters, observers: observers)
    }

    /// When the broker was last fenced, if the event log still holds it.
    private func lastFencedMs(_ id: Int) -> Int64? {
        events.last { if case .brokerFenced(id) = $0.kind { return true } else { return false } }?.timestampMs
    }
}
