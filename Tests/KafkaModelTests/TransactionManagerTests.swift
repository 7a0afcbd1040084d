import Testing
@testable import KafkaModel

/// The Java producer's client-side transaction states and texts (reference §4.5).
@Suite struct TransactionManagerTests {
    private let tp = TopicPartition("t", 0)

    @Test func aTransactionGoesReadyInTransactionCommittingReady() throws {
        var manager = TransactionManager(transactionalId: "my-txn")
        try manager.initTransactions()
        try manager.initialized(producerId: 0, epoch: 0)
        try manager.beginTransaction()
        try manager.maybeAddPartition(tp)
        try manager.maybeAddPartition(tp)
        #expect(manager.partitionsInTransaction == [tp])
        #expect(try manager.beginCommit())
        try manager.completed(producerId: 0, epoch: 1)
        #expect(manager.state == .ready && manager.producerEpoch == 1 && manager.partitionsInTransaction.isEmpty)
        // A transaction that wrote nothing ends without an EndTxn request.
        try manager.beginTransaction()
        #expect(try !manager.beginAbort())
    }

    @Test func callsInTheWrongStateThrowTheJavaTexts() throws {
        var manager = TransactionManager(transactionalId: "my-txn")
        #expect(throws: TransactionManager.ClientException.illegalState("Cannot add partition t-0 to transaction before completing a call to initTransactions")) {
            try manager.maybeAddPartition(tp)
        }
        try manager.initTransactions()
        try manager.initialized(producerId: 3, epoch: 0)
        #expect(throws: TransactionManager.ClientException.illegalState("TransactionalId my-txn: Invalid transition attempted from state READY to state COMMITTING_TRANSACTION")) {
            _ = try manager.beginCommit()
        }
        #expect(throws: TransactionManager.ClientException.illegalState("Cannot send offsets if a transaction is not in progress (currentState= READY)")) {
            try manager.sendOffsetsToTransaction()
        }
        #expect(throws: TransactionManager.ClientException.illegalState("Cannot add partition t-0 to transaction while in state  READY")) {
            try manager.maybeAddPartition(tp)
        }
    }

    @Test func aFencedProducerRefusesEveryTransactionalCall() throws {
        var manager = TransactionManager(transactionalId: "my-txn")
        try manager.initTransactions()
        try manager.initialized(producerId: 0, epoch: 0)
        try manager.beginTransaction()
        manager.fatalError(.producerFenced)
        let fenced = TransactionManager.ClientException(
            exceptionClass: "org.apache.kafka.common.errors.ProducerFencedException",
            message: "Producer with transactionalId 'my-txn' and (producerId=0, epoch=0) has been fenced by another producer with the same transactionalId")
        #expect(throws: fenced) { _ = try manager.beginCommit() }
        #expect(throws: fenced) { _ = try manager.beginAbort() }
        #expect(TransactionManager.ClientException.producerFenced.description
                == "org.apache.kafka.common.errors.ProducerFencedException: There is a newer producer with the same transactionalId which fences the current one.")
    }

    @Test func anAbortableErrorAllowsOnlyAbort() throws {
        var manager = TransactionManager(transactionalId: "x")
        try manager.initTransactions()
        try manager.initialized(producerId: 0, epoch: 0)
        try manager.beginTransaction()
        try manager.maybeAddPartition(tp)
        manager.abortableError(TransactionManager.ClientException(exceptionClass: "org.apache.kafka.common.errors.InvalidProducerEpochException",
                                                                  message: "Producer attempted to produce with an old epoch."))
        // `maybeFailWithError` names an InvalidProducerEpochException's producer (4.0.0).
        #expect(throws: TransactionManager.ClientException(exceptionClass: "org.apache.kafka.common.errors.InvalidProducerEpochException",
                                                           message: "Producer with transactionalId 'x' and (producerId=0, epoch=0) attempted to produce with an old epoch")) {
            _ = try manager.beginCommit()
        }
        #expect(try manager.beginAbort())
        try manager.completed(producerId: 0, epoch: 1)
        #expect(manager.state == .ready && manager.lastError == nil)
    }
}
