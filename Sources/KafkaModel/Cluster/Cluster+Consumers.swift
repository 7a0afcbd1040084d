// Simulated consumer processes on the cluster's clock: the application loop (poll, process, commit),
// the heartbeat thread, the group protocol as the client runs it, and the learner's controls.

extension Cluster {
    /// Names of the consumers, sorted.
    public var consumerNames: [String] { consumers.keys.sorted(by: JavaString.lessThan) }

    /// `ms` it takes an asynchronous commit to be answered.
    static let asyncCommitLatencyMs: Int64 = 5
    /// How late a commit armed with the `commit-reorder` fault is answered.
    static let reorderedCommitLatencyMs: Int64 = 1000
    /// `retry.backoff.ms`: the heartbeat thread re-checks the poll timer this often when no heartbeat is due.
    static let retryBackoffMs: Int64 = 100
    /// `retry.backoff.max.ms`: the ceiling of the exponential retry backoff.
    static let retryBackoffMaxMs: Int64 = 1000
    /// A consumer reports a FindCoordinator that keeps failing at most this often.
    static let coordinatorFailureReportIntervalMs: Int64 = 60_000

    // MARK: - Lifecycle

    /// Starts a consumer that subscribes to `config.topics` in `config.groupId`.
    public func startConsumer(_ name: String, config: ConsumerConfig) throws(ConsumerError) {
        guard consumers[name] == nil else { throw .nameInUse(name) }
        let consumer = KafkaConsumer(name: name, config: config)
        consumer.ordinal = consumersStarted
        consumersStarted += 1
        consumers[name] = consumer
        emit(.group(.consumerStarted(consumer: name, group: config.groupId, topics: config.topics, assignors: config.assignors)))
        begin(consumer)
    }

    /// Starts a consumer with a manual assignment (`assign()`), outside group management.
    public func assignConsumer(_ name: String, partitions: [TopicPartition], config: ConsumerConfig) throws(ConsumerError) {
        if let existing = consumers[name] {
            guard existing.manualAssignment else { throw .subscriptionMixed }
            guard existing.isAlive else { throw .notRunning(name, existing.status) }
            let sorted = partitions.sorted(by: JavaString.topicPartitionLessThan)
            existing.positions = existing.positions.filter { sorted.contains($0.key) }
            existing.paused = existing.paused.filter { sorted.contains($0) }
            existing.assignment = sorted
            emit(.group(.manuallyAssigned(consumer: name, partitions: sorted)))
            wake(existing)
            return
        }
        let consumer = KafkaConsumer(name: name, config: config)
        consumer.ordinal = consumersStarted
        consumersStarted += 1
        consumer.manualAssignment = true
        consumer.assignment = partitions.sorted(by: JavaString.topicPartitionLessThan)
        consumers[name] = consumer
        emit(.group(.consumerStarted(consumer: name, group: config.groupId, topics: [], assignors: [])))
        emit(.group(.manuallyAssigned(consumer: name, partitions: consumer.assignment)))
        begin(consumer)
    }

    private func begin(_ c: KafkaConsumer) {
        c.status = .running
        c.lastPollMs = nowMs
        c.busyUntilMs = nowMs
        c.nextAutoCommitMs = nowMs + c.config.autoCommitIntervalMs
        if !c.manualAssignment { c.needsRejoin = true }
        schedulePoll(c, at: nowMs)
    }

    /// The consumer, or `ConsumerError.unknownConsumer`.
    public func requireConsumer(_ name: String) throws(ConsumerError) -> KafkaConsumer {
        guard let c = consumers[name] else { throw .unknownConsumer(name, known: consumerNames) }
        return c
    }

    private func requireRunning(_ name: String) throws(ConsumerError) -> KafkaConsumer {
        let c = try requireConsumer(name)
        guard c.isAlive else { throw .notRunning(name, c.status) }
        return c
    }

    /// Graceful close: `wakeup()` breaks the poll loop, the batch in hand finishes, offsets are committed
    /// (auto-commit, or the application's commit after processing), then LeaveGroup (dynamic members) and close.
    public func stopConsumer(_ name: String) throws(ConsumerError) {
        let c = try requireRunning(name)
        emit(.group(.wakeup(consumer: name)))
        c.processingFrom = [:]
        c.busyUntilMs = nowMs
        if c.config.enableAutoCommit || c.config.commitEachPoll == .after {
            commitSyncQuietly(c, kind: c.config.enableAutoCommit ? .auto : .sync)
        }
        leaveOnClose(c)
        c.status = .stopped
        resetMembership(c)
        emit(.group(.consumerStopped(consumer: name)))
    }

    /// `close()` of a subscribed consumer: `ConsumerCoordinator.onLeavePrepare` revokes the partitions still owned
    /// (or gives them up as lost when the member has no generation — it left after a poll timeout — or is in the
    /// middle of a rebalance), then `maybeLeaveGroup`: only a dynamic member that joined sends LeaveGroup.
    private func leaveOnClose(_ c: KafkaConsumer) {
        guard !c.manualAssignment, let groupId = c.config.groupId else { return }
        let dynamic = c.config.groupInstanceId == nil
        if !c.assignment.isEmpty {
            if c.generation < 0 || c.memberId.isEmpty || c.memberState == .joining || c.memberState == .completingRebalance {
                emit(.group(.partitionsLost(consumer: c.name, partitions: c.assignment)))
            } else {
                emit(.group(.partitionsRevoked(consumer: c.name, partitions: c.assignment, context: .closing(leaveGroup: dynamic))))
            }
        }
        if dynamic, c.memberState != .unjoined, !c.memberId.isEmpty {
            _ = sendToCoordinator(c, LeaveGroupRequest(groupId: groupId, members: [.init(memberId: c.memberId)]))
        }
    }

    /// The process vanishes: no commit, no LeaveGroup; the coordinator notices after `session.timeout.ms`.
    public func crashConsumer(_ name: String) throws(ConsumerError) {
        let c = try requireRunning(name)
        var unprocessed: [TopicPartition: ClosedRange<Int64>] = [:]
        if c.busyUntilMs > nowMs {
            for (tp, from) in c.processingFrom {
                let to = (c.positions[tp] ?? from) - 1
                if to >= from { unprocessed[tp] = from...to }
            }
        }
        c.status = .crashed
        c.processingFrom = [:]
        emit(.group(.consumerCrashed(consumer: name, unprocessed: unprocessed)))
    }

