import Testing
@testable import KafkaModel

@Suite struct BatchTests {
    static let T: Int64 = 1_700_000_000_000

    static let vectorA = hex("""
        0000000000000000 00000042 ffffffff 02 5f81e50e 0000 00000000 0000018bcfe56800 0000018bcfe56800 \
        ffffffffffffffff ffff ffffffff 00000001 20 00 00 00 08 6b657931 0c 76616c756531 00
        """)

    @Test func vectorAOneRecord() throws {
        let batch = RecordBatch(baseOffset: 0, records: [Record(offset: 0, timestamp: Self.T, key: "key1", value: "value1")])
        let bytes = batch.encoded()
        #expect(bytes.count == 78)
        #expect(bytes == Self.vectorA)
        #expect(batch.sizeInBytes == 78)
        let decoded = try RecordBatch(bytes: bytes)
        #expect(decoded == batch)
        #expect(decoded.records[0].key == Array("key1".utf8))
    }

    @Test func vectorBNullKeyTombstoneHeader() throws {
        let records = [
            Record(offset: 0, timestamp: Self.T, key: nil as [UInt8]?, value: Array("hello".utf8)),
            Record(offset: 1, timestamp: Self.T + 5, key: Array("k".utf8), value: nil,
                   headers: [RecordHeader(key: "trace", value: Array("abc".utf8))]),
        ]
        let batch = RecordBatch(baseOffset: 0, records: records)
        let bytes = batch.encoded()
        #expect(bytes.count == 91)
        let header = try bytes.withUnsafeBytes { try RecordBatchHeader.read($0) }
        #expect(header.crc == 356_793_424)
        #expect(header.lastOffsetDelta == 1)
        #expect(header.maxTimestamp == Self.T + 5)
        #expect(Array(bytes[61...]) == hex("16 00 00 00 01 0a 68656c6c6f 00 | 22 00 0a 02 02 6b 01 02 0a 7472616365 06 616263"))
        let decoded = try RecordBatch(bytes: bytes)
        #expect(decoded.records == records)
        #expect(decoded.records[1].isTombstone)
    }

    @Test func vectorCIdempotent() throws {
        let batch = RecordBatch(baseOffset: 0, records: [Record(offset: 0, timestamp: Self.T, key: "a", value: "b")],
                                producerId: 1000, producerEpoch: 0, baseSequence: 0)
        let bytes = batch.encoded()
        #expect(bytes.count == 70)
        #expect(Array(bytes[17..<21]) == hex("67a5f250"))
        #expect(Array(bytes[43..<61]) == hex("00000000000003e8 0000 00000000 00000001"))
        #expect(Array(bytes[61...]) == hex("10 00 00 00 02 61 02 62 00"))
        #expect(try RecordBatch(bytes: bytes) == batch)
    }

    @Test func commitMarker() throws {
        let marker = EndTransactionMarker(controlType: .commit, coordinatorEpoch: 0)
        let batch = marker.batch(offset: 5, timestamp: Self.T, producerId: 1000, producerEpoch: 0, partitionLeaderEpoch: 0)
        let expected = hex("""
            0000000000000005 00000042 00000000 02 a1ac499f 0030 00000000 0000018bcfe56800 0000018bcfe56800 \
            00000000000003e8 0000 ffffffff 00000001 20 00 00 00 08 00000001 0c 0000 00000000 00
            """)
        #expect(batch.encoded() == expected)
        let decoded = try RecordBatch(bytes: expected)
        #expect(decoded.isControl && decoded.isTransactional)
        #expect(EndTransactionMarker(record: decoded.records[0]) == marker)
    }

    @Test func partitionLeaderEpochIsNotCoveredByCRC() throws {
        var bytes = Self.vectorA
        bytes[12...15] = [0, 0, 0, 0]  // kafka-python writes 0
        #expect(try RecordBatch(bytes: bytes).partitionLeaderEpoch == 0)
    }

    @Test func corruptionIsDetected() {
        var flipped = Self.vectorA
        flipped[70] ^= 0x01
        #expect(throws: RecordBatchError.crcMismatch(stored: 1_602_348_302, computed: CRC32C.checksum(Array(flipped[21...])))) {
            try RecordBatch(bytes: flipped)
        }
        #expect(throws: RecordBatchError.truncated(what: "record batch")) { try RecordBatch(bytes: Array(Self.vectorA[0..<70])) }
        #expect(throws: RecordBatchError.truncated(what: "record batch header")) { try RecordBatch(bytes: Array(Self.vectorA[0..<30])) }
        var badMagic = Self.vectorA
        badMagic[16] = 1
        #expect(throws: RecordBatchError.unsupportedMagic(1)) { try RecordBatch(bytes: badMagic) }
        var badLength = Self.vectorA
        badLength[8...11] = [0, 0, 0, 3]
        #expect(throws: RecordBatchError.invalidBatchLength(3)) { try RecordBatch(bytes: badLength) }
        #expect(RecordBatchError.crcMismatch(stored: 1, computed: 2).description.hasPrefix("CORRUPT_MESSAGE"))
    }

    @Test func recordCorruptionWithValidCRCThrows() {
        // A record length that overruns the batch, with the CRC recomputed so only the structure is wrong.
        var bytes = Self.vectorA
        bytes[61] = 0x40
        RecordBatch.finishBatch(&bytes, start: 0)
        #expect(throws: RecordBatchError.self) { try RecordBatch(bytes: bytes) }
    }

    @Test func logAppendTimeRecordsReadMaxTimestamp() throws {
        let batch = RecordBatch(baseOffset: 10, records: [Record(offset: 10, timestamp: 1, key: "k", value: "v"),
                                                          Record(offset: 11, timestamp: 2, key: "k", value: "v")],
                                timestampType: .logAppendTime, logAppendTime: 999)
        let decoded = try RecordBatch(bytes: batch.encoded())
        #expect(decoded.timestampType == .logAppendTime)
        #expect(decoded.records.map(\.timestamp) == [999, 999])
        #expect(decoded.attributes == 0x08)
    }

    @Test func recordSizeMatchesEncoding() {
        let size = Record.sizeInBytes(offsetDelta: 0, timestampDelta: 0, key: Array("key1".utf8), value: Array("value1".utf8))
        #expect(size == 17)
        #expect(RecordBatch.incrementSequence(Int32.max, by: 1) == 0)
        #expect(RecordBatch.incrementSequence(-1, by: 5) == -1)
    }
}
