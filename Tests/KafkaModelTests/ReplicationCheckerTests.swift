import Testing
@testable import KafkaModel

/// A Jepsen-style checker: random schedules of produces (acks 0, 1 and all), broker stops, crashes, restarts, slow
/// followers, network isolation and clock ticks, with consumers reading along; every replica is read after each
/// step and at the end.
@Suite("Replication checker")
struct ReplicationCheckerTests {
    /// What one schedule allows and plants.
    struct Options {
        /// `unclean.leader.election.enable` on the topic (and min.insync.replicas=1); else min.insync.replicas=2.
        var unclean = false
        var plantedBug: PlantedBug?
        /// Prints each step and the cluster's events (to debug one seed).
        var trace = false
    }

    /// One sent record: who sent it, with which acks, and its value (unique in the run).
    struct Sent {
        let producer: String
        let acks: ProducerConfig.Acks
        let receipt: SendReceipt
        let value: String
    }

    static let brokers = 3
    static let partitions = 2
    static let producers: [(String, ProducerConfig.Acks, Bool)] = [("a0", .none, false), ("a1", .leader, false),
                                                                   ("all", .all, true), ("allx", .all, false)]

    /// Runs the schedule of `seed`; returns the violations found (empty when every property holds).
    static func run(seed: UInt64, _ options: Options, steps: Int = 30) -> [String] {
        var rng = SplitMix(seed: seed)
        var config = ClusterConfig(brokers: brokers, seed: seed)
        config.autoLeaderRebalanceEnable = rng.chance(50)
        let cluster = Cluster(config: config)
        cluster.testOnlyPlantedBug = options.plantedBug
        var violations: [String] = []
        func fail(_ text: String) {
            violations.append("seed \(seed) at \(cluster.nowMs - config.startMs) ms: \(text)")
            guard options.trace else { return }
            print("VIOLATION", text)
            for tp in cluster.topics["t"]!.partitions.indices.map({ TopicPartition("t", $0) }) {
                print("  ", tp, cluster.topics["t"]!.partitions[tp.partition])
                for r in cluster.replicas(of: tp) {
                    print("    replica", r.brokerId, "leader", r.leaderId as Any, "epoch", r.leaderEpoch, "isr", r.isr, "start", r.log.logStartOffset,
                          "end", r.log.logEndOffset, "hw", r.log.highWatermark, "followers", r.followers.mapValues(\.logEndOffset),
                          (try? r.log.read(from: r.log.logStartOffset).map { String(decoding: $0.value ?? [], as: UTF8.self) }) as Any)
                }
            }
        }
        let topicConfigs = options.unclean ? ["unclean.leader.election.enable": "true", "min.insync.replicas": "1"]
            : ["min.insync.replicas": "2"]
        do {
            try cluster.createTopic("t", partitions: partitions, replicationFactor: 3, configs: topicConfigs)
            for (name, acks, idempotent) in producers {
                var producer = ProducerConfig()
                producer.acks = acks
                producer.enableIdempotence = idempotent
                producer.lingerMs = rng.chance(50) ? 0 : 5
                try cluster.startProducer(name, config: producer)
            }
        } catch {
            return ["seed \(seed): setup failed: \(error)"]
        }
        let tps = (0..<partitions).map { TopicPartition("t", $0) }
        let maxFaulty = rng.chance(70) ? 1 : 2
        var sent: [Sent] = []
        var seen: [TopicPartition: [Int64: String]] = [:]
        var lastHW: [TopicPartition: (leader: Int, epoch: Int, hw: Int64)] = [:]

        func value(_ record: Record) -> String { String(decoding: record.value ?? [], as: UTF8.self) }
        func isolated(_ b: Int) -> Bool { cluster.network.isolated.contains(b) }
        func alive(_ b: Int) -> Bool { cluster.broker(b)?.isAlive == true }
        func faulty() -> Int { (0..<brokers).filter { !alive($0) || isolated($0) }.count }
        /// The replica that leads `tp` per the metadata and knows it, with its epoch.
        func leader(_ tp: TopicPartition) -> Partition? {
            let state = cluster.topics["t"]!.partitions[tp.partition]
            guard let id = state.leader, alive(id), let replica = cluster.replica(tp, on: id),
                  replica.isLeader, replica.leaderEpoch == state.leaderEpoch else { return nil }
            return replica
        }
        func records(_ log: UnifiedLog, below end: Int64) -> [Int64: String] {
            guard let read = try? log.read(from: log.logStartOffset, endOffset: end) else { return [:] }
            return Dictionary(uniqueKeysWithValues: read.map { ($0.offset, value($0)) })
        }

        /// (b), (c) and (d) after each step.
        func checkStep() {
            for tp in tps {
                guard let lead = leader(tp) else { continue }
                let hw = lead.log.highWatermark
                let state = cluster.topics["t"]!.partitions[tp.partition]
                // (c) The high watermark never goes back under one leader and epoch.
                if let last = lastHW[tp], last.leader == lead.brokerId, last.epoch == lead.leaderEpoch, hw < last.hw {
                    fail("\(tp): leader \(lead.brokerId)'s high watermark went back from \(last.hw) to \(hw) in epoch \(lead.leaderEpoch)")
                }
                lastHW[tp] = (lead.brokerId, lead.leaderEpoch, hw)
                // (b) Below the high watermark every running in-sync replica holds the leader's records.
                let committed = records(lead.log, below: hw)
                for r in state.isr where r != lead.brokerId && alive(r) {
                    guard let replica = cluster.replica(tp, on: r) else { continue }
                    let theirs = records(replica.log, below: hw)
                    for (offset, v) in committed where offset >= replica.log.logStartOffset && theirs[offset] != v {
                        fail("\(tp): in-sync replica \(r) has \(theirs[offset] ?? "nothing") at \(offset) below the high watermark \(hw); leader \(lead.brokerId) has \(v)")
                        break
                    }
                }
                // (d) What consumers saw stays (a clean election never loses it).
                if !options.unclean {
                    let now = records(lead.log, below: lead.log.logEndOffset)
                    for (offset, v) in seen[tp] ?? [:] where offset >= lead.log.logStartOffset && now[offset] != v {
                        fail("\(tp): a consumer read \(v) at \(offset); leader \(lead.brokerId) now has \(now[offset] ?? "nothing")")
                        break
                    }
                }
            }
        }

        var sequence = 0
        var traced = 0
        for _ in 0..<steps {
            let roll = rng.below(100)
            let b = rng.below(brokers)
            do {
                switch roll {
                case 0..<35:
                    let (name, acks, _) = producers[rng.below(producers.count)]
                    for _ in 0..<(1 + rng.below(3)) {
                        let v = "s\(seed)-\(sequence)"
                        sequence += 1
                        let receipt = try cluster.send(producer: name, topic: "t", partition: rng.below(partitions), key: nil, value: Array(v.utf8))
                        sent.append(Sent(producer: name, acks: acks, receipt: receipt, value: v))
                    }
                    if rng.chance(50) { try cluster.flush(producer: name) }
                case 35..<42:
                    if alive(b) && faulty() < maxFaulty { try cluster.stopBroker(b) }
                case 42..<50:
                    guard alive(b) && faulty() < maxFaulty else { break }
                    // Losing unflushed data is only survivable while another running in-sync replica has it, and
                    // no second fault can take that one out too.
                    let safe = maxFaulty == 1 && tps.allSatisfy { tp in
                        cluster.topics["t"]!.partitions[tp.partition].isr.contains { $0 != b && alive($0) && !isolated($0) }
                    }
                    try cluster.killBroker(b, loseUnflushed: (options.unclean || safe) && rng.chance(40))
                case 50..<60:
                    if !alive(b) { try cluster.startBroker(b) }
                case 60..<65:
                    try cluster.setFetchDelay(b, delayMs: [0, 0, 2_000, 40_000][rng.below(4)])
                case 65..<70:
                    if !isolated(b) && faulty() < maxFaulty { try cluster.isolateBroker(b) }
                case 70..<76:
                    if isolated(b) { try cluster.healNetwork(b) }
                case 76..<85:
                    for tp in tps {
                        guard let read = try? cluster.fetch(tp, from: 0) else { continue }
                        for record in read {
                            if let before = seen[tp]?[record.offset], before != value(record) {
                                fail("\(tp): a consumer read \(before) at \(record.offset) earlier, now \(value(record))")
                            }
                            seen[tp, default: [:]][record.offset] = value(record)
                        }
                    }
                default:
                    cluster.advance(byMs: [1, 10, 100, 500, 2_000, 9_000, 20_000][rng.below(7)] + Int64(rng.below(50)))
                }
            } catch {
                fail("step \(roll) on broker \(b) threw \(error)")
            }
            if options.trace {
                print("STEP", cluster.nowMs - config.startMs, roll, b)
                for e in cluster.events[traced...] {
                    if case .clockAdvanced = e.kind { continue }
                    if case .replication(.replicaFetched) = e.kind { continue }
                    print("  ", e.timestampMs - config.startMs, e.kind)
                }
                traced = cluster.events.count
            }
            checkStep()
        }

        // The end: every broker runs and reaches the others, fetchers are fast, the clock runs until all settles.
        do {
            for b in 0..<brokers where !alive(b) { try cluster.startBroker(b) }
            if !cluster.network.isolated.isEmpty { try cluster.healNetwork() }
            for b in 0..<brokers { try cluster.setFetchDelay(b, delayMs: 0) }
            for (name, _, _) in producers { try cluster.flush(producer: name) }
        } catch {
            fail("settling threw \(error)")
        }
        for _ in 0..<20 {
            cluster.advance(byMs: 10_000)
            checkStep()
        }

        let truncated = cluster.events.compactMap { event -> (TopicPartition, Int64, Int)? in
            if case let .replication(.replicaTruncated(tp, _, to, records, _)) = event.kind { (tp, to, records) } else { nil }
        }
        var onLeader: [TopicPartition: [Int64: String]] = [:]
        for tp in tps {
            guard let lead = leader(tp) else {
                fail("\(tp) has no leader after settling")
                continue
            }
            onLeader[tp] = records(lead.log, below: lead.log.logEndOffset)
            // Every running replica ends in sync.
            if cluster.topics["t"]!.partitions[tp.partition].isr.count != 3 {
                fail("\(tp): ISR \(cluster.topics["t"]!.partitions[tp.partition].isr) after settling")
            }
        }
        for s in sent where s.acks != .none {
            guard case .success(let offset)? = cluster.offset(of: s.receipt, producer: s.producer), offset >= 0 else { continue }
            let tp = s.receipt.partition
            guard let log = onLeader[tp], log[offset] != s.value else { continue }
            let covered = truncated.contains { $0.0 == tp && $0.1 <= offset && offset < $0.1 + Int64($0.2) }
            // (a) acks=all with min.insync.replicas=2 and clean elections: never lost nor moved.
            if s.acks == .all && !options.unclean {
                fail("\(tp): \(s.producer)'s acknowledged \(s.value) at \(offset) is gone (leader has \(log[offset] ?? "nothing"))")
            } else if !covered {
                // (e) Any other acknowledged record that is gone went with a reported truncation.
                fail("\(tp): \(s.producer)'s acknowledged \(s.value) at \(offset) is gone without a ReplicaTruncated event")
            }
        }
        return violations
    }

    static let seeds: [UInt64] = Array(1...500)

    @Test("500 schedules with clean elections and min.insync.replicas=2: no acks=all record lost, every property holds")
    func clean() {
        var failures: [String] = []
        for seed in Self.seeds where failures.count < 5 {
            failures += Self.run(seed: seed, Options()).prefix(2)
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("200 schedules with unclean elections: every lost acknowledged record was reported truncated")
    func unclean() {
        var failures: [String] = []
        for seed in Self.seeds.prefix(200) where failures.count < 5 {
            failures += Self.run(seed: seed &+ 10_000, Options(unclean: true)).prefix(2)
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("The checker catches a planted bug: a high watermark that does not wait for the in-sync followers")
    func plantedBug() {
        var found: [String] = []
        for seed in Self.seeds.prefix(50) {
            found += Self.run(seed: seed, Options(plantedBug: .highWatermarkIgnoresFollowers))
        }
        #expect(!found.isEmpty)
        #expect(found.contains { $0.contains("below the high watermark") })
        #expect(found.contains { $0.contains("acknowledged") || $0.contains("a consumer read") })
    }
}

private extension SplitMix {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