    /// Starts a stopped or crashed consumer again with the same config (a new process: new member id,
    /// positions from the committed offsets).
    public func restartConsumer(_ name: String) throws(ConsumerError) {
        let c = try requireConsumer(name)
        guard !c.isAlive else { throw .alreadyRunning(name) }
        c.incarnation += 1
        resetMembership(c)
        c.positions = [:]
        c.paused = []
        c.recordsConsumed = 0
        c.asyncCommitFault = nil
        if !c.manualAssignment { c.assignment = [] }
        emit(.group(.consumerRestarted(consumer: name)))
        begin(c)
    }

    private func resetMembership(_ c: KafkaConsumer) {
        if !c.manualAssignment { c.assignment = [] }
        c.memberId = ""
        c.generation = -1
        c.memberState = .unjoined
        c.isLeader = false
        c.needsRejoin = false
        c.leftOnPollTimeout = false
        c.processingFrom = [:]
        c.pollScheduled = false
        c.pollToken += 1
        c.waitingForLeader = [:]
        c.coordinatorKnown = false
        c.coordinatorId = nil
        c.coordinatorAttempts = 0
        c.coordinatorFailureReportedMs = nil
        c.coordinatorFailuresUnreported = 0
        disableHeartbeat(c)
    }

    /// Changes how long the application takes per record (`consumer slow`).
    public func setProcessTime(_ name: String, ms: Int64) throws(ConsumerError) {
        let c = try requireConsumer(name)
        c.config.processTimeMs = ms
        emit(.group(.consumerConfigChanged(consumer: name, key: "process-time", value: SimulatedDuration.format(ms))))
    }

    /// Arms a fault on the consumer's next `commitAsync` (`nil` clears it).
    public func armAsyncCommitFault(_ name: String, _ fault: KafkaConsumer.AsyncCommitFault?) throws(ConsumerError) {
        let c = try requireRunning(name)
        c.asyncCommitFault = fault
        emit(.group(.consumerConfigChanged(consumer: name, key: "fault", value: fault?.rawValue ?? "none")))
    }

    // MARK: - Seek, pause, resume

    /// `seek(tp, offset)`; `nil` offsets mean beginning (`true`) or end (`false`).
    public func seek(_ name: String, _ tp: TopicPartition, to offset: Int64?, beginning: Bool = false) throws(ConsumerError) {
        let c = try requireRunning(name)
        guard c.assignment.contains(tp) else { throw .notAssigned(name, tp, c.assignment) }
        let target: Int64
        if let offset { target = offset } else {
            do throws(KafkaError) {
                target = try listOffset(consumer: name, tp,
                                        beginning ? ListOffsetsRequest.earliestTimestamp : ListOffsetsRequest.latestTimestamp)
            } catch { throw .kafka(error) }
        }
        guard target >= 0 else { throw .invalidOffset(target) }
        c.positions[tp] = target
        emit(.group(.seeked(consumer: name, partition: tp, offset: target)))
        wake(c)
    }

    /// `pause(partitions)`; all assigned partitions when `partitions` is empty.
    public func pause(_ name: String, _ partitions: [TopicPartition]) throws(ConsumerError) {
        let c = try requireRunning(name)
        let list = partitions.isEmpty ? c.assignment : partitions
        for tp in list where !c.assignment.contains(tp) { throw .notAssigned(name, tp, c.assignment) }
        c.paused.formUnion(list)
        emit(.group(.paused(consumer: name, partitions: list)))
    }

    /// `resume(partitions)`; all paused partitions when `partitions` is empty.
    public func resume(_ name: String, _ partitions: [TopicPartition]) throws(ConsumerError) {
        let c = try requireRunning(name)
        let list = partitions.isEmpty ? c.paused.sorted(by: JavaString.topicPartitionLessThan) : partitions
        for tp in list where !c.assignment.contains(tp) { throw .notAssigned(name, tp, c.assignment) }
        c.paused.subtract(list)
        emit(.group(.resumed(consumer: name, partitions: list)))
        wake(c)
    }

    // MARK: - Timers

    func fireConsumerTimer(_ timer: Timer) {
        switch timer {
        case let .consumerPoll(name, token):
            guard let c = consumers[name], c.isAlive, c.pollToken == token else { return }
            c.pollScheduled = false
            if c.busyUntilMs > nowMs { schedulePoll(c, at: c.busyUntilMs); return }
            _ = try? loopPoll(c)
        case let .consumerHeartbeat(name, token):
            guard let c = consumers[name], c.isAlive, c.heartbeatEnabled, c.heartbeatToken == token else { return }
            heartbeatThreadWakes(c)
        case let .asyncCommitAnswer(id):
            answerAsyncCommit(id)
        case let .group(key):
            groupTimerFired(key)
        default:
            break
        }
    }

    func schedulePoll(_ c: KafkaConsumer, at dueMs: Int64) {
        c.pollToken += 1
        c.pollScheduled = true
        c.awaitingRecords = false
        scheduler.schedule(at: dueMs, .consumerPoll(consumer: c.name, token: c.pollToken))
    }

    /// Makes an idle consumer poll now (records arrived, a rebalance needs it, it was resumed).
    /// `endingWait`: records arrived, which also ends a poll blocked until its auto-commit deadline.
    func wake(_ c: KafkaConsumer, endingWait: Bool = false) {
        guard c.isAlive, !c.pollScheduled || (endingWait && c.awaitingRecords) else { return }
        schedulePoll(c, at: max(nowMs, c.busyUntilMs))
    }

    /// Watches the cluster's events: appended records wake the consumers that fetch that partition;
    /// new partitions or topics wake group leaders, whose metadata check may trigger a rebalance.
    func consumersObserve(_ kind: ClusterEvent.Kind) {
        switch kind {
        case .leaderElected(let tp, nil, _, _):
            // The partition lost its leader: a consumer fetching it finds out on its next fetch and starts retrying.
            wakeInOrder { $0.isAlive && !$0.pollScheduled && $0.fetchable.contains(tp) }
        case .partitionsAdded(let topic, _, _), .topicCreated(let topic, _, _):
            wakeInOrder { $0.isAlive && $0.config.topics.contains(topic) }
        default:
            break
        }
    }

