import Testing
@testable import KafkaModel

/// The log cleaner and transactions, by Kafka 4.0's `LogCleaner.cleanInto`: aborted data goes, a marker goes once its
/// transaction's data is gone and a delete horizon (`delete.retention.ms`, stamped the first time) has passed, and the
/// last batch of each active producer stays (empty if need be) for producer state.
@Suite struct TransactionCompactionTests {
    static func compacted() throws -> UnifiedLog {
        var config = LogConfig()
        config.cleanupPolicy = .compact
        return try UnifiedLog.open(topicPartition: tp, config: config, storage: InMemoryLogStorage(), nowMs: 0).log
    }

    static func producer(_ id: Int64, epoch: Int16 = 0, seq: Int32 = 0) -> ProducerIdentity {
        ProducerIdentity(producerId: id, producerEpoch: epoch, baseSequence: seq)
    }

    func batches(_ log: UnifiedLog) throws -> [RecordBatch] {
        var all: [RecordBatch] = []
        for segment in log.segments { all += try RecordBatch.decodeAll(log.storage.readAll(segment.logFileName)) }
        return all
    }

    /// Transaction version 2 (each marker bumps the epoch): the aborted batch goes in the first cleaning; the ABORT marker
    /// stays while the index still lists its transaction, is stamped with a delete horizon in the next cleaning (no
    /// data of it left) and goes in a cleaning past the horizon. COMMIT markers whose records stay are kept.
    @Test func anAbortMarkerGoesInTwoPassesAfterItsData() throws {
        let log = try Self.compacted()
        try log.appendAsLeader(records: [rec("a", "aborted")], producer: Self.producer(1), isTransactional: true, nowMs: 1)   // 0
        _ = try log.append(records: [rec("b", "kept")], nowMs: 1)                                                               // 1
        try log.appendEndTxnMarker(producerId: 1, epoch: 1, coordinatorEpoch: 0, type: .abort, nowMs: 1)                        // 2
        try log.appendAsLeader(records: [rec("c", "committed")], producer: Self.producer(2), isTransactional: true, nowMs: 1) // 3
        try log.appendEndTxnMarker(producerId: 2, epoch: 1, coordinatorEpoch: 0, type: .commit, nowMs: 1)                       // 4
        try log.appendAsLeader(records: [rec("a", "second")], producer: Self.producer(1, epoch: 1), isTransactional: true, nowMs: 1) // 5
        try log.appendEndTxnMarker(producerId: 1, epoch: 2, coordinatorEpoch: 0, type: .commit, nowMs: 1)                       // 6
        try log.roll(nowMs: 2)
        let index = log.abortedTxnIndex
        #expect(index[0]?.map(\.firstOffset) == [0])

        // 1. The aborted batch goes (producer 1's last write is the COMMIT at 6, not it); everything else stays.
        try log.clean(nowMs: 3, force: true)
        #expect(try batches(log).map(\.baseOffset) == [1, 2, 3, 4, 5, 6])
        #expect(log.abortedTxnIndex == index)

        // 2. No batch of the aborted transaction is left: the ABORT marker gets a horizon, its index entry goes.
        _ = try log.append(records: [rec("d", "later")], nowMs: 4)                                                              // 7
        try log.roll(nowMs: 4)
        try log.clean(nowMs: 10, force: true)
        let horizon = 10 + log.config.deleteRetentionMs
        #expect(try batches(log).filter(\.isControl).map(\.deleteHorizonMs) == [horizon, nil, nil])
        #expect(try batches(log).first { $0.baseOffset == 2 }?.baseTimestamp == horizon)
        #expect(log.abortedTxnIndex.isEmpty)

        // 3. Before the horizon the marker stays; past it, it goes. The COMMIT markers stay: 4 has its record (3) in
        // the log, 6 is producer 1's last write (its epoch fences zombies).
        _ = try log.append(records: [rec("e", "latest")], nowMs: 5)                                                             // 8
        try log.roll(nowMs: 5)
        try log.clean(nowMs: horizon - 1, force: true)
        #expect(try batches(log).map(\.baseOffset) == [1, 2, 3, 4, 5, 6, 7, 8])
        _ = try log.append(records: [rec("f", "last")], nowMs: 6)                                                               // 9
        try log.roll(nowMs: 6)
        try log.clean(nowMs: horizon, force: true)
        #expect(try batches(log).map(\.baseOffset) == [1, 3, 4, 5, 6, 7, 8, 9])
        #expect(values(try log.read(from: 0, isolation: .txnCommitted).records) == ["kept", "committed", "second", "later", "latest", "last"])
    }

