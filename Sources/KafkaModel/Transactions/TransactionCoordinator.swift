/// The transaction coordinator's decisions (Kafka's `TransactionCoordinator` as a 4.0 cluster runs it): which transition
/// each InitProducerId, AddPartitionsToTxn and EndTxn makes, or which error it answers. Transaction version 2 (the
/// simulated producers, a leader adding partitions) is here; the requests of older clients (transaction version 1:
/// explicit AddPartitionsToTxn, no epoch bump at EndTxn, verified produces) are in `TransactionCoordinator+V1.swift`.
///
/// It holds the metadata of the transactional ids whose `__transaction_state` partition its broker leads, and does no
/// I/O: the broker writes each prepared transition to the log, then calls `complete(_:)`, and sends the markers an
/// `EndTxnOutcome.prepared` names.
public struct TransactionCoordinator: Sendable, Equatable {
    /// `__transaction_state`.
    public static let transactionStateTopic = "__transaction_state"
    /// `transaction.state.log.num.partitions` (50).
    public static let transactionStateTopicPartitions = 50
    /// `transaction.max.timeout.ms` (15 minutes).
    public static let transactionMaxTimeoutMs: Int64 = 900_000
    /// `transaction.abort.timed.out.transaction.cleanup.interval.ms` (10 s): how often timed-out transactions are looked for.
    public static let abortTimedOutTransactionsIntervalMs: Int64 = 10_000

    /// The metadata of every transactional id this coordinator owns.
    public internal(set) var transactions: [String: TransactionMetadata] = [:]

    public init() {}

    /// The `__transaction_state` partition of a transactional id: `Utils.abs(id.hashCode) % 50`.
    public static func partitionFor(transactionalId: String) -> Int {
        GroupCoordinatorPartition.partitionFor(groupId: transactionalId, offsetsTopicPartitionCount: transactionStateTopicPartitions)
    }

    /// What an InitProducerId leads to.
    public enum InitProducerIdOutcome: Sendable, Equatable {
        /// Write this transition; once written, answer with its producer id and epoch.
        case prepared(TxnTransitMetadata)
        /// The id has an open transaction: abort it first (its producer is fenced), then answer CONCURRENT_TRANSACTIONS
        /// so the client retries and gets the next epoch.
        case abortOngoingFirst(EndTxnOutcome)
    }

    /// `handleInitProducerId` for a transactional id. `generateProducerId` is the controller's allocator.
    public mutating func handleInitProducerId(transactionalId: String, transactionTimeoutMs: Int64, expected: (producerId: Int64, epoch: Int16)? = nil,
                                              nowMs: Int64, generateProducerId: () -> Int64) -> Result<InitProducerIdOutcome, TransactionCoordinatorError> {
        guard !transactionalId.isEmpty else { return .failure(.invalidRequest) }
        guard transactionTimeoutMs > 0, transactionTimeoutMs <= Self.transactionMaxTimeoutMs else { return .failure(.invalidTransactionTimeout) }
        var metadata = transactions[transactionalId]
            ?? TransactionMetadata(transactionalId: transactionalId, producerId: generateProducerId(), txnTimeoutMs: transactionTimeoutMs, nowMs: nowMs)
        defer { transactions[transactionalId] = metadata }
        if metadata.pendingTransitionInProgress { return .failure(.concurrentTransactions) }
        if let expected {
            let valid = metadata.producerEpoch == TransactionMetadata.noProducerEpoch || expected.producerId == metadata.producerId
                || (expected.producerId == metadata.previousProducerId && TransactionMetadata.isEpochExhausted(expected.epoch))
            if !valid { return .failure(.producerFenced) }
        }
        switch metadata.state {
        case .prepareAbort, .prepareCommit:
            return .failure(.concurrentTransactions)
        case .completeAbort, .completeCommit, .empty:
            if metadata.isProducerEpochExhausted && (expected.map { $0.epoch == metadata.producerEpoch } ?? true) {
                return .success(.prepared(metadata.prepareProducerIdRotation(generateProducerId(), timeoutMs: transactionTimeoutMs, nowMs: nowMs,
                                                                             recordLastEpoch: expected != nil)))
            }
            return metadata.prepareIncrementProducerEpoch(timeoutMs: transactionTimeoutMs, expectedEpoch: expected?.epoch, nowMs: nowMs)
                .map { .prepared($0) }
        case .ongoing:
            let fence = metadata.prepareFenceProducerEpoch()
            transactions[transactionalId] = metadata
            let abort = endTransaction(transactionalId, producerId: fence.producerId, producerEpoch: fence.producerEpoch, result: .abort,
                                       isFromClient: false, clientTransactionVersion: .cluster, nowMs: nowMs, generateProducerId: generateProducerId)
            metadata = transactions[transactionalId]!
            return abort.map { .abortOngoingFirst($0) }
        case .dead, .prepareEpochFence:
            preconditionFailure("found transactionalId \(transactionalId) with state \(metadata.state)")
        }
    }

