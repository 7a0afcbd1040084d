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
