#if os(Linux)
/// glibc's `malloc_trim`: gives freed heap pages back to the system (`malloc.h` is not in the Glibc module).
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif

/// The simulated Kafka cluster: brokers, the KRaft controller (`QuorumController`, which owns the metadata: topics,
/// partitions, leaders, ISR, broker registrations), simulated time with its timers, one seeded random generator,
/// and the event log every change is written to.
///
/// Every mutating operation validates first and then acts, so a thrown error leaves the
/// cluster exactly as it was.
public final class Cluster {
    /// Timers the cluster schedules for itself on simulated time.
    public enum Timer: Sendable, Equatable {
        /// The controller's periodic preferred-leader check (`auto.leader.rebalance.enable`).
        case leaderImbalanceCheck
        /// The controller's periodic unclean election for leaderless partitions (`unclean.leader.election.interval.ms`).
        case uncleanLeaderElectionCheck
        /// The broker's retention pass (`log.retention.check.interval.ms`).
        case logRetentionCheck
        /// The log cleaner's look for compacted logs to clean (`log.cleaner.backoff.ms`).
        case logCleanerCheck
        /// A producer's oldest waiting batch reached `linger.ms`.
        case producerLinger(producer: String)
        /// A producer's retrying batch may be sent again, or reaches `delivery.timeout.ms`.
        case producerRetry(producer: String)
        /// A consumer's application loop calls `poll()` (see `Cluster+Consumers.swift`).
        case consumerPoll(consumer: String, token: Int)
        /// A consumer's heartbeat thread wakes (`heartbeat.interval.ms`).
        case consumerHeartbeat(consumer: String, incarnation: Int)
        /// An asynchronous offset commit gets its answer.
        case asyncCommitAnswer(id: Int)
        /// A group timer (`GroupTimer`) falls due; `key` is "group|timer key".
        case group(key: String)
        /// A step of a follower's replica fetch (`request` is -1 for a send).
        case replicaFetch(follower: Int, leader: Int, request: Int, step: ReplicaFetchStep)
        /// The leaders' `isr-expiration` task.
        case isrExpiration
        /// An `acks=all` produce reaches `request.timeout.ms` in the leader's purgatory.
        case delayedProduceExpired(id: Int)
        /// A completed `acks=all` produce's response reaches the producer.
        case delayedProduceAnswered(id: Int)
        /// A crashed or cut-off broker's session may have run out.
        case brokerSessionExpired(broker: Int)
        /// A produce answer slowed down by `network delay` reaches its producer.
        case produceAnswerArrives(id: Int)
        /// The transaction coordinators' `transaction-abort` task (`Cluster+Transactions.swift`).
        case transactionAbortTimedOut
        /// Markers a coordinator could not write yet are sent again (`Cluster+TxnMarkerRetry.swift`).
        case txnMarkersRetry
    }

    /// `log.retention.check.interval.ms` (5 minutes).
    public static let logRetentionCheckIntervalMs: Int64 = 300_000
    /// `log.initial.task.delay.ms` (30 seconds): the retention task first runs this long after the broker starts.
    public static let logInitialTaskDelayMs: Int64 = 30_000
    /// `log.cleaner.backoff.ms` (15 seconds).
    public static let logCleanerBackoffMs: Int64 = 15_000

    public let config: ClusterConfig
    public internal(set) var clock: VirtualClock
    public internal(set) var scheduler = Scheduler<Timer>()
    public var random: SeededRandom
    /// The KRaft controller: the metadata and every change to it.
    public let controller: QuorumController
    /// Every node as the controller registered it (`controller.brokers`).
    public var brokers: [Broker] { controller.brokers }
    /// Topics by name (`controller.topics`).
    public var topics: [String: Topic] { controller.topics }
    /// Every event so far, oldest first.
    public private(set) var events: [ClusterEvent] = []

    /// Skip idle rounds of long ticks in one step (`Cluster+IdleTime.swift`); off only to compare with stepping.
    public var idleSkipping = true

    /// Asked between timers whether the learner pressed Ctrl-C: a long `tick` then stops at that safe
    /// point, every state consistent, the clock where it got. Set by the shell; nil never interrupts.
    public var interruptProbe: (() -> Bool)?
    /// Where the last interrupted `advance` stopped (and where it was going); cleared by `takeInterruption()`.
    public private(set) var interruption: (stoppedMs: Int64, targetMs: Int64)?

