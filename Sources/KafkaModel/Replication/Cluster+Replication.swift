// Follower replication on the simulated clock (Kafka's `ReplicaFetcherThread`, `Partition.fetchRecords`,
// `maybeIncrementLeaderHW`, `maybeExpandIsr`/`maybeShrinkIsr`, `DelayedProduce`).
//
// Each broker keeps its own replica of every partition placed on it (`ReplicaManager` → `Partition` → its log).
// A follower's fetcher sends one Fetch at a time to each leader it copies from; the message travels
// `network.latencyMs`. The leader answers at once when it has records (or an error, or a diverging epoch), else
// holds the request (`replica.fetch.wait.max.ms`) until it appends. A held request with nothing newer to say costs
// no timer: an idle cluster does no work per fetch round (issue 10's `tick 24h` budget). When only the high
// watermark moved, the held request answers when its wait ends, as Kafka's DelayedFetch does.

/// Bugs a test can plant in a cluster (`Cluster.testOnlyPlantedBug`) to show that the replication and delivery
/// checkers find them.
enum PlantedBug: Sendable, Equatable {
    /// The leader's high watermark follows its own log end, without waiting for the in-sync followers.
    case highWatermarkIgnoresFollowers
    /// The leader appends an idempotent producer's retry again instead of answering it from its producer state.
    case leaderIgnoresProducerDedupe
    /// The coordinator's ABORT writes COMMIT markers.
    case abortWritesCommitMarkers
    /// A read_committed fetch reads up to the high watermark, past the last stable offset.
    case readCommittedReadsToHighWatermark
}

extension Cluster {
    /// `replica.lag.time.max.ms`.
    public static let replicaLagTimeMaxMs: Int64 = 30_000
    /// The leader's ISR-expiration task runs every `replica.lag.time.max.ms / 2`.
    public static let isrExpirationIntervalMs: Int64 = 15_000
    /// `replica.fetch.wait.max.ms`.
    public static let replicaFetchWaitMaxMs: Int64 = 500
    /// `replica.fetch.backoff.ms`: the wait after a fetch that could not reach its leader.
    public static let replicaFetchBackoffMs: Int64 = 1_000
    /// `replica.fetch.max.bytes`.
    public static let replicaFetchMaxBytes = 1 << 20
    /// `broker.session.timeout.ms`.
    public static let brokerSessionTimeoutMs = ClusterControlManager.brokerSessionTimeoutMs
    /// `broker.heartbeat.interval.ms`.
    public static let brokerHeartbeatIntervalMs = ClusterControlManager.brokerHeartbeatIntervalMs

    /// Steps of a replica fetch, each a timer.
    public enum ReplicaFetchStep: Sendable, Equatable {
        /// The follower sends its next Fetch.
        case send
        /// The Fetch reaches the leader.
        case requestArrives
        /// The leader's answer reaches the follower.
        case responseArrives
        /// A held Fetch's `replica.fetch.wait.max.ms` ends.
        case waitExpired
    }

    // MARK: Replicas

    /// `broker`'s replica of `partition`, if it hosts one.
    public func replica(_ partition: TopicPartition, on broker: Int) -> Partition? {
        replicaManagers[broker]?.partitions[partition]
    }

    /// Every replica of a partition, in assignment order.
    public func replicas(of partition: TopicPartition) -> [Partition] {
        guard let state = topics[partition.topic]?.partitions[safe: partition.partition] else { return [] }
        return state.replicas.compactMap { replica(partition, on: $0) }
    }

    /// Registers a broker's replica whose log the log manager opened.
    func addReplica(_ partition: TopicPartition, broker: Int, log: UnifiedLog) {
        log.highWatermarkFollowsLogEnd = false
        let replica = Partition(topicPartition: partition, brokerId: broker, log: log)
        if let text = try? log.storage.readAll(Self.leaderEpochCheckpointFile), let cache = LeaderEpochCache(checkpoint: String(decoding: text, as: UTF8.self)) {
            replica.epochCache = cache
        }
        if replicaManagers[broker] == nil { replicaManagers[broker] = ReplicaManager(brokerId: broker) }
        replicaManagers[broker]!.partitions[partition] = replica
    }

    /// Forgets the replicas of a partition (its logs are deleted by the log manager).
    func removeReplicas(_ partition: TopicPartition) {
        for manager in replicaManagers.values { manager.partitions[partition] = nil }
        for (id, produce) in delayedProduces where produce.partition == partition {
            finishDelayedProduce(id, .failure(.unknownTopicOrPartition("This server does not host this topic-partition.")))
        }
    }

    static let leaderEpochCheckpointFile = "leader-epoch-checkpoint"

    private func writeEpochCheckpoint(_ replica: Partition) {
        try? replica.log.storage.write(Self.leaderEpochCheckpointFile, Array(replica.epochCache.checkpointText.utf8))
    }

