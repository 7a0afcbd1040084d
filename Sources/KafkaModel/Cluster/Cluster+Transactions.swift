// The transaction coordinator wired into the cluster: `__transaction_state`, whose partition leaders coordinate the
// transactional ids that hash to them, each transition written there as a `TransactionLogRecord` before it applies,
// the COMMIT/ABORT markers written to the partition leaders (`WriteTxnMarkers`), and the `transaction-abort` task.
// `TransactionCoordinator` decides; this file does the I/O, as `KafkaApis` and `TransactionStateManager` do.

extension Cluster {
    /// `transaction.state.log.replication.factor`: handled as `offsets.topic.replication.factor` is (3, never more
    /// than the cluster has brokers).
    public var transactionStateReplicationFactor: Int { offsetsTopicReplicationFactor }

    /// Creates `__transaction_state` on the first FindCoordinator for a transactional id (`AutoTopicCreationManager`):
    /// 50 partitions, compacted, uncompressed, `transaction.state.log.min.isr` 2, 100 MiB segments, no unclean election
    /// (`TransactionStateManager.transactionTopicConfigs`). Returns the controller's error, nil once it exists.
    @discardableResult
    func ensureTransactionStateTopic() -> KafkaError? {
        guard topics[TransactionCoordinator.transactionStateTopic] == nil else { return nil }
        do throws(KafkaError) {
            try createTopic(TransactionCoordinator.transactionStateTopic, partitions: TransactionCoordinator.transactionStateTopicPartitions,
                            replicationFactor: transactionStateReplicationFactor,
                            configs: ["cleanup.policy": "compact", "compression.type": "uncompressed", "min.insync.replicas": "2",
                                      "segment.bytes": "104857600", "unclean.leader.election.enable": "false"])
            return nil
        } catch {
            return error
        }
    }

    /// The `__transaction_state` partition of a transactional id (`abs(hashCode) % 50`).
    public func transactionStatePartition(of transactionalId: String) -> Int {
        TransactionCoordinator.partitionFor(transactionalId: transactionalId)
    }

    /// The coordinator of a transactional id: the leader of its `__transaction_state` partition (nil before the topic
    /// exists or while the partition has no leader).
    public func transactionCoordinatorBroker(of transactionalId: String) -> Int? {
        topics[TransactionCoordinator.transactionStateTopic]?.partitions[transactionStatePartition(of: transactionalId)].leader
    }

    /// Whether the partition is in the metadata (`MetadataCache.contains`): its topic exists and has that partition.
    func partitionExists(_ tp: TopicPartition) -> Bool {
        tp.partition >= 0 && (topics[tp.topic].map { tp.partition < $0.partitions.count } ?? false)
    }

    /// The coordinator epoch: the leader epoch of the id's `__transaction_state` partition.
    func transactionCoordinatorEpoch(of transactionalId: String) -> Int32 {
        Int32(topics[TransactionCoordinator.transactionStateTopic]?.partitions[transactionStatePartition(of: transactionalId)].leaderEpoch ?? 0)
    }

    // MARK: - Transitions

    /// Writes a prepared transition to `__transaction_state` (acks=-1; copied to the in-sync followers at once, as the
    /// group coordinator's writes are) and applies it. A failed write (NOT_ENOUGH_REPLICAS, no leader) drops the
    /// pending transition and answers COORDINATOR_NOT_AVAILABLE, as `TransactionStateManager.appendTransactionToLog`
    /// maps it; a brand-new id is forgotten again.
    func applyTransactionTransit(_ transactionalId: String, _ transit: TxnTransitMetadata, isNew: Bool = false) throws(TransactionCoordinatorError) {
        let from = transactionCoordinator.transactions[transactionalId]?.state
        let tp = TopicPartition(TransactionCoordinator.transactionStateTopic, transactionStatePartition(of: transactionalId))
        let record = Record(timestamp: nowMs, key: TransactionLogRecord.key(transactionalId: transactionalId),
                            value: TransactionLogRecord.value(transit))
        guard let (_, leader) = try? appendRecords([record], repeating: record, count: 0, to: tp, acks: .all, reportAppend: false) else {
            if isNew { transactionCoordinator.transactions[transactionalId] = nil } else { transactionCoordinator.transactions[transactionalId]?.pendingState = nil }
            throw .coordinatorNotAvailable
        }
        replicateNow(leader)
        transactionCoordinator.complete(transactionalId: transactionalId, transit)
        emit(.transaction(.stateChanged(transactionalId: transactionalId, from: isNew ? nil : from, to: transit.state, producerId: transit.producerId,
                                        producerEpoch: transit.producerEpoch, partitions: transit.topicPartitions,
                                        coordinator: leader.brokerId, logPartition: tp.partition)))
        if transit.state == .ongoing { armTransactionAbortTimer() }
    }

