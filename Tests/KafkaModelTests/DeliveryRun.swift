@testable import KafkaModel

/// One delivery checker schedule: the cluster, its clients, the ledger of what the API answered, and the checks.
struct DeliveryRun {
    typealias Options = DeliveryCheckerTests.Options
    let seed: UInt64
    let options: Options
    let cluster: Cluster
    var rng: SplitMix
    var ledger = DeliveryLedger()
    var violations: [String] = []
    var sequence = 0
    /// Current instance of each transactional id's producer ("tx" writes `t`, "px" the pipeline's `out`), and how
    /// many instances each had; nil until an instance initialized.
    var instance: [String: String] = [:]
    var instances: [String: Int] = [:]
    /// The idempotent producer's current instance: a crashed one is replaced by a new one (a new producer id).
    var idempotent = "idem"
    /// Where the pipeline's unprocessed `recordConsumed` events start.
    var pipelineMark = 0

    static let readers = ["rc1", "rc2"]

    /// Short timeouts keep a schedule's simulated time (which costs real time) short: a lost answer is retried after
    /// 5 s, a call without a coordinator gives up after 10 s.
    static let producerConfig: ProducerConfig = {
        var config = ProducerConfig()
        config.requestTimeoutMs = 5_000
        config.maxBlockMs = 10_000
        return config
    }()

    init(seed: UInt64, options: Options) {
        self.seed = seed
        self.options = options
        rng = SplitMix(seed: seed)
        cluster = Cluster(config: ClusterConfig(brokers: DeliveryCheckerTests.brokers, seed: seed))
        cluster.testOnlyPlantedBug = options.plantedBug
    }

    mutating func fail(_ text: String) {
        violations.append("seed \(seed) at \(cluster.nowMs - cluster.config.startMs) ms: \(text)")
        if options.trace { print("VIOLATION", text) }
    }

    // MARK: - Setup

    mutating func setUp() throws {
        for topic in ["t", "in", "out"] {
            try cluster.createTopic(topic, partitions: topic == "t" ? 2 : 1, replicationFactor: 3, configs: ["min.insync.replicas": "2"])
        }
        var config = Self.producerConfig
        config.lingerMs = rng.likely(50) ? 0 : 5
        try cluster.startProducer(idempotent, config: config)
        try cluster.startProducer("feed", config: config)
        config.enableIdempotence = false
        try cluster.startProducer("plain", config: config)
        for name in Self.readers {
            try consumer(name, group: "readers", topic: "t", autoCommit: false)
        }
        try consumer("pipe", group: DeliveryCheckerTests.pipelineGroup, topic: "in", autoCommit: false)
    }

    func consumer(_ name: String, group: String, topic: String, autoCommit: Bool) throws {
        var config = ConsumerConfig()
        config.groupId = group
        config.topics = [topic]
        config.autoOffsetReset = .earliest
        config.isolationLevel = "read_committed"
        config.enableAutoCommit = autoCommit
        // Every record a poll returns is reported (a recordConsumed event) below 50 a poll.
        config.maxPollRecords = 40
        // The long poll wakes on new records; a slower loop only saves the simulation empty polls.
        config.pollEveryMs = 1_000
        try cluster.startConsumer(name, config: config)
    }

    /// The current instance of `id`'s transactional producer, starting and initializing a new one when there is none.
    mutating func transactional(_ id: String) -> String? {
        if let name = instance[id] { return name }
        let n = instances[id, default: 0] + 1
        let name = "\(id)#\(n)"
        var config = Self.producerConfig
        config.transactionalId = id
        config.transactionTimeoutMs = 20_000
        config.lingerMs = 0
        do {
            if cluster.producers[name] == nil {
                instances[id] = n
                try cluster.startProducer(name, config: config)
            }
            try cluster.initTransactions(producer: name)
        } catch {
            // Not initialized (no coordinator): this instance is dropped and the next call starts another.
            instance[id] = nil
            return nil
        }
        // InitProducerId aborted every earlier instance's open transaction.
        for old in 1..<n { ledger.end("\(id)#\(old)", .aborted) }
        instance[id] = name
        return name
    }

    /// The producer instance crashes: it is never called again (its batches in flight may still retry, as a zombie's).
    mutating func crash(_ id: String) {
        instance[id] = nil
    }

    /// The idempotent producer crashes without flushing and a new process starts one (with a new producer id).
    mutating func crashIdempotent() throws {
        idempotent = "idem#\(cluster.producers.keys.filter { $0.hasPrefix("idem") }.count)"
        try cluster.startProducer(idempotent, config: Self.producerConfig)
    }

    mutating func nextValue() -> String {
        sequence += 1
        return "v\(seed)-\(sequence)"
    }

    mutating func send(_ producer: String, _ tp: TopicPartition, _ value: String) throws {
        let receipt = try cluster.send(producer: producer, topic: tp.topic, partition: tp.partition, key: nil, value: Array(value.utf8))
        ledger.record(value, producer: producer, receipt: receipt)
    }

    /// commitTransaction (or abortTransaction); a failed commit is followed by an abort, as applications do.
    mutating func end(_ name: String, commit: Bool) {
        ledger.endCalled(name, atMs: cluster.nowMs)
        do {
            try cluster.endTransaction(producer: name, commit: commit)
            ledger.end(name, commit ? .committed : .aborted)
            return
        } catch {
            if options.trace { print("  end(\(commit)) of \(name) threw \(error)") }
        }
        do {
            try cluster.endTransaction(producer: name, commit: false)
            // The coordinator took the abort: whatever failed in the commit came before its PrepareCommit.
            ledger.end(name, .aborted)
        } catch {
            ledger.end(name, .unknown)
            if let id = cluster.producers[name]?.config.transactionalId { crash(id) }
        }
    }
}

extension SplitMix {
    /// 0..<n.
    mutating func roll(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func likely(_ percent: Int) -> Bool { roll(100) < percent }
}
