/// What transactions do, as the learner watches them: the coordinator's state transitions (each one a record in
/// `__transaction_state`), the COMMIT/ABORT markers it has the partition leaders write, the last stable offsets
/// those markers move, and the coordinator's own aborts (a timeout, a fenced producer).
public enum TransactionEvent: Sendable, Equatable {
    /// Why the coordinator ended a transaction the client did not end.
    public enum AbortReason: Sendable, Equatable {
        /// `transaction.timeout.ms` passed since the first partition joined it (the `transaction-abort` task).
        case timedOut(timeoutMs: Int64)
        /// A new producer called `initTransactions()` with the same transactional id.
        case fenced
    }

    /// The coordinator wrote a transition of `transactionalId` to `__transaction_state-<partition>` on `coordinator`
    /// and applied it.
    case stateChanged(transactionalId: String, from: TransactionState?, to: TransactionState, producerId: Int64, producerEpoch: Int16,
                      partitions: [TopicPartition], coordinator: Int, logPartition: Int)
    /// A partition leader appended a COMMIT or ABORT marker (`WriteTxnMarkers`).
    case markerWritten(transactionalId: String, partition: TopicPartition, result: TransactionResult, offset: Int64, producerId: Int64,
                       producerEpoch: Int16, coordinatorEpoch: Int32)
    /// The partition's last stable offset moved: read_committed consumers may now read up to it.
    case lastStableOffsetMoved(partition: TopicPartition, from: Int64, to: Int64)
    /// The coordinator is aborting an ongoing transaction on its own.
    case coordinatorAborting(transactionalId: String, producerId: Int64, producerEpoch: Int16, reason: AbortReason)
    /// A `__transaction_state` partition got a new leader: it is now the coordinator of the ids it holds, loaded from
    /// the partition's records.
    case coordinatorMoved(logPartition: Int, from: Int?, to: Int?, transactionalIds: [String])

    /// A partition leader asked the coordinator whether an older client's transaction holds the partition it writes to
    /// (transaction verification) and it does not, or the producer is not the transaction's: the write is refused
    /// with `error` (the answer the client gets).
    case verificationFailed(transactionalId: String, partition: TopicPartition, producerId: Int64, producerEpoch: Int16,
                            error: TransactionCoordinatorError)

    /// The group coordinator wrote offsets sent to a transaction (TxnOffsetCommit) to `__consumer_offsets`: pending,
    /// invisible to the group until the transaction commits.
    case offsetsPending(group: String, transactionalId: String, offsets: [TopicPartition: Int64])
    /// The transaction's marker reached the group's `__consumer_offsets` partition: its offsets became the group's
    /// committed offsets (COMMIT) or were dropped (ABORT).
    case offsetsCompleted(group: String, offsets: [TopicPartition: Int64], result: TransactionResult)

    /// The event's type name, as the `events` listing shows it.
    public var name: String {
        switch self {
        case .stateChanged: return "TransactionStateChanged"
        case .markerWritten: return "TxnMarkerWritten"
        case .lastStableOffsetMoved: return "LastStableOffsetMoved"
        case .coordinatorAborting: return "TransactionAbortedByCoordinator"
        case .coordinatorMoved: return "TransactionCoordinatorMoved"
        case .verificationFailed: return "TransactionVerificationFailed"
        case .offsetsPending: return "TxnOffsetsPending"
        case .offsetsCompleted: return "TxnOffsetsCompleted"
        }
    }
}