    /// The leader's high watermark moved: consumers of the partition waiting in a fetch have records to read —
    /// also those whose blocked poll has a timer only for its auto-commit (Kafka's long poll returns with the data).
    func highWatermarkAdvanced(_ tp: TopicPartition) {
        guard !consumers.isEmpty else { return }
        wakeInOrder(endingWait: true) { $0.isAlive && (!$0.pollScheduled || $0.awaitingRecords) && $0.assignment.contains(tp) }
    }

    /// Wakes the matching consumers in name order: a dictionary's order differs between instances (Swift seeds
    /// each one), and the order of their polls decides the order of the events that follow.
    private func wakeInOrder(endingWait: Bool = false, _ matches: (KafkaConsumer) -> Bool) {
        var woken: [KafkaConsumer] = []
        for c in consumers.values where matches(c) { woken.append(c) }
        if woken.count > 1 { woken.sort { $0.name < $1.name } }
        for c in woken { wake(c, endingWait: endingWait) }
    }

    // MARK: - The heartbeat thread

    /// A JoinGroup response arrived: `HeartbeatThread.enable()` → `Heartbeat.resetTimeouts()` restarts the heartbeat
    /// timer (first Heartbeat `heartbeat.interval.ms` from now) and the poll timer.
    func enableHeartbeat(_ c: KafkaConsumer) {
        c.heartbeatEnabled = true
        c.nextHeartbeatMs = nowMs + c.config.heartbeatIntervalMs
        c.heartbeatAnchorMs = nowMs
        c.pollTimerResetMs = nowMs
        scheduleHeartbeatThread(c)
    }

    /// The consumer (re)joins or leaves: the heartbeat thread stops (`state.hasNotJoinedGroup()`).
    func disableHeartbeat(_ c: KafkaConsumer) {
        c.heartbeatEnabled = false
        c.heartbeatToken += 1
    }

    /// Schedules the heartbeat thread's next wake-up: the next heartbeat, or earlier the re-check (every
    /// `retry.backoff.ms`) that will find the poll timer expired while the application is still processing.
    func scheduleHeartbeatThread(_ c: KafkaConsumer) {
        guard c.heartbeatEnabled else { return }
        c.heartbeatToken += 1
        let wake = min(c.nextHeartbeatMs, pollTimeoutCheckMs(c) ?? .max)
        // Heartbeats due at one instant fire in the order the consumers were started, whatever rescheduled them
        // last: a canonical order that skipping idle time (Cluster+IdleTime) keeps too.
        scheduler.schedule(at: max(wake, nowMs), .consumerHeartbeat(consumer: c.name, incarnation: c.heartbeatToken), rank: 1 + c.ordinal)
    }

    /// When the poll timer expires: `max.poll.interval.ms` after the last `poll()` (or after the thread was enabled).
    private func pollDeadlineMs(_ c: KafkaConsumer) -> Int64 {
        max(c.lastPollMs, c.pollTimerResetMs) + c.config.maxPollIntervalMs
    }

    /// The first re-check of the heartbeat thread at or after the poll deadline, if the application is still
    /// processing then (otherwise it calls `poll()` first, which resets the poll timer).
    private func pollTimeoutCheckMs(_ c: KafkaConsumer) -> Int64? {
        let deadline = pollDeadlineMs(c)
        let step = Self.retryBackoffMs
        let check = c.heartbeatAnchorMs + max(0, (deadline - c.heartbeatAnchorMs + step - 1) / step) * step
        return c.busyUntilMs > check ? check : nil
    }

    /// One turn of `HeartbeatThread.run`: leave the group when the poll timer expired, else heartbeat when due.
    private func heartbeatThreadWakes(_ c: KafkaConsumer) {
        if nowMs >= pollDeadlineMs(c) && c.busyUntilMs > nowMs {
            pollTimeoutExpired(c)
            return
        }
        if nowMs >= c.nextHeartbeatMs {
            c.nextHeartbeatMs = nowMs + c.config.heartbeatIntervalMs
            c.heartbeatAnchorMs = nowMs
            heartbeat(c)
        }
        scheduleHeartbeatThread(c)
    }

    /// `handlePollTimeoutExpiry`: a dynamic member sends LeaveGroup; a static one just stops heartbeating.
    private func pollTimeoutExpired(_ c: KafkaConsumer) {
        disableHeartbeat(c)
        guard let groupId = c.config.groupId, !c.manualAssignment, !c.memberId.isEmpty else { return }
        emit(.group(.pollTimeout(consumer: c.name, staticMember: c.config.groupInstanceId != nil)))
        if c.config.groupInstanceId == nil {
            _ = sendToCoordinator(c, LeaveGroupRequest(groupId: groupId, members: [.init(memberId: c.memberId)]))
            c.memberId = ""
        }
        c.memberState = .unjoined
        c.generation = -1
        c.leftOnPollTimeout = true
    }

    /// Sends a Heartbeat and learns of rebalances (REBALANCE_IN_PROGRESS) or of its own removal.
    private func heartbeat(_ c: KafkaConsumer) {
        guard let groupId = c.config.groupId, !c.manualAssignment, !c.memberId.isEmpty,
              c.memberState == .stable || c.memberState == .completingRebalance else { return }
        let request = HeartbeatRequest(groupId: groupId, generationId: c.generation, memberId: c.memberId, groupInstanceId: c.config.groupInstanceId)
        // No answer (the coordinator is down or moved): the next heartbeat tries again.
        guard let response = sendToCoordinator(c, request) else { return }
        switch response.error {
        case nil, .notCoordinator?:
            break
        case .rebalanceInProgress?:
            // Ignored while CompletingRebalance: the SyncGroup answer tells.
            if c.memberState == .stable, !c.needsRejoin {
                c.needsRejoin = true
                c.rejoinReason = .heartbeat(.rebalanceInProgress)
                wake(c)
            }
        case let error?:
            // UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION: the group moved on without us.
            if !c.assignment.isEmpty { emit(.group(.partitionsLost(consumer: c.name, partitions: c.assignment))) }
            c.assignment = []
            c.positions = [:]
            if case .unknownMemberId = error { c.memberId = "" }
            c.memberState = .unjoined
            c.generation = -1
            c.needsRejoin = true
            c.rejoinReason = .heartbeat(error)
            disableHeartbeat(c)
            wake(c)
        }
    }

