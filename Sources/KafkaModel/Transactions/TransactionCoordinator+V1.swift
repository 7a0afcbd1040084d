// The transaction coordinator's answers to clients before transaction version 2 (librdkafka, kafka-python, Java
// clients before 4.0): they add each partition with AddPartitionsToTxn (and `__consumer_offsets-N` with
// AddOffsetsToTxn) before writing to it, keep their epoch across transactions, and their produces are verified by the
// partition leader (AddPartitionsToTxn v4, verifyOnly) rather than adding the partition. As Kafka 4.0's
// `TransactionCoordinator.endTransactionWithTV1` and `handleVerifyPartitionsInTransaction`.

extension TransactionCoordinator {
    /// `endTransactionWithTV1`: the epoch must match exactly (the client does not bump it), a retry of a completed
    /// EndTxn is answered with no error, and Empty accepts neither commit nor abort.
    mutating func endTransactionWithTV1(_ transactionalId: String, producerId: Int64, producerEpoch: Int16, result: TransactionResult,
                                        isFromClient: Bool, nowMs: Int64) -> Result<EndTxnOutcome, TransactionCoordinatorError> {
        guard !transactionalId.isEmpty else { return .failure(.invalidRequest) }
        guard var metadata = transactions[transactionalId] else { return .failure(.invalidProducerIdMapping) }
        defer { transactions[transactionalId] = metadata }
        if metadata.producerId != producerId { return .failure(.invalidProducerIdMapping) }
        // "Strict equality is enforced on the client side requests, as they shouldn't bump the producer epoch."
        if (isFromClient && producerEpoch != metadata.producerEpoch) || producerEpoch < metadata.producerEpoch { return .failure(.producerFenced) }
        let isEpochFence = metadata.pendingState == .prepareEpochFence
        if metadata.pendingTransitionInProgress && !isEpochFence { return .failure(.concurrentTransactions) }
        // A retry of an EndTxn that completed is answered with no producer id or epoch, as TV1 answers every EndTxn.
        let done = EndTxnOutcome.alreadyDone(producerId: TransactionMetadata.noProducerId, producerEpoch: TransactionMetadata.noProducerEpoch)
        switch (metadata.state, result) {
        case (.ongoing, _):
            let next: TransactionState = result == .commit ? .prepareCommit : .prepareAbort
            if isEpochFence {
                // Only an abort may follow a fence; Kafka would fail the transition (an unexpected error), so a commit
                // waits, as for any pending transition.
                guard next == .prepareAbort else { return .failure(.concurrentTransactions) }
                metadata.pendingState = nil
                metadata.producerEpoch = producerEpoch
                metadata.lastProducerEpoch = TransactionMetadata.noProducerEpoch
            }
            let transit = metadata.prepareAbortOrCommit(next, clientTransactionVersion: .tv0, nextProducerId: TransactionMetadata.noProducerId,
                                                        nowMs: nowMs, noPartitionAdded: false)
            return .success(.prepared(transit, result: result))
        case (.completeCommit, .commit), (.completeAbort, .abort): return .success(done)
        case (.prepareCommit, .commit), (.prepareAbort, .abort): return .failure(.concurrentTransactions)
        case (.completeCommit, .abort), (.completeAbort, .commit), (.prepareCommit, .abort), (.prepareAbort, .commit), (.empty, _):
            return .failure(.invalidTxnState)
        case (.dead, _), (.prepareEpochFence, _):
            // Never a state a transition completes to ("we should never have transitioned to this state").
            return .failure(.invalidTxnState)
        }
    }

    /// `handleVerifyPartitionsInTransaction` (AddPartitionsToTxn v4 with verifyOnly, from a partition leader before it
    /// appends an older client's transactional batch): each partition is NONE (nil) when the transaction holds it,
    /// TRANSACTION_ABORTABLE when not. A pending transition is not checked: the append is the final check.
    public func handleVerifyPartitions(transactionalId: String, producerId: Int64, producerEpoch: Int16, partitions: [TopicPartition])
        -> Result<[TopicPartition: TransactionCoordinatorError], TransactionCoordinatorError> {
        guard !transactionalId.isEmpty else { return .failure(.invalidRequest) }
        guard let metadata = transactions[transactionalId], metadata.producerId == producerId else { return .failure(.invalidProducerIdMapping) }
        if metadata.producerEpoch != producerEpoch { return .failure(.producerFenced) }
        if metadata.state == .prepareCommit || metadata.state == .prepareAbort { return .failure(.concurrentTransactions) }
        var errors: [TopicPartition: TransactionCoordinatorError] = [:]
        for tp in partitions where !metadata.topicPartitions.contains(tp) { errors[tp] = .transactionAbortable }
        return .success(errors)
    }
}
