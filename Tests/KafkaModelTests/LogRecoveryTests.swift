import Testing
@testable import KafkaModel

@Suite struct LogRecoveryTests {
    func filled(_ kind: StorageKind) throws -> UnifiedLog {
        var config = LogConfig()
        config.indexIntervalBytes = 50
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: kind.make(), nowMs: 0)
        for i in 0..<6 {
            _ = try log.append(records: [rec("k\(i)", "value-\(i)", Int64(i)), rec(nil, "x", Int64(i))], nowMs: 0)
            if i == 2 { try log.roll(nowMs: 0) }
        }
        return log
    }

    @Test(arguments: StorageKind.allCases)
    func intactLogReopensUnchanged(kind: StorageKind) throws {
        let log = try filled(kind)
        let (reopened, events) = try UnifiedLog.open(topicPartition: tp, config: log.config, storage: log.storage, nowMs: 50)
        #expect(events.isEmpty)
        #expect(reopened.segments.map(\.baseOffset) == log.segments.map(\.baseOffset))
        #expect(reopened.segments.map(\.offsetIndex) == log.segments.map(\.offsetIndex))
        #expect(reopened.segments.map(\.timeIndex) == log.segments.map(\.timeIndex))
        #expect(reopened.logEndOffset == 12)
        #expect(try reopened.read(from: 0) == log.read(from: 0))
    }

    @Test(arguments: StorageKind.allCases)
    func tornTailIsTruncated(kind: StorageKind) throws {
        let log = try filled(kind)
        let name = log.activeSegment.logFileName
        let size = log.activeSegment.size
        try log.storage.truncate(name, to: size - 5)
        let (reopened, events) = try UnifiedLog.open(topicPartition: tp, storage: log.storage, nowMs: 0)
        let lastBatch = log.segments.last!.size - 5 - (try reopened.storage.size(of: name))
        #expect(events == [.recoveryTruncated(bytes: lastBatch, records: 2)])
        #expect(reopened.logEndOffset == 10)
        #expect(try reopened.read(from: 0).count == 10)
        #expect(try reopened.append(records: [rec("a", "b")], nowMs: 0).firstOffset == 10)
    }

    @Test(arguments: StorageKind.allCases)
    func corruptCRCTruncatesAndDropsLaterSegments(kind: StorageKind) throws {
        let log = try filled(kind)
        let first = log.segments[0]
        var bytes = try log.storage.readAll(first.logFileName)
        let secondBatch = Int(try bytes.withUnsafeBytes { try RecordBatchHeader.read($0) }.sizeInBytes)
        bytes[secondBatch + 70] ^= 0xFF
        try log.storage.write(first.logFileName, bytes)
        let (reopened, events) = try UnifiedLog.open(topicPartition: tp, storage: log.storage, nowMs: 0)
        #expect(events == [.recoveryTruncated(bytes: first.size - secondBatch + log.segments[1].size, records: 10)])
        #expect(reopened.segments.map(\.baseOffset) == [0])
        #expect(reopened.logEndOffset == 2)
        #expect(try !reopened.storage.listFiles().contains(log.segments[1].logFileName))
    }

    @Test("A missing middle segment is reported as a gap; compaction's gaps below the checkpoint are not",
          arguments: StorageKind.allCases)
    func missingMiddleSegmentIsAGap(kind: StorageKind) throws {
        let log = try filled(kind)
        _ = try log.roll(nowMs: 0)
        _ = try log.append(records: [rec("z", "last")], nowMs: 0)
        let middle = log.segments[1]
        try log.deleteFiles(of: middle)
        let (reopened, events) = try UnifiedLog.open(topicPartition: tp, config: log.config, storage: log.storage, nowMs: 0)
        #expect(events == [.recoveryFoundGap(from: middle.baseOffset, to: log.segments[2].baseOffset - 1)])
        #expect(reopened.logEndOffset == 13)
        // Below the cleaner checkpoint a gap is compaction's doing.
        let (_, quiet) = try UnifiedLog.open(topicPartition: tp, config: log.config, storage: log.storage, nowMs: 0,
                                             cleanerCheckpoint: log.segments[2].baseOffset)
        #expect(quiet.isEmpty)
    }

    @Test func emptyStorageGetsSegmentZero() throws {
        let storage = InMemoryLogStorage()
        let (log, events) = try UnifiedLog.open(topicPartition: tp, storage: storage, nowMs: 0)
        #expect(events.isEmpty && log.logEndOffset == 0)
        #expect(storage.files.keys.sorted() == ["00000000000000000000.index", "00000000000000000000.log", "00000000000000000000.timeindex"])
    }
}

@Suite("Open file descriptors")
struct OpenFileBudgetTests {
    @Test("Hundreds of partitions with many small segments stay within the process's descriptor budget, and every record reads back")
    func bounded() throws {
        var config = ClusterConfig(brokers: 1, seed: 3)
        config.logStorage = .temporaryFiles
        let cluster = Cluster(config: config)
        try cluster.createTopic("many", partitions: 400, replicationFactor: 1, configs: ["segment.bytes": "100"])
        for round in 0..<3 {
            for p in 0..<400 {
                try cluster.appendRecords([Record(timestamp: cluster.nowMs, key: nil, value: Array("r\(round)-\(p)".utf8))], to: TopicPartition("many", p))
            }
        }
        #expect(cluster.logManager.fileBudget.openCount <= OpenFileBudget.limit)
        for p in stride(from: 0, to: 400, by: 37) {
            #expect(try cluster.fetch(TopicPartition("many", p), from: 0).map { String(decoding: $0.value ?? [], as: UTF8.self) }
                    == ["r0-\(p)", "r1-\(p)", "r2-\(p)"])
        }
    }
}