    /// Carries out an EndTxn outcome: writes PrepareCommit/PrepareAbort (the client is answered after this write),
    /// has every partition leader of the transaction write its marker, then writes CompleteCommit/CompleteAbort.
    /// Returns the producer id and epoch the client continues with (transaction version 2 bumped the epoch).
    @discardableResult
    func completeEndTransaction(_ transactionalId: String, _ outcome: TransactionCoordinator.EndTxnOutcome) throws(TransactionCoordinatorError)
        -> (producerId: Int64, producerEpoch: Int16) {
        switch outcome {
        case let .alreadyDone(producerId, producerEpoch):
            return (producerId, producerEpoch)
        case let .prepared(transit, result):
            try applyTransactionTransit(transactionalId, transit)
            let missing = writeTxnMarkers(transactionalId, result: result, partitions: transit.topicPartitions,
                                          producerId: transit.producerId, producerEpoch: transit.producerEpoch)
            if missing.isEmpty {
                completeTransaction(transactionalId)
            } else {
                // The transaction stays in Prepare* until every marker is written (`TransactionMarkerChannelManager`).
                pendingTxnMarkers[transactionalId] = PendingTxnMarkers(result: result, producerId: transit.producerId,
                                                                       producerEpoch: transit.producerEpoch, partitions: missing)
                armTxnMarkersRetry(afterMs: Self.txnMarkerRetryBackoffMs)
            }
            // The answer carries the epoch the markers were written with (the prepared transition's).
            return (transit.producerId, transit.producerEpoch)
        }
    }

    /// `WriteTxnMarkers` to the leader of every partition of the transaction: each appends a COMMIT or ABORT control
    /// batch and its last stable offset moves past the transaction. Returns the partitions whose marker could not be
    /// written now (no running leader, or a retriable refusal): the coordinator sends them again
    /// (`Cluster+TxnMarkerRetry.swift`), and until then the transaction holds their last stable offset.
    func writeTxnMarkers(_ transactionalId: String, result: TransactionResult, partitions: [TopicPartition], producerId: Int64,
                         producerEpoch: Int16) -> [TopicPartition] {
        let coordinatorEpoch = transactionCoordinatorEpoch(of: transactionalId)
        let coordinator = transactionCoordinatorBroker(of: transactionalId) ?? -1
        let context = RequestContext(client: .admin("broker-\(coordinator)"), clientId: "broker-\(coordinator)")
        return partitions.filter { tp in
            switch writeTxnMarker(tp, transactionalId: transactionalId, producerId: producerId, producerEpoch: producerEpoch,
                                  coordinatorEpoch: coordinatorEpoch, result: result, from: context) {
            case .success?: return false
            case nil: return true
            // `TransactionMarkerRequestCompletionHandler`: a fenced coordinator or producer epoch gives the marker up.
            case .failure(let error)?: return error.isRetriable
            }
        }
    }

    // MARK: - Timeouts

    /// Arms the `transaction-abort` task while some transaction is ongoing. Kafka runs it every 10 s from the broker's
    /// start; it is armed at the next such instant, so it fires when Kafka's would, without waking an idle cluster.
    func armTransactionAbortTimer() {
        guard transactionAbortTimerDue == nil, transactionCoordinator.transactions.values.contains(where: { $0.state == .ongoing }) else { return }
        let interval = TransactionCoordinator.abortTimedOutTransactionsIntervalMs
        let due = config.startMs + ((nowMs - config.startMs) / interval + 1) * interval
        transactionAbortTimerDue = due
        scheduler.schedule(at: due, .transactionAbortTimedOut)
    }