    /// Whether the controller's metadata reaches `broker` (it runs and is not cut off from the active controller).
    func metadataReaches(_ broker: Int) -> Bool {
        guard let controller = controllerId, self.broker(broker)?.isAlive == true else { return false }
        return network.connects(controller, broker)
    }

    /// After any metadata change: every broker the controller reaches learns each partition's leader, epoch and
    /// ISR (becoming leader or follower), and replica fetchers start or stop to match.
    func syncReplicas() {
        var wanted: [ReplicaFetcher.Key: Set<TopicPartition>] = [:]
        for name in topicNames {
            let topic = topics[name]!
            for (p, state) in topic.partitions.enumerated() {
                let tp = TopicPartition(name, p)
                for b in state.replicas {
                    guard let replica = replica(tp, on: b), broker(b)?.isAlive == true else { continue }
                    if metadataReaches(b) || replica.leaderEpoch < 0 { apply(state, to: replica) }
                    if !replica.isLeader, let leader = replica.leaderId {
                        wanted[ReplicaFetcher.Key(follower: b, leader: leader), default: []].insert(tp)
                    }
                }
            }
        }
        for key in wanted.keys.sorted() {
            if let fetcher = fetchers[key] {
                // A held request for other partitions than the fetcher now copies is dropped: the next one asks for them.
                if case let .parked(id, _, _) = fetcher.state, let request = fetchRequests[id], Set(request.partitions.keys) != wanted[key]! {
                    fetchRequests[id] = nil
                } else {
                    continue
                }
            }
            fetchers[key] = ReplicaFetcher(state: .sending(atMs: nowMs))
            scheduler.schedule(at: nowMs, .replicaFetch(follower: key.follower, leader: key.leader, request: -1, step: .send))
        }
        for key in fetchers.keys where wanted[key] == nil { fetchers[key] = nil }
    }

    /// A broker learns a partition's state from the controller.
    private func apply(_ state: PartitionState, to replica: Partition) {
        replica.assignment = state.replicas
        replica.partitionEpoch = state.partitionEpoch
        let isrChanged = replica.isr != state.isr
        replica.isr = state.isr
        if replica.leaderId != state.leader || replica.leaderEpoch != state.leaderEpoch {
            let wasLeader = replica.isLeader
            replica.leaderId = state.leader
            replica.leaderEpoch = state.leaderEpoch
            if replica.isLeader {
                makeLeader(replica)
            } else {
                replica.followers = [:]
                if wasLeader {
                    failDelayedProduces(replica.topicPartition, leader: replica.brokerId,
                                        .notLeaderOrFollower("This server is not the leader for that topic-partition."))
                }
            }
        } else if isrChanged && replica.isLeader {
            maybeIncrementLeaderHW(replica)
        }
    }

    /// `Partition.makeLeader`: the epoch starts at this replica's log end; followers start unknown (in-sync ones
    /// count as caught up now).
    private func makeLeader(_ replica: Partition) {
        let log = replica.log
        replica.leaderEpochStartOffset = log.logEndOffset
        replica.epochCache.assign(epoch: Int32(replica.leaderEpoch), startOffset: log.logEndOffset)
        writeEpochCheckpoint(replica)
        log.leaderEpoch = Int32(replica.leaderEpoch)
        replica.followers = [:]
        for r in replica.assignment where r != replica.brokerId {
            replica.followers[r] = ReplicaState(lastCaughtUpTimeMs: replica.isr.contains(r) ? nowMs : 0)
        }
        logManager.promote(replica.topicPartition, broker: replica.brokerId)
        maybeIncrementLeaderHW(replica)
    }

    // MARK: High watermark

    /// The topic's `min.insync.replicas`.
    func minInsyncReplicas(_ topic: String) -> Int {
        topics[topic]?.config("min.insync.replicas").flatMap { Int($0) } ?? 1
    }

