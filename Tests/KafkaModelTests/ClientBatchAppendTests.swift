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
        _ = try log.append(clientBatch: first, nowMs: 0)
        _ = try log.append(clientBatch: second, nowMs: 0)
        func stamped(_ batch: [UInt8], offset: Int64) -> [UInt8] {
            var out = batch
            withUnsafeBytes(of: offset.bigEndian) { out.replaceSubrange(0..<8, with: $0) }
            withUnsafeBytes(of: Int32(4).bigEndian) { out.replaceSubrange(12..<16, with: $0) }
            return out
        }
        #expect(try log.storage.readAll("00000000000000000000.log") == stamped(first, offset: 0) + stamped(second, offset: 2))
        #expect(try log.read(from: 0).map(\.offset) == Array(0..<502))
    }
}