    /// How many of the oldest events were let go to bound memory (`discardEvents`); sequence numbers go on.
    public private(set) var discardedEventCount = 0

    /// Lets the oldest events go so that `keep` remain. Only between commands: indices into `events`
    /// held during a command stay valid.
    public func discardEvents(keepingLast keep: Int) {
        guard events.count > keep else { return }
        let drop = events.count - keep
        // A new array of the kept events, not `removeFirst`, which would keep (and keep resident) the capacity the
        // log grew to; then the freed memory goes back to the system. This runs only after a command that made
        // many events (1.25 × `keep`), so the trim's cost is rare.
        events = Array(events[drop...])
        discardedEventCount += drop
        #if os(Linux)
        _ = mallocTrim(0)
        #endif
    }

    /// The last interruption, forgotten once read.
    public func takeInterruption() -> (stoppedMs: Int64, targetMs: Int64)? {
        defer { interruption = nil }
        return interruption
    }
    /// The partition logs and the log directory.
    public let logManager: LogManager
    /// Producer clients by name.
    public internal(set) var producers: [String: KafkaProducer] = [:]
    /// Consumer clients by name.
    public internal(set) var consumers: [String: KafkaConsumer] = [:]
    /// How many consumers were started (their ordinals).
    var consumersStarted = 0
    /// The group coordinator's groups, committed offsets and timers.
    public internal(set) var groupCoordinator = GroupCoordinator()
    /// The transaction coordinators' metadata of every transactional id (`Cluster+Transactions.swift`).
    public internal(set) var transactionCoordinator = TransactionCoordinator()
    /// When the `transaction-abort` task runs next, while it is armed.
    var transactionAbortTimerDue: Int64?
    /// Offsets sent to open transactions (TxnOffsetCommit), by producer id and group, until their marker lands.
    /// Markers of ended transactions not yet written (their partition had no leader, or refused): by transactional id.
    public internal(set) var pendingTxnMarkers: [String: PendingTxnMarkers] = [:]
    /// When the marker retry timer is armed.
    var txnMarkersRetryDue: Int64?
    public internal(set) var pendingTransactionalOffsets: [Int64: [String: [TopicPartition: OffsetAndMetadata]]] = [:]
    /// Each broker's replicas (`Replication/`).
    public internal(set) var replicaManagers: [Int: ReplicaManager] = [:]
    /// Broker-to-broker latency and cut links.
    public internal(set) var network = SimulatedNetwork()
    /// Replica fetchers by follower and leader, their requests and the answers on their way.
    var fetchers: [ReplicaFetcher.Key: ReplicaFetcher] = [:]
    var fetchRequests: [Int: ReplicaFetchRequest] = [:]
    var fetchResponses: [Int: [TopicPartition: FetchPartitionResponse]] = [:]
    var nextFetchRequestId = 0
    /// `acks=all` produces waiting for their high watermark.
    var delayedProduces: [Int: DelayedProduce] = [:]
    /// Completed ones whose response is on its way (delivered by a timer due at once).
    var delayedProduceAnswers: [Int: Result<Int64, KafkaError>] = [:]
    var nextDelayedProduceId = 0
    /// `broker slow`: each slowed broker's wait before a fetch.
    public internal(set) var fetchDelays: [Int: Int64] = [:]
    /// Brokers that crashed (`broker kill`) and were not started again.
    public var crashedBrokers: Set<Int> { controller.crashedBrokers }
    /// Why the log directory could not be used (the cluster then keeps its logs in memory).
    public private(set) var storageProblem: String?
    /// Why the last write of the metadata file failed (kept until a write succeeds), or nil.
    public internal(set) var metadataProblem: String?
    /// Topics restored from the log directory's metadata file when the cluster opened.
    public private(set) var restoredTopics: [String] = []
    /// Groups whose committed offsets were read back from `__consumer_offsets` when the cluster opened.
    public internal(set) var restoredGroups: [String] = []
    /// While the cluster opens: nothing is written (a read-only look changes nothing).
    private(set) var loading = true
    private var metadataDeferrals = 0
    /// The next producer id `InitProducerId` hands out (the controller allocates them from 0; `allocateProducerIds`).
    var nextProducerId: Int64 {
        get { controller.nextProducerId }
        set { controller.setNextProducerId(newValue) }
    }
    private var metadataChanged = false
    /// Requests each broker's `KafkaApis` has handled, by API (Kafka's `RequestsPerSec` metric, per broker).
    public internal(set) var requestCounts: [Int: [ApiKey: Int]] = [:]
    /// Responses answered after their request for wire-protocol connections, until the server writes them.
    public internal(set) var pendingConnectionResponses: [ConnectionResponse] = []
    /// Answers to parked JoinGroups/SyncGroups on their way to their clients, in the order the coordinator gave them.
    var parkedResponseQueue: [(client: RequestContext, response: ParkedGroupResponse)] = []
    var deliveringParkedResponses = false
    /// A deliberate bug the replication checker must catch (tests only; nil in every real run).
    var testOnlyPlantedBug: PlantedBug?