    /// `Partition.maybeIncrementLeaderHW`: the smallest log end among the leader and the followers that count
    /// (in the ISR, or caught up and eligible), never while the ISR is below `min.insync.replicas` (KAFKA-15583).
    func maybeIncrementLeaderHW(_ replica: Partition) {
        guard replica.isLeader else { return }
        let tp = replica.topicPartition
        let log = replica.log
        if replica.isr.count < replica.effectiveMinIsr(minInsyncReplicas(tp.topic)) { return }
        var newHW = log.logEndOffset
        for r in replica.assignment where r != replica.brokerId && testOnlyPlantedBug != .highWatermarkIgnoresFollowers {
            guard let state = replica.followers[r] else { continue }
            let counts = replica.isr.contains(r)
                || (state.isCaughtUp(leaderEnd: log.logEndOffset, nowMs: nowMs, maxLagMs: Self.replicaLagTimeMaxMs) && isIsrEligible(r))
            if counts && state.logEndOffset < newHW { newHW = state.logEndOffset }
        }
        guard newHW > log.highWatermark else { return }
        let old = log.highWatermark
        log.setHighWatermark(newHW)
        if replica.assignment.count > 1 {
            emit(.replication(.highWatermarkAdvanced(partition: tp, leader: replica.brokerId, from: old, to: newHW)))
        }
        completeDelayedProduces(tp, leader: replica.brokerId, highWatermark: newHW)
        highWatermarkAdvanced(tp)
        // Held follower fetches of this partition tell the new high watermark when their wait ends.
        for key in fetchers.keys.sorted() where key.leader == replica.brokerId {
            guard case let .parked(id, since, false) = fetchers[key]!.state, fetchRequests[id]?.partitions[tp] != nil else { continue }
            fetchers[key]!.state = .parked(request: id, sinceMs: since, expiryScheduled: true)
            scheduler.schedule(at: max(nowMs, since + Self.replicaFetchWaitMaxMs),
                               .replicaFetch(follower: key.follower, leader: key.leader, request: id, step: .waitExpired))
        }
    }

    /// A broker the controller would accept in an ISR: running, unfenced, not crashed.
    func isIsrEligible(_ broker: Int) -> Bool {
        controller.isAcceptableLeader(broker)
    }

    /// The leader appended to `replica`: its high watermark may move (a partition without followers in its ISR),
    /// and held follower fetches of the partition are answered now.
    func leaderAppended(_ replica: Partition) {
        maybeIncrementLeaderHW(replica)
        let tp = replica.topicPartition
        for key in fetchers.keys.sorted() where key.leader == replica.brokerId {
            guard case let .parked(id, _, _) = fetchers[key]!.state, fetchRequests[id]?.partitions[tp] != nil else { continue }
            answerFetch(id, force: true)
        }
    }

    /// Copies the leader's new records to its in-sync followers that run and are reachable, now, and moves the high
    /// watermark (the coordinator's writes, see `appendCoordinatorRecords`).
    func replicateNow(_ leader: Partition) {
        let tp = leader.topicPartition
        for r in leader.isr where r != leader.brokerId {
            guard broker(r)?.isAlive == true, network.connects(r, leader.brokerId), let follower = replica(tp, on: r),
                  follower.leaderId == leader.brokerId, follower.leaderEpoch == leader.leaderEpoch else { continue }
            let from = follower.log.logEndOffset
            guard from >= leader.log.logStartOffset, from < leader.log.logEndOffset,
                  let bytes = try? leader.log.readBatchBytes(from: from, maxBytes: Int.max),
                  let appended = try? follower.log.appendAsFollower(bytes, nowMs: nowMs) else { continue }
            for (epoch, start) in appended.epochs { follower.epochCache.assign(epoch: epoch, startOffset: start) }
            var state = leader.followers[r] ?? ReplicaState(lastCaughtUpTimeMs: nowMs)
            state.recordFetch(fetchOffset: follower.log.logEndOffset, leaderEnd: leader.log.logEndOffset, nowMs: nowMs)
            leader.followers[r] = state
        }
        maybeIncrementLeaderHW(leader)
        for r in leader.isr where r != leader.brokerId {
            replica(tp, on: r)?.log.setHighWatermark(leader.log.highWatermark)
        }
    }

    // MARK: Fetching

    /// A replica-fetch timer fired.
    func fireReplicaFetch(follower: Int, leader: Int, request: Int, step: ReplicaFetchStep) {
        let key = ReplicaFetcher.Key(follower: follower, leader: leader)
        guard let fetcher = fetchers[key] else {
            fetchRequests[request] = nil
            fetchResponses[request] = nil
            return
        }
        switch step {
        case .send:
            guard case .sending(let at) = fetcher.state, at == nowMs else { return }
            sendFetch(key)
        case .requestArrives:
            guard fetcher.state == .inFlight(request: request) else { return }
            answerFetch(request, force: false)
        case .responseArrives:
            guard fetcher.state == .inFlight(request: request) else { return }
            handleFetchResponse(request)
        case .waitExpired:
            guard case .parked(request, _, _) = fetcher.state else { return }
            answerFetch(request, force: true)
        }
    }

