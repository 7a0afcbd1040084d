import Testing
@testable import KafkaModel

/// Compressed batches as clients send them: each codec decompresses, garbage is an error, and every read path (log
/// read, fetch, dump, compaction) shows the records while the log keeps the compressed bytes.
@Suite struct RecordsCompressionTests {
    let records = (0..<50).map { Record(offset: Int64($0), timestamp: 1_000 + Int64($0), key: "key\($0 % 7)",
                                        value: String(repeating: "value \($0) ", count: 8)) }

    func decompress(_ codec: CompressionType, _ bytes: [UInt8], limit: Int = RecordsCompression.maxDecompressedBytes) throws -> [UInt8] {
        try bytes.withUnsafeBytes { buffer throws(RecordBatchError) in try RecordsCompression.decompress(codec, buffer, limit: limit) }
    }

    @Test(arguments: [CompressionType.gzip, .snappy, .lz4, .zstd])
    func aCompressedBatchDecodesToItsRecords(codec: CompressionType) throws {
        let plain = RecordBatch(baseOffset: 0, records: records).encoded()
        let compressed = RecordBatch(baseOffset: 0, records: records).encodedCompressed(codec)
        #expect(compressed.count < plain.count)
        let header = try compressed.withUnsafeBytes { buffer throws(RecordBatchError) in try RecordBatchHeader.read(buffer) }
        #expect(header.compressionType == codec && header.recordsCount == 50)
        #expect(try RecordBatch(bytes: compressed).records == records)
    }

    /// Made outside kafkalab: Python's `gzip.compress(b"hello kafka")` and `zstd -c` from a pipe (no content size).
    @Test func streamsFromOtherToolsDecompress() throws {
        let gzip: [UInt8] = [31, 139, 8, 0, 251, 70, 14, 107, 2, 255, 203, 72, 205, 201, 201, 87, 200, 78, 76, 203, 78, 4,
                             0, 209, 117, 129, 108, 11, 0, 0, 0]
        let zstd: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58, 0x59, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20,
                             0x6b, 0x61, 0x66, 0x6b, 0x61, 0x7c, 0xc9, 0xa6, 0x2d]
        #expect(try decompress(.gzip, gzip) == Array("hello kafka".utf8))
        #expect(try decompress(.zstd, zstd) == Array("hello kafka".utf8))
    }

    /// librdkafka may write one raw snappy block instead of Java's xerial framing.
    @Test func rawSnappyAndXerialFramingBothDecompress() throws {
        let text = Array(String(repeating: "snappy ", count: 40).utf8)
        let xerial = RecordsCompression.compress(.snappy, text)
        #expect(Array(xerial.prefix(8)) == [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00])
        #expect(try decompress(.snappy, xerial) == text)
        #expect(try decompress(.snappy, Array(xerial.dropFirst(20))) == text)
    }

    @Test(arguments: [CompressionType.gzip, .snappy, .lz4, .zstd])
    func garbageTruncationAndBombsAreErrorsNotCrashes(codec: CompressionType) throws {
        var random = SeededRandom(seed: 42)
        for length in [0, 1, 7, 64, 4096] {
            let garbage = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(throws: RecordBatchError.self) { try decompress(codec, garbage) }
        }
        let text = Array(String(repeating: "abc", count: 10_000).utf8)
        let compressed = RecordsCompression.compress(codec, text)
        #expect(throws: RecordBatchError.self) { try decompress(codec, Array(compressed.dropLast(compressed.count / 3))) }
        #expect(throws: RecordBatchError.self) { try decompress(codec, compressed, limit: 1000) }
        #expect(try decompress(codec, compressed) == text)
        // A batch whose compressed records are corrupt (CRC recomputed) is CORRUPT_MESSAGE.
        var batch = RecordBatch(baseOffset: 0, records: records).encodedCompressed(codec)
        for i in stride(from: 70, to: batch.count, by: 5) { batch[i] ^= 0x5A }
        let crc = batch.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
        withUnsafeBytes(of: crc.bigEndian) { batch.replaceSubrange(17..<21, with: $0) }
        #expect(throws: RecordBatchError.self) { try RecordBatch(bytes: batch) }
    }

    @Test(arguments: StorageKind.allCases)
    func theLogKeepsTheCompressedBytesAndEveryReadShowsTheRecords(kind: StorageKind) throws {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: kind.make(), nowMs: 0)
        let sent = RecordBatch(baseOffset: 0, records: records).encodedCompressed(.zstd)
        _ = try log.append(clientBatch: MemoryRecords(sent), nowMs: 0)
        _ = try log.append(records: [rec("tail", "plain")], nowMs: 0)
        _ = try log.append(clientBatch: MemoryRecords(RecordBatch(baseOffset: 0, records: [rec("gz", "gzip")]).encodedCompressed(.gzip)), nowMs: 0)
        let stored = try log.storage.readAll("00000000000000000000.log")
        #expect(Array(stored[21..<sent.count]) == Array(sent[21...]))   // as sent, from the attributes on
        #expect(try log.read(from: 0).map(\.value) == records.map(\.value) + [Array("plain".utf8), Array("gzip".utf8)])
        #expect(try log.read(from: 45, maxRecords: 3).map(\.offset) == [45, 46, 47])
        // The fetch path: a compressed batch comes on its own fetch.
        let fetched = FetchedRecords(capacity: 64)
        var offsets: [Int64] = []
        var next: Int64 = 3
        while next < log.logEndOffset {
            try log.fetch(from: next, into: fetched)
            offsets += fetched.views.map(\.offset)
            #expect(fetched.records().map(\.value) == fetched.views.map { v in try! log.read(from: v.offset, maxRecords: 1)[0].value })
            next = fetched.nextOffset
        }
        #expect(offsets == Array(3..<52))
        let dump = try DumpLogSegments.dump(path: "00000000000000000000.log", bytes: stored, deepIteration: true)
        guard case .log(let batches, _) = dump.contents else { Issue.record("not a log dump"); return }
        #expect(batches.map(\.header.compressionType) == [.zstd, .none, .gzip])
        #expect(batches.map { $0.records?.count } == [50, 1, 1])
        // Compaction reads them too (and writes its cleaned batches uncompressed).
        try log.roll(nowMs: 0)
        _ = try log.append(records: [rec("key0", "newest")], nowMs: 0)
        try log.roll(nowMs: 0)
        #expect(!(try log.clean(nowMs: 0, force: true)).isEmpty)
        let kept = try log.read(from: 0)
        #expect(kept.filter { $0.key == Array("key0".utf8) }.map(\.value) == [Array("newest".utf8)])
        #expect(kept.count == 6 + 3)   // key1…key6, tail, gz and the newest key0
    }

    @Test func aCompactedTopicStillRefusesKeylessRecordsInACompressedBatch() throws {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        let (log, _) = try UnifiedLog.open(topicPartition: tp, config: config, storage: InMemoryLogStorage(), nowMs: 0)
        let keyless = RecordBatch(baseOffset: 0, records: [Record(timestamp: 1, key: nil, value: Array("v".utf8))]).encodedCompressed(.lz4)
        #expect(throws: LogError.self) { try log.append(clientBatch: MemoryRecords(keyless), nowMs: 0) }
        #expect(log.logEndOffset == 0)
    }
}