    /// `handleAddPartitionsToTransaction`: under transaction version 2 the partition leader asks when a transactional
    /// produce reaches a partition new to the transaction; before it the client asks (AddPartitionsToTxn v0–3,
    /// AddOffsetsToTxn), recorded as TV_0. nil: the partitions are already in it.
    public mutating func handleAddPartitions(transactionalId: String, producerId: Int64, producerEpoch: Int16, partitions: [TopicPartition],
                                             clientTransactionVersion: TransactionVersion = .tv2,
                                             nowMs: Int64) -> Result<TxnTransitMetadata?, TransactionCoordinatorError> {
        guard !transactionalId.isEmpty else { return .failure(.invalidRequest) }
        guard var metadata = transactions[transactionalId] else { return .failure(.invalidProducerIdMapping) }
        defer { transactions[transactionalId] = metadata }
        if metadata.pendingTransitionInProgress { return .failure(.concurrentTransactions) }
        if metadata.producerId != producerId { return .failure(.invalidProducerIdMapping) }
        if metadata.producerEpoch != producerEpoch { return .failure(.producerFenced) }
        if metadata.state == .prepareCommit || metadata.state == .prepareAbort { return .failure(.concurrentTransactions) }
        if metadata.state == .ongoing && partitions.allSatisfy(metadata.topicPartitions.contains) { return .success(nil) }
        return .success(metadata.prepareAddPartitions(partitions, nowMs: nowMs, clientTransactionVersion: clientTransactionVersion))
    }

    /// What an EndTxn leads to.
    public enum EndTxnOutcome: Sendable, Equatable {
        /// A retry of an EndTxn that already completed: answer at once with this producer id and epoch.
        case alreadyDone(producerId: Int64, producerEpoch: Int16)
        /// Write this PrepareCommit/PrepareAbort; once written, answer the client with its id and epoch, then write
        /// a marker of `result` to every partition it lists and `complete` the transaction.
        case prepared(TxnTransitMetadata, result: TransactionResult)
    }

    /// `handleEndTransaction`: EndTxn v5 (transaction version 2, the default) or an older client's EndTxn (TV_0).
    public mutating func handleEndTransaction(transactionalId: String, producerId: Int64, producerEpoch: Int16, result: TransactionResult,
                                              clientTransactionVersion: TransactionVersion = .tv2,
                                              nowMs: Int64, generateProducerId: () -> Int64) -> Result<EndTxnOutcome, TransactionCoordinatorError> {
        endTransaction(transactionalId, producerId: producerId, producerEpoch: producerEpoch, result: result, isFromClient: true,
                       clientTransactionVersion: clientTransactionVersion, nowMs: nowMs, generateProducerId: generateProducerId)
    }

