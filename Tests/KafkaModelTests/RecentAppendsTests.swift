import Foundation
import Testing
@testable import KafkaModel

/// A `FileLogStorage` keeps the last bytes appended to a file read at its end (`RecentAppends`); whatever it answers
/// from them must be what the file holds.
@Suite("Recent appends kept in memory")
struct RecentAppendsTests {
    private func directory() -> String {
        NSTemporaryDirectory() + TemporaryFolders.prefix() + "test-\(UUID().uuidString)"
    }

    /// Reads through a storage that never kept anything: the file's bytes.
    private func fileBytes(_ dir: String, _ name: String, at position: Int, count: Int) throws -> [UInt8] {
        try FileLogStorage(directory: dir).read(name, at: position, count: count)
    }

    @Test("60 seeded schedules of appends, reads near and far from the end, truncations, deletes and renames: every read equals the file")
    func readsEqualTheFile() throws {
        var keptAppendsChecked = 0
        defer { #expect(keptAppendsChecked > 0, "no read started where a kept append starts") }
        for seed in 0..<60 {
            let dir = directory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let storage = try FileLogStorage(directory: dir)
            var random = SeededRandom(seed: UInt64(seed))
            var sizes: [String: Int] = [:]
            var lastAppendStart: [String: Int] = [:]
            let names = ["a.log", "b.log"]
            for _ in 0..<100 {
                let name = names[Int(random.next() % 2)]
                let size = sizes[name] ?? 0
                switch random.next() % 10 {
                case 0..<5:
                    // Mostly small appends, sometimes one larger than what is kept.
                    // Mostly small appends; in some schedules runs of ones larger than `limit`, as a real client's.
                    let count = random.next() % (seed % 3 == 0 ? 3 : 20) == 0 ? RecentAppends.limit + Int(random.next() % 200_000)
                                                                               : Int(random.next() % 20_000)
                    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                        for i in 0..<count { buffer[i] = UInt8(truncatingIfNeeded: i &* 31 &+ seed &+ size) }
                        initialized = count
                    }
                    // Through both entries: an array the storage may keep as it is, and raw bytes it copies.
                    if random.next() % 2 == 0 {
                        try storage.append(name, bytes)
                    } else {
                        try bytes.withUnsafeBytes { raw in try storage.append(name, raw) }
                    }
                    sizes[name] = size + count
                    lastAppendStart[name] = size
                case 5..<8 where size > 0:
                    // Near the end (where followers read) or anywhere.
                    // Where the last append started (a follower fetching it), anywhere, or near the end.
                    let choice = random.next() % 4
                    let position = choice == 0 ? min(lastAppendStart[name] ?? 0, size)
                        : choice == 1 ? Int(random.next() % UInt64(size))
                        : max(0, size - Int(random.next() % (seed % 3 == 0 ? 1_500_000 : 50_000)))
                    let count = Int(random.next() % 60_000) + 1
                    let read = try storage.read(name, at: position, count: count)
                    #expect(read == (try fileBytes(dir, name, at: position, count: count)), "seed \(seed): \(name) at \(position)")
                    if let kept = storage.keptAppend(name, at: position) {
                        #expect(kept == (try fileBytes(dir, name, at: position, count: kept.count)), "seed \(seed): kept append of \(name) at \(position)")
                        keptAppendsChecked += 1
                    }
                case 8 where size > 0:
                    let cut = Int(random.next() % UInt64(size))
                    try storage.truncate(name, to: cut)
                    sizes[name] = cut
                case 9:
                    if random.next() % 2 == 0 {
                        try storage.delete(name)
                        sizes[name] = nil
                    } else if size > 0 {
                        let other = names.first { $0 != name }!
                        try storage.rename(name, to: other)
                        sizes[other] = size
                        sizes[name] = nil
                    }
                default:
                    break
                }
            }
        }
    }

