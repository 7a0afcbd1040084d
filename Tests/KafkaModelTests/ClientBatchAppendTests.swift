import Testing
@testable import KafkaModel

/// A client's batch is written as sent except for the two fields the leader stamps (base offset, partition leader
/// epoch), which its CRC does not cover; the header goes out stamped and the rest of the bytes untouched.
@Suite("A client's batch as the log writes it")
struct ClientBatchAppendTests {
    @Test(arguments: StorageKind.allCases)
    func onlyTheBaseOffsetAndLeaderEpochChange(kind: StorageKind) throws {
        let (log, _) = try UnifiedLog.open(topicPartition: tp, storage: kind.make(), nowMs: 0)
        log.leaderEpoch = 4
        let first = RecordBatch(baseOffset: 0, records: [Record(offset: 0, timestamp: 1, key: "a", value: "1"),
                                                          Record(offset: 1, timestamp: 1, key: "b", value: "2")]).encoded()
        let second = RecordBatch(baseOffset: 0, records: (0..<500).map {
            Record(offset: Int64($0), timestamp: 2, key: "k\($0)", value: String(repeating: "v", count: 200))
        }).encoded()
        _ = try log.append(clientBatch: MemoryRecords(first), nowMs: 0)
        _ = try log.append(clientBatch: MemoryRecords(second), nowMs: 0)
        func stamped(_ batch: [UInt8], offset: Int64) -> [UInt8] {
            var out = batch
            withUnsafeBytes(of: offset.bigEndian) { out.replaceSubrange(0..<8, with: $0) }
            withUnsafeBytes(of: Int32(4).bigEndian) { out.replaceSubrange(12..<16, with: $0) }
            return out
        }
        #expect(try log.storage.readAll("00000000000000000000.log") == stamped(first, offset: 0) + stamped(second, offset: 2))
        #expect(try log.read(from: 0).map(\.offset) == Array(0..<502))
    }

    @Test("A request's batch (MemoryRecords) is stamped where it is: the followers are handed the request's own bytes, not a copy, and the request keeps none")
    func aRequestsBatchIsStampedInPlace() throws {
        let storage = try StorageKind.file.make()
        let (log, _) = try UnifiedLog.open(topicPartition: tp, storage: storage, nowMs: 0)
        log.leaderEpoch = 2
        let batch = { (n: Int) in
            RecordBatch(baseOffset: 0, records: (0..<n).map { Record(offset: Int64($0), timestamp: 3, key: "k\($0)", value: "v") }).encoded()
        }
        _ = try log.append(clientBatch: MemoryRecords(batch(3)), nowMs: 0)
        // A follower reads at the end: the storage starts keeping what is appended next.
        let end = log.activeSegment.size
        _ = try storage.read(log.activeSegment.logFileName, at: end, count: 1)
        let records = MemoryRecords(batch(5))
        let address = records.bytes.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        _ = try log.append(clientBatch: records, nowMs: 0)
        #expect(records.bytes.isEmpty)
        let kept = try #require(storage.keptAppend(log.activeSegment.logFileName, at: end))
        #expect(kept.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) } == address)
        #expect(Array(kept[0..<8]) == withUnsafeBytes(of: Int64(3).bigEndian, Array.init))
        #expect(try log.read(from: 0).map(\.offset) == Array(0..<8))
    }
}