    /// The `transaction-abort` task: every ongoing transaction past its timeout is fenced and aborted.
    func transactionAbortTaskFired() {
        transactionAbortTimerDue = nil
        // Only ids whose coordinator runs can be aborted; the others wait for their partition's new leader.
        let before = transactionCoordinator.transactions
        let aborts = transactionCoordinator.abortTimedOutTransactions(nowMs: nowMs) { self.allocateProducerId() }
        for (id, outcome) in aborts {
            let old = before[id]!
            emit(.transaction(.coordinatorAborting(transactionalId: id, producerId: old.producerId, producerEpoch: old.producerEpoch,
                                                   reason: .timedOut(timeoutMs: old.txnTimeoutMs))))
            _ = try? completeEndTransaction(id, outcome)
        }
        armTransactionAbortTimer()
    }

    /// A producer id from the controller (`ProducerIdManager.generateProducerId`).
    func allocateProducerId() -> Int64 {
        defer { nextProducerId += 1 }
        return nextProducerId
    }

    // MARK: - Leader moves

    /// A `__transaction_state` partition got a new leader: the old coordinator drops the partition's ids, the new one
    /// loads them from the partition's records (`TransactionStateManager.loadTransactionsForTxnTopicPartition`), the
    /// last record per id winning. Without a leader they are unknown until one is elected.
    func transactionStatePartitionLeaderChanged(_ partition: Int, from oldLeader: Int?, to newLeader: Int?) {
        let cached = transactionCoordinator.transactions.keys.filter { transactionStatePartition(of: $0) == partition }
        for id in cached { transactionCoordinator.transactions[id] = nil }
        let loaded = newLeader == nil ? [] : loadTransactionState(partition: partition)
        let ids = Set(cached).union(loaded).sorted()
        guard !ids.isEmpty else { return }
        emit(.transaction(.coordinatorMoved(logPartition: partition, from: oldLeader, to: newLeader, transactionalIds: loaded)))
        armTransactionAbortTimer()
    }

    /// Reads one `__transaction_state` partition into the coordinator's cache; returns the ids it held. A tombstone
    /// (an expired id) removes the id.
    @discardableResult
    func loadTransactionState(partition: Int) -> [String] {
        let tp = TopicPartition(TransactionCoordinator.transactionStateTopic, partition)
        guard let log = logManager.logs[tp], let records = try? log.read(from: log.logStartOffset) else { return [] }
        var loaded: [String: TransactionLogRecord.Value?] = [:]
        for record in records {
            guard let key = record.key, let id = TransactionLogRecord.parseKey(key) else { continue }
            loaded[id] = record.value.flatMap(TransactionLogRecord.parseValue)
        }
        for (id, value) in loaded {
            transactionCoordinator.transactions[id] = value.map { TransactionMetadata(loaded: $0, transactionalId: id) }
        }
        resendMarkersOfPreparedTransactions(loaded.keys.sorted())
        return loaded.keys.sorted()
    }

    /// A cluster reopened from its log directory: every `__transaction_state` partition with a leader is loaded.
    func loadTransactionState() {
        guard let topic = topics[TransactionCoordinator.transactionStateTopic] else { return }
        for (partition, state) in topic.partitions.enumerated() where state.leader != nil { loadTransactionState(partition: partition) }
        armTransactionAbortTimer()
    }
}

extension TransactionMetadata {
    /// The metadata a coordinator rebuilds from an id's last `__transaction_state` record.
    init(loaded value: TransactionLogRecord.Value, transactionalId: String) {
        self.init(transactionalId: transactionalId, producerId: value.producerId, txnTimeoutMs: Int64(value.txnTimeoutMs),
                  nowMs: value.lastUpdateTimestampMs)
        producerEpoch = value.producerEpoch
        state = value.state
        topicPartitions = value.topicPartitions
        txnStartTimestamp = value.startTimestampMs
        clientTransactionVersion = TransactionVersion(rawValue: value.clientTransactionVersion) ?? .tv0
    }
}