    /// The follower builds one Fetch for every partition it copies from the leader and sends it.
    private func sendFetch(_ key: ReplicaFetcher.Key) {
        guard broker(key.follower)?.isAlive == true, let manager = replicaManagers[key.follower] else {
            fetchers[key] = nil
            return
        }
        var partitions: [TopicPartition: FetchPartition] = [:]
        for (tp, replica) in manager.partitions where !replica.isLeader && replica.leaderId == key.leader {
            partitions[tp] = FetchPartition(fetchOffset: replica.log.logEndOffset,
                                            lastFetchedEpoch: replica.epochCache.latestEpoch ?? -1,
                                            currentLeaderEpoch: replica.leaderEpoch)
        }
        guard !partitions.isEmpty else {
            fetchers[key] = nil
            return
        }
        guard network.connects(key.follower, key.leader), broker(key.leader)?.isAlive == true else {
            backOff(key)
            return
        }
        let id = nextFetchRequestId
        nextFetchRequestId += 1
        fetchRequests[id] = ReplicaFetchRequest(id: id, key: key, partitions: partitions)
        fetchers[key]!.state = .inFlight(request: id)
        scheduler.schedule(at: nowMs + network.latencyMs,
                           .replicaFetch(follower: key.follower, leader: key.leader, request: id, step: .requestArrives))
    }

    /// The leader could not be reached: the follower tries again after `replica.fetch.backoff.ms`.
    private func backOff(_ key: ReplicaFetcher.Key) {
        let at = nowMs + Self.replicaFetchBackoffMs
        fetchers[key]!.state = .sending(atMs: at)
        scheduler.schedule(at: at, .replicaFetch(follower: key.follower, leader: key.leader, request: -1, step: .send))
    }

    /// The follower sends its next fetch: at once, or after the delay `broker slow` set.
    private func fetchAgain(_ key: ReplicaFetcher.Key) {
        let delay = fetchDelays[key.follower] ?? 0
        guard delay > 0 else { return sendFetch(key) }
        let at = nowMs + delay
        fetchers[key]!.state = .sending(atMs: at)
        scheduler.schedule(at: at, .replicaFetch(follower: key.follower, leader: key.leader, request: -1, step: .send))
    }

    /// The leader handles a Fetch (`ReplicaManager.fetchMessages` for a follower): per partition it reads from the
    /// fetch offset, then records the follower's position (which may grow the ISR and the high watermark). With
    /// nothing to send and no `force`, it holds the request.
    private func answerFetch(_ id: Int, force: Bool) {
        guard let request = fetchRequests[id] else { return }
        let key = request.key
        guard broker(key.leader)?.isAlive == true, network.connects(key.follower, key.leader) else {
            fetchRequests[id] = nil
            backOff(key)
            return
        }
        var response: [TopicPartition: FetchPartitionResponse] = [:]
        var hasNews = false
        for tp in request.partitions.keys.sorted() {
            let answer = readForFollower(tp, request.partitions[tp]!, follower: key.follower, leader: key.leader)
            if answer.error != nil || !answer.bytes.isEmpty || answer.divergingEpoch != nil { hasNews = true }
            response[tp] = answer
        }
        guard hasNews || force else {
            // Held: answer early only if the leader has a newer high watermark to tell.
            var stale = false
            for tp in request.partitions.keys {
                if let replica = replica(tp, on: key.leader), replica.isLeader,
                   replica.followers[key.follower]?.highWatermarkSent != replica.log.highWatermark { stale = true }
            }
            fetchers[key]!.state = .parked(request: id, sinceMs: nowMs, expiryScheduled: stale)
            if stale {
                scheduler.schedule(at: nowMs + Self.replicaFetchWaitMaxMs,
                                   .replicaFetch(follower: key.follower, leader: key.leader, request: id, step: .waitExpired))
            }
            return
        }
        // What the follower will know: a held fetch later answers early only to tell it something newer.
        for (tp, answer) in response where answer.error == nil && answer.divergingEpoch == nil {
            replica(tp, on: key.leader)?.followers[key.follower]?.highWatermarkSent = answer.highWatermark
        }
        fetchResponses[id] = response
        fetchers[key]!.state = .inFlight(request: id)
        scheduler.schedule(at: nowMs + network.latencyMs,
                           .replicaFetch(follower: key.follower, leader: key.leader, request: id, step: .responseArrives))
    }

