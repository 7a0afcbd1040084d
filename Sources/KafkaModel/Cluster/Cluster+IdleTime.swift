/// Long ticks over idle time. When nothing is due but no-op rounds — steady consumers' heartbeats (each only
/// renews its member's session), and the cleaner, retention, preferred-leader and unclean-leader checks with nothing to do —
/// those rounds are skipped in one step: each consumer's last heartbeat and its session deadline, and each
/// check's next run, are set to where they would be. The skip stops a margin before the first thing that could
/// change something (another timer, a segment reaching retention, a member whose session could expire), and the
/// last stretch runs timer by timer, so what happens — and in which order — is exactly what stepping would do.
/// `Tests/KafkaShellTests/IdleTimeTests.swift` checks that against stepping for random clusters.
extension Cluster {
    /// The longest period of a skipped timer (retention, preferred-leader checks), plus a session timeout: the
    /// margin kept before the first interesting instant.
    static let idleSkipMarginMs: Int64 = 300_000 + 60_000

    /// Skips idle rounds up to a margin before `target` or the first interesting instant; false if it could not.
    func skipIdleTime(until target: Int64) -> Bool {
        let now = clock.nowMs
        guard idleSkipping, target - now > 2 * Self.idleSkipMarginMs else { return false }

        // 1. Every running consumer is steady (its heartbeat changes nothing but its session) or idle without a group.
        var steady: [KafkaConsumer] = []
        for name in consumers.keys.sorted() {
            let c = consumers[name]!
            guard c.isAlive else { continue }
            if c.manualAssignment || c.config.groupId == nil {
                guard !c.pollScheduled, !c.heartbeatEnabled else { return false }
                continue
            }
            guard c.heartbeatEnabled, c.memberState == .stable, !c.pollScheduled, c.busyUntilMs <= now, !c.needsRejoin,
                  c.coordinatorKnown, c.waitingForLeader.isEmpty, c.processingFrom.isEmpty, !c.memberId.isEmpty,
                  let groupId = c.config.groupId, let group = groupCoordinator.groups[groupId], group.state == .stable,
                  group.member(c.memberId) != nil, c.config.heartbeatIntervalMs > 0,
                  c.nextHeartbeatMs >= now
            else { return false }
            steady.append(c)
        }
        let steadyNames = Set(steady.map(\.name))
        let steadySessionKeys = Set(steady.map { $0.config.groupId! + "|session:" + $0.memberId })

        // 2. The periodic checks have nothing to do, and will have nothing to do until `quietUntil`.
        guard let quietUntil = checksQuietUntil(now: now) else { return false }

        // 3. The first timer that is not a skippable round.
        let firstInteresting = scheduler.earliest { timer in
            let skippable: Bool
            switch timer.task {
            case .logCleanerCheck, .logRetentionCheck, .leaderImbalanceCheck, .isrExpiration, .uncleanLeaderElectionCheck:
                skippable = true
            case let .consumerHeartbeat(name, incarnation):
                skippable = steadyNames.contains(name) || consumers[name].map { !$0.heartbeatEnabled || $0.heartbeatToken != incarnation } ?? true
            case let .group(key):
                skippable = steadySessionKeys.contains(key) || groupCoordinator.wantedTimers[key] == nil
            default:
                skippable = false
            }
            return !skippable
        }?.dueMs ?? target
        let skipTo = min(firstInteresting, quietUntil, target) - Self.idleSkipMarginMs
        guard skipTo > now + Self.idleSkipMarginMs else { return false }

        // 4. Move every skippable round past `skipTo`, as stepping would have left it.
        let removed = scheduler.removeAll { timer in
            switch timer.task {
            case .logCleanerCheck, .logRetentionCheck, .leaderImbalanceCheck, .isrExpiration, .uncleanLeaderElectionCheck: return true
            case let .consumerHeartbeat(name, _): return steadyNames.contains(name) || consumers[name].map { !$0.heartbeatEnabled } ?? true
            case let .group(key): return steadySessionKeys.contains(key)
            default: return false
            }
        }
        clock.advance(to: skipTo)
        for timer in removed {
            let period: Int64
            switch timer.task {
            case .logCleanerCheck: period = Self.logCleanerBackoffMs
            case .logRetentionCheck: period = Self.logRetentionCheckIntervalMs
            case .leaderImbalanceCheck: period = config.leaderImbalanceCheckIntervalMs
            case .isrExpiration: period = Self.isrExpirationIntervalMs
            case .uncleanLeaderElectionCheck: period = Self.uncleanLeaderElectionIntervalMs
            default: continue
            }
            scheduler.schedule(at: Self.nextRun(timer.dueMs, period: period, after: skipTo), timer.task, rank: timer.rank)
        }
        for key in steadySessionKeys { groupCoordinator.scheduledTimers[key] = nil }
        // Heartbeats due at one instant fire in the consumers' start order (their timers' rank), as in stepping.
        for c in steady.sorted(by: { $0.ordinal < $1.ordinal }) {
            let interval = c.config.heartbeatIntervalMs
            // The heartbeat rounds at nextHeartbeatMs, +interval, … up to skipTo all happened; the last one renewed the session.
            let next = Self.nextRun(c.nextHeartbeatMs, period: interval, after: skipTo)
            let lastBeat = next - interval
            // Each skipped round was a Heartbeat request to the coordinator: the broker counts them as if sent.
            if next > c.nextHeartbeatMs, let coordinator = c.coordinatorId, broker(coordinator)?.isAlive == true,
               !crashedBrokers.contains(coordinator) {
                requestCounts[coordinator, default: [:]][.heartbeat, default: 0] += Int((next - c.nextHeartbeatMs) / interval)
            }
            c.nextHeartbeatMs = next
            c.heartbeatAnchorMs = lastBeat
            let memberId = c.memberId, generation = c.generation
            _ = try? withGroup(c.config.groupId!) { g throws(GroupError) in
                try g.heartbeat(memberId: memberId, generationId: generation, nowMs: lastBeat)
            }
            scheduleHeartbeatThread(c)
        }
        return true
    }

