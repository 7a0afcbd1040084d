import Testing
@testable import KafkaModel

@Suite struct LogPropertyTests {
    @Test func randomOperationsKeepInvariants() throws {
        for seed in UInt64(1)...40 {
            var rng = SplitMix(seed: seed)
            var config = LogConfig()
            config.segmentBytes = 400 + Int(rng.next() % 600)
            config.indexIntervalBytes = Int(rng.next() % 200)
            config.retentionMs = 50 + Int64(rng.next() % 200)
            config.cleanupPolicy = [.delete, .compact, .compactAndDelete][Int(rng.next() % 3)]
            config.deleteRetentionMs = Int64(rng.next() % 100)
            let storage = InMemoryLogStorage()
            var (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: storage, nowMs: 0)
            var model: [Int64: Record] = [:]  // offset → record (a superset of what may survive)
            var now: Int64 = 0
            var previousStart: Int64 = 0
            for _ in 0..<150 {
                now += Int64(rng.next() % 10)
                switch rng.next() % 10 {
                case 0..<6:
                    let n = 1 + Int(rng.next() % 4)
                    let records = (0..<n).map { _ in
                        Record(timestamp: now, key: "k\(rng.next() % 6)", value: rng.next() % 5 == 0 ? nil : "v\(rng.next() % 1000)")
                    }
                    let result = try log.append(records: records, nowMs: now)
                    for (i, r) in records.enumerated() {
                        var stored = r
                        stored.offset = result.firstOffset + Int64(i)
                        model[stored.offset] = stored
                    }
                case 6: _ = try log.deleteOldSegments(nowMs: now)
                case 7: _ = try log.clean(nowMs: now, force: rng.next() % 2 == 0)
                case 8: _ = try log.roll(nowMs: now)
                default: (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: storage, nowMs: now,
                                                        logStartOffset: log.logStartOffset, cleanerCheckpoint: log.cleanerCheckpoint)
                }
                #expect(log.logStartOffset >= previousStart, "seed \(seed)")
                previousStart = log.logStartOffset
                let all = try log.read(from: log.logStartOffset)
                let offsets = all.map(\.offset)
                #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 }, "offsets increasing, seed \(seed)")
                #expect(offsets.allSatisfy { $0 >= log.logStartOffset && $0 < log.logEndOffset }, "seed \(seed)")
                for r in all { #expect(model[r.offset] == r, "record \(r.offset) intact, seed \(seed)") }
                if !config.cleanupPolicy.compact {
                    #expect(offsets == Array(log.logStartOffset..<log.logEndOffset), "no gaps without compaction, seed \(seed)")
                }
                // Each key's newest record is always retained (unless its tombstone expired).
                var newest: [[UInt8]: Int64] = [:]
                for (o, r) in model where o >= log.logStartOffset { if let k = r.key, o > newest[k] ?? -1 { newest[k] = o } }
                for (_, o) in newest where model[o]!.value != nil {
                    #expect(offsets.contains(o), "newest value of a key kept, seed \(seed)")
                }
                // Reading from every retained offset returns the suffix.
                if let pick = offsets.randomElement(using: &rng) {
                    #expect(try log.read(from: pick).map(\.offset) == offsets.filter { $0 >= pick }, "seed \(seed)")
                }
            }
        }
    }
}
