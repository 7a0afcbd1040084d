// A transaction coordinator keeps sending the markers of an ended transaction until every partition has its marker
// (Kafka's `TransactionMarkerChannelManager`): a partition without a running leader gets it once a leader is elected,
// a refused one after a short backoff. Only then does the transaction move from Prepare* to Complete*.

/// The markers of one ended transaction still to be written.
public struct PendingTxnMarkers: Sendable, Equatable {
    public let result: TransactionResult
    public let producerId: Int64
    public let producerEpoch: Int16
    /// The partitions still without their marker, in the transaction's order.
    public internal(set) var partitions: [TopicPartition]
}

extension Cluster {
    /// How long a refused marker waits before it is sent again.
    static let txnMarkerRetryBackoffMs: Int64 = 100

    /// Prepare* → Complete*, once every marker is written. Kafka retries a failed Complete* write until it succeeds;
    /// kafkalab leaves the id in Prepare* (its next request answers CONCURRENT_TRANSACTIONS).
    func completeTransaction(_ transactionalId: String) {
        let complete = transactionCoordinator.prepareComplete(transactionalId: transactionalId, nowMs: nowMs)
        try? applyTransactionTransit(transactionalId, complete)
    }

    func armTxnMarkersRetry(afterMs delay: Int64) {
        let due = nowMs + delay
        guard txnMarkersRetryDue.map({ $0 > due }) ?? true else { return }
        txnMarkersRetryDue = due
        scheduler.schedule(at: due, .txnMarkersRetry)
    }

    /// A partition got a leader: if a marker waits for it, the coordinator sends it after one broker round trip.
    func txnMarkerPartitionGotLeader(_ tp: TopicPartition) {
        guard pendingTxnMarkers.values.contains(where: { $0.partitions.contains(tp) }) else { return }
        armTxnMarkersRetry(afterMs: network.latencyMs)
    }

    /// Sends every pending marker again, in transactional-id order; a transaction whose markers are all written
    /// completes. Refusals from a running leader come back after the backoff; partitions still without a leader wait
    /// for their election.
    func retryPendingTxnMarkers() {
        guard txnMarkersRetryDue == nowMs else { return }  // superseded by an earlier timer
        txnMarkersRetryDue = nil
        var refused = false
        for transactionalId in pendingTxnMarkers.keys.sorted() {
            let pending = pendingTxnMarkers[transactionalId]!
            // A deleted topic's partitions need no marker any more.
            let existing = pending.partitions.filter { tp in topics[tp.topic].map { tp.partition < $0.partitions.count } ?? false }
            let missing = writeTxnMarkers(transactionalId, result: pending.result, partitions: existing,
                                          producerId: pending.producerId, producerEpoch: pending.producerEpoch)
            if missing.isEmpty {
                pendingTxnMarkers[transactionalId] = nil
                completeTransaction(transactionalId)
                continue
            }
            pendingTxnMarkers[transactionalId]!.partitions = missing
            refused = refused || missing.contains { tp in
                topics[tp.topic].map { tp.partition < $0.partitions.count && $0.partitions[tp.partition].leader != nil } ?? false
            }
        }
        if refused { armTxnMarkersRetry(afterMs: Self.txnMarkerRetryBackoffMs) }
    }

    /// A coordinator that loads an id in PrepareCommit/PrepareAbort sends its markers to every partition of the
    /// transaction again (`TransactionStateManager` → `addTxnMarkersToSend`): a cluster reopened from its folder, or a
    /// coordinator that moved, finishes what the previous one left prepared.
    func resendMarkersOfPreparedTransactions(_ transactionalIds: [String]) {
        for id in transactionalIds where pendingTxnMarkers[id] == nil {
            guard let metadata = transactionCoordinator.transactions[id], metadata.pendingState == nil,
                  metadata.state == .prepareCommit || metadata.state == .prepareAbort else { continue }
            pendingTxnMarkers[id] = PendingTxnMarkers(result: metadata.state == .prepareCommit ? .commit : .abort,
                                                      producerId: metadata.producerId, producerEpoch: metadata.producerEpoch,
                                                      partitions: metadata.topicPartitions)
            armTxnMarkersRetry(afterMs: network.latencyMs)
        }
    }
}