    public init(config: ClusterConfig = ClusterConfig()) {
        var config = config
        var problem: String?
        var manager: LogManager
        var metadata: ClusterMetadataFile?
        do throws(LogError) {
            manager = try LogManager(storage: config.logStorage)
            metadata = try manager.readMetadata()
        } catch {
            // Nothing of the folder is used (or written): the shell reports the problem and exits.
            problem = error.description
            manager = try! LogManager(storage: .memory)
            metadata = nil
        }
        self.logManager = manager
        self.storageProblem = problem
        if let metadata {
            config.brokerIds = metadata.brokerIds
            config.controllerCount = metadata.controllers
            config.startMs = metadata.clockMs
        }
        self.config = config
        self.clock = VirtualClock(startMs: config.startMs)
        self.random = SeededRandom(seed: config.seed)
        let brokers = config.brokerIds.enumerated().map { index, id in
            Broker(id: id, host: "localhost", port: config.basePort + index)
        }
        self.controller = QuorumController(brokers: brokers, controllerCount: config.controllerCount, startMs: config.startMs)
        emit(controller.bootstrap())
        if config.autoLeaderRebalanceEnable {
            scheduler.schedule(at: clock.nowMs + config.leaderImbalanceCheckIntervalMs, .leaderImbalanceCheck)
        }
        scheduler.schedule(at: clock.nowMs + Self.uncleanLeaderElectionIntervalMs, .uncleanLeaderElectionCheck)
        scheduler.schedule(at: clock.nowMs + Self.logInitialTaskDelayMs, .logRetentionCheck)
        scheduler.schedule(at: clock.nowMs + Self.logCleanerBackoffMs, .logCleanerCheck)
        scheduler.schedule(at: clock.nowMs + Self.isrExpirationIntervalMs, .isrExpiration)
        if let metadata {
            restore(metadata)
            restoredGroups = loadOffsets().keys.sorted(by: JavaString.lessThan)
            loadTransactionState()
        }
        loading = false
        // Nothing is written on opening: the metadata file changes only when the cluster does.
    }

    /// Reopens the topics of a metadata file and recovers their logs (events report truncations).
    private func restore(_ metadata: ClusterMetadataFile) {
        var highWatermarkCheckpoints: [Int: [TopicPartition: Int64]] = [:]
        for entry in metadata.topics {
            let states = entry.partitions.map {
                PartitionState(replicas: $0.replicas, leader: $0.leader ?? $0.replicas.first,
                               isr: $0.isr.isEmpty ? $0.replicas : $0.isr, leaderEpoch: $0.leaderEpoch)
            }
            let topic = Topic(name: entry.name, topicId: entry.topicId, partitions: states, configOverrides: entry.configs)
            controller.restore(topic)
            for (index, partition) in entry.partitions.enumerated() {
                let tp = TopicPartition(entry.name, index)
                let state = states[index]
                for b in [state.leader ?? state.replicas[0]] + state.replicas where replica(tp, on: b) == nil {
                    if b == (state.leader ?? state.replicas[0]) { logManager.adoptUnreplicatedFolder(tp, leader: b) }
                    do throws(LogError) {
                        let (log, logEvents) = try logManager.openLog(tp, broker: b, config: LogConfig(topic: topic), nowMs: nowMs,
                                                                      logStartOffset: partition.logStartOffset,
                                                                      cleanerCheckpoint: partition.cleanerCheckpoint)
                        addReplica(tp, broker: b, log: log)
                        emit(logEvents, partition: tp, reportAppend: false)
                    } catch {
                        storageProblem = "\(tp): \(error)"
                    }
                }
                // Reopened, a replica's high watermark is its broker's `replication-offset-checkpoint` entry, else
                // what all in-sync replicas surely have.
                let isrLogs = state.isr.compactMap { replica(tp, on: $0)?.log }
                let hw = isrLogs.map(\.logEndOffset).min() ?? 0
                for r in replicas(of: tp) {
                    if highWatermarkCheckpoints[r.brokerId] == nil {
                        highWatermarkCheckpoints[r.brokerId] = logManager.readCheckpoint(broker: r.brokerId, name: LogManager.replicationOffsetCheckpointFile) ?? [:]
                    }
                    r.log.setHighWatermark(highWatermarkCheckpoints[r.brokerId]![tp] ?? hw)
                }
            }
            restoredTopics.append(entry.name)
        }
        syncReplicas()
    }