    /// `Partition.fetchRecords` for a follower: leadership and epoch checks, the divergence check, the read, then
    /// `updateFollowerFetchState`.
    private func readForFollower(_ tp: TopicPartition, _ fetch: FetchPartition, follower: Int, leader: Int) -> FetchPartitionResponse {
        guard let replica = replica(tp, on: leader), replica.isLeader else {
            return FetchPartitionResponse(error: .notLeaderOrFollower("This server is not the leader for that topic-partition."))
        }
        guard fetch.currentLeaderEpoch == replica.leaderEpoch else {
            return FetchPartitionResponse(error: .notLeaderOrFollower("The leader epoch in the request does not match the broker's."))
        }
        let log = replica.log
        var answer = FetchPartitionResponse(highWatermark: log.highWatermark, logStartOffset: log.logStartOffset)
        if fetch.lastFetchedEpoch >= 0 {
            let (epoch, end) = replica.epochCache.endOffset(for: fetch.lastFetchedEpoch, logEndOffset: log.logEndOffset)
            if epoch < fetch.lastFetchedEpoch || end < fetch.fetchOffset {
                answer.divergingEpoch = (epoch, end)
                return answer
            }
        }
        if fetch.fetchOffset > log.logEndOffset {
            answer.divergingEpoch = (replica.epochCache.latestEpoch ?? -1, log.logEndOffset)
            return answer
        }
        if fetch.fetchOffset < log.logStartOffset {
            answer.error = .offsetOutOfRange("The requested offset is not within the range of offsets maintained by the server.")
            return answer
        }
        answer.bytes = (try? log.readBatchBytes(from: fetch.fetchOffset, maxBytes: Self.replicaFetchMaxBytes)) ?? []
        var state = replica.followers[follower] ?? ReplicaState(lastCaughtUpTimeMs: 0)
        state.recordFetch(fetchOffset: fetch.fetchOffset, leaderEnd: log.logEndOffset, nowMs: nowMs)
        replica.followers[follower] = state
        maybeExpandIsr(replica, follower: follower)
        maybeIncrementLeaderHW(replica)
        return answer
    }

    /// The follower takes the leader's answer: appends what it sent, learns the high watermark, cuts a diverged tail.
    private func handleFetchResponse(_ id: Int) {
        guard let request = fetchRequests.removeValue(forKey: id), let response = fetchResponses.removeValue(forKey: id) else { return }
        let key = request.key
        guard broker(key.follower)?.isAlive == true else {
            fetchers[key] = nil
            return
        }
        guard network.connects(key.follower, key.leader) else { return backOff(key) }
        // A fetch that only brought errors, or a divergence that changed nothing, is retried after the backoff
        // (`replica.fetch.backoff.ms`) rather than at once.
        var stuck = false
        for tp in response.keys.sorted() {
            guard let replica = replica(tp, on: key.follower), !replica.isLeader, replica.leaderId == key.leader,
                  replica.leaderEpoch == request.partitions[tp]?.currentLeaderEpoch else { continue }
            let answer = response[tp]!
            let log = replica.log
            if let diverging = answer.divergingEpoch {
                if !truncateDiverged(replica, leader: key.leader, epoch: diverging.epoch, endOffset: diverging.endOffset) { stuck = true }
                continue
            }
            if case .offsetOutOfRange = answer.error {
                // The leader's log starts past this replica's end: start over at the leader's log start.
                if let cut = try? log.truncateFullyAndStart(at: answer.logStartOffset, nowMs: nowMs), cut.records > 0 {
                    emit(.replication(.replicaTruncated(partition: tp, broker: key.follower, toOffset: answer.logStartOffset,
                                                        records: cut.records, reason: .divergingEpoch(leader: key.leader, epoch: -1, endOffset: answer.logStartOffset))))
                }
                replica.epochCache = LeaderEpochCache()
                writeEpochCheckpoint(replica)
                continue
            }
            if answer.error != nil {
                stuck = true
                continue
            }
            if !answer.bytes.isEmpty {
                do throws(LogError) {
                    if let appended = try log.appendAsFollower(answer.bytes, nowMs: nowMs) {
                        let before = replica.epochCache
                        for (epoch, start) in appended.epochs { replica.epochCache.assign(epoch: epoch, startOffset: start) }
                        if replica.epochCache != before { writeEpochCheckpoint(replica) }
                        emit(.replication(.replicaFetched(partition: tp, follower: key.follower, leader: key.leader,
                                                          firstOffset: appended.first, lastOffset: appended.last, records: appended.records)))
                    }
                } catch {
                    // A follower that cannot write (a full disk) stays behind; the leader drops it from the ISR in time.
                    continue
                }
            }
            if log.logStartOffset < answer.logStartOffset && answer.logStartOffset <= log.logEndOffset {
                _ = log.maybeIncrementLogStartOffset(to: answer.logStartOffset)
            }
            log.setHighWatermark(min(answer.highWatermark, log.logEndOffset))
        }
        if stuck { backOff(key) } else { fetchAgain(key) }
    }

