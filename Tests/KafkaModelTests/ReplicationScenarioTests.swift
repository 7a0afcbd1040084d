import Testing
@testable import KafkaModel

/// The reference's replication scenarios R1–R5 (kafka-replication-txn.md §1.9), plus unclean elections, leader
/// epochs and `--lose-unflushed`.
@Suite("Replication scenarios R1–R5")
struct ReplicationScenarioTests {
    static let tp = TopicPartition("t", 0)

    /// A cluster with topic `t` (one partition, RF3) and a producer `p` with the given acks.
    private func cluster(brokers: Int = 3, acks: ProducerConfig.Acks = .all, configs: [String: String] = [:]) throws -> Cluster {
        var config = ClusterConfig(brokers: brokers, seed: 7)
        config.autoLeaderRebalanceEnable = false
        let cluster = Cluster(config: config)
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3, configs: configs)
        var producer = ProducerConfig()
        producer.acks = acks
        producer.lingerMs = 0
        try cluster.startProducer("p", config: producer)
        return cluster
    }

    private func state(_ cluster: Cluster) -> PartitionState { cluster.topics["t"]!.partitions[0] }

    @discardableResult
    private func write(_ cluster: Cluster, _ value: String, producer: String = "p") throws -> SendReceipt {
        let receipt = try cluster.send(producer: producer, topic: "t", partition: 0, key: nil, value: Array(value.utf8))
        try cluster.flush(producer: producer)
        return receipt
    }

    private func values(_ records: [Record]) -> [String] { records.map { String(decoding: $0.value ?? [], as: UTF8.self) } }

    private func replicationEvents(_ cluster: Cluster, since: Int = 0) -> [(Int64, ReplicationEvent)] {
        cluster.events.dropFirst(since).compactMap { if case .replication(let e) = $0.kind { ($0.timestampMs, e) } else { nil } }
    }

    private func truncations(_ cluster: Cluster) -> [(broker: Int, toOffset: Int64, records: Int)] {
        replicationEvents(cluster).compactMap {
            if case let .replicaTruncated(_, broker, to, records, _) = $0.1 { (broker, to, records) } else { nil }
        }
    }

    /// Steps the clock 125 ms at a time until `done`, at most `limitMs`; returns the time it took.
    private func advance(_ cluster: Cluster, until done: () -> Bool, limitMs: Int64 = 120_000) -> Int64? {
        let start = cluster.nowMs
        while !done() {
            if cluster.nowMs - start > limitMs { return nil }
            cluster.advance(byMs: 125)
        }
        return cluster.nowMs - start
    }

    @Test("R1: a killed follower stays in the ISR until its session expires 9–10.1 s later, then leaves it (order kept)")
    func r1KilledFollower() throws {
        let cluster = try cluster()
        for i in 0..<10 { try write(cluster, "v\(i)") }
        cluster.advance(byMs: 1_000)
        let before = state(cluster)
        let follower = before.isr.first { $0 != before.leader }!
        try cluster.killBroker(follower)
        cluster.advance(byMs: 8_000)
        #expect(state(cluster).isr == before.isr, "no lag shrink while every log end is equal")
        let waited = advance(cluster, until: { cluster.fencedBrokers.contains(follower) })
        let fencedAfter = try #require(waited) + 8_000
        #expect((9_000...10_125).contains(fencedAfter))
        #expect(state(cluster).isr == before.isr.filter { $0 != follower })
        #expect(state(cluster).leader == before.leader)
        #expect(cluster.events.contains { $0.kind == .replication(.brokerSessionExpired(broker: follower)) })
    }

    @Test("R1: a killed leader keeps its leadership until fenced; then an in-sync follower leads in the next epoch")
    func r1KilledLeader() throws {
        let cluster = try cluster()
        for i in 0..<10 { try write(cluster, "v\(i)") }
        cluster.advance(byMs: 1_000)
        let before = state(cluster)
        let leader = before.leader!
        try cluster.killBroker(leader)
        cluster.advance(byMs: 8_900)
        #expect(state(cluster).leader == leader)
        #expect(advance(cluster, until: { state(cluster).leader != leader }).map { $0 + 8_900 <= 10_125 } == true)
        let after = state(cluster)
        #expect(after.isr == before.isr.filter { $0 != leader })
        #expect(after.leader == before.isr.first { $0 != leader })
        #expect(after.leaderEpoch == before.leaderEpoch + 1)
        #expect(values(try cluster.fetch(Self.tp, from: 0)) == (0..<10).map { "v\($0)" })
    }

    @Test("R2: a stalled follower leaves the ISR 30–45 s after it stopped; acks=all waits, then completes or times out")
    func r2StalledFollower() throws {
        let cluster = try cluster(configs: ["min.insync.replicas": "2"])
        try write(cluster, "first")
        cluster.advance(byMs: 1_000)
        let before = state(cluster)
        let slow = before.isr.first { $0 != before.leader }!
        let stalledAt = cluster.nowMs
        try cluster.setFetchDelay(slow, delayMs: 600_000)
        // The follower's held fetch still brings one write; then it is stuck.
        try write(cluster, "last-copied")
        cluster.advance(byMs: 100)
        let leader = try #require(cluster.replica(Self.tp, on: before.leader!))
        let slowEnd = cluster.replica(Self.tp, on: slow)!.log.logEndOffset
        var receipts: [(SendReceipt, Int64)] = []
        var shrunkAt: Int64?
        while cluster.nowMs - stalledAt < 60_000 {
            receipts.append((try write(cluster, "w\(receipts.count)"), cluster.nowMs))
            cluster.advance(byMs: 500)
            if shrunkAt == nil {
                if !state(cluster).isr.contains(slow) {
                    shrunkAt = cluster.nowMs
                } else {
                    #expect(leader.log.highWatermark <= slowEnd, "the high watermark is pinned at the stalled follower's log end")
                }
            }
        }
        let shrink = try #require(shrunkAt)
        #expect((30_000...45_500).contains(shrink - stalledAt))
        #expect(cluster.events.contains { $0.kind == .isrShrunk(partition: Self.tp, isr: before.isr.filter { $0 != slow }, removed: slow) })
        // Each acks=all write issued during the stall is answered after the shrink (in time) or timed out.
        let answers = replicationEvents(cluster).compactMap { event -> (Int64, Int64)? in
            if case let .produceAcknowledged("p", _, _, _, waited) = event.1 { (event.0, waited) } else { nil }
        }
        for (at, waited) in answers where at - waited > stalledAt + 100 && at - waited < shrink - 500 {
            #expect(at >= shrink - 500 && waited <= 30_000)
        }
        let timedOut = cluster.events.filter {
            if case let .produceFailed("p", _, _, _, _, error, _) = $0.kind, case .requestTimedOut = error { true } else { false }
        }
        #expect(!timedOut.isEmpty == (shrink - stalledAt > 30_600))
        cluster.advance(byMs: 60_000)
        for (receipt, _) in receipts {
            #expect(try #require(cluster.offset(of: receipt, producer: "p")).get() >= 0)
        }
    }

    @Test("R3: a restarted follower rejoins at the end of the ISR; leadership moves back only with a preferred election")
    func r3Restart() throws {
        let cluster = try cluster()
        for i in 0..<5 { try write(cluster, "v\(i)") }
        cluster.advance(byMs: 1_000)
        let before = state(cluster)
        let preferred = before.replicas[0]
        #expect(before.leader == preferred)
        try cluster.killBroker(preferred)
        #expect(advance(cluster, until: { cluster.fencedBrokers.contains(preferred) }) != nil)
        let newLeader = try #require(state(cluster).leader)
        #expect(newLeader != preferred)
        for i in 5..<10 { try write(cluster, "v\(i)") }
        try cluster.startBroker(preferred)
        cluster.advance(byMs: 5_000)
        let after = state(cluster)
        #expect(after.isr == before.isr.filter { $0 != preferred } + [preferred])
        #expect(after.leader == newLeader)
        #expect(cluster.replica(Self.tp, on: preferred)!.log.logEndOffset == 10)
        cluster.advance(byMs: 200_000)
        #expect(state(cluster).leader == newLeader)
        let results = try cluster.electLeaders(type: .preferred, partitions: [Self.tp])
        #expect(results.allSatisfy { $0.error == nil })
        #expect(state(cluster).leader == preferred)
        #expect(state(cluster).leaderEpoch == after.leaderEpoch + 1)
    }

    @Test("R4: min.insync=2 with ISR={leader}: acks=1 writes are appended but the high watermark stays until a follower rejoins")
    func r4FrozenHighWatermark() throws {
        let cluster = try cluster(brokers: 5, acks: .leader, configs: ["min.insync.replicas": "2"])
        for i in 0..<10 { try write(cluster, "v\(i)") }
        cluster.advance(byMs: 1_000)
        let initial = state(cluster)
        let leader = initial.leader!
        let followers = initial.replicas.filter { $0 != leader }
        for f in followers { try cluster.stopBroker(f) }
        #expect(state(cluster).isr == [leader])
        let receipts = try (10..<15).map { try write(cluster, "v\($0)") }
        cluster.advance(byMs: 1_000)
        #expect(receipts.map { cluster.offset(of: $0, producer: "p") } == (10..<15).map { .success(Int64($0)) })
        let log = cluster.replica(Self.tp, on: leader)!.log
        #expect(log.logEndOffset == 15)
        #expect(log.highWatermark == 10)
        #expect(try cluster.fetch(Self.tp, from: 10).isEmpty)
        #expect(try cluster.listOffsets(Self.tp).highWatermark == 10)
        try cluster.startBroker(followers[0])
        cluster.advance(byMs: 2_000)
        #expect(state(cluster).isr == [leader, followers[0]])
        #expect(log.highWatermark == 15)
        #expect(values(try cluster.fetch(Self.tp, from: 10)) == (10..<15).map { "v\($0)" })
    }

    /// Writes 10 records everyone has, then returns the leader.
    private func settled(_ cluster: Cluster) throws -> Int {
        for i in 0..<10 { try write(cluster, "v\(i)") }
        cluster.advance(byMs: 1_000)
        #expect(cluster.replicas(of: Self.tp).allSatisfy { $0.log.logEndOffset == 10 && $0.log.highWatermark == 10 })
        return state(cluster).leader!
    }

    @Test("R5: acks=1 writes to an isolated (zombie) leader are acknowledged, then truncated when it returns, exactly those")
    func r5ZombieLeader() throws {
        let cluster = try cluster(acks: .leader)
        let old = try settled(cluster)
        let epoch = state(cluster).leaderEpoch
        try cluster.isolateBroker(old)
        let lost = try (0..<5).map { try write(cluster, "lost\($0)") }
        #expect(lost.map { cluster.offset(of: $0, producer: "p") } == (10..<15).map { .success(Int64($0)) })
        #expect(advance(cluster, until: { state(cluster).leader != old }).map { $0 <= 10_125 } == true)
        #expect(state(cluster).leaderEpoch == epoch + 1)
        let kept = try (0..<3).map { try write(cluster, "new\($0)") }
        cluster.advance(byMs: 1_000)
        #expect(kept.map { cluster.offset(of: $0, producer: "p") } == (10..<13).map { .success(Int64($0)) })
        #expect(truncations(cluster).isEmpty)
        try cluster.healNetwork(old)
        cluster.advance(byMs: 5_000)
        let cuts = truncations(cluster)
        #expect(cuts.count == 1)
        #expect(cuts.first.map { $0.broker == old && $0.toOffset == 10 && $0.records == 5 } == true)
        #expect(cluster.replicas(of: Self.tp).allSatisfy { values(try! $0.log.read(from: 10)) == ["new0", "new1", "new2"] })
        #expect(state(cluster).isr.contains(old))
        #expect(values(try cluster.fetch(Self.tp, from: 0)) == (0..<10).map { "v\($0)" } + ["new0", "new1", "new2"])
    }

    @Test("R5: acks=1 writes a crashed leader never replicated are truncated when it restarts")
    func r5CrashedLeader() throws {
        let cluster = try cluster(acks: .leader)
        let old = try settled(cluster)
        // The followers are between fetches when the leader appends and crashes.
        for f in state(cluster).replicas where f != old { try cluster.setFetchDelay(f, delayMs: 2_000) }
        try write(cluster, "v10")
        cluster.advance(byMs: 100)
        let lost = try (0..<4).map { try write(cluster, "lost\($0)") }
        #expect(lost.map { cluster.offset(of: $0, producer: "p") } == (11..<15).map { .success(Int64($0)) })
        try cluster.killBroker(old)
        for f in state(cluster).replicas where f != old { try cluster.setFetchDelay(f, delayMs: 0) }
        #expect(advance(cluster, until: { state(cluster).leader != old }) != nil)
        try write(cluster, "new")
        try cluster.startBroker(old)
        cluster.advance(byMs: 5_000)
        let cuts = truncations(cluster)
        #expect(cuts.count == 1)
        #expect(cuts.first.map { $0.broker == old && $0.toOffset == 11 && $0.records == 4 } == true)
        #expect(cluster.replicas(of: Self.tp).allSatisfy { values(try! $0.log.read(from: 10)) == ["v10", "new"] })
    }

    @Test("Unclean election: exactly the records the truncation events report are lost")
    func uncleanElection() throws {
        let cluster = try cluster(brokers: 7, acks: .leader, configs: ["unclean.leader.election.enable": "true"])
        let leader = try settled(cluster)
        let laggard = state(cluster).replicas.first { $0 != leader }!
        let other = state(cluster).replicas.first { $0 != leader && $0 != laggard }!
        try cluster.stopBroker(laggard)
        for i in 10..<15 { try write(cluster, "v\(i)") }
        cluster.advance(byMs: 1_000)
        #expect(cluster.replica(Self.tp, on: other)!.log.logEndOffset == 15)
        // The in-sync replicas go; the partition is offline until the laggard (end 10) is back and elected uncleanly.
        try cluster.stopBroker(other)
        try cluster.killBroker(leader)
        #expect(advance(cluster, until: { cluster.fencedBrokers.contains(leader) }) != nil)
        #expect(state(cluster).leader == nil)
        try cluster.startBroker(laggard)
        #expect(advance(cluster, until: { state(cluster).leader == laggard }) != nil)
        #expect(cluster.events.contains { if case .leaderElected(Self.tp, laggard, _, .unclean) = $0.kind { true } else { false } })
        try write(cluster, "after")
        cluster.advance(byMs: 500)
        try cluster.startBroker(leader)
        try cluster.startBroker(other)
        cluster.advance(byMs: 5_000)
        let leaderEnd = cluster.replica(Self.tp, on: laggard)!.log.logEndOffset
        #expect(leaderEnd == 11)
        let cuts = truncations(cluster)
        #expect(Set(cuts.map(\.broker)) == [leader, other])
        #expect(cuts.allSatisfy { $0.toOffset == 10 && $0.records == 5 })
        #expect(cluster.replicas(of: Self.tp).allSatisfy { values(try! $0.log.read(from: 10)) == ["after"] })
    }

    @Test("Every leader change bumps the leader epoch; the new leader's epoch cache starts it at its log end")
    func leaderEpochs() throws {
        let cluster = try cluster()
        var epochs = [state(cluster).leaderEpoch]
        for round in 0..<4 {
            try write(cluster, "r\(round)")
            cluster.advance(byMs: 1_000)
            let leader = state(cluster).leader!
            try cluster.stopBroker(leader)
            #expect(state(cluster).leader != leader)
            epochs.append(state(cluster).leaderEpoch)
            let newLeader = cluster.replica(Self.tp, on: state(cluster).leader!)!
            #expect(newLeader.epochCache.latestEpoch == Int32(state(cluster).leaderEpoch))
            try cluster.startBroker(leader)
            cluster.advance(byMs: 2_000)
        }
        #expect(epochs == Array(epochs[0]..<(epochs[0] + 5)))
        #expect(values(try cluster.fetch(Self.tp, from: 0)) == ["r0", "r1", "r2", "r3"])
    }

    @Test("--lose-unflushed: a killed follower loses its unflushed tail and copies it back when restarted")
    func loseUnflushed() throws {
        let cluster = try cluster()
        let leader = try settled(cluster)
        let follower = state(cluster).replicas.first { $0 != leader }!
        try cluster.killBroker(follower, loseUnflushed: true)
        let cuts = truncations(cluster)
        #expect(cuts.count == 1)
        #expect(cuts.first.map { $0.broker == follower && $0.toOffset == 0 && $0.records == 10 } == true)
        #expect(cluster.replica(Self.tp, on: follower)!.log.logEndOffset == 0)
        #expect(advance(cluster, until: { cluster.fencedBrokers.contains(follower) }) != nil)
        try cluster.startBroker(follower)
        cluster.advance(byMs: 3_000)
        #expect(state(cluster).isr.contains(follower))
        #expect(values(try cluster.replica(Self.tp, on: follower)!.log.read(from: 0)) == (0..<10).map { "v\($0)" })
    }

    @Test("--lose-unflushed on the leader after acks=1 writes: the lost writes are the ones reported, the rest survive")
    func loseUnflushedLeader() throws {
        let cluster = try cluster(acks: .leader)
        let leader = try settled(cluster)
        try cluster.killBroker(leader, loseUnflushed: true)
        #expect(advance(cluster, until: { state(cluster).leader != leader }) != nil)
        try cluster.startBroker(leader)
        cluster.advance(byMs: 3_000)
        #expect(state(cluster).isr.contains(leader))
        #expect(cluster.replicas(of: Self.tp).allSatisfy { values(try! $0.log.read(from: 0)) == (0..<10).map { "v\($0)" } })
    }

    @Test("A crashed leader restarted before its session expired registers anew: out of the ISR and leadership at once, back in sync later")
    func restartBeforeSessionExpiry() throws {
        let cluster = try cluster()
        let leader = try settled(cluster)
        let epoch = state(cluster).leaderEpoch
        try cluster.killBroker(leader, loseUnflushed: true)
        cluster.advance(byMs: 1_000)
        try cluster.startBroker(leader)
        // Its log lost everything: it must neither lead nor count as in sync.
        #expect(state(cluster).leader != leader)
        #expect(!state(cluster).isr.contains(leader))
        #expect(state(cluster).leaderEpoch == epoch + 1)
        #expect(values(try cluster.fetch(Self.tp, from: 0)) == (0..<10).map { "v\($0)" })
        cluster.advance(byMs: 3_000)
        #expect(state(cluster).isr.contains(leader))
        #expect(values(try cluster.replica(Self.tp, on: leader)!.log.read(from: 0)) == (0..<10).map { "v\($0)" })
    }

    @Test("The leader answers an epoch older than all it knows with that epoch and where its history starts (endOffsetFor)")
    func olderEpochThanKnown() {
        var cache = LeaderEpochCache()
        cache.assign(epoch: 2, startOffset: 5)
        cache.assign(epoch: 4, startOffset: 9)
        #expect(cache.endOffset(for: 0, logEndOffset: 12) == (0, 5))
        #expect(cache.endOffset(for: 3, logEndOffset: 12) == (2, 9))
        #expect(cache.endOffset(for: 4, logEndOffset: 12) == (4, 12))
        #expect(LeaderEpochCache().endOffset(for: 1, logEndOffset: 3) == (-1, -1))
    }
}
