import Testing
@testable import KafkaModel

@Suite struct LogRetentionTests {
    /// A log with segments [0,1] [2,3] [4] (active, holds offset 4), timestamps 1000+offset.
    func makeLog(_ kind: StorageKind, _ configure: (inout LogConfig) -> Void) throws -> UnifiedLog {
        var config = LogConfig()
        configure(&config)
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: kind.make(), nowMs: 0)
        for i in 0..<5 {
            _ = try log.append(records: [rec("k\(i)", "v\(i)", 1000 + Int64(i))], nowMs: 1000 + Int64(i))
            if i == 1 || i == 3 { try log.roll(nowMs: 1000 + Int64(i)) }
        }
        return log
    }

    @Test(arguments: StorageKind.allCases)
    func retentionMsDeletesOldestWholeSegments(kind: StorageKind) throws {
        let log = try makeLog(kind) { $0.retentionMs = 100 }
        #expect(try log.deleteOldSegments(nowMs: 1102) == [
            .segmentDeleted(baseOffset: 0, reason: .retentionMs), .logStartOffsetIncremented(from: 0, to: 2)])
        #expect(log.segments.map(\.baseOffset) == [2, 4])
        #expect(throws: LogError.self) { try log.read(from: 1) }
        #expect(try log.read(from: 2).map(\.offset) == [2, 3, 4])
        #expect(try !log.storage.listFiles().contains("00000000000000000000.log"))
    }

    @Test(arguments: StorageKind.allCases)
    func whenEverySegmentExpiresANewActiveSegmentIsRolledFirst(kind: StorageKind) throws {
        let log = try makeLog(kind) { $0.retentionMs = 100 }
        let events = try log.deleteOldSegments(nowMs: 5000)
        #expect(events == [
            .segmentRolled(baseOffset: 5, reason: .retention),
            .segmentDeleted(baseOffset: 0, reason: .retentionMs), .segmentDeleted(baseOffset: 2, reason: .retentionMs),
            .segmentDeleted(baseOffset: 4, reason: .retentionMs), .logStartOffsetIncremented(from: 0, to: 5)])
        #expect(log.segments.map(\.baseOffset) == [5])
        #expect(log.logStartOffset == 5 && log.logEndOffset == 5)
        // The empty active segment is never deleted.
        #expect(try log.deleteOldSegments(nowMs: 99_999).isEmpty)
        #expect(try log.append(records: [rec("k", "v", 99_999)], nowMs: 99_999).firstOffset == 5)
    }

    @Test func retentionBytesKeepsSizeUnderLimit() throws {
        let log = try makeLog(.memory) { $0.retentionBytes = 0; $0.retentionMs = -1 }
        let segmentSizes = log.segments.map(\.size)
        log.config.retentionBytes = Int64(segmentSizes[1] + segmentSizes[2])
        #expect(try log.deleteOldSegments(nowMs: 1_000_000_000) == [
            .segmentDeleted(baseOffset: 0, reason: .retentionBytes), .logStartOffsetIncremented(from: 0, to: 2)])
        // Limit smaller than the active segment: every closed segment goes, the active one stays.
        log.config.retentionBytes = 1
        #expect(try log.deleteOldSegments(nowMs: 0) == [
            .segmentDeleted(baseOffset: 2, reason: .retentionBytes), .logStartOffsetIncremented(from: 2, to: 4)])
        #expect(log.segments.map(\.baseOffset) == [4])
    }

    @Test func bothLimitsAndCompactOnlyPolicy() throws {
        let log = try makeLog(.memory) { $0.retentionMs = 100 }
        log.config.retentionBytes = Int64(log.size - log.segments[0].size)
        // Size first (segment 0), then time (segment 2 is older than 100 ms at now = 1104).
        #expect(try log.deleteOldSegments(nowMs: 1104) == [
            .segmentDeleted(baseOffset: 0, reason: .retentionBytes), .logStartOffsetIncremented(from: 0, to: 2),
            .segmentDeleted(baseOffset: 2, reason: .retentionMs), .logStartOffsetIncremented(from: 2, to: 4)])
        let compacted = try makeLog(.memory) { $0.retentionMs = 1; $0.cleanupPolicy = .compact }
        #expect(try compacted.deleteOldSegments(nowMs: 1_000_000).isEmpty)
    }

    @Test func logStartOffsetBreachAndHighWatermark() throws {
        let log = try makeLog(.memory) { $0.retentionMs = -1 }
        #expect(try log.deleteRecords(before: 3) == [.logStartOffsetIncremented(from: 0, to: 3)])
        #expect(throws: LogError.self) { try log.read(from: 2) }
        #expect(try log.deleteOldSegments(nowMs: 0) == [.segmentDeleted(baseOffset: 0, reason: .logStartOffset)])
        #expect(log.logStartOffset == 3)
        #expect(throws: LogError.self) { try log.deleteRecords(before: 6) }
        // Segments with offsets at or above the high watermark are kept.
        let held = try makeLog(.memory) { $0.retentionMs = 100 }
        held.highWatermarkFollowsLogEnd = false
        _ = try held.append(records: [rec("k", "v", 1005)], nowMs: 1005)
        #expect(held.highWatermark == 5)
        #expect(try held.deleteOldSegments(nowMs: 9999).map { if case .segmentDeleted(let b, _) = $0 { return b } else { return -1 } }
                .filter { $0 >= 0 } == [0, 2])
    }
}
