import Testing
@testable import KafkaModel

@Suite struct RecordsDumpTests {
    @Test func dumpMatchesKafkaOutput() throws {
        var batch = RecordBatch(baseOffset: 0, records: [Record(offset: 0, timestamp: 1_700_000_000_000, key: "key1", value: "value1")])
        batch.partitionLeaderEpoch = 0
        let bytes = batch.encoded()
        let path = "/path/00000000000000000000.log"
        let full = try DumpLogSegments.dump(path: path, bytes: bytes, deepIteration: true, printDataLog: true)
        #expect(full == """
            Dumping /path/00000000000000000000.log
            Log starting offset: 0
            baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1700000000000 size: 78 magic: 2 compresscodec: none crc: 1602348302 isvalid: true
            | offset: 0 CreateTime: 1700000000000 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] key: key1 payload: value1

            """)
        let shallow = try DumpLogSegments.dump(path: path, bytes: bytes)
        #expect(shallow.split(separator: "\n").count == 3)
        let deep = try DumpLogSegments.dump(path: path, bytes: bytes, deepIteration: true)
        #expect(deep.hasSuffix("headerKeys: []\n"))
        // Torn tail.
        let torn = try DumpLogSegments.dump(path: path, bytes: bytes + bytes[0..<20])
        #expect(torn.hasSuffix("Found 20 invalid bytes at the end of 00000000000000000000.log\n"))
    }

    @Test func tombstoneHeadersAndControlRecords() throws {
        let b = RecordBatch(baseOffset: 3, records: [
            Record(offset: 3, timestamp: 5, key: Array("k".utf8), value: nil, headers: [RecordHeader(key: "trace", value: nil), RecordHeader(key: "x", value: [1])]),
        ], producerId: 7, producerEpoch: 0, baseSequence: 4)
        let marker = EndTransactionMarker(controlType: .commit, coordinatorEpoch: 0)
            .batch(offset: 4, timestamp: 6, producerId: 7, producerEpoch: 0, partitionLeaderEpoch: 0)
        let text = try DumpLogSegments.dump(path: "00000000000000000003.log", bytes: b.encoded() + marker.encoded(), printDataLog: true)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[2].contains("baseSequence: 4 lastSequence: 4 producerId: 7"))
        #expect(lines[3] == "| offset: 3 CreateTime: 5 keySize: 1 valueSize: -1 sequence: 4 headerKeys: [trace,x] key: k")
        #expect(lines[4].contains("isTransactional: true isControl: true"))
        #expect(lines[5] == "| offset: 4 CreateTime: 6 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 0")
    }

    @Test func indexFilesAndErrors() throws {
        let index = hex("00000002 000000c4 00000004 00000188 00000000 00000000")
        #expect(try DumpLogSegments.dump(path: "d/00000000000000000100.index", bytes: index) ==
                "Dumping d/00000000000000000100.index\noffset: 102 position: 196\noffset: 104 position: 392\n")
        #expect(try DumpLogSegments.dump(path: "00000000000000000000.index", bytes: []) ==
                "Dumping 00000000000000000000.index\n00000000000000000000.index is empty.\n")
        let time = hex("0000000000000066 00000002")
        #expect(try DumpLogSegments.dump(path: "00000000000000000000.timeindex", bytes: time) ==
                "Dumping 00000000000000000000.timeindex\ntimestamp: 102 offset: 2\n")
        var corrupt = RecordBatch(baseOffset: 0, records: [Record(timestamp: 0, key: "a", value: "b")]).encoded()
        corrupt[8...11] = [0, 0, 0, 1]
        #expect(throws: DumpLogSegments.DumpError.self) { try DumpLogSegments.dump(path: "00000000000000000000.log", bytes: corrupt) }
        #expect(throws: DumpLogSegments.DumpError.unknownFile("x.txt")) { try DumpLogSegments.dump(path: "x.txt", bytes: []) }
        var badCRC = RecordBatch(baseOffset: 0, records: [Record(timestamp: 0, key: "a", value: "b")]).encoded()
        badCRC[65] ^= 1
        #expect(try DumpLogSegments.dump(path: "00000000000000000000.log", bytes: badCRC).contains("isvalid: false"))
    }
}