    /// A follower whose last epoch the leader ended earlier (or never had) cuts its log back to where they agree
    /// (`getOffsetTruncationState`; a leader with no epoch that old sends the follower back to its high watermark).
    /// Returns whether anything changed.
    private func truncateDiverged(_ replica: Partition, leader: Int, epoch: Int32, endOffset: Int64) -> Bool {
        let log = replica.log
        var target: Int64
        if epoch < 0 {
            target = log.highWatermark
        } else {
            let (ownEpoch, ownEnd) = replica.epochCache.endOffset(for: epoch, logEndOffset: log.logEndOffset)
            target = min(endOffset, log.logEndOffset)
            if ownEpoch == epoch {
                target = min(target, ownEnd)
            } else {
                target = min(target, max(replica.epochCache.endOffset(for: epoch - 1, logEndOffset: log.logEndOffset).endOffset, 0))
            }
        }
        target = min(max(target, log.logStartOffset), log.logEndOffset)
        let cacheBefore = replica.epochCache
        let cut = try? log.truncate(to: target, nowMs: nowMs)
        replica.epochCache.truncateFromEnd(log.logEndOffset)
        if epoch < 0 { replica.epochCache.truncateFromEnd(target) }
        let changed = cut != nil || replica.epochCache != cacheBefore
        if replica.epochCache != cacheBefore { writeEpochCheckpoint(replica) }
        if let cut {
            emit(.replication(.replicaTruncated(partition: replica.topicPartition, broker: replica.brokerId, toOffset: cut.fromOffset,
                                                records: cut.records, reason: .divergingEpoch(leader: leader, epoch: epoch, endOffset: endOffset))))
        }
        return changed
    }

    // MARK: ISR

    /// `maybeExpandIsr`: a follower outside the ISR that reached the high watermark and this epoch's start rejoins.
    private func maybeExpandIsr(_ replica: Partition, follower: Int) {
        guard !replica.isr.contains(follower), let state = replica.followers[follower],
              state.logEndOffset >= replica.log.highWatermark, state.logEndOffset >= replica.leaderEpochStartOffset,
              isIsrEligible(follower) else { return }
        alterPartition(replica, isr: replica.isr + [follower])
    }

    /// The leader's `isr-expiration` task (every 15 s): followers in the ISR that have not caught up within
    /// `replica.lag.time.max.ms` leave it.
    func fireIsrExpiration() {
        scheduler.schedule(at: nowMs + Self.isrExpirationIntervalMs, .isrExpiration)
        // Found in any order (the common case finds none), then shrunk in broker and partition order.
        var shrinks: [(broker: Int, tp: TopicPartition, replica: Partition, outOfSync: [Int])] = []
        for broker in brokers where broker.isAlive {
            guard let manager = replicaManagers[broker.id] else { continue }
            for replica in manager.partitions.values where replica.isLeader && replica.isr.count > 1 {
                let end = replica.log.logEndOffset
                let outOfSync = replica.isr.filter { r in
                    r != replica.brokerId && !(replica.followers[r]?.isCaughtUp(leaderEnd: end, nowMs: nowMs, maxLagMs: Self.replicaLagTimeMaxMs) ?? false)
                }
                if !outOfSync.isEmpty { shrinks.append((broker.id, replica.topicPartition, replica, outOfSync)) }
            }
        }
        for shrink in shrinks.sorted(by: { ($0.broker, $0.tp) < ($1.broker, $1.tp) }) {
            var isr = shrink.replica.isr
            for r in shrink.outOfSync {
                isr.removeAll { $0 == r }
                alterPartition(shrink.replica, isr: isr)
            }
        }
    }

    /// Whether the ISR-expiration task would drop nobody now and as long as nothing is appended: every in-sync
    /// follower has the leader's log end.
    func isrExpirationIsQuiet() -> Bool {
        for manager in replicaManagers.values {
            for replica in manager.partitions.values where replica.isLeader && broker(replica.brokerId)?.isAlive == true {
                for r in replica.isr where r != replica.brokerId && replica.followers[r]?.logEndOffset != replica.log.logEndOffset {
                    return false
                }
            }
        }
        return fetchers.values.allSatisfy { if case .parked(_, _, false) = $0.state { return true } else { return false } }
    }

    /// The leader's AlterPartition: sent only if the controller can be reached; the controller takes the new ISR if
    /// the leader's epochs are current (a refused request changes nothing); then every broker learns it.
    private func alterPartition(_ replica: Partition, isr newIsr: [Int]) {
        guard let active = controllerId, network.connects(active, replica.brokerId) else { return }
        let request = AlterPartitionRequest(partition: replica.topicPartition, brokerId: replica.brokerId, leaderEpoch: replica.leaderEpoch,
                                            partitionEpoch: replica.partitionEpoch, newIsr: newIsr)
        guard let delta = try? controller.alterPartition(request) else { return }
        emit(delta)
        syncReplicas()
    }

    // MARK: acks=all

