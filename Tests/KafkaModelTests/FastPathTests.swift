import Testing
@testable import KafkaModel

/// The hardware CRC, the raw-memory batch encoder and the view-based fetch agree with the reference paths.
@Suite struct FastPathTests {
    // MARK: CRC-32C

    @Test func hardwareAndTableCRCAgree() {
        let check = Array("123456789".utf8)
        check.withUnsafeBytes { bytes in
            #expect(CRC32C.tableChecksum(bytes) == 0xE306_9283)
            if let hw = CRC32C.hardwareChecksum(bytes) { #expect(hw == 0xE306_9283) }
            #expect(CRC32C.checksum(bytes) == 0xE306_9283)
        }
        #if arch(x86_64)
        print("CRC32C hardware acceleration: \(CRC32C.isHardwareAccelerated)")
        #endif
        var rng = SplitMix(seed: 42)
        let pool = (0..<40_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        pool.withUnsafeBytes { all in
            // Every length 0...300 at shifting alignments, then long random slices.
            for length in 0...300 {
                let start = length % 16
                let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                let table = CRC32C.tableChecksum(slice)
                #expect(CRC32C.checksum(slice) == table, "length \(length)")
                if let hw = CRC32C.hardwareChecksum(slice) { #expect(hw == table, "length \(length)") }
            }
            // Around the 3-stream block sizes (3 × 256, 3 × 2048) and long inputs, misaligned too.
            for length in [767, 768, 769, 1535, 1536, 6143, 6144, 6145, 6144 + 768 + 7, 16_384, 39_000] {
                for start in [0, 3] {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                    let table = CRC32C.tableChecksum(slice)
                    #expect(CRC32C.checksum(slice) == table, "length \(length)")
                    if let hw = CRC32C.hardwareChecksum(slice) { #expect(hw == table, "length \(length)") }
                }
            }
            for _ in 0..<200 {
                let start = Int(rng.next() % 1000)
                let length = Int(rng.next() % UInt64(all.count - start))
                let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                let table = CRC32C.tableChecksum(slice)
                #expect(CRC32C.checksum(slice) == table)
                if let hw = CRC32C.hardwareChecksum(slice) { #expect(hw == table) }
            }
        }
        // Running updates across split points equal one pass.
        pool.withUnsafeBytes { all in
            for split in [0, 1, 7, 8, 33, 4999, 20_001, 40_000] {
                let a = UnsafeRawBufferPointer(rebasing: all[0..<split])
                let b = UnsafeRawBufferPointer(rebasing: all[split...])
                #expect(~CRC32C.update(CRC32C.update(0xFFFF_FFFF, a), b) == CRC32C.tableChecksum(all))
            }
        }
    }

    // MARK: Encoder

    static func randomRecords(_ rng: inout SplitMix, count: Int, now: Int64) -> [Record] {
        (0..<count).map { i in
            let key: [UInt8]? = rng.next() % 4 == 0 ? nil : (0..<Int(rng.next() % 20)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let value: [UInt8]? = rng.next() % 6 == 0 ? nil : (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let headers = (0..<Int(rng.next() % 3)).map { h in
                RecordHeader(key: "h\(h)é", value: rng.next() % 3 == 0 ? nil : [UInt8(h), 0xFF])
            }
            // Timestamps may go backwards within a batch (negative deltas).
            return Record(timestamp: now + Int64(i) - Int64(rng.next() % 50) * 1000, key: key, value: value, headers: headers)
        }
    }

    @Test(arguments: StorageKind.allCases)
    func appendWritesTheSameBytesAsRecordBatch(kind: StorageKind) throws {
        var rng = SplitMix(seed: 9)
        for logAppend in [false, true] {
            var config = LogConfig()
            if logAppend { config.messageTimestampType = .logAppendTime }
            let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: kind.make(), nowMs: 0)
            log.leaderEpoch = 7
            var expected: [UInt8] = []
            for round in 0..<20 {
                let now = 1_700_000_000_000 + Int64(round)
                var records = Self.randomRecords(&rng, count: 1 + Int(rng.next() % 40), now: now)
                let result = try log.append(records: records, nowMs: now)
                for i in records.indices { records[i].offset = result.firstOffset + Int64(i) }
                RecordBatch(baseOffset: result.firstOffset, records: records,
                            timestampType: logAppend ? .logAppendTime : .createTime,
                            logAppendTime: logAppend ? now : nil, partitionLeaderEpoch: 7).encode(into: &expected)
            }
            #expect(try log.storage.readAll(log.activeSegment.logFileName) == expected)
        }
    }

    // MARK: Fetch

    /// Collects records by fetching from `offset` until `limit`, as a consumer loop does.
    static func fetchAll(_ log: UnifiedLog, from offset: Int64, maxBytes: Int, endOffset: Int64?,
                         includeControlRecords: Bool, into fetched: FetchedRecords) throws -> [Record] {
        let limit = min(endOffset ?? log.logEndOffset, log.logEndOffset)
        var out: [Record] = []
        var position = offset
        var rounds = 0
        while position < limit {
            try log.fetch(from: position, maxBytes: maxBytes, endOffset: endOffset,
                          includeControlRecords: includeControlRecords, verifyChecksums: true, into: fetched)
            #expect(fetched.nextOffset > position, "fetch makes progress")
            if let last = fetched.views.last { #expect(fetched.nextOffset > last.offset) }
            out += fetched.records()
            position = fetched.nextOffset
            rounds += 1
            if rounds > 10_000 { Issue.record("no progress"); break }
        }
        return out
    }

    @Test(arguments: StorageKind.allCases)
    func fetchViewsMatchRead(kind: StorageKind) throws {
        var rng = SplitMix(seed: 3)
        var config = LogConfig()
        config.segmentBytes = 3000
        config.indexIntervalBytes = 500
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: kind.make(), nowMs: 0)
        var now: Int64 = 1_700_000_000_000
        for round in 0..<40 {
            now += 10
            if round % 7 == 3 {
                let marker = EndTransactionMarker(controlType: .commit, coordinatorEpoch: 0)
                _ = try log.append(batch: marker.batch(offset: 0, timestamp: now, producerId: 1, producerEpoch: 0,
                                                       partitionLeaderEpoch: 0), nowMs: now)
            } else {
                _ = try log.append(records: Self.randomRecords(&rng, count: 1 + Int(rng.next() % 8), now: now), nowMs: now)
            }
        }
        #expect(log.segments.count > 3)
        let fetched = FetchedRecords(capacity: 64)
        let end = log.logEndOffset
        for offset in log.logStartOffset...end {
            for maxBytes in [1, 700, 1 << 20] {
                for endOffset in [nil, offset + 5, end - 3] as [Int64?] where (endOffset ?? end) >= offset {
                    for control in [false, true] {
                        let expected = try log.read(from: offset, endOffset: endOffset, includeControlRecords: control)
                        let got = try Self.fetchAll(log, from: offset, maxBytes: maxBytes, endOffset: endOffset,
                                                    includeControlRecords: control, into: fetched)
                        #expect(got == expected, "offset \(offset) maxBytes \(maxBytes) end \(String(describing: endOffset))")
                    }
                }
            }
        }
        // A big fetch returns whole batches from one segment, views match copies.
        try log.fetch(from: log.logStartOffset, into: fetched)
        #expect(!fetched.isEmpty && fetched.count == fetched.views.count)
        fetched.withBytes { bytes in
            for view in fetched.views {
                #expect(view.valueRange.map { Array(UnsafeRawBufferPointer(rebasing: bytes[$0])) } == fetched.value(of: view))
                #expect(view.keySize == (fetched.key(of: view)?.count ?? -1))
                #expect(view.headerCount == fetched.headers(of: view).count)
            }
        }
        #expect(throws: LogError.offsetOutOfRange(topicPartition: tp, offset: end + 1, logStartOffset: log.logStartOffset,
                                                  logEndOffset: end)) {
            try log.fetch(from: end + 1, into: fetched)
        }
    }

    @Test func fetchSkipsCompactedGapsAndHandlesLogAppendTime() throws {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        config.segmentBytes = 400
        config.messageTimestampType = .logAppendTime
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: InMemoryLogStorage(), nowMs: 0)
        for i in 0..<60 { _ = try log.append(records: [rec("k\(i % 4)", "v\(i)", Int64(i))], nowMs: 1000 + Int64(i)) }
        _ = try log.clean(nowMs: 2000, force: true)
        let fetched = FetchedRecords()
        for offset in log.logStartOffset...log.logEndOffset {
            for maxBytes in [1, 200, 1 << 20] {
                let got = try Self.fetchAll(log, from: offset, maxBytes: maxBytes, endOffset: nil,
                                            includeControlRecords: false, into: fetched)
                #expect(got == (try log.read(from: offset)), "offset \(offset)")
            }
        }
    }

    @Test func fetchVerifiesChecksumsWhenAsked() throws {
        let storage = InMemoryLogStorage()
        let (log, _) = try UnifiedLog.open(topicPartition: tp, storage: storage, nowMs: 0)
        _ = try log.append(records: [rec("a", "hello", 1), rec("b", "world", 2)], nowMs: 5)
        let name = log.activeSegment.logFileName
        var bytes = storage.files[name]!
        bytes[bytes.count - 3] ^= 0x01  // inside the last value
        storage.overwrite(name, with: bytes)
        let fetched = FetchedRecords()
        try log.fetch(from: 0, into: fetched)  // like read: no CRC check by default
        #expect(fetched.count == 2)
        #expect(throws: LogError.self) { try log.fetch(from: 0, verifyChecksums: true, into: fetched) }
        // A torn batch is corrupt either way.
        storage.overwrite(name, with: Array(bytes.dropLast(4)))
        #expect(throws: LogError.self) { try log.fetch(from: 0, into: fetched) }
    }
}
