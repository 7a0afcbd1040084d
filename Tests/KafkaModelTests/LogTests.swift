import Foundation
import Testing
@testable import KafkaModel

/// Storage kinds every log test runs against.
enum StorageKind: CaseIterable, Sendable, CustomStringConvertible {
    case memory, file
    var description: String { self == .memory ? "memory" : "file" }

    func make() throws -> any LogStorage {
        switch self {
        case .memory: return InMemoryLogStorage(path: "/data/t-0")
        case .file:
            // Named after this process, so the next kafkalab to start removes it once the tests have exited.
            let dir = NSTemporaryDirectory() + TemporaryFolders.prefix() + "test-\(UUID().uuidString)"
            return try FileLogStorage(dataDirectory: dir, topicPartition: TopicPartition("t", 0))
        }
    }
}

let tp = TopicPartition("t", 0)

func rec(_ key: String?, _ value: String?, _ ts: Int64 = 0) -> Record {
    Record(timestamp: ts, key: key, value: value)
}

func values(_ records: [Record]) -> [String?] { records.map { $0.value.map { String(decoding: $0, as: UTF8.self) } } }

@Suite struct LogTests {
    @Test(arguments: StorageKind.allCases)
    func appendAssignsContiguousOffsetsAndReads(kind: StorageKind) throws {
        let (log, events) = try UnifiedLog.open(topicPartition: tp, storage: kind.make(), nowMs: 0)
        #expect(events.isEmpty)
        let r1 = try log.append(records: [rec("a", "1", 10), rec("b", "2", 11)], nowMs: 100)
        #expect(r1.firstOffset == 0 && r1.lastOffset == 1 && r1.logAppendTime == -1)
        #expect(r1.events == [.recordsAppended(firstOffset: 0, lastOffset: 1, count: 2, bytes: r1.sizeInBytes)])
        let r2 = try log.append(records: [rec(nil, "3", 12)], nowMs: 100)
        #expect(r2.firstOffset == 2)
        #expect(log.logEndOffset == 3 && log.highWatermark == 3 && log.logStartOffset == 0)
        #expect(values(try log.read(from: 0)) == ["1", "2", "3"])
        #expect(try log.read(from: 1, maxRecords: 1).map(\.offset) == [1])
        #expect(try log.read(from: 3).isEmpty)
        #expect(throws: LogError.offsetOutOfRange(topicPartition: tp, offset: 4, logStartOffset: 0, logEndOffset: 3)) {
            try log.read(from: 4)
        }
        let files = try log.storage.listFiles().sorted()
        #expect(files == ["00000000000000000000.index", "00000000000000000000.log", "00000000000000000000.timeindex"])
    }

    @Test func logAppendTimeAndTooLarge() throws {
        var config = LogConfig()
        config.messageTimestampType = .logAppendTime
        config.maxMessageBytes = 200
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: InMemoryLogStorage(), nowMs: 0)
        let result = try log.append(records: [rec("k", "v", 5)], nowMs: 777)
        #expect(result.logAppendTime == 777)
        #expect(try log.read(from: 0).map(\.timestamp) == [777])
        let big = String(repeating: "x", count: 300)
        #expect(throws: LogError.self) { try log.append(records: [rec("k", big)], nowMs: 1) }
        do {
            _ = try log.append(records: [rec("k", big)], nowMs: 1)
        } catch {
            #expect(error.description.hasPrefix("RECORD_TOO_LARGE"))
        }
        #expect(log.logEndOffset == 1)
    }

    @Test func compactedTopicRejectsKeylessRecords() throws {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: InMemoryLogStorage(), nowMs: 0)
        #expect(throws: LogError.invalidRecord(topicPartition: tp, reason: "Compacted topic cannot accept message without key in topic partition t-0.")) {
            try log.append(records: [rec(nil, "v")], nowMs: 0)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func rollsBySizeBeforeAppending(kind: StorageKind) throws {
        var config = LogConfig()
        config.segmentBytes = 300
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: kind.make(), nowMs: 0)
        var rolls: [LogEvent] = []
        for i in 0..<10 {
            let r = try log.append(records: [rec("k\(i)", String(repeating: "v", count: 50), Int64(i))], nowMs: 0)
            rolls += r.events.filter { if case .segmentRolled = $0 { return true } else { return false } }
        }
        #expect(rolls.first == .segmentRolled(baseOffset: 2, reason: .segmentBytes))
        #expect(log.segments.allSatisfy { $0.size <= 300 })
        #expect(log.segments.map(\.baseOffset) == [0, 2, 4, 6, 8])
        #expect(try log.read(from: 0).map(\.offset) == Array(0..<10))
        #expect(try log.storage.listFiles().contains("00000000000000000008.log"))
    }

    @Test func rollsByTimeFromFirstBatchTimestamp() throws {
        var config = LogConfig()
        config.segmentMs = 1000
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: InMemoryLogStorage(), nowMs: 0)
        _ = try log.append(records: [rec("a", "1", 5000)], nowMs: 5000)
        #expect(try log.append(records: [rec("a", "1", 6000)], nowMs: 6000).events.count == 1)  // 1000 is not > 1000
        let r = try log.append(records: [rec("a", "1", 6001)], nowMs: 6001)
        #expect(r.events.first == .segmentRolled(baseOffset: 2, reason: .segmentMs))
        // An explicit roll; rolling an empty active segment is a no-op.
        #expect(try log.roll(nowMs: 7000) == [.segmentRolled(baseOffset: 3, reason: .forced)])
        #expect(try log.roll(nowMs: 7000).isEmpty)
    }

    @Test func indexEntriesEveryIntervalWithKafkaLayouts() throws {
        var config = LogConfig()
        config.indexIntervalBytes = 100
        let storage = InMemoryLogStorage()
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: storage, nowMs: 0)
        var positions: [Int] = []
        for i in 0..<5 {
            positions.append(log.activeSegment.size)
            _ = try log.append(records: [rec("k", String(repeating: "v", count: 30), Int64(100 + i))], nowMs: 0)
        }
        // Each batch is 98 bytes; an entry is written when > 100 bytes were appended since the last one.
        let seg = log.activeSegment
        #expect(seg.offsetIndex == [OffsetIndexEntry(offset: 2, position: positions[2]), OffsetIndexEntry(offset: 4, position: positions[4])])
        #expect(seg.timeIndex == [TimeIndexEntry(timestamp: 102, offset: 2), TimeIndexEntry(timestamp: 104, offset: 4)])
        let index = try storage.readAll(seg.indexFileName)
        #expect(index == hex("00000002") + withUnsafeBytes(of: Int32(positions[2]).bigEndian, Array.init) + hex("00000004")
                + withUnsafeBytes(of: Int32(positions[4]).bigEndian, Array.init))
        #expect(try storage.readAll(seg.timeIndexFileName).count == 24)
        #expect(try log.read(from: 3).map(\.offset) == [3, 4])
    }

    @Test func indexFullRollsAndOffsetOverflowRolls() throws {
        var config = LogConfig()
        config.indexIntervalBytes = 0
        config.segmentIndexBytes = 36  // 4 offset entries, 3 time entries (one kept for the roll)
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: InMemoryLogStorage(), nowMs: 0)
        var reasons: [RollReason] = []
        for i in 0..<6 {
            for e in try log.append(records: [rec("k", "v", Int64(i))], nowMs: 0).events {
                if case .segmentRolled(_, let reason) = e { reasons.append(reason) }
            }
        }
        #expect(reasons == [.indexFull])
    }
}
