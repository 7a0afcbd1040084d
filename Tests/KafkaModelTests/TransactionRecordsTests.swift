import Testing
@testable import KafkaModel

/// Transactional batches and end-transaction markers, byte for byte as Kafka's v2 format lays them out (the CRCs were
/// computed apart from the simulator and are checked against its CRC32C too).
@Suite struct TransactionRecordsTests {
    static let T: Int64 = 1_700_000_000_000

    @Test func abortMarkerGoldenBytes() throws {
        let marker = EndTransactionMarker(controlType: .abort, coordinatorEpoch: 3)
        // baseOffset, batchLength 66, leader epoch 2, magic 2, crc, attributes 0x30 (transactional + control), lastOffsetDelta,
        // timestamps, producer 1000 epoch 5, baseSequence −1, 1 record: key = version 0 + ABORT (0), value = version 0 +
        // coordinator epoch 3.
        let expected = hex("""
            0000000000000007 00000042 00000002 02 fa61a37d 0030 00000000 0000018bcfe56800 0000018bcfe56800 \
            00000000000003e8 0005 ffffffff 00000001 20 00 00 00 08 00000000 0c 0000 00000003 00
            """)
        let bytes = marker.batch(offset: 7, timestamp: Self.T, producerId: 1000, producerEpoch: 5, partitionLeaderEpoch: 2).encoded()
        #expect(bytes.count == 78 && bytes == expected)
        #expect(CRC32C.checksum(Array(bytes[21...])) == 0xfa61_a37d)
        let decoded = try RecordBatch(bytes: bytes)
        #expect(decoded.isTransactional && decoded.isControl && decoded.attributes == 0x30)
        #expect(EndTransactionMarker(record: decoded.records[0]) == marker)
        #expect(ControlRecordType.abort.key == [0, 0, 0, 0] && ControlRecordType.commit.key == [0, 0, 0, 1])
    }

    @Test func transactionalDataBatchGoldenBytes() throws {
        let batch = RecordBatch(baseOffset: 0, records: [Record(offset: 0, timestamp: Self.T, key: "a", value: "b")],
                                producerId: 1000, producerEpoch: 5, baseSequence: 0, isTransactional: true)
        let bytes = batch.encoded()
        #expect(Array(bytes[17..<21]) == hex("92155e66"))
        #expect(Array(bytes[21..<23]) == hex("0010"))
        #expect(Array(bytes[43..<61]) == hex("00000000000003e8 0005 00000000 00000001"))
        #expect(CRC32C.checksum(Array(bytes[21...])) == 0x9215_5e66)
        let header = try bytes.withUnsafeBytes { try RecordBatchHeader.read($0) }
        #expect(header.isTransactional && !header.isControl)
    }

    @Test func theLogWritesTheSameBytesAsTheBatch() throws {
        let (log, _) = try UnifiedLog.open(topicPartition: tp, storage: InMemoryLogStorage(), nowMs: 0)
        log.leaderEpoch = -1
        try log.appendAsLeader(records: [Record(timestamp: Self.T, key: "a", value: "b")],
                               producer: ProducerIdentity(producerId: 1000, producerEpoch: 5, baseSequence: 0),
                               isTransactional: true, nowMs: Self.T)
        let expected = RecordBatch(baseOffset: 0, records: [Record(offset: 0, timestamp: Self.T, key: "a", value: "b")],
                                   producerId: 1000, producerEpoch: 5, baseSequence: 0, isTransactional: true).encoded()
        #expect(try log.storage.readAll("00000000000000000000.log") == expected)
        let marker = try log.appendEndTxnMarker(producerId: 1000, epoch: 5, coordinatorEpoch: 3, type: .abort, nowMs: Self.T)
        #expect(marker.firstOffset == 1 && marker.lastOffset == 1 && marker.sizeInBytes == 78)
    }

    @Test func abortedTxnIsThirtyFourBytes() {
        let entry = AbortedTxn(producerId: 7, firstOffset: 3, lastOffset: 5, lastStableOffset: 6)
        #expect(entry.encoded == hex("0000 0000000000000007 0000000000000003 0000000000000005 0000000000000006"))
        let decoded = TransactionIndex.decode(entry.encoded + entry.encoded + [0, 0, 1])
        #expect(decoded.entries == [entry, entry] && decoded.knownVersions)
        #expect(TransactionIndex.fileName(baseOffset: 42) == "00000000000000000042.txnindex")
    }
}
