import Testing
@testable import KafkaModel

/// Random start/stop/crash/slow/poll/commit/tick/partition-increase sequences keep the group's invariants.
@Suite struct ConsumerGroupPropertyTests {
    @Test(arguments: 1...40) func invariantsHold(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed &* 7919)
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: seed))
        try cluster.createTopic("t", partitions: 4, replicationFactor: 1)
        let assignors = ["range", "roundrobin", "sticky", "cooperative-sticky"]
        let assignor = assignors[Int(seed % 4)]
        let names = ["c1", "c2", "c3", "c4"]
        var produced = 0
        for step in 0..<120 {
            let name = names[Int(rng.next() % 4)]
            switch rng.next() % 10 {
            case 0:
                var cfg = ConsumerConfig()
                cfg.groupId = "g"; cfg.topics = ["t"]; cfg.assignors = [assignor]; cfg.autoOffsetReset = .earliest
                cfg.enableAutoCommit = false; cfg.commitEachPoll = .after; cfg.sessionTimeoutMs = 10_000
                if cluster.consumers[name] == nil { try cluster.startConsumer(name, config: cfg) } else { try? cluster.restartConsumer(name) }
            case 1: try? cluster.stopConsumer(name)
            case 2: try? cluster.crashConsumer(name)
            case 3: try? cluster.setProcessTime(name, ms: rng.next() % 3 == 0 ? 400_000 : 10)
            case 4: _ = try? cluster.pollNow(name)
            case 5: _ = try? cluster.commitSync(name)
            case 6:
                let count = cluster.topics["t"]!.partitions.count
                if count < 8, rng.next() % 4 == 0 { try cluster.createPartitions("t", totalCount: count + 1) }
            case 7:
                let p = Int(rng.next() % UInt64(cluster.topics["t"]!.partitions.count))
                produced += 1
                _ = try cluster.appendRecords([Record(timestamp: cluster.nowMs, key: nil, value: Array("v\(produced)".utf8))], to: TopicPartition("t", p))
            default:
                cluster.advance(byMs: Int64(rng.next() % 20_000))
            }
            try check(cluster, seed: seed, step: step)
        }
        try liveness(cluster, seed: seed)
        // Quiesce: restart everyone at normal speed and let the group settle, then every record is consumed.
        for name in names where cluster.consumers[name] != nil {
            try? cluster.setProcessTime(name, ms: 10)
            try? cluster.restartConsumer(name)
        }
        cluster.advance(byMs: 120_000)
        try check(cluster, seed: seed, step: -1)
        try atLeastOnce(cluster, seed: seed)
    }

    /// Liveness: whatever happened before, once the live consumers process at normal speed and 10 minutes pass,
    /// the group is Stable, has exactly the live consumers as members, and every partition has an owner.
    func liveness(_ cluster: Cluster, seed: UInt64) throws {
        let live = cluster.consumers.values.filter(\.isAlive)
        guard !live.isEmpty else { return }
        for c in live {
            try cluster.setProcessTime(c.name, ms: 10)
            _ = try cluster.pollNow(c.name)
        }
        cluster.advance(byMs: 600_000)
        let group = try #require(cluster.groupCoordinator.groups["g"], "seed \(seed): no group")
        #expect(group.state == .stable, "seed \(seed): group is \(group.state) after 10 minutes with \(live.count) live consumers")
        #expect(Set(group.members.map(\.memberId)) == Set(live.map(\.memberId)), "seed \(seed): members \(group.members.map(\.memberId)) vs live \(live.map { "\($0.name)=\($0.memberId) \($0.memberState)" })")
        let count = cluster.topics["t"]!.partitions.count
        let owned = Set(live.flatMap(\.assignment))
        #expect(owned.count == count, "seed \(seed): \(owned.count) of \(count) partitions owned: \(live.map { "\($0.name) \($0.memberState) \($0.assignment)" })")
        for c in live where c.memberState != .stable {
            Issue.record("seed \(seed): \(c.name) is \(c.memberState) (needsRejoin=\(c.needsRejoin), poll scheduled: \(c.pollScheduled))")
        }
    }

    func check(_ cluster: Cluster, seed: UInt64, step: Int) throws {
        for (tp, offset) in cluster.committedOffsets("g") {
            #expect(offset <= (cluster.highWatermark(tp) ?? .max), "seed \(seed) step \(step): committed \(offset) > HW for \(tp)")
        }
        guard let group = cluster.groupCoordinator.groups["g"] else { return }
        var owners: [TopicPartition: String] = [:]
        for m in group.members {
            for tp in m.assignment {
                #expect(owners[tp] == nil, "seed \(seed) step \(step): \(tp) owned twice in generation \(group.generationId)")
                owners[tp] = m.memberId
            }
        }
        if group.state == .stable {
            let live = cluster.consumers.values.filter { $0.isAlive && $0.memberState == .stable && $0.generation == group.generationId }
            let allLive = group.members.allSatisfy { m in live.contains { $0.memberId == m.memberId } }
            if allLive && !group.members.isEmpty && !live.contains(where: { $0.needsRejoin }) && live.allSatisfy({ !$0.config.isCooperative }) {
                let count = cluster.topics["t"]!.partitions.count
                let assigned = Set(live.flatMap(\.assignment))
                if group.members.allSatisfy({ m in m.subscription.topics == ["t"] }), cluster.consumers.values.allSatisfy({ $0.metadataSnapshot.isEmpty || !$0.isLeader || $0.metadataSnapshot["t"] == count }) {
                    #expect(assigned.count == count, "seed \(seed) step \(step): stable group assigns \(assigned.count) of \(count)")
                }
            }
        }
    }

    /// With commit-after-processing, every appended record reaches a consumer at least once.
    func atLeastOnce(_ cluster: Cluster, seed: UInt64) throws {
        guard cluster.consumers.values.contains(where: \.isAlive), cluster.groupState("g") == .stable else { return }
        var seen: [TopicPartition: Set<Int64>] = [:]
        for event in cluster.events {
            if case .group(.recordConsumed(_, let tp, let offset, _, _)) = event.kind { seen[tp, default: []].insert(offset) }
        }
        let committed = cluster.committedOffsets("g")
        for (tp, upTo) in committed {
            for offset in 0..<upTo {
                #expect(seen[tp]?.contains(offset) == true, "seed \(seed): \(tp)@\(offset) committed but never consumed")
            }
        }
    }
}