    /// A COMMIT marker whose records were all compacted away: the cleaning that removes them still saw them, so the
    /// marker stays; the next one stamps it; one past the horizon removes it — unless it is its producer's last write:
    /// then only its record goes (an empty control batch keeps the epoch that fences zombies).
    @Test func aCommitMarkerOfSupersededRecordsGoesInThreePasses() throws {
        let log = try Self.compacted()
        try log.appendAsLeader(records: [rec("k", "1")], producer: Self.producer(1), isTransactional: true, nowMs: 1)   // 0
        try log.appendEndTxnMarker(producerId: 1, epoch: 1, coordinatorEpoch: 0, type: .commit, nowMs: 1)            // 1
        try log.appendAsLeader(records: [rec("k", "2")], producer: Self.producer(2), isTransactional: true, nowMs: 1)   // 2
        try log.appendEndTxnMarker(producerId: 2, epoch: 1, coordinatorEpoch: 0, type: .commit, nowMs: 1)            // 3
        try log.appendAsLeader(records: [rec("k", "3")], producer: Self.producer(2, epoch: 1), isTransactional: true, nowMs: 1) // 4
        try log.appendEndTxnMarker(producerId: 2, epoch: 2, coordinatorEpoch: 0, type: .commit, nowMs: 1)            // 5
        _ = try log.append(records: [rec("z", "end")], nowMs: 1)                                                        // 6
        try log.roll(nowMs: 2)
        // 1. k@0 and k@2 are superseded by k@4: their batches go; the markers stay as they are.
        try log.clean(nowMs: 3, force: true)
        #expect(try batches(log).map(\.baseOffset) == [1, 3, 4, 5, 6])
        #expect(try batches(log).filter(\.isControl).map(\.deleteHorizonMs) == [nil, nil, nil])
        // 2. The COMMITs at 1 and 3 have no records left: stamped. The one at 5 keeps its record (4).
        _ = try log.append(records: [rec("y", "more")], nowMs: 4)                                                       // 7
        try log.roll(nowMs: 4)
        try log.clean(nowMs: 10, force: true)
        let horizon = 10 + log.config.deleteRetentionMs
        #expect(try batches(log).filter(\.isControl).map(\.deleteHorizonMs) == [horizon, horizon, nil])
        // 3. Past the horizon 3 goes; 1 is producer 1's last write (epoch 1): kept as an empty control batch.
        _ = try log.append(records: [rec("x", "last")], nowMs: 5)                                                       // 8
        try log.roll(nowMs: 5)
        try log.clean(nowMs: horizon, force: true)
        let after = try batches(log)
        #expect(after.map(\.baseOffset) == [1, 4, 5, 6, 7, 8])
        #expect(after[0].isControl && after[0].records.isEmpty && after[0].producerId == 1 && after[0].producerEpoch == 1)
        #expect(try log.read(from: 0, includeControlRecords: true).map(\.offset) == [4, 5, 6, 7, 8])
        #expect(values(try log.read(from: 0, isolation: .txnCommitted).records) == ["3", "end", "more", "last"])
        // Recovery replays the empty control batch as Kafka's ProducerAppendInfo does: nothing to apply.
        let reopened = try UnifiedLog.open(topicPartition: tp, config: log.config, storage: log.storage, nowMs: horizon).log
        #expect(values(try reopened.read(from: 0, isolation: .txnCommitted).records) == ["3", "end", "more", "last"])
        #expect(reopened.lastStableOffset == reopened.logEndOffset)
    }

    /// An idempotent producer's last batch keeps its sequence numbers even when its records are superseded; the
    /// cleaning round's last batch keeps the round's last offset even when its records go (here: aborted ones).
    @Test func emptyBatchesKeepProducerStateAndTheLastOffset() throws {
        let log = try Self.compacted()
        try log.appendAsLeader(records: [rec("k", "old", 5)], producer: Self.producer(3, seq: 7), isTransactional: false, nowMs: 1) // 0
        _ = try log.append(records: [rec("k", "new")], nowMs: 1)                                                                  // 1
        try log.appendAsLeader(records: [rec("a", "aborted")], producer: Self.producer(4), isTransactional: true, nowMs: 1)       // 2
        try log.roll(nowMs: 2)
        try log.appendEndTxnMarker(producerId: 4, epoch: 1, coordinatorEpoch: 0, type: .abort, nowMs: 2)                          // 3
        try log.clean(nowMs: 3, force: true)
        let after = try batches(log)
        #expect(after.map(\.baseOffset) == [0, 1, 2, 3])
        #expect(after.map(\.records.count) == [0, 1, 0, 1])
        #expect(after[0].producerId == 3 && after[0].baseSequence == 7 && after[0].lastOffset == 0 && after[0].maxTimestamp == 5)
        #expect(after[2].producerId == 4 && after[2].isTransactional && !after[2].isControl)
        #expect(try log.read(from: 0).map(\.offset) == [1])
        #expect(values(try log.read(from: 0, isolation: .txnCommitted).records) == ["new"])
        // A log opened on these files (recovery) reads the same and ends at the same offset.
        let reopened = try UnifiedLog.open(topicPartition: tp, config: log.config, storage: log.storage, nowMs: 4).log
        #expect(try reopened.read(from: 0).map(\.offset) == [1])
        #expect(reopened.logEndOffset == 4)
    }
}
