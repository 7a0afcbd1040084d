import Testing
@testable import KafkaModel

/// Transactional producers against the cluster's transaction coordinator (reference §4.8, T1–T4): the offsets, markers,
/// last stable offsets, coordinator states and the Java client's texts.
@Suite struct TransactionalProducerTests {
    let tp = TopicPartition("t", 0)

    func cluster() throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 1, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        return cluster
    }

    func start(_ cluster: Cluster, _ name: String, id: String = "my-txn") throws {
        var config = ProducerConfig()
        config.transactionalId = id
        try cluster.startProducer(name, config: config)
    }

    /// A started, initialized producer in a transaction.
    func begin(_ cluster: Cluster, _ name: String, id: String = "my-txn") throws {
        try start(cluster, name, id: id)
        try cluster.initTransactions(producer: name)
        try cluster.beginTransaction(producer: name)
    }

    func send(_ cluster: Cluster, _ name: String, _ value: String) throws {
        try cluster.send(producer: name, topic: "t", partition: 0, key: nil, value: Array(value.utf8))
        try cluster.flush(producer: name)
        cluster.awaitAnswers(producer: name)
    }

    /// The Java text a failing call throws.
    func text(_ body: () throws(KafkaError) -> Void) -> String? {
        do throws(KafkaError) { try body(); return nil } catch {
            if case .transactionalClient(let exception) = error { return exception.description }
            return "\(error.errorName): \(error.message)"
        }
    }

    func markers(_ cluster: Cluster) -> [(TransactionResult, Int64, Int16)] {
        cluster.events.compactMap {
            if case let .transaction(.markerWritten(_, _, result, offset, _, epoch, _)) = $0.kind { return (result, offset, epoch) }
            return nil
        }
    }

    @Test func t1CommitWritesDataThenACommitMarker() throws {
        let cluster = try cluster()
        try start(cluster, "p")
        try cluster.initTransactions(producer: "p")
        #expect(cluster.topics[TransactionCoordinator.transactionStateTopic]?.partitions.count == 50)
        #expect(cluster.producers["p"]!.producerId == 0 && cluster.producers["p"]!.producerEpoch == 0)
        try cluster.beginTransaction(producer: "p")
        try cluster.send(producer: "p", topic: "t", partition: 0, key: nil, value: Array("a".utf8))
        try cluster.send(producer: "p", topic: "t", partition: 0, key: nil, value: Array("b".utf8))
        #expect(try cluster.endTransaction(producer: "p", commit: true))
        let log = try cluster.log(tp)
        #expect(log.logEndOffset == 3 && log.highWatermark == 3 && log.lastStableOffset == 3)
        #expect(markers(cluster).map { "\($0.0)@\($0.1) epoch \($0.2)" } == ["COMMIT@2 epoch 1"])
        let metadata = cluster.transactionCoordinator.transactions["my-txn"]!
        #expect(metadata.state == .completeCommit && metadata.producerEpoch == 1 && metadata.topicPartitions.isEmpty)
        #expect(cluster.producers["p"]!.producerEpoch == 1 && cluster.producers["p"]!.transactionManager!.state == .ready)
        // The coordinator's records: Empty, Ongoing, PrepareCommit, CompleteCommit in __transaction_state-45.
        let stateLog = try cluster.log(TopicPartition(TransactionCoordinator.transactionStateTopic, 45))
        let states = try stateLog.read(from: 0).compactMap { $0.value.flatMap(TransactionLogRecord.parseValue)?.state }
        #expect(states == [.empty, .ongoing, .prepareCommit, .completeCommit])
    }

    @Test func t2AbortIndexesTheAbortedTransaction() throws {
        let cluster = try cluster()
        try begin(cluster, "p")
        try send(cluster, "p", "a")
        try send(cluster, "p", "b")
        #expect(try cluster.log(tp).lastStableOffset == 0)
        try cluster.endTransaction(producer: "p", commit: false)
        let log = try cluster.log(tp)
        #expect(log.lastStableOffset == 3)
        #expect(markers(cluster).map { "\($0.0)@\($0.1)" } == ["ABORT@2"])
        #expect(log.abortedTxnIndex[0] == [AbortedTxn(producerId: 0, firstOffset: 0, lastOffset: 2, lastStableOffset: 3)])
        #expect(cluster.transactionCoordinator.transactions["my-txn"]!.state == .completeAbort)
    }

    @Test func t3OpenTransactionHoldsTheLastStableOffsetUntilTheTimeoutAborts() throws {
        let cluster = try cluster()
        try begin(cluster, "a")
        try send(cluster, "a", "x")
        _ = try cluster.appendRecords([Record(timestamp: cluster.nowMs, key: nil, value: Array("y".utf8))], to: tp)
        let log = try cluster.log(tp)
        #expect(log.highWatermark == 2 && log.lastStableOffset == 0)
        cluster.advance(byMs: 60_000)
        #expect(log.lastStableOffset == 0, "not before transaction.timeout.ms has passed and the task ran")
        cluster.advance(byMs: 10_000)
        #expect(markers(cluster).map { "\($0.0)@\($0.1)" } == ["ABORT@2"])
        #expect(log.lastStableOffset == 3)
        #expect(text { () throws(KafkaError) in try cluster.endTransaction(producer: "a", commit: true) }
                == "org.apache.kafka.common.errors.ProducerFencedException: There is a newer producer with the same transactionalId which fences the current one.")
        #expect(text { () throws(KafkaError) in try cluster.beginTransaction(producer: "a") }
                == "org.apache.kafka.common.errors.ProducerFencedException: Producer with transactionalId 'my-txn' and (producerId=0, epoch=0) has been fenced by another producer with the same transactionalId")
    }

    @Test func t4ANewProducerFencesTheOldOne() throws {
        let cluster = try cluster()
        try begin(cluster, "a")
        try send(cluster, "a", "x")
        try start(cluster, "b")
        try cluster.initTransactions(producer: "b")
        // The fence bumps the epoch to 1, the abort to 2, the retried InitProducerId to 3.
        #expect(markers(cluster).map { "\($0.0)@\($0.1) epoch \($0.2)" } == ["ABORT@1 epoch 2"])
        #expect(cluster.producers["b"]!.producerId == 0 && cluster.producers["b"]!.producerEpoch == 3)
        // A's next send fails with INVALID_PRODUCER_EPOCH, which makes its commit fail.
        try send(cluster, "a", "y")
        let failure = cluster.producers["a"]!.results.values.compactMap { result -> KafkaError? in
            if case .failure(let error) = result { return error } else { return nil }
        }.first
        #expect(failure == .invalidProducerEpoch("Producer attempted to produce with an old epoch."))
        #expect(text { () throws(KafkaError) in try cluster.endTransaction(producer: "a", commit: true) }
                == "org.apache.kafka.common.errors.InvalidProducerEpochException: Producer with transactionalId 'my-txn' and (producerId=0, epoch=0) attempted to produce with an old epoch")
        #expect(text { () throws(KafkaError) in try cluster.endTransaction(producer: "a", commit: false) }
                == "org.apache.kafka.common.errors.ProducerFencedException: There is a newer producer with the same transactionalId which fences the current one.")
        #expect(cluster.producers["a"]!.transactionManager!.state == .fatalError)
        #expect(try cluster.log(tp).logEndOffset == 2, "nothing of A's after the fence was appended")
    }

    @Test func wrongStateCallsThrowTheJavaClientsTexts() throws {
        let cluster = try cluster()
        try start(cluster, "p")
        #expect(text { () throws(KafkaError) in try cluster.beginTransaction(producer: "p") }
                == "java.lang.IllegalStateException: TransactionalId my-txn: Invalid transition attempted from state UNINITIALIZED to state IN_TRANSACTION")
        #expect(text { () throws(KafkaError) in
            try cluster.send(producer: "p", topic: "t", partition: 0, key: nil, value: nil)
        } == "java.lang.IllegalStateException: Cannot add partition t-0 to transaction before completing a call to initTransactions")
        try cluster.initTransactions(producer: "p")
        #expect(text { () throws(KafkaError) in
            try cluster.send(producer: "p", topic: "t", partition: 0, key: nil, value: nil)
        } == "java.lang.IllegalStateException: Cannot add partition t-0 to transaction while in state  READY")
        #expect(!cluster.hasUnfinishedBatches(producer: "p"), "a refused send leaves nothing behind")
        #expect(text { () throws(KafkaError) in try cluster.endTransaction(producer: "p", commit: true) }
                == "java.lang.IllegalStateException: TransactionalId my-txn: Invalid transition attempted from state READY to state COMMITTING_TRANSACTION")
        try cluster.beginTransaction(producer: "p")
        // Nothing sent: no EndTxn, the epoch stays.
        #expect(try cluster.endTransaction(producer: "p", commit: true) == false)
        #expect(cluster.producers["p"]!.producerEpoch == 0)
        try cluster.startProducer("plain", config: ProducerConfig())
        #expect(text { () throws(KafkaError) in try cluster.initTransactions(producer: "plain") }
                == "java.lang.IllegalStateException: Transactional method invoked on a non-transactional producer.")
    }

    @Test func theCoordinatorReloadsItsStateWhenLeadershipMoves() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3)
        try begin(cluster, "p")
        try send(cluster, "p", "a")
        let coordinator = cluster.transactionCoordinatorBroker(of: "my-txn")!
        let before = cluster.transactionCoordinator.transactions["my-txn"]!
        // What the new coordinator knows comes from the log alone.
        cluster.transactionCoordinator.transactions["my-txn"]!.topicPartitions = []
        try cluster.stopBroker(coordinator)
        let moved = cluster.events.contains {
            if case let .transaction(.coordinatorMoved(45, from, to, ids)) = $0.kind { return from == coordinator && to != nil && ids == ["my-txn"] }
            return false
        }
        #expect(moved)
        #expect(cluster.transactionCoordinator.transactions["my-txn"]!.state == .ongoing)
        #expect(cluster.transactionCoordinator.transactions["my-txn"]!.topicPartitions == [tp])
        #expect(cluster.transactionCoordinator.transactions["my-txn"]!.txnStartTimestamp == before.txnStartTimestamp)
        #expect(try cluster.endTransaction(producer: "p", commit: true))
        #expect(markers(cluster).map { "\($0.0)@\($0.1)" } == ["COMMIT@1"])
    }

    @Test func t5SentOffsetsBecomeTheGroupsOnlyWhenTheTransactionCommits() throws {
        let cluster = try cluster()
        try begin(cluster, "p")
        let input = TopicPartition("in", 0)
        try cluster.createTopic("in", partitions: 1, replicationFactor: 1)
        try cluster.sendOffsetsToTransaction(producer: "p", group: "g", offsets: [input: 42])
        #expect(cluster.committedOffsets("g")[input] == nil, "pending until the marker")
        let offsetsPartition = TopicPartition(GroupCoordinator.offsetsTopic, cluster.offsetsPartition(of: "g"))
        #expect(cluster.transactionCoordinator.transactions["my-txn"]!.topicPartitions == [offsetsPartition])
        try cluster.endTransaction(producer: "p", commit: true)
        #expect(cluster.committedOffsets("g")[input] == 42)
        try cluster.beginTransaction(producer: "p")
        try cluster.sendOffsetsToTransaction(producer: "p", group: "g", offsets: [input: 50])
        try cluster.endTransaction(producer: "p", commit: false)
        #expect(cluster.committedOffsets("g")[input] == 42, "an aborted transaction's offsets are dropped")
        #expect(cluster.pendingTransactionalOffsets.isEmpty)
        #expect(text { () throws(KafkaError) in try cluster.sendOffsetsToTransaction(producer: "p", group: "g", offsets: [input: 1]) }
                == "java.lang.IllegalStateException: Cannot send offsets if a transaction is not in progress (currentState= READY)")
    }

    @Test("abortTransaction() fails the batches not yet sent with TransactionAbortedException; sent ones get the ABORT marker")
    func abortDropsUnsentBatches() throws {
        let cluster = try cluster()
        try begin(cluster, "p")
        try send(cluster, "p", "sent")
        let unsent = try cluster.send(producer: "p", topic: "t", partition: 0, key: nil, value: Array("unsent".utf8))
        try cluster.endTransaction(producer: "p", commit: false)
        let failure = KafkaError.transactionalClient(.init(exceptionClass: "org.apache.kafka.common.errors.TransactionAbortedException",
                                                           message: "Failing batch since transaction was aborted"))
        #expect(cluster.offset(of: unsent, producer: "p") == .failure(failure))
        let log = try cluster.log(tp)
        #expect(log.logEndOffset == 2, "the sent record and the ABORT marker; the unsent record never reached the log")
        #expect(cluster.producers["p"]!.transactionManager?.state == .ready, "the abort completed")
    }

    @Test("A marker for a partition without a leader is written once a leader is elected; only then does the transaction complete")
    func markerWaitsForALeader() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        let leader = try #require(cluster.topics["t"]!.partitions[0].leader)
        try begin(cluster, "p")
        try send(cluster, "p", "a")
        try cluster.stopBroker(leader)
        try cluster.endTransaction(producer: "p", commit: true)
        #expect(cluster.transactionCoordinator.transactions["my-txn"]?.state == .prepareCommit)
        #expect(cluster.pendingTxnMarkers["my-txn"]?.partitions == [tp])
        cluster.advance(byMs: 60_000)
        #expect(cluster.transactionCoordinator.transactions["my-txn"]?.state == .prepareCommit, "no leader, no marker")
        try cluster.startBroker(leader)
        cluster.advance(byMs: 10)
        #expect(cluster.pendingTxnMarkers.isEmpty)
        #expect(cluster.transactionCoordinator.transactions["my-txn"]?.state == .completeCommit)
        let log = try cluster.log(tp)
        #expect(log.logEndOffset == 2 && log.lastStableOffset == 2, "the record and its COMMIT marker")
    }
}