    /// The context of the consumer's requests: its name is its `client.id`.
    func requestContext(_ c: KafkaConsumer) -> RequestContext {
        RequestContext(client: .consumer(c.name), clientId: c.name)
    }

    /// Sends a group request to the coordinator the consumer found; nil when no answer comes back (no coordinator
    /// known, or its broker is down: NETWORK_EXCEPTION).
    func sendToCoordinator<R: KafkaApiRequest>(_ c: KafkaConsumer, _ request: R) -> R.Response? {
        guard let coordinator = c.coordinatorId else { return nil }
        return try? send(request, to: coordinator, from: requestContext(c))
    }

    // MARK: - The application loop

    /// One turn of the application loop: finish the previous batch (and commit after it if the
    /// application does), then `poll()`, then start processing what came back.
    @discardableResult
    func loopPoll(_ c: KafkaConsumer) throws(ConsumerError) -> Int {
        if !c.processingFrom.isEmpty {
            c.processingFrom = [:]
            if !c.config.enableAutoCommit && c.config.commitEachPoll == .after { appCommit(c) }
        }
        let fetched = try poll(c)
        if fetched > 0 && !c.config.enableAutoCommit && c.config.commitEachPoll == .before { appCommit(c) }
        if fetched > 0 {
            c.busyUntilMs = nowMs + Int64(fetched) * c.config.processTimeMs
            schedulePoll(c, at: c.busyUntilMs == nowMs ? nowMs + c.config.pollEveryMs : c.busyUntilMs)
        } else if !c.manualAssignment, c.config.groupId != nil, !c.coordinatorKnown {
            schedulePoll(c, at: c.coordinatorRetryAtMs)
        } else if c.memberState == .joining || c.needsRejoin {
            schedulePoll(c, at: nowMs + c.config.pollEveryMs)
        } else if !c.waitingForLeader.isEmpty {
            schedulePoll(c, at: nowMs + leaderRetryBackoff(c))
        } else if c.fetchable.contains(where: { c.positions[$0] == nil }) {
            // The committed offsets did not come (UNSTABLE_OFFSET_COMMIT, no answer): poll() asks again after
            // retry.backoff.ms, as `refreshCommittedOffsetsIfNeeded` does.
            schedulePoll(c, at: nowMs + Self.retryBackoffMs)
        } else if c.config.enableAutoCommit && c.positions.contains(where: { committedOffset(c, $0.key) != $0.value }) {
            // Blocked in poll() with an auto-commit to do: it returns when records arrive or the commit is due.
            schedulePoll(c, at: max(c.nextAutoCommitMs, nowMs + c.config.pollEveryMs))
            c.awaitingRecords = true
        }
        // else: blocked in poll() until records arrive (woken by `consumersObserve`)
        scheduleHeartbeatThread(c)
        return fetched
    }

    private func appCommit(_ c: KafkaConsumer) {
        if c.config.asyncCommits { _ = try? commitAsync(c.name) } else { commitSyncQuietly(c, kind: .sync) }
    }

    /// Whether a position differs from the committed offset: the poll loop's test for an auto-commit still to do,
    /// read from the coordinator's cache (it decides only when the simulated process wakes, and sends nothing).
    private func committedOffset(_ c: KafkaConsumer, _ tp: TopicPartition) -> Int64? {
        c.config.groupId.flatMap { groupCoordinator.offsets[$0]?[tp]?.offset }
    }

    /// `ConsumerCoordinator.fetchCommittedOffsets`: an OffsetFetch for the partitions without a position. Nil when the
    /// coordinator does not answer (the partitions wait for the next poll).
    private func fetchCommittedOffsets(_ c: KafkaConsumer, _ partitions: [TopicPartition]) -> [TopicPartition: Int64]? {
        guard let groupId = c.config.groupId else { return [:] }
        if c.manualAssignment, c.coordinatorId == nil { c.coordinatorId = coordinator(of: groupId) }
        guard let response = sendToCoordinator(c, OffsetFetchRequest(groups: [.init(groupId: groupId, topics: partitions)])),
              let group = response.groups.first, group.error == nil,
              // UNSTABLE_OFFSET_COMMIT: a transaction's offsets are pending; taking the older ones would process its
              // inputs twice, so the partitions wait (the Java client retries after retry.backoff.ms).
              !group.partitions.values.contains(where: { $0.error == .unstableOffsetCommit }) else { return nil }
        return group.partitions.compactMapValues { $0.committedOffset >= 0 ? $0.committedOffset : nil }
    }

    /// `KafkaConsumer.poll()`: auto-commit when due, take part in a rebalance, then fetch.
    /// Returns how many records it handed to the application.
    func poll(_ c: KafkaConsumer) throws(ConsumerError) -> Int {
        c.lastPollMs = nowMs
        if c.config.enableAutoCommit, c.config.groupId != nil, nowMs >= c.nextAutoCommitMs {
            commitSyncQuietly(c, kind: .auto)
            c.nextAutoCommitMs = nowMs + c.config.autoCommitIntervalMs
        }
        if !c.manualAssignment, let groupId = c.config.groupId {
            guard ensureCoordinatorReady(c, groupId) else { return 0 }
            if c.leftOnPollTimeout {
                if !c.assignment.isEmpty { emit(.group(.partitionsLost(consumer: c.name, partitions: c.assignment))) }
                c.assignment = []
                c.positions = [:]
                c.leftOnPollTimeout = false
                c.needsRejoin = true
                c.rejoinReason = .pollTimeout
            }
            if c.isLeader, c.memberState == .stable, metadataChanged(c) {
                c.needsRejoin = true
                c.rejoinReason = .metadataChanged
            }
            if c.needsRejoin || c.memberState == .unjoined, c.memberState != .joining, c.memberState != .completingRebalance {
                join(c, groupId)
            }
            if c.memberState != .stable && !c.config.isCooperative { return 0 }
        }
        return try fetch(c)
    }