    /// `endTransaction` (`isFromClient` false when the coordinator aborts on its own: a timeout or a fence, with the
    /// cluster's transaction version). Before version 2 it is `endTransactionWithTV1`.
    mutating func endTransaction(_ transactionalId: String, producerId: Int64, producerEpoch: Int16, result: TransactionResult, isFromClient: Bool,
                                 clientTransactionVersion: TransactionVersion,
                                 nowMs: Int64, generateProducerId: () -> Int64) -> Result<EndTxnOutcome, TransactionCoordinatorError> {
        guard clientTransactionVersion.supportsEpochBump else {
            return endTransactionWithTV1(transactionalId, producerId: producerId, producerEpoch: producerEpoch, result: result,
                                         isFromClient: isFromClient, nowMs: nowMs)
        }
        guard !transactionalId.isEmpty else { return .failure(.invalidRequest) }
        guard var metadata = transactions[transactionalId] else { return .failure(.invalidProducerIdMapping) }
        defer { transactions[transactionalId] = metadata }
        let isEpochFence = metadata.pendingState == .prepareEpochFence
        let retryOnOverflow = !isEpochFence && metadata.previousProducerId == producerId && producerEpoch == Int16.max - 1 && metadata.producerEpoch == 0
        let retryOnEpochBump = !isEpochFence && Int(metadata.producerEpoch) == Int(producerEpoch) + 1
        let isRetry = retryOnEpochBump || retryOnOverflow
        let isValidEpoch: Bool
        if isEpochFence {
            isValidEpoch = (!isFromClient || producerEpoch == metadata.producerEpoch) && producerEpoch >= metadata.producerEpoch
        } else {
            switch metadata.state {
            case .ongoing, .empty, .dead, .prepareEpochFence: isValidEpoch = producerEpoch == metadata.producerEpoch
            case .prepareCommit, .prepareAbort: isValidEpoch = retryOnEpochBump
            case .completeCommit, .completeAbort: isValidEpoch = isRetry || producerEpoch == metadata.producerEpoch
            }
        }
        if metadata.pendingTransitionInProgress && !isEpochFence { return .failure(.concurrentTransactions) }
        if metadata.producerId != producerId && !retryOnOverflow { return .failure(.invalidProducerIdMapping) }
        if !isValidEpoch { return .failure(.producerFenced) }

        func prepare(_ state: TransactionState, noPartitionAdded: Bool) -> Result<EndTxnOutcome, TransactionCoordinatorError> {
            // A fence that reached `Int16.max` moves the id on too: Kafka 4.0.0's abort would wrap the epoch past
            // `Short.MaxValue` there (an open transaction whose producer called InitProducerId 32,766 times).
            let exhausted = isEpochFence ? producerEpoch == Int16.max : metadata.isProducerEpochExhausted
            let next = exhausted ? generateProducerId() : TransactionMetadata.noProducerId
            if isEpochFence {
                // The fence's bumped epoch becomes the transaction's; the abort then bumps it once more.
                metadata.pendingState = nil
                metadata.producerEpoch = producerEpoch
                metadata.lastProducerEpoch = TransactionMetadata.noProducerEpoch
            }
            return .success(.prepared(metadata.prepareAbortOrCommit(state, clientTransactionVersion: clientTransactionVersion, nextProducerId: next,
                                                                    nowMs: nowMs, noPartitionAdded: noPartitionAdded),
                                      result: state == .prepareCommit ? .commit : .abort))
        }
        let done = EndTxnOutcome.alreadyDone(producerId: metadata.producerId, producerEpoch: metadata.producerEpoch)
        switch (metadata.state, result) {
        case (.ongoing, .commit): return prepare(.prepareCommit, noPartitionAdded: false)
        case (.ongoing, .abort): return prepare(.prepareAbort, noPartitionAdded: false)
        case (.completeCommit, .commit): return isRetry ? .success(done) : .failure(.invalidTxnState)
        case (.completeCommit, .abort): return isRetry ? .failure(.invalidTxnState) : prepare(.prepareAbort, noPartitionAdded: true)
        case (.completeAbort, .abort): return isRetry ? .success(done) : prepare(.prepareAbort, noPartitionAdded: true)
        case (.completeAbort, .commit): return .failure(.invalidTxnState)
        case (.prepareCommit, .commit), (.prepareAbort, .abort): return .failure(.concurrentTransactions)
        case (.prepareCommit, .abort), (.prepareAbort, .commit): return .failure(.invalidTxnState)
        case (.empty, .abort): return prepare(.prepareAbort, noPartitionAdded: true)
        case (.empty, .commit): return .failure(.invalidTxnState)
        case (.dead, _), (.prepareEpochFence, _):
            preconditionFailure("found transactionalId \(transactionalId) with state \(metadata.state)")
        }
    }

    /// Every marker of a prepared commit or abort is written: prepare CompleteCommit or CompleteAbort.
    public mutating func prepareComplete(transactionalId: String, nowMs: Int64) -> TxnTransitMetadata {
        transactions[transactionalId]!.prepareComplete(nowMs: nowMs)
    }

    /// A prepared transition was written to `__transaction_state`: apply it.
    public mutating func complete(transactionalId: String, _ transit: TxnTransitMetadata) {
        transactions[transactionalId]!.completeTransition(to: transit)
    }

    /// The coordinator's `transaction-abort` task: ongoing transactions older than their timeout, with no transition
    /// pending, are fenced and aborted. Returns each abort to write, in transactional-id order.
    public mutating func abortTimedOutTransactions(nowMs: Int64, generateProducerId: () -> Int64) -> [(transactionalId: String, EndTxnOutcome)] {
        var aborts: [(String, EndTxnOutcome)] = []
        for id in transactions.keys.sorted() {
            let metadata = transactions[id]!
            guard metadata.state == .ongoing, !metadata.pendingTransitionInProgress,
                  metadata.txnStartTimestamp + metadata.txnTimeoutMs < nowMs else { continue }
            let fence = transactions[id]!.prepareFenceProducerEpoch()
            if case .success(let outcome) = endTransaction(id, producerId: fence.producerId, producerEpoch: fence.producerEpoch, result: .abort,
                                                          isFromClient: false, clientTransactionVersion: .cluster, nowMs: nowMs,
                                                          generateProducerId: generateProducerId) {
                aborts.append((id, outcome))
            }
        }
        return aborts
    }
}
