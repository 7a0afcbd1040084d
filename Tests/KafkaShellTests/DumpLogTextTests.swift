import Testing
@testable import KafkaShell
@testable import KafkaModel

/// `kafka-dump-log.sh`'s lines for what `DumpLogSegments` read, compared with Kafka's output.
@Suite struct DumpLogTextTests {
    /// The tool's text for one file, each line ending with a line break as Kafka's stdout does.
    private func dump(path: String, bytes: [UInt8], deepIteration: Bool = false, printDataLog: Bool = false) throws(DumpLogSegments.DumpError) -> String {
        let read = try DumpLogSegments.dump(path: path, bytes: bytes, deepIteration: deepIteration || printDataLog)
        return DumpLogText.lines(read, printDataLog: printDataLog).map { $0 + "\n" }.joined()
    }

    @Test func dumpMatchesKafkaOutput() throws {
        var batch = RecordBatch(baseOffset: 0, records: [Record(offset: 0, timestamp: 1_700_000_000_000, key: "key1", value: "value1")])
        batch.partitionLeaderEpoch = 0
        let bytes = batch.encoded()
        let path = "/path/00000000000000000000.log"
        let full = try dump(path: path, bytes: bytes, deepIteration: true, printDataLog: true)
        #expect(full == """
            Dumping /path/00000000000000000000.log
            Log starting offset: 0
            baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1700000000000 size: 78 magic: 2 compresscodec: none crc: 1602348302 isvalid: true
            | offset: 0 CreateTime: 1700000000000 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] key: key1 payload: value1