    /// Parks an `acks=all` produce until the high watermark passes `result`'s batch.
    func delayProduce(_ context: RequestContext, partition: TopicPartition, leader: Partition, result: AppendResult,
                      timeoutMs: Int64) {
        let id = nextDelayedProduceId
        nextDelayedProduceId += 1
        delayedProduces[id] = DelayedProduce(id: id, context: context, partition: partition,
                                             leader: leader.brokerId, leaderEpoch: leader.leaderEpoch,
                                             firstOffset: result.firstOffset, requiredOffset: result.lastOffset + 1,
                                             records: result.recordCount, sentMs: nowMs)
        scheduler.schedule(at: nowMs + timeoutMs, .delayedProduceExpired(id: id))
    }

    private func completeDelayedProduces(_ tp: TopicPartition, leader: Int, highWatermark: Int64) {
        guard !delayedProduces.isEmpty else { return }
        for id in delayedProduces.keys.sorted() {
            let produce = delayedProduces[id]!
            guard produce.partition == tp, produce.leader == leader, produce.requiredOffset <= highWatermark else { continue }
            answerDelayedProduce(id, .success(produce.firstOffset))
        }
    }

    /// The leader stepped down (or the partition went): its waiting produces fail, and the producers retry.
    func failDelayedProduces(_ tp: TopicPartition, leader: Int, _ error: KafkaError) {
        for id in delayedProduces.keys.sorted() where delayedProduces[id]!.partition == tp && delayedProduces[id]!.leader == leader {
            answerDelayedProduce(id, .failure(error))
        }
    }

    /// `request.timeout.ms` passed with the batch still above the high watermark.
    func delayedProduceExpired(_ id: Int) {
        guard delayedProduces[id] != nil, delayedProduceAnswers[id] == nil else { return }
        finishDelayedProduce(id, .failure(.requestTimedOut(
            "The request timed out. acks=all waits until every in-sync replica has the batch; the high watermark did not reach it within request.timeout.ms.")))
    }

    /// The purgatory completes a produce; its response goes out as the current work finishes (a timer due now),
    /// never from inside the append or fetch that completed it.
    private func answerDelayedProduce(_ id: Int, _ result: Result<Int64, KafkaError>) {
        guard delayedProduces[id] != nil, delayedProduceAnswers[id] == nil else { return }
        delayedProduceAnswers[id] = result
        scheduler.schedule(at: nowMs, .delayedProduceAnswered(id: id))
    }

    /// A completed produce's response reaches its producer.
    func delayedProduceAnswered(_ id: Int) {
        guard let result = delayedProduceAnswers.removeValue(forKey: id) else { return }
        finishDelayedProduce(id, result)
    }

    private func finishDelayedProduce(_ id: Int, _ result: Result<Int64, KafkaError>) {
        delayedProduceAnswers[id] = nil
        guard let produce = delayedProduces.removeValue(forKey: id) else { return }
        if network.lostAnswers.remove(produce.context) != nil, case .producer(let name) = produce.context.client {
            // `network drop-responses`: the answer is lost on its way back; the producer times out.
            emit(.replication(.produceLost(producer: name, partition: produce.partition, broker: produce.leader,
                                           batch: Int(produce.context.correlationId), response: true)))
            return
        }
        if case .success(let offset) = result, case .producer(let name) = produce.context.client,
           producers[name]?.reportsBatches == true {
            emit(.replication(.produceAcknowledged(producer: name, partition: produce.partition,
                                                   batch: Int(produce.context.correlationId), offset: offset,
                                                   waitedMs: nowMs - produce.sentMs)))
        }
        let answer: ProduceResponse.PartitionResponse
        switch result {
        case .success(let offset): answer = .init(partition: produce.partition, baseOffset: offset)
        case .failure(let error): answer = .init(partition: produce.partition, error: error)
        }
        if let delay = clientAnswerDelay(produce.leader) {
            answerLater(ProduceResponse(responses: [answer]), to: produce.context, from: produce.leader, delayMs: delay)
            return
        }
        deliver(.produce(ProduceResponse(responses: [answer])), to: produce.context)
    }

    // MARK: Faults

