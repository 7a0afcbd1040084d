/// What a transaction coordinator knows of one transactional id (Kafka's `TransactionMetadata`): its producer id and
/// epoch, its state, the partitions of the open transaction and when it began.
///
/// Changes go in two steps as in Kafka: `prepare…` computes the target (`TxnTransitMetadata`) and marks it pending, the
/// coordinator writes it to `__transaction_state`, and `completeTransition(to:)` applies it once written. While a
/// transition is pending, requests for the id answer CONCURRENT_TRANSACTIONS.
public struct TransactionMetadata: Sendable, Equatable {
    /// `RecordBatch.NO_PRODUCER_ID` / `NO_PRODUCER_EPOCH`.
    public static let noProducerId: Int64 = -1
    public static let noProducerEpoch: Int16 = -1

    public let transactionalId: String
    public internal(set) var producerId: Int64
    /// The id before the last rotation (an exhausted epoch), so a retry with it is recognised.
    public internal(set) var previousProducerId: Int64 = noProducerId
    /// Set while a completion rotates to a new producer id (epoch exhausted).
    public internal(set) var nextProducerId: Int64 = noProducerId
    public internal(set) var producerEpoch: Int16 = noProducerEpoch
    /// The epoch the client last saw, so a retried InitProducerId or EndTxn is answered, not fenced.
    public internal(set) var lastProducerEpoch: Int16 = noProducerEpoch
    public internal(set) var txnTimeoutMs: Int64
    public internal(set) var state: TransactionState = .empty
    public internal(set) var pendingState: TransactionState?
    /// The partitions of the open transaction, in the order they joined it.
    public internal(set) var topicPartitions: [TopicPartition] = []
    /// When the first partition joined the current (or last) transaction; -1 before any.
    public internal(set) var txnStartTimestamp: Int64 = -1
    public internal(set) var txnLastUpdateTimestamp: Int64
    /// The transaction version of the client that last changed the id (a new id: TV_0); written to
    /// `__transaction_state`. Only TV_2 bumps the epoch at EndTxn.
    public internal(set) var clientTransactionVersion = TransactionVersion.tv0
    /// A fence whose log write failed: the next fence does not bump the epoch again.
    var hasFailedEpochFence = false

    init(transactionalId: String, producerId: Int64, txnTimeoutMs: Int64, nowMs: Int64) {
        self.transactionalId = transactionalId
        self.producerId = producerId
        self.txnTimeoutMs = txnTimeoutMs
        self.txnLastUpdateTimestamp = nowMs
    }

    /// `TransactionMetadata.isEpochExhausted`: at `Short.MaxValue - 1` the id is rotated.
    static func isEpochExhausted(_ epoch: Int16) -> Bool { epoch >= Int16.max - 1 }
    var isProducerEpochExhausted: Bool { Self.isEpochExhausted(producerEpoch) }
    var pendingTransitionInProgress: Bool { pendingState != nil }
}

/// The target of a prepared transition (`TxnTransitMetadata`): what is written to `__transaction_state`.
public struct TxnTransitMetadata: Sendable, Equatable {
    public let producerId: Int64
    public let previousProducerId: Int64
    public let nextProducerId: Int64
    public let producerEpoch: Int16
    public let lastProducerEpoch: Int16
    public let txnTimeoutMs: Int64
    public let state: TransactionState
    public let topicPartitions: [TopicPartition]
    public let txnStartTimestamp: Int64
    public let txnLastUpdateTimestamp: Int64
    public let clientTransactionVersion: TransactionVersion
}

extension TransactionMetadata {
    /// Marks `target` pending. Kafka throws IllegalStateException for an invalid one: it is a coordinator bug.
    private mutating func prepareTransition(to state: TransactionState, producerId: Int64? = nil, nextProducerId: Int64 = noProducerId,
                                            epoch: Int16, lastEpoch: Int16, timeoutMs: Int64? = nil, partitions: [TopicPartition],
                                            startTimestamp: Int64, nowMs: Int64, clientTransactionVersion: TransactionVersion? = nil) -> TxnTransitMetadata {
        precondition(pendingState == nil, "transition to \(state) while \(pendingState!) is pending")
        precondition(state.validPreviousStates.contains(self.state), "\(state) may not follow \(self.state)")
        pendingState = state
        return TxnTransitMetadata(producerId: producerId ?? self.producerId, previousProducerId: self.producerId,
                                  nextProducerId: nextProducerId, producerEpoch: epoch, lastProducerEpoch: lastEpoch,
                                  txnTimeoutMs: timeoutMs ?? txnTimeoutMs, state: state, topicPartitions: partitions,
                                  txnStartTimestamp: startTimestamp, txnLastUpdateTimestamp: nowMs,
                                  clientTransactionVersion: clientTransactionVersion ?? self.clientTransactionVersion)
    }

    /// Fencing an ongoing transaction's producer: the epoch goes up by one (once, even if the write is retried).
    mutating func prepareFenceProducerEpoch() -> TxnTransitMetadata {
        // Kafka throws rather than overflow; the epoch stays at the maximum here and the abort that follows moves
        // the id on.
        let bumped = hasFailedEpochFence || producerEpoch == Int16.max ? producerEpoch : producerEpoch + 1
        return prepareTransition(to: .prepareEpochFence, epoch: bumped, lastEpoch: Self.noProducerEpoch, partitions: topicPartitions,
                                 startTimestamp: txnStartTimestamp, nowMs: txnLastUpdateTimestamp)
    }