    // MARK: - Reading

    public var nowMs: Int64 { clock.nowMs }

    /// The active KRaft controller, nil while fewer than a majority of the controller quorum run. kafkalab runs
    /// combined nodes (`process.roles=broker,controller`): every broker is a voter. A new controller is elected
    /// (the lowest running id) only when the active one stops; it stays when others come back.
    public var controllerId: Int? { controller.activeController }

    /// Brokers the controller fenced (stopped, and recorded as such while there was a quorum).
    public var fencedBrokers: Set<Int> { controller.fencedBrokers }

    /// How many running voters the controller quorum needs: a majority of all nodes.
    public var quorumMajority: Int { controller.quorumMajority }

    /// The controller-quorum voters: every node, or the first `--controllers N`.
    public var controllerIds: [Int] { controller.voterIds }

    /// Why metadata cannot change now (no active controller), or nil.
    public var metadataFrozenReason: String? { controller.metadataFrozenReason }

    /// What brings the quorum back: starting a stopped voter (every node, unless `--controllers N`).
    public var quorumRestoreHint: String { controller.quorumRestoreHint }

    /// Throws while metadata is frozen: the change needs the controller.
    func requireController() throws(KafkaError) {
        try controller.requireQuorum()
    }

    public var liveBrokerIds: [Int] { brokers.filter(\.isAlive).map(\.id) }

    /// Topic names, sorted.
    public var topicNames: [String] { topics.keys.sorted() }

    public func broker(_ id: Int) -> Broker? { brokers.first { $0.id == id } }

    /// The topic, or Kafka's `UNKNOWN_TOPIC_OR_PARTITION`.
    public func topic(_ name: String) throws(KafkaError) -> Topic {
        try controller.existingTopic(name)
    }

    // MARK: - Topics

    /// Creates a topic as the KRaft controller does. Returns warnings to show (Kafka's
    /// `.`/`_` collision warning) on success.
    @discardableResult
    public func createTopic(
        _ name: String, partitions: Int? = nil, replicationFactor: Int? = nil,
        configs: [String: String] = [:], validateOnly: Bool = false
    ) throws(KafkaError) -> [String] {
        let partitionCount = partitions ?? config.numPartitions
        let factor = replicationFactor ?? config.defaultReplicationFactor
        guard let result = try controller.createTopics(name, partitions: partitionCount, replicationFactor: factor, configs: configs,
                                                       validateOnly: validateOnly, newTopicId: newTopicId)
        else { return warnings(for: name) }
        let topic = result.response
        let setAsideBefore = logManager.setAside.count
        try openLogs(of: topic, partitions: 0..<partitionCount, fresh: true)
        try commitMetadata(result.image) {
            logManager.deleteLogs(topic: name)
            for p in 0..<partitionCount { removeReplicas(TopicPartition(name, p)) }
        }
        controller.replay(result)
        emit(result.delta)
        syncReplicas()
        return warnings(for: name) + logManager.setAside[setAsideBefore...].map {
            "Note: an old folder \($0.folder) that no topic owned was moved aside to \($0.movedTo) (its records are not part of the new topic)."
        }
    }

    private func warnings(for name: String) -> [String] {
        TopicName.hasCollisionChars(name) ? [TopicName.collisionWarning] : []
    }

    private func newTopicId() -> String {
        // Kafka's Uuid.randomUuid() redraws ids whose text starts with '-', and the reserved zero/one ids.
        while true {
            let text = KafkaUuid.base64(random.nextUuidBytes())
            if !text.hasPrefix("-") { return text }
        }
    }