    /// FindCoordinator (`ensureCoordinatorReady`): the broker creates `__consumer_offsets` on the first lookup; until
    /// it exists (too few live brokers for its replication factor) or while the group's partition has no leader it
    /// answers COORDINATOR_NOT_AVAILABLE, and the consumer retries after `retry.backoff.ms`, doubling up to
    /// `retry.backoff.max.ms` (Kafka adds ±20 % jitter; left out to stay deterministic). Reported at most once a minute.
    private func ensureCoordinatorReady(_ c: KafkaConsumer, _ groupId: String) -> Bool {
        if c.coordinatorKnown { return true }
        let partition = offsetsPartition(of: groupId)
        var answer = FindCoordinatorResponse.Coordinator(key: groupId, error: .coordinatorNotAvailable)
        // Any running broker answers FindCoordinator (the bootstrap servers).
        if let bootstrap = liveBrokerIds.first(where: { !crashedBrokers.contains($0) }),
           let response = try? send(FindCoordinatorRequest(coordinatorKeys: [groupId]), to: bootstrap, from: requestContext(c)) {
            answer = response.coordinators[0]
        }
        let creationError = answer.cause
        if answer.error == nil {
            if c.coordinatorAttempts > 0 {
                emit(.group(.coordinatorDiscovered(consumer: c.name, broker: answer.nodeId, host: answer.host, port: answer.port)))
            }
            c.coordinatorKnown = true
            c.coordinatorId = answer.nodeId
            c.coordinatorAttempts = 0
            c.coordinatorFailureReportedMs = nil
            c.coordinatorFailuresUnreported = 0
            return true
        }
        let backoff = min(Self.retryBackoffMaxMs, Self.retryBackoffMs << Int64(min(c.coordinatorAttempts, 10)))
        c.coordinatorAttempts += 1
        c.coordinatorRetryAtMs = nowMs + backoff
        c.coordinatorFailuresUnreported += 1
        if c.coordinatorFailureReportedMs.map({ nowMs - $0 >= Self.coordinatorFailureReportIntervalMs }) ?? true {
            let reason = creationError.map { ConsumerEvent.CoordinatorUnavailableReason.offsetsTopicNotCreated(
                replicationFactor: offsetsTopicReplicationFactor, error: $0) } ?? .noLeader(partition: partition)
            emit(.group(.coordinatorNotAvailable(consumer: c.name, group: groupId, reason: reason,
                                                 attempts: c.coordinatorFailuresUnreported, first: c.coordinatorFailureReportedMs == nil)))
            c.coordinatorFailureReportedMs = nowMs
            c.coordinatorFailuresUnreported = 0
        }
        return false
    }

    private func metadataChanged(_ c: KafkaConsumer) -> Bool {
        for t in c.config.topics {
            if topics[t]?.partitions.count != c.metadataSnapshot[t] { return true }
        }
        return false
    }

    /// JoinGroup as the client sends it (after `onJoinPrepare`: auto-commit, and with the eager
    /// protocol the revocation of every partition).
    private func join(_ c: KafkaConsumer, _ groupId: String) {
        let rejoin = c.memberState == .stable || c.generation >= 0
        if rejoin {
            emit(.group(.rejoining(consumer: c.name, reason: c.rejoinReason ?? .requested)))
        }
        if c.config.enableAutoCommit && !c.assignment.isEmpty { commitSyncQuietly(c, kind: .auto) }
        var owned = c.assignment
        if !c.config.isCooperative && !c.assignment.isEmpty {
            emit(.group(.partitionsRevoked(consumer: c.name, partitions: c.assignment, context: .eagerRebalance)))
            c.assignment = []
            c.positions = [:]
            c.paused = []
        }
        if c.config.isCooperative == false && c.config.assignors.first != "sticky" { owned = [] }
        c.needsRejoin = false
        c.rejoinReason = nil
        c.memberState = .joining
        disableHeartbeat(c)
        sendJoin(c, groupId, owned: owned)
    }

    private func sendJoin(_ c: KafkaConsumer, _ groupId: String, owned: [TopicPartition]) {
        let cfg = c.config
        let request = JoinGroupRequest(
            groupId: groupId, memberId: c.memberId, groupInstanceId: cfg.groupInstanceId, clientId: c.name,
            sessionTimeoutMs: Int(cfg.sessionTimeoutMs), rebalanceTimeoutMs: Int(cfg.maxPollIntervalMs),
            protocols: cfg.assignors, topics: cfg.topics, ownedPartitions: owned,
            generation: c.generation >= 0 ? c.generation : nil)
        guard let answer = sendToCoordinator(c, request) else {
            coordinatorLost(c)
            return
        }
        switch answer {
        case .parked(let memberId):
            // A static member's id is known at once (no MEMBER_ID_REQUIRED round trip).
            if c.memberState == .joining && c.memberId.isEmpty && cfg.groupInstanceId != nil { c.memberId = memberId }
        case .completed(let response):
            switch response.error {
            case nil:
                // Answered at once (a rejoin that changes nothing, a static member's replacement): sync straight away;
                // a leader answered so (its SyncGroup was lost) assigns first, or the group waits for it forever.
                joinGroupAnswered(c, groupId, response)
            case .memberIdRequired(let id)?:
                c.memberId = id
                sendJoin(c, groupId, owned: owned)
            case .notCoordinator?:
                coordinatorLost(c)
            case let error?:
                c.memberState = .unjoined
                emit(.group(.consumerFailed(consumer: c.name, exception: "JoinGroup failed: \(error.description) (\(error.code))")))
            }
        }
    }

    /// `markCoordinatorUnknown`: the JoinGroup got no answer or NOT_COORDINATOR; the consumer looks the coordinator up
    /// again after `retry.backoff.ms` and rejoins.
    private func coordinatorLost(_ c: KafkaConsumer) {
        c.memberState = .unjoined
        c.coordinatorKnown = false
        c.coordinatorId = nil
        c.coordinatorRetryAtMs = nowMs + Self.retryBackoffMs
    }

