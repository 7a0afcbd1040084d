import Testing
@testable import KafkaModel

/// A storage double over `InMemoryLogStorage` that fails the way a process or a disk does:
/// - `crashAt`: the n-th operation of a kind "kills the process": it and every later call fail, leaving the
///   files as they were (reopen with `files`, as a restarted broker would);
/// - `diskFull`: an append writes only its first `partialBytes` bytes, then fails (ENOSPC);
/// - `truncateFails`: truncation fails too (the disk is gone).
final class FaultyStorage: LogStorage {
    enum Operation: Hashable { case create, append, truncate, delete, rename }
    let files = InMemoryLogStorage(path: "/faulty/t-0")
    var path: String { files.path }
    var crashAt: (Operation, Int)?
    /// The n-th operation of a kind fails (an I/O error); the storage carries on.
    var failAt: (Operation, Int)?
    var diskFull = false
    var partialBytes = 7
    var truncateFails = false
    private(set) var crashed = false
    private var counts: [Operation: Int] = [:]

    private func step(_ operation: Operation) throws(LogError) {
        if crashed { throw .storage(operation: "\(operation)", file: path, reason: "the process is dead") }
        counts[operation, default: 0] += 1
        if let (kind, n) = crashAt, kind == operation, counts[operation] == n {
            crashed = true
            throw .storage(operation: "\(operation)", file: path, reason: "killed")
        }
        if let (kind, n) = failAt, kind == operation, counts[operation] == n {
            throw .storage(operation: "\(operation)", file: path, reason: "Input/output error")
        }
    }

    func listFiles() throws(LogError) -> [String] { try files.listFiles() }
    func create(_ name: String) throws(LogError) { try step(.create); try files.create(name) }
    func append(_ name: String, _ bytes: [UInt8]) throws(LogError) {
        try step(.append)
        if diskFull {
            try files.append(name, Array(bytes.prefix(partialBytes)))
            throw .storage(operation: "append to", file: name, reason: "No space left on device")
        }
        try files.append(name, bytes)
    }
    func read(_ name: String, at position: Int, into buffer: UnsafeMutableRawBufferPointer) throws(LogError) -> Int {
        try files.read(name, at: position, into: buffer)
    }
    func size(of name: String) throws(LogError) -> Int { try files.size(of: name) }
    func truncate(_ name: String, to size: Int) throws(LogError) {
        try step(.truncate)
        if truncateFails { throw .storage(operation: "truncate", file: name, reason: "Input/output error") }
        try files.truncate(name, to: size)
    }
    func delete(_ name: String) throws(LogError) { try step(.delete); try files.delete(name) }
    func rename(_ name: String, to newName: String) throws(LogError) { try step(.rename); try files.rename(name, to: newName) }
}

