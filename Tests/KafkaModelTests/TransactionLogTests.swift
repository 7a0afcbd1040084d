import Testing
@testable import KafkaModel

/// The log layer of transactions: open transactions, markers, the last stable offset, read_committed reads, epoch
/// checks and the aborted-transaction index.
@Suite struct TransactionLogTests {
    static func producer(_ id: Int64, epoch: Int16 = 0, seq: Int32 = 0) -> ProducerIdentity {
        ProducerIdentity(producerId: id, producerEpoch: epoch, baseSequence: seq)
    }

    static func open(_ storage: any LogStorage = InMemoryLogStorage(), config: LogConfig = LogConfig()) throws -> UnifiedLog {
        try UnifiedLog.open(topicPartition: tp, config: config, storage: storage, nowMs: 0).log
    }

    @Test func anOpenTransactionHoldsTheLastStableOffset() throws {
        let log = try Self.open()
        try log.appendAsLeader(records: [rec("a", "1"), rec("b", "2")], producer: Self.producer(1), isTransactional: true, nowMs: 1)
        _ = try log.append(records: [rec("c", "plain")], nowMs: 2)
        #expect(log.highWatermark == 3 && log.lastStableOffset == 0 && log.firstUnstableOffset == 0)
        #expect(log.activeProducers[1]?.currentTxnFirstOffset == 0)
        let committed = try log.read(from: 0, isolation: .txnCommitted)
        #expect(committed.records.isEmpty && committed.nextOffset == 0)
        #expect(values(try log.read(from: 0, isolation: .highWatermark).records) == ["1", "2", "plain"])

        let marker = try log.appendEndTxnMarker(producerId: 1, epoch: 0, coordinatorEpoch: 0, type: .commit, nowMs: 3)
        #expect(marker.firstOffset == 3)
        #expect(log.lastStableOffset == 4 && log.firstUnstableOffset == nil)
        let after = try log.read(from: 0, isolation: .txnCommitted)
        #expect(after.records.map(\.offset) == [0, 1, 2] && after.nextOffset == 4)
        #expect(log.abortedTxnIndex.isEmpty, "commits are not indexed")
        #expect(try !log.storage.listFiles().contains { $0.hasSuffix(".txnindex") })
    }

    @Test func anAbortIsIndexedAndReadCommittedSkipsItsRecords() throws {
        let storage = InMemoryLogStorage()
        let log = try Self.open(storage)
        try log.appendAsLeader(records: [rec("a", "open")], producer: Self.producer(2), isTransactional: true, nowMs: 1)   // 0
        try log.appendAsLeader(records: [rec("x", "gone")], producer: Self.producer(1), isTransactional: true, nowMs: 1)   // 1
        _ = try log.append(records: [rec("p", "plain")], nowMs: 2)                                                        // 2
        try log.appendEndTxnMarker(producerId: 1, epoch: 0, coordinatorEpoch: 0, type: .abort, nowMs: 3)                  // 3
        // The other producer's transaction is still open: the abort's last stable offset is its first offset.
        let entry = AbortedTxn(producerId: 1, firstOffset: 1, lastOffset: 3, lastStableOffset: 0)
        #expect(log.abortedTxnIndex == [0: [entry]])
        #expect(try storage.readAll("00000000000000000000.txnindex") == entry.encoded)
        #expect(log.lastStableOffset == 0)
        try log.appendEndTxnMarker(producerId: 2, epoch: 0, coordinatorEpoch: 0, type: .commit, nowMs: 4)                 // 4
        #expect(log.lastStableOffset == 5)

        let fetched = try log.fetchBatches(from: 0, isolation: .txnCommitted)
        #expect(fetched.abortedTransactions == [AbortedTransaction(producerId: 1, firstOffset: 1)])
        #expect(fetched.batches.map(\.baseOffset) == [0, 1, 2, 3, 4])
        let committed = try log.read(from: 0, isolation: .txnCommitted)
        #expect(values(committed.records) == ["open", "plain"] && committed.nextOffset == 5)
        #expect(try log.fetchBatches(from: 4, isolation: .txnCommitted).abortedTransactions == [])
        #expect(try log.fetchBatches(from: 0, isolation: .highWatermark).abortedTransactions == nil)
        // read_uncommitted sees the aborted record; neither sees the markers.
        #expect(values(try log.read(from: 0, isolation: .highWatermark).records) == ["open", "gone", "plain"])
    }

