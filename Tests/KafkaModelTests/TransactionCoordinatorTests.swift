import Testing
@testable import KafkaModel

/// The transaction coordinator's transitions (Kafka 4.0, transaction version 2): reference §4.2–§4.5, T1–T4.
@Suite struct TransactionCoordinatorTests {
    private var nextId: Int64 = 0
    private var coordinator = TransactionCoordinator()
    private let t0 = TopicPartition("t", 0)
    private let t1 = TopicPartition("t", 1)

    /// Writes a prepared transition as the broker would after its log append.
    private mutating func write(_ id: String, _ transit: TxnTransitMetadata) { coordinator.complete(transactionalId: id, transit) }

    private mutating func initProducer(_ id: String, at now: Int64 = 0) throws -> TxnTransitMetadata {
        var ids = nextId
        let outcome = try coordinator.handleInitProducerId(transactionalId: id, transactionTimeoutMs: 60_000, nowMs: now,
                                                           generateProducerId: { defer { ids += 1 }; return ids }).get()
        nextId = ids
        guard case .prepared(let transit) = outcome else { Issue.record("expected a prepared init, got \(outcome)"); throw TransactionCoordinatorError.invalidRequest }
        write(id, transit)
        return transit
    }

    /// EndTxn, its write, the markers (not modelled here) and the completion.
    private mutating func end(_ id: String, _ result: TransactionResult, epoch: Int16, at now: Int64) throws -> TxnTransitMetadata {
        let meta = coordinator.transactions[id]!
        let outcome = try coordinator.handleEndTransaction(transactionalId: id, producerId: meta.producerId, producerEpoch: epoch, result: result,
                                                           nowMs: now, generateProducerId: { -99 }).get()
        guard case .prepared(let prepare, let markers) = outcome else { Issue.record("expected prepared, got \(outcome)"); throw TransactionCoordinatorError.invalidRequest }
        #expect(markers == result)
        write(id, prepare)
        let complete = coordinator.prepareComplete(transactionalId: id, nowMs: now)
        write(id, complete)
        return prepare
    }

    @Test mutating func partitionForIsTheJavaHashModuloFifty() {
        #expect(TransactionCoordinator.partitionFor(transactionalId: "my-txn") == Int(KafkaUtils.abs(JavaString.hashCode("my-txn"))) % 50)
    }

    @Test mutating func commitBumpsTheEpochAndEndsInCompleteCommit() throws {
        let initial = try initProducer("my-txn")
        #expect(initial.producerId == 0 && initial.producerEpoch == 0 && initial.state == .empty)
        let add = try coordinator.handleAddPartitions(transactionalId: "my-txn", producerId: 0, producerEpoch: 0, partitions: [t0], nowMs: 1_000).get()
        write("my-txn", add!)
        #expect(coordinator.transactions["my-txn"]!.state == .ongoing)
        #expect(coordinator.transactions["my-txn"]!.txnStartTimestamp == 1_000)
        // Adding a partition already in the transaction writes nothing.
        #expect(try coordinator.handleAddPartitions(transactionalId: "my-txn", producerId: 0, producerEpoch: 0, partitions: [t0], nowMs: 2_000).get() == nil)
        let prepare = try end("my-txn", .commit, epoch: 0, at: 3_000)
        #expect(prepare.state == .prepareCommit && prepare.producerEpoch == 1 && prepare.topicPartitions == [t0])
        let done = coordinator.transactions["my-txn"]!
        #expect(done.state == .completeCommit && done.producerEpoch == 1 && done.topicPartitions.isEmpty && done.txnStartTimestamp == 1_000)
    }