    /// InitProducerId on an idle id: the next epoch (a new producer: 0), or the same one for a retry of a call that
    /// succeeded; PRODUCER_FENCED for an expected epoch that is neither.
    mutating func prepareIncrementProducerEpoch(timeoutMs: Int64, expectedEpoch: Int16?, nowMs: Int64)
        -> Result<TxnTransitMetadata, TransactionCoordinatorError> {
        let bumped = producerEpoch + 1
        let epochs: (next: Int16, last: Int16)
        switch expectedEpoch {
        case nil: epochs = (bumped, Self.noProducerEpoch)
        case let expected? where producerEpoch == Self.noProducerEpoch || expected == producerEpoch: epochs = (bumped, producerEpoch)
        case let expected? where expected == lastProducerEpoch: epochs = (producerEpoch, lastProducerEpoch)
        default: return .failure(.producerFenced)
        }
        return .success(prepareTransition(to: .empty, epoch: epochs.next, lastEpoch: epochs.last, timeoutMs: timeoutMs, partitions: [],
                                          startTimestamp: -1, nowMs: nowMs))
    }

    /// InitProducerId when the epoch is exhausted: a new producer id at epoch 0.
    mutating func prepareProducerIdRotation(_ newProducerId: Int64, timeoutMs: Int64, nowMs: Int64, recordLastEpoch: Bool) -> TxnTransitMetadata {
        precondition(!state.hasPendingTransaction, "cannot rotate producer ids while a transaction is pending")
        return prepareTransition(to: .empty, producerId: newProducerId, epoch: 0, lastEpoch: recordLastEpoch ? producerEpoch : Self.noProducerEpoch,
                                 timeoutMs: timeoutMs, partitions: [], startTimestamp: -1, nowMs: nowMs)
    }

    /// Partitions join the transaction; the first one starts its clock. The request's transaction version is recorded.
    mutating func prepareAddPartitions(_ added: [TopicPartition], nowMs: Int64, clientTransactionVersion: TransactionVersion) -> TxnTransitMetadata {
        let start = [.empty, .completeAbort, .completeCommit].contains(state) ? nowMs : txnStartTimestamp
        var partitions = topicPartitions
        for tp in added where !partitions.contains(tp) { partitions.append(tp) }
        return prepareTransition(to: .ongoing, epoch: producerEpoch, lastEpoch: lastProducerEpoch, partitions: partitions,
                                 startTimestamp: start, nowMs: nowMs, clientTransactionVersion: clientTransactionVersion)
    }

    /// EndTxn: PrepareCommit or PrepareAbort. Transaction version 2 bumps the epoch here, so the markers carry the new
    /// one and a late write with the old epoch is fenced; before it the epoch stays.
    mutating func prepareAbortOrCommit(_ state: TransactionState, clientTransactionVersion: TransactionVersion, nextProducerId: Int64,
                                       nowMs: Int64, noPartitionAdded: Bool) -> TxnTransitMetadata {
        // At most `Int16.max`: an exhausted epoch gets a new producer id at completion (`nextProducerId`) instead.
        let epochs = clientTransactionVersion.supportsEpochBump ? (producerEpoch == Int16.max ? producerEpoch : producerEpoch + 1, producerEpoch)
                                                                : (producerEpoch, lastProducerEpoch)
        return prepareTransition(to: state, nextProducerId: nextProducerId, epoch: epochs.0, lastEpoch: epochs.1,
                                 partitions: topicPartitions, startTimestamp: noPartitionAdded ? nowMs : txnStartTimestamp, nowMs: nowMs,
                                 clientTransactionVersion: clientTransactionVersion)
    }

    /// Every marker is written: CompleteCommit or CompleteAbort; the partitions are cleared, the start time kept.
    mutating func prepareComplete(nowMs: Int64) -> TxnTransitMetadata {
        // Only transaction version 2 rotates the producer id at completion (its EndTxn may exhaust the epoch).
        let rotated = clientTransactionVersion.supportsEpochBump && nextProducerId != Self.noProducerId
        hasFailedEpochFence = false
        return prepareTransition(to: state == .prepareCommit ? .completeCommit : .completeAbort, producerId: rotated ? nextProducerId : producerId,
                                 epoch: rotated ? 0 : producerEpoch, lastEpoch: lastProducerEpoch, partitions: [],
                                 startTimestamp: txnStartTimestamp, nowMs: nowMs)
    }

    /// Applies a prepared transition once it is written (`completeTransitionTo`).
    mutating func completeTransition(to transit: TxnTransitMetadata) {
        precondition(pendingState == transit.state, "completing \(transit.state) while \(String(describing: pendingState)) is pending")
        if transit.producerId != producerId { previousProducerId = producerId }
        producerId = transit.producerId
        nextProducerId = transit.nextProducerId
        producerEpoch = transit.producerEpoch
        lastProducerEpoch = transit.lastProducerEpoch
        txnTimeoutMs = transit.txnTimeoutMs
        topicPartitions = transit.topicPartitions
        txnStartTimestamp = transit.txnStartTimestamp
        txnLastUpdateTimestamp = transit.txnLastUpdateTimestamp
        clientTransactionVersion = transit.clientTransactionVersion
        state = transit.state
        pendingState = nil
    }
}
