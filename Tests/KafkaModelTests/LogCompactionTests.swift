import Testing
@testable import KafkaModel

@Suite struct LogCompactionTests {
    func compactedLog(_ kind: StorageKind) throws -> UnifiedLog {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        config.deleteRetentionMs = 1000
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: kind.make(), nowMs: 0)
        return log
    }

    @Test(arguments: StorageKind.allCases)
    func keepsNewestPerKeyAndOffsetsAndActiveSegment(kind: StorageKind) throws {
        let log = try compactedLog(kind)
        _ = try log.append(records: [rec("a", "a1"), rec("b", "b1"), rec("a", "a2")], nowMs: 0)  // 0,1,2
        try log.roll(nowMs: 0)
        _ = try log.append(records: [rec("b", "b2"), rec("c", "c1")], nowMs: 0)               // 3,4
        try log.roll(nowMs: 0)
        _ = try log.append(records: [rec("a", "a3")], nowMs: 0)                                // 5 (active)
        #expect(try log.clean(nowMs: 0) == [.compacted(removed: 2, kept: 3)])
        let all = try log.read(from: 0)
        #expect(all.map(\.offset) == [2, 3, 4, 5])
        #expect(values(all) == ["a2", "b2", "c1", "a3"])
        // Merged into one segment (sizes fit segment.bytes); active untouched.
        #expect(log.segments.map(\.baseOffset) == [0, 5])
        #expect(log.logStartOffset == 0 && log.logEndOffset == 6)
        // Batches keep their last offset (overrideLastOffset): dump shows lastOffset 2 for the first batch.
        let bytes = try log.storage.readAll("00000000000000000000.log")
        let batches = try RecordBatch.decodeAll(bytes)
        #expect(batches.map(\.lastOffset) == [2, 4])
        // Nothing dirty any more.
        #expect(try log.clean(nowMs: 0, force: true).isEmpty)
        #expect(try log.read(from: 1).map(\.offset) == [2, 3, 4, 5])
    }

    @Test("A group whose records are all superseded leaves no empty segment (KAFKA-9157)", arguments: StorageKind.allCases)
    func emptyGroupsLeaveNoSegment(kind: StorageKind) throws {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        config.segmentBytes = 120  // one batch per segment, so the groups cannot merge
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: kind.make(), nowMs: 0)
        _ = try log.append(records: [rec("a", "a1"), rec("b", "b1")], nowMs: 0)  // 0,1: all superseded below
        try log.roll(nowMs: 0)
        _ = try log.append(records: [rec("a", "a2"), rec("b", "b2")], nowMs: 0)  // 2,3
        try log.roll(nowMs: 0)
        _ = try log.append(records: [rec("c", "c1")], nowMs: 0)                  // 4 (active)
        #expect(try log.clean(nowMs: 0, force: true) == [.compacted(removed: 2, kept: 2)])
        #expect(log.segments.map(\.baseOffset) == [2, 4])
        #expect(!(try log.storage.listFiles()).contains("00000000000000000000.log"))
        #expect(log.logStartOffset == 0)
        #expect(try log.read(from: 0).map(\.offset) == [2, 3, 4])
    }

    @Test func tombstonesExpireAfterDeleteRetention() throws {
        let log = try compactedLog(.memory)
        _ = try log.append(records: [rec("a", "a1"), rec("b", "b1")], nowMs: 0)
        _ = try log.append(records: [rec("a", nil)], nowMs: 0)
        try log.roll(nowMs: 0)
        _ = try log.append(records: [rec("z", "z")], nowMs: 0)
        #expect(try log.clean(nowMs: 100) == [.compacted(removed: 1, kept: 2)])
        let bytes = try log.storage.readAll("00000000000000000000.log")
        #expect(try RecordBatch.decodeAll(bytes).last?.deleteHorizonMs == 1100)
        #expect(values(try log.read(from: 0)) == ["b1", nil, "z"])
        // Before the horizon: kept. After: removed.
        #expect(try log.clean(nowMs: 1099, force: true).isEmpty)  // nothing dirty
        _ = try log.append(records: [rec("y", "y")], nowMs: 0)
        try log.roll(nowMs: 0)
        _ = try log.append(records: [rec("x", "x")], nowMs: 0)
        #expect(try log.clean(nowMs: 1099, force: true) == [.compacted(removed: 0, kept: 4)])
        _ = try log.append(records: [rec("w", "w")], nowMs: 0)
        try log.roll(nowMs: 0)
        _ = try log.append(records: [rec("v", "v")], nowMs: 0)
        #expect(try log.clean(nowMs: 1100, force: true) == [.compacted(removed: 1, kept: 5)])
        #expect(try log.read(from: 0).map { $0.key.map { String(decoding: $0, as: UTF8.self) } } == ["b", "z", "y", "x", "w", "v"])
    }

    @Test func dirtyRatioGatesTheAutomaticCleaner() throws {
        let log = try compactedLog(.memory)
        _ = try log.append(records: [rec("a", "1")], nowMs: 0)
        try log.roll(nowMs: 0)
        #expect(log.dirtyRatio(nowMs: 0) == 1)
        #expect(try log.clean(nowMs: 0) == [.compacted(removed: 0, kept: 1)])
        _ = try log.append(records: [rec("a", "2")], nowMs: 0)
        try log.roll(nowMs: 0)
        #expect(log.dirtyRatio(nowMs: 0) == 0.5)
        #expect(try log.clean(nowMs: 0).isEmpty)  // 0.5 is not > 0.5
        #expect(try log.clean(nowMs: 0, force: true) == [.compacted(removed: 1, kept: 1)])
        // Delete-only topics are not cleaned automatically.
        log.config.cleanupPolicy = .delete
        _ = try log.append(records: [rec("a", "3")], nowMs: 0)
        try log.roll(nowMs: 0)
        #expect(try log.clean(nowMs: 0).isEmpty)
    }
}
