import Testing
@testable import KafkaModel

/// The consumer's filter over fetched batches (`CompletedFetch`), as a pure function.
@Suite struct CompletedFetchTests {
    static func data(_ offset: Int64, _ values: [String], producer: Int64 = -1, transactional: Bool = false) -> RecordBatch {
        let records = values.enumerated().map { Record(offset: offset + Int64($0.offset), timestamp: 0, key: nil, value: $0.element) }
        return RecordBatch(baseOffset: offset, records: records, producerId: producer, producerEpoch: producer >= 0 ? 0 : -1,
                           baseSequence: producer >= 0 ? 0 : -1, isTransactional: transactional)
    }

    static func marker(_ offset: Int64, producer: Int64, _ type: ControlRecordType) -> RecordBatch {
        EndTransactionMarker(controlType: type, coordinatorEpoch: 0)
            .batch(offset: offset, timestamp: 0, producerId: producer, producerEpoch: 0, partitionLeaderEpoch: 0)
    }

    static func texts(_ records: [Record]) -> [String] { records.map { String(decoding: $0.value ?? [], as: UTF8.self) } }

    // Producer 1 aborts (offsets 0, 2; marker 4), producer 2 commits (1, 3; marker 5), plain record at 6.
    static let log: [RecordBatch] = [
        data(0, ["a1"], producer: 1, transactional: true), data(1, ["c1"], producer: 2, transactional: true),
        data(2, ["a2"], producer: 1, transactional: true), data(3, ["c2"], producer: 2, transactional: true),
        marker(4, producer: 1, .abort), marker(5, producer: 2, .commit), data(6, ["plain"]),
    ]
    static let aborted = [AbortedTransaction(producerId: 1, firstOffset: 0)]

    @Test func readCommittedSkipsAbortedBatchesAndMarkers() {
        let out = CompletedFetch.records(Self.log, fetchOffset: 0, abortedTransactions: Self.aborted, readCommitted: true)
        #expect(Self.texts(out.records) == ["c1", "c2", "plain"])
        #expect(out.records.map(\.offset) == [1, 3, 6] && out.nextOffset == 7)
    }

    @Test func readUncommittedKeepsAbortedRecordsButNeverMarkers() {
        let out = CompletedFetch.records(Self.log, fetchOffset: 0, abortedTransactions: nil, readCommitted: false)
        #expect(Self.texts(out.records) == ["a1", "c1", "a2", "c2", "plain"] && out.nextOffset == 7)
    }

    @Test func aProducersLaterTransactionAfterItsAbortMarkerIsRead() {
        let batches = [Self.data(0, ["x"], producer: 1, transactional: true), Self.marker(1, producer: 1, .abort),
                       Self.data(2, ["y"], producer: 1, transactional: true), Self.marker(3, producer: 1, .commit)]
        let out = CompletedFetch.records(batches, fetchOffset: 0, abortedTransactions: [AbortedTransaction(producerId: 1, firstOffset: 0)],
                                         readCommitted: true)
        #expect(Self.texts(out.records) == ["y"] && out.nextOffset == 4)
    }

    @Test func recordsBelowTheFetchOffsetAndTheRecordLimit() {
        let batches = [Self.data(10, ["a", "b", "c"]), Self.marker(13, producer: 4, .commit), Self.data(14, ["d"])]
        let out = CompletedFetch.records(batches, fetchOffset: 11, abortedTransactions: [], readCommitted: true, maxRecords: 2)
        #expect(Self.texts(out.records) == ["b", "c"] && out.nextOffset == 13)
        let rest = CompletedFetch.records(batches, fetchOffset: out.nextOffset, abortedTransactions: [], readCommitted: true)
        #expect(Self.texts(rest.records) == ["d"] && rest.nextOffset == 15)
        // Only a marker: nothing for the application, and the position moves past it.
        let only = CompletedFetch.records([Self.marker(13, producer: 4, .commit)], fetchOffset: 13, abortedTransactions: [], readCommitted: true)
        #expect(only.records.isEmpty && only.nextOffset == 14)
    }
}