    @Test mutating func retriedCommitIsAnsweredAndWrongStatesAreInvalid() throws {
        _ = try initProducer("x")
        write("x", try coordinator.handleAddPartitions(transactionalId: "x", producerId: 0, producerEpoch: 0, partitions: [t0, t1], nowMs: 0).get()!)
        _ = try end("x", .commit, epoch: 0, at: 10)
        // The client did not get the answer and sends EndTxn again with its old epoch.
        #expect(coordinator.handleEndTransaction(transactionalId: "x", producerId: 0, producerEpoch: 0, result: .commit, nowMs: 20, generateProducerId: { -1 })
                == .success(.alreadyDone(producerId: 0, producerEpoch: 1)))
        #expect(coordinator.handleEndTransaction(transactionalId: "x", producerId: 0, producerEpoch: 1, result: .commit, nowMs: 20, generateProducerId: { -1 })
                == .failure(.invalidTxnState))
        #expect(coordinator.handleEndTransaction(transactionalId: "x", producerId: 7, producerEpoch: 1, result: .abort, nowMs: 20, generateProducerId: { -1 })
                == .failure(.invalidProducerIdMapping))
    }

    @Test mutating func aSecondInitFencesTheOngoingProducer() throws {
        _ = try initProducer("my-txn")
        write("my-txn", try coordinator.handleAddPartitions(transactionalId: "my-txn", producerId: 0, producerEpoch: 0, partitions: [t0], nowMs: 0).get()!)
        // Producer B starts with the same transactional id while A's transaction is open.
        let outcome = try coordinator.handleInitProducerId(transactionalId: "my-txn", transactionTimeoutMs: 60_000, nowMs: 5, generateProducerId: { -1 }).get()
        guard case .abortOngoingFirst(.prepared(let abort, result: .abort)) = outcome else { Issue.record("\(outcome)"); return }
        #expect(abort.state == .prepareAbort && abort.producerEpoch == 2 && abort.topicPartitions == [t0])
        // While the abort is being written B's retry waits.
        #expect(coordinator.handleInitProducerId(transactionalId: "my-txn", transactionTimeoutMs: 60_000, nowMs: 6, generateProducerId: { -1 })
                == .failure(.concurrentTransactions))
        write("my-txn", abort)
        write("my-txn", coordinator.prepareComplete(transactionalId: "my-txn", nowMs: 7))
        let b = try initProducer("my-txn", at: 8)
        #expect(b.producerId == 0 && b.producerEpoch == 3)
        // A is fenced everywhere.
        #expect(coordinator.handleAddPartitions(transactionalId: "my-txn", producerId: 0, producerEpoch: 0, partitions: [t1], nowMs: 9) == .failure(.producerFenced))
        #expect(coordinator.handleEndTransaction(transactionalId: "my-txn", producerId: 0, producerEpoch: 0, result: .commit, nowMs: 9, generateProducerId: { -1 })
                == .failure(.producerFenced))
    }

    @Test mutating func timedOutTransactionsAreAbortedByTheCoordinator() throws {
        _ = try initProducer("slow")
        write("slow", try coordinator.handleAddPartitions(transactionalId: "slow", producerId: 0, producerEpoch: 0, partitions: [t0], nowMs: 1_000).get()!)
        #expect(coordinator.abortTimedOutTransactions(nowMs: 61_000, generateProducerId: { -1 }).isEmpty)
        let aborts = coordinator.abortTimedOutTransactions(nowMs: 61_001, generateProducerId: { -1 })
        #expect(aborts.count == 1)
        guard case .prepared(let abort, .abort)? = aborts.first?.1 else { Issue.record("\(aborts)"); return }
        #expect(abort.state == .prepareAbort && abort.producerEpoch == 2)
        write("slow", abort)
        write("slow", coordinator.prepareComplete(transactionalId: "slow", nowMs: 61_002))
        #expect(coordinator.transactions["slow"]!.state == .completeAbort)
        // The stalled producer's commit now fails: PRODUCER_FENCED (fatal in the client).
        #expect(coordinator.handleEndTransaction(transactionalId: "slow", producerId: 0, producerEpoch: 0, result: .commit, nowMs: 62_000, generateProducerId: { -1 })
                == .failure(.producerFenced))
    }

    @Test mutating func abortWithoutPartitionsIsAllowedAndCommitFromEmptyIsNot() throws {
        _ = try initProducer("e")
        #expect(coordinator.handleEndTransaction(transactionalId: "e", producerId: 0, producerEpoch: 0, result: .commit, nowMs: 1, generateProducerId: { -1 })
                == .failure(.invalidTxnState))
        let prepare = try end("e", .abort, epoch: 0, at: 2)
        #expect(prepare.topicPartitions.isEmpty && prepare.txnStartTimestamp == 2)
    }

    @Test mutating func timeoutsAboveTheBrokerMaximumAreRefused() {
        #expect(coordinator.handleInitProducerId(transactionalId: "t", transactionTimeoutMs: 900_001, nowMs: 0, generateProducerId: { 0 })
                == .failure(.invalidTransactionTimeout))
        #expect(coordinator.handleInitProducerId(transactionalId: "", transactionTimeoutMs: 1, nowMs: 0, generateProducerId: { 0 }) == .failure(.invalidRequest))
        #expect(TransactionCoordinatorError.invalidTransactionTimeout.message.hasSuffix("(as configured by transaction.max.timeout.ms)."))
    }
}

/// An open transaction at the last usable epoch, fenced by a new InitProducerId: the fence takes `Int16.max`, and the
/// abort that follows must not overflow it (Kafka 4.0.0 wraps it there); the id moves on and the retry gets epoch 0.
@Suite struct TransactionEpochOverflowTests {
    @Test func fencingAnOpenTransactionAtTheLastEpochMovesTheProducerIdOn() throws {
        var coordinator = TransactionCoordinator()
        var ids: Int64 = 7
        let generate = { () -> Int64 in defer { ids += 1 }; return ids }
        guard case .prepared(let initial) = try coordinator.handleInitProducerId(transactionalId: "t", transactionTimeoutMs: 60_000, nowMs: 0,
                                                                                generateProducerId: generate).get() else {
            Issue.record("expected a prepared init")
            return
        }
        coordinator.complete(transactionalId: "t", initial)
        // As after 32,765 more InitProducerId calls.
        coordinator.transactions["t"]!.producerEpoch = Int16.max - 1
        let add = try #require(try coordinator.handleAddPartitions(transactionalId: "t", producerId: 7, producerEpoch: Int16.max - 1,
                                                                   partitions: [TopicPartition("a", 0)], nowMs: 1).get())
        coordinator.complete(transactionalId: "t", add)
        guard case .abortOngoingFirst(.prepared(let abort, .abort)) = try coordinator.handleInitProducerId(
            transactionalId: "t", transactionTimeoutMs: 60_000, nowMs: 2, generateProducerId: generate).get() else {
            Issue.record("expected the open transaction to be aborted first")
            return
        }
        #expect(abort.producerId == 7 && abort.producerEpoch == Int16.max && abort.nextProducerId == 8)
        coordinator.complete(transactionalId: "t", abort)
        coordinator.complete(transactionalId: "t", coordinator.prepareComplete(transactionalId: "t", nowMs: 3))
        #expect(coordinator.transactions["t"]!.state == .completeAbort)
        guard case .prepared(let retried) = try coordinator.handleInitProducerId(transactionalId: "t", transactionTimeoutMs: 60_000, nowMs: 4,
                                                                                generateProducerId: generate).get() else {
            Issue.record("expected a prepared init")
            return
        }
        #expect(retried.producerId == 8 && retried.producerEpoch == 1)
    }
}