    /// Crashes a broker: no controlled shutdown. Its partitions keep it as leader and in their ISRs until the
    /// controller fences it, `broker.session.timeout.ms` after its last heartbeat. With `loseUnflushed`, its replicas
    /// lose what was written since their last flush (a segment roll), as after a power cut.
    @discardableResult
    public func killBroker(_ id: Int, loseUnflushed: Bool = false) throws(KafkaError) -> Int64 {
        guard let index = brokers.firstIndex(where: { $0.id == id }) else {
            throw .brokerNotAvailable("Broker \(id) does not exist. Brokers: \(brokers.map { String($0.id) }.joined(separator: ", ")).")
        }
        guard brokers[index].isAlive else { throw .brokerNotAvailable("Broker \(id) is already stopped.") }
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        controller.processBrokerStop(id)
        emit(.replication(.brokerKilled(broker: id, loseUnflushed: loseUnflushed)))
        if loseUnflushed, let manager = replicaManagers[id] {
            for tp in manager.partitions.keys.sorted() {
                let replica = manager.partitions[tp]!
                let flushed = replica.log.activeSegment.baseOffset
                guard let cut = try? replica.log.truncate(to: flushed, nowMs: nowMs), cut.records > 0 else { continue }
                replica.epochCache.truncateFromEnd(replica.log.logEndOffset)
                writeEpochCheckpoint(replica)
                emit(.replication(.replicaTruncated(partition: tp, broker: id, toOffset: cut.fromOffset, records: cut.records, reason: .unflushed)))
            }
        }
        // Clients connected to it see the connection drop: their waiting requests fail at once (and are retried).
        for produceId in delayedProduces.keys.sorted() where delayedProduces[produceId]?.leader == id {
            finishDelayedProduce(produceId, .failure(.networkException("The server disconnected before a response was received.")))
        }
        controller.processBrokerCrash(id)
        let fenceAt = scheduleSessionExpiry(id)
        quorumChanged()
        return fenceAt
    }

    /// The controller fences a broker whose heartbeats stopped at the first stale-session check
    /// (every `broker.session.timeout.ms / 8`) past its session's end.
    @discardableResult
    func scheduleSessionExpiry(_ id: Int) -> Int64 {
        let at = controller.image.cluster.sessionExpiryCheckMs(id, nowMs: nowMs)
        scheduler.schedule(at: at, .brokerSessionExpired(broker: id))
        return at
    }

    /// A broker's session ran out: if its heartbeats still cannot reach the controller, it is fenced (without a
    /// controller, the next one gives it a new session).
    func brokerSessionExpired(_ id: Int) {
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        guard let delta = controller.processSessionExpiry(id) else { return }
        emit(delta)
        syncReplicas()
    }

    /// `broker slow ID --fetch-delay D`: the broker's replica fetchers wait `delayMs` before each fetch.
    public func setFetchDelay(_ id: Int, delayMs: Int64) throws(KafkaError) {
        guard broker(id) != nil else {
            throw .brokerNotAvailable("Broker \(id) does not exist. Brokers: \(brokers.map { String($0.id) }.joined(separator: ", ")).")
        }
        fetchDelays[id] = delayMs > 0 ? delayMs : nil
        emit(.replication(.fetchDelayChanged(broker: id, delayMs: max(delayMs, 0))))
        // A wait already running ends no later than the new delay allows.
        for key in fetchers.keys.sorted() where key.follower == id {
            guard case .sending(let at) = fetchers[key]!.state, at > nowMs + max(delayMs, 0) else { continue }
            let due = nowMs + max(delayMs, 0)
            fetchers[key]!.state = .sending(atMs: due)
            scheduler.schedule(at: due, .replicaFetch(follower: key.follower, leader: key.leader, request: -1, step: .send))
        }
    }

    /// `network isolate ID`: cuts a broker off from the other brokers and the controller (clients still reach it).
    public func isolateBroker(_ id: Int) throws(KafkaError) {
        guard let b = broker(id) else {
            throw .brokerNotAvailable("Broker \(id) does not exist. Brokers: \(brokers.map { String($0.id) }.joined(separator: ", ")).")
        }
        guard !network.isolated.contains(id) else { throw .invalidRequest("Broker \(id) is already isolated. Heal it with: network heal \(id)") }
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        network.isolated.insert(id)
        emit(.replication(.networkPartitioned(broker: id, isolated: true)))
        if b.isAlive { scheduleSessionExpiry(id) }
        quorumChanged()
    }

    /// `network heal [ID]`: reconnects one isolated broker, or all. A healed broker heartbeats again, is unfenced and
    /// learns the metadata it missed: a zombie leader becomes a follower and truncates what only it had.
    public func healNetwork(_ id: Int? = nil) throws(KafkaError) {
        let healed = id.map { [$0] } ?? network.isolated.sorted()
        if let id, !network.isolated.contains(id) {
            throw .invalidRequest("Broker \(id) is not isolated\(network.isolated.isEmpty ? "" : " (isolated: \(network.isolated.sorted().map(String.init).joined(separator: ", ")))").")
        }
        beginDeferringMetadata()
        defer { endDeferringMetadata() }
        for b in healed {
            network.isolated.remove(b)
            emit(.replication(.networkPartitioned(broker: b, isolated: false)))
        }
        quorumChanged()
    }

    /// `network latency D`: the one-way delay of broker-to-broker messages.
    public func setNetworkLatency(_ ms: Int64) throws(KafkaError) {
        guard ms >= 0, ms <= 60_000 else { throw .invalidRequest("The latency must be between 0ms and 60s.") }
        network.latencyMs = ms
        emit(.replication(.networkLatencyChanged(latencyMs: ms)))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