    /// Deletes a topic. Internal topics cannot be deleted.
    public func deleteTopic(_ name: String) throws(KafkaError) {
        let result = try controller.deleteTopics(name)
        // The metadata file forgets the topic before its folders go: a crash in between leaves stale folders
        // (moved aside if a topic of that name is created again), never a topic without its logs.
        try commitMetadata(result.image) {}
        controller.replay(result)
        logManager.deleteLogs(topic: name)
        for p in 0..<result.response.partitions.count { removeReplicas(TopicPartition(name, p)) }
        syncReplicas()
        for (producerName, producer) in producers where producer.accumulator.batches.keys.contains(where: { $0.topic == name }) {
            _ = producer
            sendReady(producer: producerName, flush: true)
        }
        emit(result.delta)
    }

    /// Grows a topic to `totalCount` partitions (Kafka's `CreatePartitions`).
    public func createPartitions(_ name: String, totalCount: Int) throws(KafkaError) {
        let result = try controller.createPartitions(name, totalCount: totalCount)
        let added = result.response
        try openLogs(of: result.image.topics[name]!, partitions: added, fresh: true)
        try commitMetadata(result.image) {
            for index in added {
                logManager.deleteLog(TopicPartition(name, index))
                removeReplicas(TopicPartition(name, index))
            }
        }
        controller.replay(result)
        emit(result.delta)
        syncReplicas()
    }

    /// Sets and removes topic config overrides, all or nothing (`IncrementalAlterConfigs`).
    public func alterTopicConfig(_ name: String, set: [String: String], delete: [String] = []) throws(KafkaError) {
        let result = try controller.incrementalAlterConfigs(name, set: set, delete: delete)
        try commitMetadata(result.image) {}
        controller.replay(result)
        emit(result.delta)
        let logConfig = LogConfig(topic: result.response)
        for index in result.response.partitions.indices {
            for replica in replicas(of: TopicPartition(name, index)) { replica.log.config = logConfig }
        }
    }

    /// Creates the (empty) logs of new partitions; nothing changes if one cannot be created.
    private func openLogs(of topic: Topic, partitions: Range<Int>, fresh: Bool) throws(KafkaError) {
        let logConfig = LogConfig(topic: topic)
        for index in partitions {
            let tp = TopicPartition(topic.name, index)
            do throws(LogError) {
                for b in topic.partitions[index].replicas {
                    let (log, _) = try logManager.openLog(tp, broker: b, config: logConfig, nowMs: nowMs, fresh: fresh)
                    addReplica(tp, broker: b, log: log)
                }
            } catch {
                for created in partitions where created <= index {
                    logManager.deleteLog(TopicPartition(topic.name, created))
                    removeReplicas(TopicPartition(topic.name, created))
                }
                throw KafkaError(error)
            }
        }
    }

    // MARK: - Brokers

    /// Stops a broker: the controller fences it, drops it from every ISR and moves the
    /// leadership it held to another in-sync replica. When the stop leaves fewer than a majority of the
    /// controller quorum running, there is no controller to do so: metadata stays as it was (frozen).
    public func stopBroker(_ id: Int) throws(KafkaError) {
        guard let broker = broker(id) else {
            throw .brokerNotAvailable("Broker \(id) does not exist. Brokers: \(brokers.map { String($0.id) }.joined(separator: ", ")).")
        }
        guard broker.isAlive else {
            throw .brokerNotAvailable("Broker \(id) is already stopped.")
        }
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        controller.processBrokerStop(id)
        quorumChanged()
    }

    /// After a node stopped or started, or was cut off or healed: the controller loses or elects the active controller,
    /// fences the stopped brokers and unfences the running ones it has not yet recorded; the brokers learn the result.
    func quorumChanged() {
        emit(controller.quorumChanged(unreachable: network.isolated))
        syncReplicas()
    }

