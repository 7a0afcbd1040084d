import Testing
@testable import KafkaModel

/// What `DumpLogSegments` reads from a segment file's bytes (the text is `DumpLogTextTests`').
@Suite struct RecordsDumpTests {
    @Test func batchesRecordsAndTornTail() throws {
        let b = RecordBatch(baseOffset: 3, records: [
            Record(offset: 3, timestamp: 5, key: Array("k".utf8), value: nil, headers: [RecordHeader(key: "trace", value: nil)]),
        ], producerId: 7, producerEpoch: 0, baseSequence: 4)
        let marker = EndTransactionMarker(controlType: .commit, coordinatorEpoch: 0)
            .batch(offset: 4, timestamp: 6, producerId: 7, producerEpoch: 0, partitionLeaderEpoch: 0)
        let bytes = b.encoded() + marker.encoded()
        let shallow = try DumpLogSegments.dump(path: "d/00000000000000000003.log", bytes: bytes + [1, 2, 3])
        #expect(shallow.fileName == "00000000000000000003.log" && shallow.baseOffset == 3)
        guard case let .log(batches, torn) = shallow.contents else { Issue.record("not a log"); return }
        #expect(batches.map(\.position) == [0, b.encoded().count] && batches.allSatisfy(\.isValid) && torn == 3)
        #expect(batches.allSatisfy { $0.records == nil })
        let deep = try DumpLogSegments.dump(path: "00000000000000000003.log", bytes: bytes, deepIteration: true)
        guard case let .log(read, 0) = deep.contents else { Issue.record("not a whole log"); return }
        #expect(read[0].records?.map(\.sequence) == [4])
        #expect(read[0].records?[0].control == nil && read[0].records?[0].record.key == Array("k".utf8))
        #expect(read[1].records?.map(\.control) == [.endTransaction(EndTransactionMarker(controlType: .commit, coordinatorEpoch: 0))])
    }

    @Test func indexesStopAtTheFirstUnusedSlot() throws {
        let index = hex("00000002 000000c4 00000004 00000188 00000000 00000000")
        #expect(try DumpLogSegments.dump(path: "00000000000000000100.index", bytes: index).contents
            == .index([OffsetIndexEntry(offset: 102, position: 196), OffsetIndexEntry(offset: 104, position: 392)]))
        #expect(try DumpLogSegments.dump(path: "00000000000000000000.index", bytes: []).contents == .index([]))
        #expect(try DumpLogSegments.dump(path: "00000000000000000000.timeindex", bytes: hex("0000000000000066 00000002")).contents
            == .timeIndex([TimeIndexEntry(timestamp: 102, offset: 2)]))
    }

    @Test func errors() {
        var corrupt = RecordBatch(baseOffset: 0, records: [Record(timestamp: 0, key: "a", value: "b")]).encoded()
        corrupt[8...11] = [0, 0, 0, 1]
        #expect(throws: DumpLogSegments.DumpError.self) { try DumpLogSegments.dump(path: "00000000000000000000.log", bytes: corrupt) }
        #expect(throws: DumpLogSegments.DumpError.unknownFile("x.txt")) { try DumpLogSegments.dump(path: "x.txt", bytes: []) }
    }
}