            """)
        let shallow = try dump(path: path, bytes: bytes)
        #expect(shallow.split(separator: "\n").count == 3)
        let deep = try dump(path: path, bytes: bytes, deepIteration: true)
        #expect(deep.hasSuffix("headerKeys: []\n"))
        // Torn tail.
        let torn = try dump(path: path, bytes: bytes + bytes[0..<20])
        #expect(torn.hasSuffix("Found 20 invalid bytes at the end of 00000000000000000000.log\n"))
    }

    @Test func tombstoneHeadersAndControlRecords() throws {
        let b = RecordBatch(baseOffset: 3, records: [
            Record(offset: 3, timestamp: 5, key: Array("k".utf8), value: nil, headers: [RecordHeader(key: "trace", value: nil), RecordHeader(key: "x", value: [1])]),
        ], producerId: 7, producerEpoch: 0, baseSequence: 4)
        let marker = EndTransactionMarker(controlType: .commit, coordinatorEpoch: 0)
            .batch(offset: 4, timestamp: 6, producerId: 7, producerEpoch: 0, partitionLeaderEpoch: 0)
        let text = try dump(path: "00000000000000000003.log", bytes: b.encoded() + marker.encoded(), printDataLog: true)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[2].contains("baseSequence: 4 lastSequence: 4 producerId: 7"))
        #expect(lines[3] == "| offset: 3 CreateTime: 5 keySize: 1 valueSize: -1 sequence: 4 headerKeys: [trace,x] key: k")
        #expect(lines[4].contains("isTransactional: true isControl: true"))
        #expect(lines[5] == "| offset: 4 CreateTime: 6 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 0")
    }

    @Test func indexFilesAndBadChecksums() throws {
        let index: [UInt8] = [0, 0, 0, 2, 0, 0, 0, 0xc4, 0, 0, 0, 4, 0, 0, 1, 0x88, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(try dump(path: "d/00000000000000000100.index", bytes: index) ==
                "Dumping d/00000000000000000100.index\noffset: 102 position: 196\noffset: 104 position: 392\n")
        #expect(try dump(path: "00000000000000000000.index", bytes: []) ==
                "Dumping 00000000000000000000.index\n00000000000000000000.index is empty.\n")
        let time: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x66, 0, 0, 0, 2]
        #expect(try dump(path: "00000000000000000000.timeindex", bytes: time) ==
                "Dumping 00000000000000000000.timeindex\ntimestamp: 102 offset: 2\n")
        var badCRC = RecordBatch(baseOffset: 0, records: [Record(timestamp: 0, key: "a", value: "b")]).encoded()
        badCRC[65] ^= 1
        #expect(try dump(path: "00000000000000000000.log", bytes: badCRC).contains("isvalid: false"))
    }
}

/// `kafka-dump-log.sh` on transactional data, an aborted-transaction index and a producer snapshot, as 4.0 prints them.
@Suite struct DumpLogTransactionTextTests {
    static func text(_ path: String, _ bytes: [UInt8], printDataLog: Bool = false) throws -> [String] {
        let dump = try DumpLogSegments.dump(path: path, bytes: bytes, deepIteration: printDataLog)
        return DumpLogText.lines(dump, printDataLog: printDataLog)
    }

    @Test func transactionalBatchAndAbortMarker() throws {
        let data = RecordBatch(baseOffset: 0, records: [Record(offset: 0, timestamp: 5, key: nil, value: "a"),
                                                        Record(offset: 1, timestamp: 5, key: nil, value: "b")],
                               producerId: 0, producerEpoch: 0, baseSequence: 0, isTransactional: true, partitionLeaderEpoch: 0)
        let marker = EndTransactionMarker(controlType: .abort, coordinatorEpoch: 2)
            .batch(offset: 2, timestamp: 6, producerId: 0, producerEpoch: 1, partitionLeaderEpoch: 0)
        let lines = try Self.text("t-0/00000000000000000000.log", data.encoded() + marker.encoded(), printDataLog: true)
        #expect(lines[2].hasPrefix("baseOffset: 0 lastOffset: 1 count: 2 baseSequence: 0 lastSequence: 1 producerId: 0 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 5"))
        #expect(lines[3] == "| offset: 0 CreateTime: 5 keySize: -1 valueSize: 1 sequence: 0 headerKeys: [] payload: a")
        #expect(lines[5].hasPrefix("baseOffset: 2 lastOffset: 2 count: 1 baseSequence: -1 lastSequence: -1 producerId: 0 producerEpoch: 1 partitionLeaderEpoch: 0 isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: \(data.sizeInBytes) CreateTime: 6 size: 78 magic: 2"))
        #expect(lines[6] == "| offset: 2 CreateTime: 6 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: ABORT coordinatorEpoch: 2")
    }

    @Test func transactionIndex() throws {
        let entries = [AbortedTxn(producerId: 0, firstOffset: 3, lastOffset: 5, lastStableOffset: 6),
                       AbortedTxn(producerId: 4, firstOffset: 7, lastOffset: 9, lastStableOffset: 8)]
        #expect(try Self.text("t-0/00000000000000000000.txnindex", TransactionIndex.encode(entries)) == [
            "Dumping t-0/00000000000000000000.txnindex",
            "version: 0 producerId: 0 firstOffset: 3 lastOffset: 5 lastStableOffset: 6",
            "version: 0 producerId: 4 firstOffset: 7 lastOffset: 9 lastStableOffset: 8",
        ])
        #expect(try Self.text("00000000000000000000.txnindex", []) == ["Dumping 00000000000000000000.txnindex"])
    }

    @Test func producerSnapshot() throws {
        let open = ProducerStateEntry(producerId: 0, producerEpoch: 1, coordinatorEpoch: 0, lastTimestamp: 9,
                                      currentTxnFirstOffset: 3, batches: [
            ProducerBatchMetadata(firstSequence: 0, lastSequence: 1, firstOffset: 3, lastOffset: 4, timestamp: 9)])
        let idle = ProducerStateEntry(producerId: 2, producerEpoch: 0, coordinatorEpoch: 5, lastTimestamp: 8,
                                      currentTxnFirstOffset: nil, batches: [])
        let bytes = ProducerStateSnapshot.encode([idle, open])
        #expect(try Self.text("t-0/00000000000000000005.snapshot", bytes) == [
            "Dumping t-0/00000000000000000005.snapshot",
            "producerId: 0 producerEpoch: 1 coordinatorEpoch: 0 currentTxnFirstOffset: OptionalLong[3] lastTimestamp: 9 firstSequence: 0 lastSequence: 1 lastOffset: 4 offsetDelta: 1 timestamp: 9",
            "producerId: 2 producerEpoch: 0 coordinatorEpoch: 5 currentTxnFirstOffset: OptionalLong.empty lastTimestamp: 8 ",
        ])
        var corrupt = bytes
        corrupt[12] ^= 1
        let lines = try Self.text("00000000000000000005.snapshot", corrupt)
        #expect(lines.count == 2 && lines[1].hasPrefix("Snapshot is corrupt (CRC is no longer valid). Stored crc: "))
    }
}