@Suite struct LogDurabilityTests {
    /// A compacted log whose offsets 0-4 hold the only values of k0…k4, in several segments, plus updates.
    func compactedLog(_ storage: any LogStorage) throws -> UnifiedLog {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        config.segmentBytes = 300
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: storage, nowMs: 0)
        for i in 0..<5 { _ = try log.append(records: [rec("k\(i)", "only-\(i)")], nowMs: 0) }
        for i in 0..<20 { _ = try log.append(records: [rec("u\(i % 3)", "update-\(i)")], nowMs: 0) }
        return log
    }

    func latestPerKey(_ records: [Record]) -> [String: String] {
        var out: [String: String] = [:]
        for r in records { out[String(decoding: r.key!, as: UTF8.self)] = r.value.map { String(decoding: $0, as: UTF8.self) } }
        return out
    }

    @Test("A crash at any step of compaction loses no key's latest value; recovery finishes or forgets the swap",
          arguments: [FaultyStorage.Operation.create, .append, .delete, .rename])
    func crashDuringCompaction(operation: FaultyStorage.Operation) throws {
        let expected = latestPerKey(try compactedLog(InMemoryLogStorage()).read(from: 0))
        var n = 1
        while true {
            let storage = FaultyStorage()
            let log = try compactedLog(storage)
            storage.crashAt = (operation, n)
            let finished = (try? log.clean(nowMs: 0, force: true)) != nil && !storage.crashed
            let (reopened, _) = try UnifiedLog.open(topicPartition: tp, config: log.config, storage: storage.files, nowMs: 0)
            let records = try reopened.read(from: 0)
            #expect(latestPerKey(records) == expected, "crash at \(operation) #\(n)")
            #expect(reopened.logEndOffset == 25, "crash at \(operation) #\(n)")
            #expect(try storage.files.listFiles().allSatisfy { !$0.hasSuffix(".cleaned") && !$0.hasSuffix(".swap") && !$0.hasSuffix(".deleted") })
            if finished { break }
            n += 1
        }
    }

    @Test("Recovery completes a swap: a complete .swap and .deleted old segments become the cleaned segment")
    func recoveryCompletesSwap() throws {
        let storage = InMemoryLogStorage()
        let log = try compactedLog(storage)
        let expected = latestPerKey(try log.read(from: 0))
        let oldNames = log.segments.dropLast().map(\.logFileName)
        // What the cleaner leaves after writing .cleaned, renaming it .swap and retiring the first old segment.
        let probe = try compactedLog(InMemoryLogStorage())
        try probe.clean(nowMs: 0, force: true)
        let cleanedBytes = try probe.storage.readAll(probe.segments[0].logFileName)
        try storage.write(oldNames[0] + ".swap", cleanedBytes)
        try storage.rename(oldNames[0], to: oldNames[0] + ".deleted")
        let (reopened, events) = try UnifiedLog.open(topicPartition: tp, config: log.config, storage: storage, nowMs: 0)
        #expect(events.isEmpty)
        #expect(latestPerKey(try reopened.read(from: 0)) == expected)
        // The first group is the cleaned segment now; the rest are untouched.
        let groupEnd = probe.segments[1].baseOffset
        #expect(try reopened.read(from: 0).map(\.offset).filter { $0 < groupEnd } == probe.read(from: 0).map(\.offset).filter { $0 < groupEnd })
        #expect(try reopened.read(from: groupEnd).map(\.offset) == log.read(from: groupEnd).map(\.offset))
    }

    @Test("A crash at any step of retention leaves a contiguous log holding what retention keeps",
          arguments: [FaultyStorage.Operation.create, .delete, .rename])
    func crashDuringRetention(operation: FaultyStorage.Operation) throws {
        var n = 1
        while true {
            let storage = FaultyStorage()
            var config = LogConfig()
            config.segmentBytes = 300
            config.retentionBytes = 400
            let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: storage, nowMs: 0)
            for i in 0..<20 { _ = try log.append(records: [rec("k\(i)", "value-\(i)")], nowMs: 0) }
            storage.crashAt = (operation, n)
            let finished = (try? log.deleteOldSegments(nowMs: 0)) != nil && !storage.crashed
            let (reopened, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: storage.files, nowMs: 0)
            let offsets = try reopened.read(from: reopened.logStartOffset).map(\.offset)
            #expect(offsets == Array(reopened.logStartOffset..<20), "crash at \(operation) #\(n)")
            #expect(reopened.logEndOffset == 20)
            if finished { break }
            n += 1
        }
    }

    @Test("A storage error during compaction or retention never half-changes the log: memory matches the files, retention undoes itself, compaction keeps whole groups",
          arguments: [FaultyStorage.Operation.create, .append, .delete, .rename])
    func storageErrorLeavesNoHalfChange(operation: FaultyStorage.Operation) throws {
        for phase in ["compaction", "retention"] {
            var n = 1
            while true {
                let storage = FaultyStorage()
                let log = try compactedLog(storage)
                if phase == "retention" { log.config.cleanupPolicy = .delete; log.config.retentionBytes = 400 }
                storage.failAt = (operation, n)
                let before = try log.read(from: log.logStartOffset)
                let succeeded: Bool
                do {
                    if phase == "compaction" { try log.clean(nowMs: 0, force: true) } else { try log.deleteOldSegments(nowMs: 0) }
                    succeeded = true
                } catch {
                    succeeded = false
                }
                // Memory still matches the files: reads work, and a reopen sees the same records.
                let now = try log.read(from: log.logStartOffset)
                if !succeeded && phase == "retention" {
                    #expect(now.map(\.offset) == before.map(\.offset), "retention: \(operation) #\(n) failed yet the log changed")
                }
                // A cleaning that fails part way has cleaned whole groups (each swapped in completely) or none.
                if phase == "compaction" { #expect(latestPerKey(now) == latestPerKey(before), "\(phase): \(operation) #\(n)") }
                let (reopened, _) = try UnifiedLog.open(topicPartition: tp, config: log.config, storage: storage.files, nowMs: 0,
                                                        logStartOffset: log.logStartOffset, cleanerCheckpoint: log.cleanerCheckpoint)
                #expect(try reopened.read(from: reopened.logStartOffset).map(\.offset) == now.map(\.offset), "\(phase): \(operation) #\(n)")
                #expect(try storage.files.listFiles().allSatisfy { !$0.hasSuffix(".swap") && !$0.hasSuffix(".cleaned") })
                if succeeded { break }
                n += 1
            }
        }
    }

    @Test("A full disk: the torn batch is cut, the send fails with KAFKA_STORAGE_ERROR, later sends survive a reopen")
    func fullDiskTruncatesToLastGoodOffset() throws {
        let storage = FaultyStorage()
        let (log, _) = try UnifiedLog.open(topicPartition: tp, storage: storage, nowMs: 0)
        _ = try log.append(records: [rec("a", "1")], nowMs: 0)
        let good = try storage.size(of: log.activeSegment.logFileName)
        storage.diskFull = true
        #expect(throws: LogError.self) { try log.append(records: [rec("b", "2")], nowMs: 0) }
        do { _ = try log.append(records: [rec("b", "2")], nowMs: 0) } catch {
            #expect(KafkaError(error).errorName == "KAFKA_STORAGE_ERROR" && KafkaError(error).code == 56)
        }
        #expect(try storage.size(of: log.activeSegment.logFileName) == good)
        #expect(log.logEndOffset == 1 && log.activeSegment.size == good)
        storage.diskFull = false
        #expect(try log.append(records: [rec("c", "3")], nowMs: 0).firstOffset == 1)
        let (reopened, events) = try UnifiedLog.open(topicPartition: tp, storage: storage.files, nowMs: 0)
        #expect(events.isEmpty)
        #expect(values(try reopened.read(from: 0)) == ["1", "3"])
    }

    @Test("A failed write that cannot be undone takes the log offline instead of appending after torn bytes")
    func failedUndoTakesLogOffline() throws {
        let storage = FaultyStorage()
        let (log, _) = try UnifiedLog.open(topicPartition: tp, storage: storage, nowMs: 0)
        _ = try log.append(records: [rec("a", "1")], nowMs: 0)
        storage.diskFull = true
        storage.truncateFails = true
        #expect(throws: LogError.self) { try log.append(records: [rec("b", "2")], nowMs: 0) }
        storage.diskFull = false
        storage.truncateFails = false
        #expect(throws: LogError.self) { try log.append(records: [rec("c", "3")], nowMs: 0) }
        #expect(log.storageFailure != nil)
        let (reopened, _) = try UnifiedLog.open(topicPartition: tp, storage: storage.files, nowMs: 0)
        #expect(values(try reopened.read(from: 0)) == ["1"])
    }
}