    @Test("The last 4 appends stay kept however large (a follower a few client batches behind), not a 5th")
    func largeAppendsAreKeptWhole() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let storage = try FileLogStorage(directory: dir)
        try storage.append("x.log", [9])
        #expect(try storage.read("x.log", at: 1, count: 10) == [])
        let batch = 700_000
        for round in 0..<6 { try storage.append("x.log", [UInt8](repeating: UInt8(round), count: batch)) }
        #expect(storage.keepsRecentBytes("x.log", from: 1 + 2 * batch))
        #expect(!storage.keepsRecentBytes("x.log", from: 2 * batch))
        #expect(try storage.read("x.log", at: 1 + 2 * batch, count: 3) == [2, 2, 2])
    }

    @Test("A follower one client batch (900 KB) behind the end starts the keeping: the next batch is handed over, not read")
    func readOneLargeBatchBehindTheEndStartsKeeping() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let storage = try FileLogStorage(directory: dir)
        let batch = 900_000
        try storage.append("x.log", [UInt8](repeating: 1, count: batch))
        try storage.append("x.log", [UInt8](repeating: 2, count: batch))
        #expect(try storage.read("x.log", at: batch, count: 3) == [2, 2, 2])
        try storage.append("x.log", [UInt8](repeating: 3, count: batch))
        #expect(storage.keptAppend("x.log", at: 2 * batch)?.count == batch)
    }

    @Test("Forty partitions' followers reading megabyte batches: the cluster keeps at most 32 MiB, the busiest partitions' bytes, and every read still equals the file")
    func keptBytesAreBoundedAcrossPartitions() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let budget = OpenFileBudget()
        let storages = try (0..<40).map { try FileLogStorage(directory: dir + "/p\($0)", budget: budget) }
        let batch = 1_000_000
        var sizes = [Int](repeating: 0, count: storages.count)
        for round in 0..<5 {
            for (index, storage) in storages.enumerated() {
                let bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: round &* 41 &+ index), count: batch)
                try storage.append("x.log", bytes)
                // A follower one batch behind: it reads the batch just appended.
                #expect(try storage.read("x.log", at: sizes[index], count: 2) == [bytes[0], bytes[1]])
                sizes[index] += batch
                #expect(budget.keptBytes.keptBytes <= KeptBytesBudget.limit)
            }
        }
        // The partition appended to last still hands its batch over without a read; the first ones were dropped.
        let last = try #require(storages.last)
        try last.append("x.log", [UInt8](repeating: 7, count: batch))
        #expect(last.keptAppend("x.log", at: sizes[storages.count - 1])?.count == batch)
        #expect(!storages[0].keepsRecentBytes("x.log", from: sizes[0] - batch))
        for (index, storage) in storages.enumerated() {
            #expect(try storage.read("x.log", at: sizes[index] - batch, count: 1) == [UInt8(truncatingIfNeeded: 4 &* 41 &+ index)])
        }
    }

    @Test("A read at the end keeps what follows in memory: the next read of it costs no read of the file")
    func tailReadsAreServedFromMemory() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let storage = try FileLogStorage(directory: dir)
        try storage.append("x.log", [1, 2, 3])
        #expect(try storage.read("x.log", at: 3, count: 10) == [])
        try storage.append("x.log", [4, 5, 6])
        // Changed behind the storage's back: a read served from memory still sees the appended bytes.
        let handle = try #require(FileHandle(forWritingAtPath: dir + "/x.log"))
        try handle.seek(toOffset: 3)
        try handle.write(contentsOf: Data([9, 9, 9]))
        try handle.close()
        #expect(try storage.read("x.log", at: 3, count: 10) == [4, 5, 6])
        // Far from the end, the file is read.
        #expect(try storage.read("x.log", at: 0, count: 3) == [1, 2, 3])
    }
}

/// Followers of a leader on real files fetch what it appended a moment ago from the bytes its storage keeps: what they
/// write must be the leader's file, byte for byte, whatever the batch sizes (many tiny ones, and ones larger than
/// what is kept).
@Suite("Followers reading kept bytes")
struct FollowersReadingKeptBytesTests {
    @Test("Tiny, 16 KiB and 660 KiB batches at RF 3 on files: every follower's segment equals the leader's")
    func followersCopyTheLeadersFileExactly() throws {
        var config = ClusterConfig(brokers: 3, seed: 11)
        config.logStorage = .temporaryFiles
        let cluster = Cluster(config: config)
        let tp = TopicPartition("t", 0)
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3)
        let sizes = [1, 150, 150, 6_000, 150, 1, 1, 150, 6_000, 6_000, 150, 1, 150]
        for (round, count) in sizes.enumerated() {
            let records = (0..<count).map { _ in Record(timestamp: Int64(round), key: nil, value: [UInt8](repeating: UInt8(round), count: 100)) }
            try cluster.appendRecords(records, to: tp, acks: .leader, reportAppend: false)
            cluster.advance(byMs: round % 4 == 3 ? 600 : 5, reportsClock: false)
        }
        cluster.advance(byMs: 2_000, reportsClock: false)
        let replicas = cluster.replicas(of: tp)
        #expect(replicas.count == 3)
        let leader = try #require(replicas.first { $0.isLeader })
        let name = try #require(leader.log.segments.last).logFileName
        let leaderBytes = try leader.log.storage.readAll(name)
        #expect(leaderBytes.count > 1_200_000)
        for follower in replicas where !follower.isLeader {
            #expect(follower.log.logEndOffset == leader.log.logEndOffset)
            #expect(try follower.log.storage.readAll(name) == leaderBytes)
        }
    }
}