    @Test func producerEpochsAndTransactionStateAreChecked() throws {
        let log = try Self.open()
        try log.appendAsLeader(records: [rec("a", "1")], producer: Self.producer(1, epoch: 2), isTransactional: true, nowMs: 1)
        #expect(throws: LogError.invalidTxnState("Expected transactional write from producer 1 at offset 1 in partition t-0")) {
            try log.appendAsLeader(records: [rec("a", "2")], producer: Self.producer(1, epoch: 2, seq: 1), isTransactional: false, nowMs: 1)
        }
        #expect(throws: LogError.invalidProducerEpoch("Epoch of producer 1 at offset 1 in t-0 is 1, which is smaller than the last seen epoch 2")) {
            try log.appendAsLeader(records: [rec("a", "3")], producer: Self.producer(1, epoch: 1), isTransactional: true, nowMs: 1)
        }
        #expect(throws: LogError.invalidProducerEpoch("Epoch of producer 1 at offset 1 in t-0 is 0, which is smaller than the last seen epoch 2")) {
            try log.appendEndTxnMarker(producerId: 1, epoch: 0, coordinatorEpoch: 0, type: .abort, nowMs: 2)
        }
        // A marker with the bumped epoch (transactions V2) ends it; a later marker from an older coordinator is fenced.
        try log.appendEndTxnMarker(producerId: 1, epoch: 3, coordinatorEpoch: 4, type: .commit, nowMs: 2)
        #expect(log.activeProducers[1]?.producerEpoch == 3 && log.activeProducers[1]?.coordinatorEpoch == 4)
        #expect(throws: LogError.transactionCoordinatorFenced("Invalid coordinator epoch for producerId 1 at offset 2 in partition t-0: 3 (zombie), 4 (current)")) {
            try log.appendEndTxnMarker(producerId: 1, epoch: 3, coordinatorEpoch: 3, type: .abort, nowMs: 2)
        }
        #expect(log.logEndOffset == 2, "refused appends write nothing")
        #expect(KafkaError(LogError.invalidProducerEpoch("x")).errorName == "INVALID_PRODUCER_EPOCH")
    }

    @Test func aCompletedTransactionHoldsTheLastStableOffsetUntilItsMarkerIsReplicated() throws {
        let log = try Self.open()
        log.highWatermarkFollowsLogEnd = false
        try log.appendAsLeader(records: [rec("a", "1")], producer: Self.producer(1), isTransactional: true, nowMs: 1)
        _ = try log.append(records: [rec("b", "2")], nowMs: 1)
        log.updateHighWatermark(2)
        #expect(log.lastStableOffset == 0)
        try log.appendEndTxnMarker(producerId: 1, epoch: 0, coordinatorEpoch: 0, type: .commit, nowMs: 2)
        #expect(log.lastStableOffset == 0, "the marker at 2 is above the high watermark")
        log.updateHighWatermark(3)
        #expect(log.lastStableOffset == 3)
    }

    @Test(arguments: StorageKind.allCases)
    func recoveryRestoresTransactionsFromSnapshotsAndTheLog(kind: StorageKind) throws {
        let storage = try kind.make()
        var config = LogConfig()
        config.segmentBytes = 200
        let log = try Self.open(storage, config: config)
        try log.appendAsLeader(records: [rec("a", "open")], producer: Self.producer(5, epoch: 1), isTransactional: true, nowMs: 1)
        for i in 0..<6 { _ = try log.append(records: [rec("k\(i)", "v\(i)")], nowMs: 1) }
        try log.appendAsLeader(records: [rec("x", "aborted")], producer: Self.producer(6), isTransactional: true, nowMs: 1)
        try log.appendEndTxnMarker(producerId: 6, epoch: 0, coordinatorEpoch: 0, type: .abort, nowMs: 2)
        #expect(log.segments.count > 2)
        let snapshots = try log.storage.listFiles().filter { $0.hasSuffix(".snapshot") }.sorted()
        #expect(snapshots == log.segments.dropFirst().map { ProducerStateSnapshot.fileName(offset: $0.baseOffset) })
        let index = log.abortedTxnIndex
        #expect(index.values.joined().map(\.lastStableOffset) == [0])

        let reopened = try UnifiedLog.open(topicPartition: tp, config: config, storage: storage, nowMs: 5).log
        #expect(reopened.lastStableOffset == 0 && reopened.activeProducers == log.activeProducers)
        #expect(reopened.abortedTxnIndex == index)
        // A lost index append (killed before it) is rebuilt from the marker.
        let name = TransactionIndex.fileName(baseOffset: index.keys.first!)
        try storage.delete(name)
        let rebuilt = try UnifiedLog.open(topicPartition: tp, config: config, storage: storage, nowMs: 5).log
        #expect(try rebuilt.abortedTxnIndex == index && storage.readAll(name) == TransactionIndex.encode(index.values.first!))
        #expect(values(try rebuilt.read(from: 0, isolation: .highWatermark).records).count == 8)
        try rebuilt.appendEndTxnMarker(producerId: 5, epoch: 1, coordinatorEpoch: 0, type: .commit, nowMs: 6)
        #expect(values(try rebuilt.read(from: 0, isolation: .txnCommitted).records).contains("open"))
        #expect(!values(try rebuilt.read(from: 0, isolation: .txnCommitted).records).contains("aborted"))
    }

    @Test func snapshotsRoundTripInKafkasLayout() throws {
        let open = ProducerStateEntry(producerId: 3, producerEpoch: 1, coordinatorEpoch: 0, lastTimestamp: 99,
                                      currentTxnFirstOffset: 12, batches: [
            ProducerBatchMetadata(firstSequence: 4, lastSequence: 6, firstOffset: 12, lastOffset: 14, timestamp: 99)])
        let idle = ProducerStateEntry(producerId: 1, producerEpoch: 0, coordinatorEpoch: -1, lastTimestamp: 7,
                                      currentTxnFirstOffset: nil, batches: [])
        let bytes = ProducerStateSnapshot.encode([open, idle])
        #expect(bytes.count == 10 + 2 * 46)
        #expect(Array(bytes[0..<2]) == [0, 1] && Array(bytes[6..<10]) == [0, 0, 0, 2])
        #expect(Array(bytes[2..<6]) == hex(String(CRC32C.checksum(Array(bytes[6...])), radix: 16).leftPadded(to: 8)))
        // Producer 1 first; no batch → lastSequence −1, lastOffset −1, offsetDelta 0; no transaction → −1.
        #expect(Array(bytes[10..<56]) == hex("0000000000000001 0000 ffffffff ffffffffffffffff 00000000 0000000000000007 ffffffff ffffffffffffffff"))
        #expect(try ProducerStateSnapshot.decode(bytes) == [idle, open])
        var corrupt = bytes
        corrupt[20] ^= 1
        #expect(throws: ProducerStateSnapshot.ReadError.self) { try ProducerStateSnapshot.decode(corrupt) }
        #expect(throws: ProducerStateSnapshot.ReadError.unknownVersion(2)) { try ProducerStateSnapshot.decode([0, 2]) }
    }

    @Test func retentionDeletesIndexesAndSnapshotsWithTheirSegments() throws {
        var config = LogConfig()
        config.segmentBytes = 150
        config.retentionMs = 1000
        let log = try Self.open(config: config)
        try log.appendAsLeader(records: [rec("a", "1", 10)], producer: Self.producer(1), isTransactional: true, nowMs: 10)
        try log.appendEndTxnMarker(producerId: 1, epoch: 0, coordinatorEpoch: 0, type: .abort, nowMs: 10)
        for i in 0..<4 { _ = try log.append(records: [rec("k", "v\(i)", 10)], nowMs: 10) }
        #expect(!log.abortedTxnIndex.isEmpty)
        let first = log.segments[0].baseOffset
        try log.deleteOldSegments(nowMs: 5000)
        let files = try log.storage.listFiles()
        #expect(log.abortedTxnIndex.isEmpty)
        #expect(!files.contains { $0.hasSuffix(".txnindex") })
        #expect(!files.contains(ProducerStateSnapshot.fileName(offset: first)))
    }

    /// Markers with the data's epoch (transaction version 1): the aborted batch is its producer's last data batch, so
    /// the cleaner keeps it empty (`isBatchLastRecordOfProducer`), and the ABORT marker stays while a batch of its
    /// transaction does. More in `TransactionCompactionTests`.
    @Test func compactionDropsAbortedRecordsAndKeepsMarkersAndTheirIndex() throws {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        let log = try Self.open(config: config)
        try log.appendAsLeader(records: [rec("a", "aborted")], producer: Self.producer(1), isTransactional: true, nowMs: 1)
        _ = try log.append(records: [rec("b", "kept")], nowMs: 1)
        try log.appendEndTxnMarker(producerId: 1, epoch: 0, coordinatorEpoch: 0, type: .abort, nowMs: 1)
        try log.appendAsLeader(records: [rec("c", "committed")], producer: Self.producer(2), isTransactional: true, nowMs: 1)
        try log.appendEndTxnMarker(producerId: 2, epoch: 0, coordinatorEpoch: 0, type: .commit, nowMs: 1)
        try log.roll(nowMs: 2)
        let index = log.abortedTxnIndex
        try log.clean(nowMs: 3, force: true)
        #expect(values(try log.read(from: 0)) == ["kept", "committed"])
        #expect(try log.read(from: 0, includeControlRecords: true).map(\.offset) == [1, 2, 3, 4])
        let batches = try RecordBatch.decodeAll(log.storage.readAll(log.segments[0].logFileName))
        #expect(batches.map(\.baseOffset) == [0, 1, 2, 3, 4])
        #expect(batches[0].records.isEmpty && batches[0].producerId == 1 && batches[0].isTransactional)
        #expect(log.abortedTxnIndex == index)
        #expect(try log.storage.readAll(TransactionIndex.fileName(baseOffset: 0)) == TransactionIndex.encode(index[0]!))

        // The empty batch still belongs to the aborted transaction: the marker and its index entry stay.
        _ = try log.append(records: [rec("d", "later")], nowMs: 4)
        try log.roll(nowMs: 4)
        try log.clean(nowMs: 10 + log.config.deleteRetentionMs, force: true)
        #expect(try log.read(from: 0, includeControlRecords: true).map(\.offset) == [1, 2, 3, 4, 5])
        #expect(log.abortedTxnIndex == index)
        #expect(values(try log.read(from: 0, isolation: .txnCommitted).records) == ["kept", "committed", "later"])
    }

    @Test func aFollowerTruncatingAMarkerReopensItsTransaction() throws {
        let log = try Self.open()
        try log.appendAsLeader(records: [rec("a", "1")], producer: Self.producer(1), isTransactional: true, nowMs: 1)
        try log.appendEndTxnMarker(producerId: 1, epoch: 0, coordinatorEpoch: 0, type: .abort, nowMs: 1)
        #expect(!log.abortedTxnIndex.isEmpty && log.lastStableOffset == 2)
        _ = try log.truncate(to: 1, nowMs: 2)
        #expect(log.abortedTxnIndex.isEmpty && log.lastStableOffset == 0)
        #expect(log.activeProducers[1]?.currentTxnFirstOffset == 0)
        #expect(try log.storage.readAll(TransactionIndex.fileName(baseOffset: 0)).isEmpty)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