    /// Starts a stopped broker: it is unfenced, catches up and rejoins the ISR. A partition with no
    /// leader elects it when it was the last in-sync replica; the partition's running followers then
    /// catch up from it and rejoin the ISR too. When it brings back a majority of the quorum, a controller
    /// is elected and first fences the brokers that stopped while metadata was frozen.
    public func startBroker(_ id: Int) throws(KafkaError) {
        guard let broker = broker(id) else {
            throw .brokerNotAvailable("Broker \(id) does not exist. Brokers: \(brokers.map { String($0.id) }.joined(separator: ", ")).")
        }
        guard !broker.isAlive else {
            throw .brokerNotAvailable("Broker \(id) is already running.")
        }
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        // A crashed broker back before its session expired registers anew: the controller treats the new
        // incarnation like a fenced broker (`handleBrokerShutdown`), out of every ISR and leadership, since its
        // log may have lost what it acknowledged; it rejoins the ISR once it has caught up.
        let reregisters = controller.registerBroker(id, nowMs: nowMs)
        quorumChanged()
        if reregisters && controllerId != nil && !fencedBrokers.contains(id) {
            emit(controller.fenceBroker(id))
            quorumChanged()
        }
    }

    /// Elects the preferred leader where it is alive and in sync (at most `limit` partitions); returns how many moved
    /// (none while metadata is frozen).
    @discardableResult
    public func electPreferredLeaders(only broker: Int? = nil, limit: Int = .max) -> Int {
        guard controllerId != nil else { return 0 }
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        let (moved, delta) = controller.electPreferredLeaders(only: broker, limit: limit)
        emit(delta)
        if moved > 0 { syncReplicas() }
        return moved
    }

    // MARK: - Time

    /// Advances simulated time by `durationMs`, firing every timer that falls due, in order.
    public func advance(byMs durationMs: Int64) {
        advance(byMs: durationMs, reportsClock: true)
    }

    /// `advance(byMs:)`; without `reportsClock` no `ClockAdvanced` event is written (a tool that moves time in
    /// many small steps reports the whole span once, with `reportClockAdvanced`).
    public func advance(byMs durationMs: Int64, reportsClock: Bool) {
        precondition(durationMs >= 0)
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        let target = clock.nowMs + durationMs
        let from = clock.nowMs
        var fired = 0
        // Idle rounds are skipped when they can be; after a failed try, the next one waits longer (1 min … 1 h).
        var skipBackoff: Int64 = 60_000
        var nextSkipTry = clock.nowMs
        while true {
            if idleSkipping && clock.nowMs >= nextSkipTry && target - clock.nowMs > 2 * Self.idleSkipMarginMs {
                if skipIdleTime(until: target) {
                    skipBackoff = 60_000
                    nextSkipTry = clock.nowMs + Self.idleSkipMarginMs
                } else {
                    nextSkipTry = clock.nowMs + skipBackoff
                    skipBackoff = min(skipBackoff * 2, 3_600_000)
                }
            }
            guard let timer = scheduler.popDue(notAfter: target) else { break }
            clock.advance(to: max(clock.nowMs, timer.dueMs))
            fire(timer.task)
            fired += 1
            // Between two timers every state is consistent: a safe point to stop on Ctrl-C.
            if fired & 255 == 0, let probe = interruptProbe, probe() {
                interruption = (clock.nowMs, target)
                if reportsClock { emit(.clockAdvanced(fromMs: from, toMs: clock.nowMs)) }
                return
            }
        }
        clock.advance(to: target)
        if reportsClock { emit(.clockAdvanced(fromMs: from, toMs: target)) }
    }

    /// Writes the `ClockAdvanced` event for time moved quietly since `fromMs`.
    public func reportClockAdvanced(fromMs: Int64) {
        emit(.clockAdvanced(fromMs: fromMs, toMs: nowMs))
    }

