import Testing
@testable import KafkaModel

/// `__transaction_state` records in Kafka's schema (TransactionLogKey v0, TransactionLogValue v1), byte for byte.
@Suite struct TransactionLogRecordTests {
    private func transit(_ state: TransactionState, _ partitions: [TopicPartition], epoch: Int16 = 1,
                         version: TransactionVersion = .tv2) -> TxnTransitMetadata {
        TxnTransitMetadata(producerId: 0, previousProducerId: 0, nextProducerId: -1, producerEpoch: epoch, lastProducerEpoch: 0,
                           txnTimeoutMs: 60_000, state: state, topicPartitions: partitions, txnStartTimestamp: 1_000, txnLastUpdateTimestamp: 3_000,
                           clientTransactionVersion: version)
    }

    @Test func keyIsVersionZeroAndAnInt16LengthString() {
        #expect(TransactionLogRecord.key(transactionalId: "my-txn") == [0, 0, 0, 6] + Array("my-txn".utf8))
        #expect(TransactionLogRecord.parseKey(TransactionLogRecord.key(transactionalId: "my-txn")) == "my-txn")
    }

    @Test func completeCommitValueGoldenBytes() {
        let expected: [UInt8] = [0, 1,  0, 0, 0, 0, 0, 0, 0, 0,  0, 1,  0, 0, 0xEA, 0x60,  4,  1,
                                 0, 0, 0, 0, 0, 0, 0x0B, 0xB8,  0, 0, 0, 0, 0, 0, 0x03, 0xE8,  1, 2, 2, 0, 2]
        #expect(TransactionLogRecord.value(transit(.completeCommit, [])) == expected)
    }

    @Test func ongoingValueGroupsPartitionsByTopic() {
        let value = TransactionLogRecord.value(transit(.ongoing, [TopicPartition("t", 0), TopicPartition("u", 0), TopicPartition("t", 1)], epoch: 0))
        let partitions: [UInt8] = [3,  2, 0x74, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0,  2, 0x75, 2, 0, 0, 0, 0, 0]
        #expect(Array(value[17..<(17 + partitions.count)]) == partitions)
        let parsed = TransactionLogRecord.parseValue(value)
        #expect(parsed?.state == .ongoing && parsed?.producerEpoch == 0 && parsed?.clientTransactionVersion == 2)
        #expect(parsed?.topicPartitions == [TopicPartition("t", 0), TopicPartition("t", 1), TopicPartition("u", 0)])
        #expect(parsed?.startTimestampMs == 1_000 && parsed?.lastUpdateTimestampMs == 3_000 && parsed?.txnTimeoutMs == 60_000)
    }

    /// ClientTransactionVersion is a tagged field with default 0: an older client's (or a new id's) value leaves it out.
    @Test func clientTransactionVersionZeroIsNotWritten() {
        let tv2 = TransactionLogRecord.value(transit(.completeCommit, []))
        let tv0 = TransactionLogRecord.value(transit(.completeCommit, [], version: .tv0))
        #expect(tv0 == Array(tv2[0..<(tv2.count - 5)]) + [0])
        #expect(TransactionLogRecord.parseValue(tv0)?.clientTransactionVersion == 0)
    }

    @Test func emptyStateWritesNullPartitions() {
        let value = TransactionLogRecord.value(transit(.empty, []))
        #expect(value[17] == 0)
        #expect(TransactionLogRecord.parseValue(value)?.topicPartitions == [])
    }

    /// A value claiming Dead or PrepareEpochFence (never written by a coordinator) loads as no id at all, not as a
    /// state the coordinator's requests cannot start from.
    @Test func valuesInStatesNeverWrittenAreRejected() {
        for state in [TransactionState.dead, .prepareEpochFence] {
            #expect(TransactionLogRecord.parseValue(TransactionLogRecord.value(transit(state, []))) == nil)
        }
        #expect(TransactionLogRecord.parseValue(TransactionLogRecord.value(transit(.completeAbort, []))) != nil)
    }

    @Test func truncatedValuesAreRejected() {
        let value = TransactionLogRecord.value(transit(.prepareAbort, [TopicPartition("t", 0)]))
        for cut in 0..<value.count { #expect(TransactionLogRecord.parseValue(Array(value[0..<cut])) == nil) }
    }
}