    /// Sends SyncGroup; an answer given at once is applied now, a parked one arrives through `consumerReceived`.
    private func sendSync(_ c: KafkaConsumer, _ groupId: String, _ request: SyncGroupRequest) {
        guard let answer = sendToCoordinator(c, request) else { syncGroupLost(c); return }
        guard case .completed(let response) = answer else { return }
        if let error = response.error {
            parkedRequestFailed(c, request: .syncGroup, error: error)
        } else {
            deliverAssignment(c, response.assignment, generation: request.generationId)
        }
    }

    /// The SyncGroup got no answer (its coordinator is down): as `SyncGroupResponseHandler` after a disconnect, the
    /// consumer marks the coordinator unknown and rejoins. Without this it waited in CompletingRebalance for an answer
    /// that never comes, while its heartbeats to the next coordinator kept it in the group.
    private func syncGroupLost(_ c: KafkaConsumer) {
        disableHeartbeat(c)
        coordinatorLost(c)
        c.needsRejoin = true
        c.rejoinReason = .requestFailed(.syncGroup, .coordinatorNotAvailable)
    }

    /// A parked JoinGroup or SyncGroup was answered.
    func consumerReceived(_ response: ParkedGroupResponse, _ c: KafkaConsumer) {
        switch response {
        case let .joinGroup(groupId, answer):
            guard c.isAlive, c.config.groupId == groupId, c.memberState == .joining || c.memberState == .completingRebalance,
                  c.memberId == answer.memberId || (c.memberId.isEmpty && c.memberState == .joining) else { return }
            if let error = answer.error { parkedRequestFailed(c, request: .joinGroup, error: error); return }
            guard c.memberState == .joining else { return }
            joinGroupAnswered(c, groupId, answer)
        case let .syncGroup(groupId, memberId, answer):
            guard c.isAlive, c.config.groupId == groupId, c.memberId == memberId, c.memberState == .completingRebalance else { return }
            if let error = answer.error { parkedRequestFailed(c, request: .syncGroup, error: error); return }
            deliverAssignment(c, answer.assignment, generation: c.generation)
        }
    }

