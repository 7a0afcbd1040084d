/// A transactional id's state at its coordinator (`TransactionState` in Kafka's `TransactionMetadata.scala`), with
/// the ids Kafka writes to `__transaction_state` and the names `kafka-transactions.sh` prints.
public enum TransactionState: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case empty = 0
    case ongoing = 1
    case prepareCommit = 2
    case prepareAbort = 3
    case completeCommit = 4
    case completeAbort = 5
    case dead = 6
    /// In memory only, while an ongoing transaction is being aborted to fence its producer.
    case prepareEpochFence = 7

    public var description: String {
        switch self {
        case .empty: return "Empty"
        case .ongoing: return "Ongoing"
        case .prepareCommit: return "PrepareCommit"
        case .prepareAbort: return "PrepareAbort"
        case .completeCommit: return "CompleteCommit"
        case .completeAbort: return "CompleteAbort"
        case .dead: return "Dead"
        case .prepareEpochFence: return "PrepareEpochFence"
        }
    }

    /// The states a transition into this one may start from (4.0; an abort with no partitions may start from
    /// Empty or a completed state under transaction version 2).
    public var validPreviousStates: Set<TransactionState> {
        switch self {
        case .empty: return [.empty, .completeCommit, .completeAbort]
        case .ongoing: return [.ongoing, .empty, .completeCommit, .completeAbort]
        case .prepareCommit: return [.ongoing]
        case .prepareAbort: return [.ongoing, .prepareEpochFence, .empty, .completeCommit, .completeAbort]
        case .completeCommit: return [.prepareCommit]
        case .completeAbort: return [.prepareAbort]
        case .dead: return [.empty, .completeAbort, .completeCommit]
        case .prepareEpochFence: return [.ongoing]
        }
    }

    /// Ongoing or being completed: the producer id's epoch may not be rotated.
    var hasPendingTransaction: Bool { self == .ongoing || self == .prepareCommit || self == .prepareAbort }
}

/// How a transaction ends (`TransactionResult`): the marker every partition of it gets.
public enum TransactionResult: Sendable, Equatable, CustomStringConvertible {
    case commit
    case abort

    public var description: String { self == .commit ? "COMMIT" : "ABORT" }
}
