import Testing
@testable import KafkaModel

/// The coordinator's answers to clients before transaction version 2 (Kafka 4.0's `endTransactionWithTV1`,
/// `handleVerifyPartitionsInTransaction`, AddPartitionsToTxn v0–3 recorded as TV_0).
@Suite struct TransactionCoordinatorV1Tests {
    private var coordinator = TransactionCoordinator()
    private let t0 = TopicPartition("t", 0)
    private let t1 = TopicPartition("t", 1)

    private mutating func write(_ transit: TxnTransitMetadata) { coordinator.complete(transactionalId: "v1", transit) }

    /// InitProducerId, then the client's AddPartitionsToTxn of `partitions` (TV_0).
    private mutating func begin(_ partitions: [TopicPartition]) throws {
        if coordinator.transactions["v1"] == nil {
            guard case .prepared(let transit) = try coordinator.handleInitProducerId(
                transactionalId: "v1", transactionTimeoutMs: 60_000, nowMs: 0, generateProducerId: { 7 }).get() else {
                throw TransactionCoordinatorError.invalidRequest
            }
            write(transit)
        }
        let epoch = coordinator.transactions["v1"]!.producerEpoch
        if !partitions.isEmpty, let add = try coordinator.handleAddPartitions(transactionalId: "v1", producerId: 7, producerEpoch: epoch, partitions: partitions,
                                                         clientTransactionVersion: .tv0, nowMs: 100).get() {
            write(add)
        }
    }

    private mutating func endV1(_ result: TransactionResult, epoch: Int16) -> Result<TransactionCoordinator.EndTxnOutcome, TransactionCoordinatorError> {
        coordinator.handleEndTransaction(transactionalId: "v1", producerId: 7, producerEpoch: epoch, result: result, clientTransactionVersion: .tv0,
                                         nowMs: 200, generateProducerId: { Issue.record("TV1 never rotates the producer id"); return -1 })
    }

    @Test mutating func aNewIdAndItsInitRecordTransactionVersionZero() throws {
        try begin([])
        #expect(coordinator.transactions["v1"]!.clientTransactionVersion == .tv0)
        #expect(coordinator.transactions["v1"]!.state == .empty)
    }

    @Test mutating func commitKeepsTheEpochAndTheMarkersCarryIt() throws {
        try begin([t0, t1])
        #expect(coordinator.transactions["v1"]!.state == .ongoing && coordinator.transactions["v1"]!.clientTransactionVersion == .tv0)
        guard case .prepared(let prepare, let result) = try endV1(.commit, epoch: 0).get() else { Issue.record("expected prepared"); return }
        #expect(result == .commit && prepare.state == .prepareCommit && prepare.producerEpoch == 0 && prepare.topicPartitions == [t0, t1])
        write(prepare)
        let complete = coordinator.prepareComplete(transactionalId: "v1", nowMs: 300)
        #expect(complete.producerId == 7 && complete.producerEpoch == 0 && complete.state == .completeCommit)
        write(complete)
        // The next transaction goes on with the same epoch.
        try begin([t0])
        #expect(coordinator.transactions["v1"]!.producerEpoch == 0 && coordinator.transactions["v1"]!.state == .ongoing)
    }

    @Test mutating func aRetriedEndTxnIsAnsweredWithoutIdAndTheOtherResultIsInvalid() throws {
        try begin([t0])
        guard case .prepared(let prepare, _) = try endV1(.abort, epoch: 0).get() else { Issue.record("expected prepared"); return }
        write(prepare)
        // While the markers are written: the same result waits, the other is invalid.
        #expect(endV1(.abort, epoch: 0) == .failure(.concurrentTransactions))
        #expect(endV1(.commit, epoch: 0) == .failure(.invalidTxnState))
        write(coordinator.prepareComplete(transactionalId: "v1", nowMs: 300))
        #expect(endV1(.abort, epoch: 0) == .success(.alreadyDone(producerId: -1, producerEpoch: -1)))
        #expect(endV1(.commit, epoch: 0) == .failure(.invalidTxnState))
    }

    @Test mutating func emptyAcceptsNeitherCommitNorAbort() throws {
        try begin([])
        #expect(endV1(.commit, epoch: 0) == .failure(.invalidTxnState))
        #expect(endV1(.abort, epoch: 0) == .failure(.invalidTxnState))
    }

    @Test mutating func theEpochMustMatchExactly() throws {
        try begin([t0])
        #expect(endV1(.commit, epoch: 1) == .failure(.producerFenced))
        #expect(endV1(.commit, epoch: -1) == .failure(.producerFenced))
        #expect(coordinator.handleEndTransaction(transactionalId: "v1", producerId: 8, producerEpoch: 0, result: .commit, clientTransactionVersion: .tv0,
                                                 nowMs: 0, generateProducerId: { -1 }) == .failure(.invalidProducerIdMapping))
        #expect(coordinator.handleEndTransaction(transactionalId: "other", producerId: 7, producerEpoch: 0, result: .commit, clientTransactionVersion: .tv0,
                                                 nowMs: 0, generateProducerId: { -1 }) == .failure(.invalidProducerIdMapping))
        #expect(coordinator.handleEndTransaction(transactionalId: "", producerId: 7, producerEpoch: 0, result: .commit, clientTransactionVersion: .tv0,
                                                 nowMs: 0, generateProducerId: { -1 }) == .failure(.invalidRequest))
        // Nothing was changed by the refusals.
        #expect(coordinator.transactions["v1"]!.pendingState == nil && coordinator.transactions["v1"]!.state == .ongoing)
    }

    @Test mutating func verificationAnswersPerPartition() throws {
        try begin([t0])
        #expect(coordinator.handleVerifyPartitions(transactionalId: "v1", producerId: 7, producerEpoch: 0, partitions: [t0, t1])
                == .success([t1: .transactionAbortable]))
        #expect(coordinator.handleVerifyPartitions(transactionalId: "v1", producerId: 7, producerEpoch: 1, partitions: [t0]) == .failure(.producerFenced))
        #expect(coordinator.handleVerifyPartitions(transactionalId: "v1", producerId: 6, producerEpoch: 0, partitions: [t0]) == .failure(.invalidProducerIdMapping))
        #expect(coordinator.handleVerifyPartitions(transactionalId: "none", producerId: 7, producerEpoch: 0, partitions: [t0]) == .failure(.invalidProducerIdMapping))
        guard case .prepared(let prepare, _) = try endV1(.commit, epoch: 0).get() else { Issue.record("expected prepared"); return }
        write(prepare)
        #expect(coordinator.handleVerifyPartitions(transactionalId: "v1", producerId: 7, producerEpoch: 0, partitions: [t0]) == .failure(.concurrentTransactions))
    }

    /// A new producer fences a TV1 client's open transaction with the cluster's version (2): the abort bumps the epoch.
    @Test mutating func aFenceAbortsWithTheClustersVersion() throws {
        try begin([t0])
        guard case .abortOngoingFirst(.prepared(let abort, .abort)) = try coordinator.handleInitProducerId(
            transactionalId: "v1", transactionTimeoutMs: 60_000, nowMs: 500, generateProducerId: { 8 }).get() else {
            Issue.record("expected the ongoing transaction to be aborted first"); return
        }
        #expect(abort.producerEpoch == 2 && abort.clientTransactionVersion == .tv2)
        write(abort)
        // The fenced client's EndTxn with its old epoch.
        #expect(endV1(.commit, epoch: 0) == .failure(.producerFenced))
    }
}