    /// The first run of a periodic timer due at `due` (every `period`) that comes after `instant`.
    static func nextRun(_ due: Int64, period: Int64, after instant: Int64) -> Int64 {
        guard due <= instant, period > 0 else { return due }
        return due + ((instant - due) / period + 1) * period
    }

    /// Until when the cleaner, retention and preferred-leader checks stay no-ops if nothing else happens; nil if one
    /// of them would act now.
    private func checksQuietUntil(now: Int64) -> Int64? {
        var quiet = Int64.max
        for (_, log) in logManager.logs {
            let config = log.config
            if config.cleanupPolicy.compact {
                if log.hasCleanableRange(nowMs: now) && log.dirtyRatio(nowMs: now) > config.minCleanableDirtyRatio { return nil }
                if config.minCompactionLagMs > 0 {
                    // A segment that grows old enough makes a range cleanable.
                    for segment in log.segments where !segment.isEmpty {
                        quiet = min(quiet, segment.largestTimestamp + config.minCompactionLagMs)
                    }
                }
            }
            // Deletion by the log start offset or by size changes only with appends; by time, when a segment ages out.
            if log.segments.count > 1 && log.segments[1].baseOffset <= log.logStartOffset { return nil }
            guard config.cleanupPolicy.delete else { continue }
            if config.retentionBytes >= 0 && Int64(log.size) - config.retentionBytes >= Int64(log.segments[0].size) { return nil }
            if config.retentionMs >= 0 {
                for segment in log.segments where !segment.isEmpty {
                    let (expiry, overflow) = segment.largestTimestamp.addingReportingOverflow(config.retentionMs + 1)
                    if !overflow { quiet = min(quiet, expiry) }
                }
            }
        }
        // Followers behind their leader: the ISR-expiration task may drop them.
        if !isrExpirationIsQuiet() { return nil }
        // An unclean election the controller's periodic task would make now.
        if uncleanElectionPending { return nil }
        // A preferred-leader election that would move a leader now.
        if controllerId != nil {
            for name in topicNames {
                for state in topics[name]!.partitions {
                    let preferred = state.preferredLeader
                    if state.leader != preferred, state.isr.contains(preferred), broker(preferred)?.isAlive == true,
                       !fencedBrokers.contains(preferred) { return nil }
                }
            }
        }
        return quiet
    }
}