    /// The JoinGroup answer of a completed join phase: the heartbeat thread starts and the member sends SyncGroup;
    /// the leader first runs its assignor over every member's subscription and sends everyone's partitions.
    private func joinGroupAnswered(_ c: KafkaConsumer, _ groupId: String, _ answer: JoinGroupResponse) {
        c.memberId = answer.memberId
        c.memberState = .completingRebalance
        c.generation = answer.generationId
        c.isLeader = answer.memberId == answer.leader
        enableHeartbeat(c)
        var request = SyncGroupRequest(groupId: groupId, generationId: answer.generationId, memberId: answer.memberId,
                                       groupInstanceId: c.config.groupInstanceId, protocolName: answer.protocolName)
        guard c.isLeader, !answer.skipAssignment else { sendSync(c, groupId, request); return }
        guard let proto = answer.protocolName, let assignor = ConsumerPartitionAssignors.named(proto) else { return }
        var partitionsPerTopic: [String: Int] = [:]
        for member in answer.members {
            for t in member.metadata.topics { if let topic = topics[t] { partitionsPerTopic[t] = topic.partitions.count } }
        }
        let result = assignor.assign(partitionsPerTopic: partitionsPerTopic, subscriptions: answer.members.map(\.metadata))
        c.metadataSnapshot = partitionsPerTopic
        request.assignments = answer.members.map { .init(memberId: $0.memberId, assignment: result[$0.memberId]) }
        guard let sent = sendToCoordinator(c, request) else { syncGroupLost(c); return }
        guard case .parked = sent else { return }
        // `ConsumerCoordinator.onLeaderElected` logs "Finished assignment"; the coordinator's answers follow it.
        let clientOf = Dictionary((groupCoordinator.groups[groupId]?.members ?? []).map { ($0.memberId, $0.clientId) }, uniquingKeysWith: { a, _ in a })
        emit(.group(.assignmentDistributed(
            group: groupId, generation: answer.generationId,
            assignment: Dictionary(result.assignments.map { (clientOf[$0.key] ?? $0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
            transferring: result.partitionsTransferringOwnership.mapValues { clientOf[$0] ?? $0 })))
    }

    /// A JoinGroup/SyncGroup was answered with an error: the client (if still running) rejoins at once,
    /// as `AbstractCoordinator.joinGroupIfNeeded` does after UNKNOWN_MEMBER_ID or REBALANCE_IN_PROGRESS.
    private func parkedRequestFailed(_ c: KafkaConsumer, request: GroupEvent.ParkedRequest, error: GroupError) {
        emit(.group(.requestFailed(consumer: c.name, request: request, error: error)))
        if case .unknownMemberId = error { c.memberId = ""; c.generation = -1 }
        c.memberState = .unjoined
        if case .fencedInstanceId = error { return }
        disableHeartbeat(c)
        c.needsRejoin = true
        c.rejoinReason = .requestFailed(request, error)
        wake(c)
    }

    /// Applies an assignment from SyncGroup: with the eager protocol every partition is new; with the
    /// cooperative one the partitions no longer owned are revoked first and the member rejoins at once.
    func deliverAssignment(_ c: KafkaConsumer, _ assignment: [TopicPartition], generation: Int) {
        c.generation = generation
        c.memberState = .stable
        if c.config.isCooperative {
            let revoked = c.assignment.filter { !assignment.contains($0) }
            let added = assignment.filter { !c.assignment.contains($0) }
            if !revoked.isEmpty {
                emit(.group(.partitionsRevoked(consumer: c.name, partitions: revoked, context: .cooperativeRebalance)))
                for tp in revoked { c.positions[tp] = nil; c.paused.remove(tp) }
                c.needsRejoin = true
                c.rejoinReason = .revokedPartitions
            }
            c.assignment = assignment
            emit(.group(.partitionsAssigned(consumer: c.name, partitions: added, generation: generation)))
        } else {
            c.assignment = assignment
            emit(.group(.partitionsAssigned(consumer: c.name, partitions: assignment, generation: generation)))
        }
        if c.isLeader {
            for t in c.config.topics { c.metadataSnapshot[t] = topics[t]?.partitions.count }
        }
        wake(c)
    }

    /// Fetches up to `max.poll.records` from the assigned, unpaused partitions, starting each partition
    /// at its position (committed offset, or `auto.offset.reset`).
    private func fetch(_ c: KafkaConsumer) throws(ConsumerError) -> Int {
        var remaining = c.config.maxPollRecords
        var fetched = 0
        var missing: [TopicPartition] = []
        c.waitingForLeader = c.waitingForLeader.filter { c.fetchable.contains($0.key) }
        let unpositioned = c.fetchable.filter { c.positions[$0] == nil }
        let committedOffsets = unpositioned.isEmpty ? [:] : fetchCommittedOffsets(c, unpositioned)
        for tp in unpositioned {
            // Without an answer from the coordinator the partition waits for the next poll.
            guard let committedOffsets else { break }
            if let committed = committedOffsets[tp] {
                c.positions[tp] = committed
            } else {
                do throws(KafkaError) {
                    if try !resetPosition(c, tp, reason: nil) { missing.append(tp) }
                } catch {
                    awaitLeader(c, tp, error)
                }
            }
        }
        if !missing.isEmpty {
            throw failPoll(c, "org.apache.kafka.clients.consumer.NoOffsetForPartitionException: Undefined offset with no reset policy for partitions: [\(missing.map(\.description).joined(separator: ", "))]")
        }
        let context = RequestContext(client: .consumer(c.name), clientId: c.name)
        let isolationLevel: Int8 = c.config.isolationLevel == "read_committed" ? 1 : 0
        for tp in c.fetchable where remaining > 0 {
            guard let position = c.positions[tp] else { continue }
            let leader: Int
            do throws(KafkaError) { leader = try clientLeader(tp) } catch { awaitLeader(c, tp, error); continue }
            leaderFound(c, tp)
            guard var data = fetchFromLeader(tp, position, leader: leader, maxRecords: remaining, isolationLevel: isolationLevel, context: context) else { continue }
            if case .offsetOutOfRange = data.error {
                if (try? resetPosition(c, tp, reason: position)) != true {
                    throw failPoll(c, "org.apache.kafka.clients.consumer.OffsetOutOfRangeException: Offsets out of range with no configured reset policy for partitions: {\(tp)=\(position)}")
                }
                guard let again = fetchFromLeader(tp, c.positions[tp]!, leader: leader, maxRecords: remaining, isolationLevel: isolationLevel, context: context) else { continue }
                data = again
            }
            if let next = data.nextFetchOffset, data.error == nil {
                // read_committed: the broker's filter said where to go on (past markers and aborted records).
                if data.records.isEmpty { c.positions[tp] = max(position, next); continue }
            }
            guard data.error == nil, c.positions[tp]! < data.highWatermark else { continue }
            let records = data.records
            if records.isEmpty { c.positions[tp] = data.highWatermark; continue }
            c.processingFrom[tp] = records[0].offset
            for (i, r) in records.enumerated() {
                if fetched + i < 50 {
                    emit(.group(.recordConsumed(consumer: c.name, partition: tp, offset: r.offset, key: r.key, value: r.value)))
                }
            }
            c.positions[tp] = records[records.count - 1].offset + 1
            remaining -= records.count
            fetched += records.count
        }
        if fetched > 50 { emit(.group(.recordsConsumedSummary(consumer: c.name, more: fetched - 50))) }
        c.recordsConsumed += fetched
        return fetched
    }

    /// One partition's Fetch to its leader, at most `maxRecords` records from `offset`; nil when the leader cannot
    /// be reached (the next poll tries again).
    private func fetchFromLeader(_ tp: TopicPartition, _ offset: Int64, leader: Int, maxRecords: Int, isolationLevel: Int8,
                                 context: RequestContext) -> FetchResponse.PartitionData? {
        let request = FetchRequest(partitions: [.init(partition: tp, fetchOffset: offset)], maxRecords: maxRecords,
                                   isolationLevel: isolationLevel)
        return try? send(request, to: leader, from: context).responses.first
    }

    /// Applies `auto.offset.reset` with a ListOffsets to the leader; false for `none`.
    private func resetPosition(_ c: KafkaConsumer, _ tp: TopicPartition, reason outOfRange: Int64?) throws(KafkaError) -> Bool {
        let timestamp: Int64
        switch c.config.autoOffsetReset {
        case .earliest: timestamp = ListOffsetsRequest.earliestTimestamp
        case .latest: timestamp = ListOffsetsRequest.latestTimestamp
        case .none: return false
        }
        let target = try listOffset(consumer: c.name, tp, timestamp)
        c.positions[tp] = target
        emit(.group(.positionReset(consumer: c.name, partition: tp, offset: target, policy: c.config.autoOffsetReset,
                                   outOfRange: outOfRange)))
        return true
    }

    /// The offset of `tp` at `timestamp` (a ListOffsets spec), from the leader the consumer's metadata names.
    private func listOffset(consumer name: String, _ tp: TopicPartition, _ timestamp: Int64) throws(KafkaError) -> Int64 {
        let readCommitted: Int8 = consumers[name]?.config.isolationLevel == "read_committed" ? 1 : 0
        let response = try send(ListOffsetsRequest(partitions: [tp: timestamp], isolationLevel: readCommitted), to: try clientLeader(tp),
                                from: RequestContext(client: .consumer(name), clientId: name))
        let answer = response.partitions[tp]!
        if let error = answer.error { throw error }
        return answer.offset
    }

    /// A poll threw: the application dies with the exception and closes the consumer.
    private func failPoll(_ c: KafkaConsumer, _ exception: String) -> ConsumerError {
        emit(.group(.consumerFailed(consumer: c.name, exception: exception)))
        leaveOnClose(c)
        c.status = .stopped
        resetMembership(c)
        emit(.group(.consumerStopped(consumer: c.name)))
        return .pollFailed(exception)
    }

    // MARK: - Commits

    /// `commitSync()` of the positions (or of `offsets`). Throws Kafka's `CommitFailedException` when the
    /// consumer is no longer a member of the group's current generation.
    @discardableResult
    public func commitSync(_ name: String, offsets: [TopicPartition: Int64]? = nil) throws(ConsumerError) -> [TopicPartition: Int64] {
        let c = try requireRunning(name)
        return try commit(c, offsets ?? c.positions, kind: .sync, withLeaderEpoch: offsets == nil)
    }

    private func commitSyncQuietly(_ c: KafkaConsumer, kind: ConsumerEvent.CommitKind) {
        // Nothing consumed, or not a member of a generation yet (still joining): nothing to commit.
        guard !c.positions.isEmpty, c.manualAssignment || (c.memberState != .joining && c.memberState != .completingRebalance) else { return }
        do throws(ConsumerError) { _ = try commit(c, c.positions, kind: kind, withLeaderEpoch: true) } catch {
            emit(.group(.offsetCommitFailed(consumer: c.name, kind: kind, message: error.description)))
        }
    }

    private func commit(_ c: KafkaConsumer, _ offsets: [TopicPartition: Int64], kind: ConsumerEvent.CommitKind,
                        withLeaderEpoch: Bool) throws(ConsumerError) -> [TopicPartition: Int64] {
        guard let groupId = c.config.groupId else { throw .noGroupId }
        let before = groupCoordinator.offsets[groupId] ?? [:]
        let error = sendCommit(c, groupId, offsets, kind: kind, withLeaderEpoch: withLeaderEpoch,
                               memberId: c.manualAssignment ? "" : c.memberId, generation: c.manualAssignment ? -1 : c.generation)
        switch error {
        case nil:
            return offsets.filter { before[$0.key]?.offset != $0.value }
        case .rebalanceInProgress?:
            throw .rebalanceInProgress
        default:
            throw .commitFailed
        }
    }

    /// OffsetCommit to the coordinator, each position with the leader epoch of the record before it when the
    /// consumer commits its own positions. Returns the coordinator's error (COORDINATOR_NOT_AVAILABLE without an answer).
    private func sendCommit(_ c: KafkaConsumer, _ groupId: String, _ offsets: [TopicPartition: Int64], kind: ConsumerEvent.CommitKind,
                            withLeaderEpoch: Bool, memberId: String, generation: Int) -> GroupError? {
        // `generationIfStable()`: a subscribed member without a generation (it left, or has not joined) cannot commit.
        if !c.manualAssignment && (memberId.isEmpty || generation < 0) { return .unknownMemberId(memberId: memberId) }
        if c.manualAssignment, c.coordinatorId == nil { c.coordinatorId = coordinator(of: groupId) }
        let partitions = Dictionary(uniqueKeysWithValues: offsets.map { tp, offset in
            (tp, OffsetCommitRequest.Partition(committedOffset: offset,
                                               committedLeaderEpoch: withLeaderEpoch ? commitLeaderEpoch(tp, offset) ?? -1 : -1))
        })
        let request = OffsetCommitRequest(groupId: groupId, generationId: generation, memberId: memberId,
                                          groupInstanceId: c.config.groupInstanceId, topics: partitions, commitKind: kind)
        guard let response = sendToCoordinator(c, request) else { return .coordinatorNotAvailable }
        return response.error
    }

    /// `commitAsync()`: sent now, answered `asyncCommitLatencyMs` later (or late / failing when a fault is armed).
    @discardableResult
    public func commitAsync(_ name: String, offsets: [TopicPartition: Int64]? = nil) throws(ConsumerError) -> Int {
        let c = try requireRunning(name)
        guard let groupId = c.config.groupId else { throw .noGroupId }
        let id = groupCoordinator.nextCommitId
        groupCoordinator.nextCommitId += 1
        let fault = c.asyncCommitFault
        c.asyncCommitFault = nil
        groupCoordinator.inflightCommits[id] = PendingAsyncCommit(
            consumer: name, group: groupId, memberId: c.memberId, generation: c.generation,
            offsets: offsets ?? c.positions, fails: fault == .fail, positions: offsets == nil)
        c.inflightAsyncCommits += 1
        let latency = fault == .reorder ? Self.reorderedCommitLatencyMs : Self.asyncCommitLatencyMs
        scheduler.schedule(at: nowMs + latency, .asyncCommitAnswer(id: id))
        return id
    }

    private func answerAsyncCommit(_ id: Int) {
        guard let pending = groupCoordinator.inflightCommits.removeValue(forKey: id) else { return }
        let c = consumers[pending.consumer]
        c?.inflightAsyncCommits -= 1
        if pending.fails {
            emit(.group(.offsetCommitFailed(consumer: pending.consumer, kind: .async,
                message: "org.apache.kafka.clients.consumer.RetriableCommitFailedException: Offset commit failed with a retriable exception. You should retry committing the latest consumed offsets. Caused by: org.apache.kafka.common.errors.CoordinatorNotAvailableException: The coordinator is not available.")))
            return
        }
        // The request reaches the coordinator now (sent `asyncCommitLatencyMs` ago, or later with the reorder fault).
        guard let c else { return }
        let standalone = c.manualAssignment
        let error = sendCommit(c, pending.group, pending.offsets, kind: .async, withLeaderEpoch: pending.positions,
                               memberId: standalone ? "" : pending.memberId, generation: standalone ? -1 : pending.generation)
        if error != nil, !standalone {
            emit(.group(.offsetCommitFailed(consumer: pending.consumer, kind: .async, message: ConsumerError.commitFailed.description)))
        }
    }

    /// A Java `UUID.randomUUID().toString()` from the seeded generator.
    func javaUuid() -> String {
        var b = random.nextUuidBytes()
        b[6] = (b[6] & 0x0f) | 0x40
        b[8] = (b[8] & 0x3f) | 0x80
        let hex = b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-" + hex[8..<10].joined() + "-" + hex[10..<16].joined()
    }
}

extension Cluster {
    /// `consumer poll`: the application calls `poll()` now, finishing the batch in hand first.
    public func pollNow(_ name: String) throws(ConsumerError) -> Int {
        let c = try requireConsumer(name)
        guard c.isAlive else { throw .notRunning(name, c.status) }
        c.busyUntilMs = min(c.busyUntilMs, nowMs)
        // The loop's pending poll (at the end of the batch in hand) is this one.
        c.pollScheduled = false
        c.pollToken += 1
        return try loopPoll(c)
    }
}