    private func fire(_ timer: Timer) {
        switch timer {
        case .leaderImbalanceCheck:
            // The controller's periodic `electPreferred` task; when it hit its cap it runs again 10 ms later.
            let capped = controllerId != nil
                && electPreferredLeaders(limit: config.maxElectionsPerImbalance) >= config.maxElectionsPerImbalance
            scheduler.schedule(at: clock.nowMs + (capped ? 10 : config.leaderImbalanceCheckIntervalMs), .leaderImbalanceCheck)
        case .uncleanLeaderElectionCheck:
            runUncleanLeaderElections()
            scheduler.schedule(at: clock.nowMs + Self.uncleanLeaderElectionIntervalMs, .uncleanLeaderElectionCheck)
        case .logRetentionCheck:
            runRetention()
            scheduler.schedule(at: clock.nowMs + Self.logRetentionCheckIntervalMs, .logRetentionCheck)
        case .logCleanerCheck:
            _ = try? runCleaner()
            scheduler.schedule(at: clock.nowMs + Self.logCleanerBackoffMs, .logCleanerCheck)
        case .producerLinger(let producer):
            lingerExpired(producer: producer)
        case .producerRetry(let producer):
            retryTimerFired(producer: producer)
        case .consumerPoll, .consumerHeartbeat, .asyncCommitAnswer, .group:
            fireConsumerTimer(timer)
        case let .replicaFetch(follower, leader, request, step):
            fireReplicaFetch(follower: follower, leader: leader, request: request, step: step)
        case .isrExpiration:
            fireIsrExpiration()
        case .delayedProduceExpired(let id):
            delayedProduceExpired(id)
        case .delayedProduceAnswered(let id):
            delayedProduceAnswered(id)
        case .brokerSessionExpired(let broker):
            brokerSessionExpired(broker)
        case .produceAnswerArrives(let id):
            produceAnswerArrived(id)
        case .transactionAbortTimedOut:
            transactionAbortTaskFired()
        case .txnMarkersRetry:
            retryPendingTxnMarkers()
        }
    }

    // MARK: - Events

    func emit(_ kind: ClusterEvent.Kind) {
        events.append(ClusterEvent(sequence: discardedEventCount + events.count, timestampMs: clock.nowMs, kind: kind))
        if !consumers.isEmpty { consumersObserve(kind) }
        if !loading, logManager.keepsMetadata, Self.changesMetadata(kind) {
            if metadataDeferrals > 0 { metadataChanged = true } else { writeMetadataNoting() }
        }
    }

    /// Writes what the controller changed, in order, and starts the session checks it asked for. A
    /// `__consumer_offsets` partition with a new leader moves its groups to that coordinator.
    func emit(_ delta: MetadataDelta) {
        for entry in delta.entries {
            switch entry {
            case let .record(kind, previousLeader):
                emit(kind)
                if case let .leaderElected(tp, leader, _, _) = kind, tp.topic == GroupCoordinator.offsetsTopic {
                    offsetsPartitionLeaderChanged(tp.partition, from: previousLeader, to: leader)
                }
                if case let .leaderElected(tp, leader, _, _) = kind, tp.topic == TransactionCoordinator.transactionStateTopic {
                    transactionStatePartitionLeaderChanged(tp.partition, from: previousLeader, to: leader)
                }
                if case let .leaderElected(tp, leader, _, _) = kind, leader != nil, !pendingTxnMarkers.isEmpty {
                    txnMarkerPartitionGotLeader(tp)
                }
            case .sessionExpiryCheck(let broker):
                scheduleSessionExpiry(broker)
            }
        }
    }

    /// Holds metadata-file writes until the matching `endDeferringMetadata`: an operation that changes many
    /// partitions (a broker stopping, a tick) writes the file once, at its end, not once per event.
    func beginDeferringMetadata() { metadataDeferrals += 1 }

    func endDeferringMetadata() {
        metadataDeferrals -= 1
        if metadataDeferrals == 0 && metadataChanged {
            metadataChanged = false
            writeMetadataNoting()
        }
    }

    /// Writes the metadata file after a change that cannot be refused any more (time passing, an election):
    /// a failure is kept in `metadataProblem` (the next write retries), never ignored silently.
    private func writeMetadataNoting() {
        do throws(LogError) {
            try logManager.writeMetadata(metadataSnapshot)
            metadataProblem = nil
        } catch {
            metadataProblem = error.description
        }
        writeBrokerFiles()
    }

    /// Writes the metadata file for a change the learner asked for (a topic created, deleted, grown or
    /// reconfigured), as `image` holds it before the controller replays it. If the write fails, `undo` takes back what
    /// the cluster prepared (logs) and the request fails with `KAFKA_STORAGE_ERROR`: the controller never applies a
    /// change a reopen would not see.
    func commitMetadata(_ image: MetadataImage, undo: () -> Void) throws(KafkaError) {
        guard logManager.keepsMetadata else { return }
        do throws(LogError) {
            try logManager.writeMetadata(metadataSnapshot(of: image.topics))
            metadataProblem = nil
        } catch {
            undo()
            throw KafkaError(error)
        }
        writeBrokerFiles()
    }
}
