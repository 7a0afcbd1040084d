/// What a partition leader does with a transactional write to a partition the transaction may not hold yet
/// (Kafka's `TransactionSupportedOperation`, chosen from the Produce or TxnOffsetCommit request version).
public enum TransactionSupportedOperation: Sendable, Equatable {
    /// Verify that the client added the partition (AddPartitionsToTxn v4, verifyOnly); a partition it did not add is
    /// answered INVALID_TXN_STATE, the only error such an old client knows (Produce ≤ v10, TxnOffsetCommit ≤ v3).
    case defaultError
    /// Verify, and answer a partition not added with TRANSACTION_ABORTABLE (Produce v11, TxnOffsetCommit v4).
    case genericErrorSupported
    /// Transaction version 2: the leader adds the partition itself (Produce v12, TxnOffsetCommit v5; kafkalab's
    /// simulated producers).
    case addPartition

    /// Whether the write adds the partition (and so the client bumps its epoch per transaction).
    public var supportsEpochBump: Bool { self == .addPartition }

    /// `produceRequestVersionToTransactionSupportedOperation`.
    public static func forProduce(version: Int16) -> TransactionSupportedOperation {
        version > 11 ? .addPartition : version > 10 ? .genericErrorSupported : .defaultError
    }

    /// `txnOffsetCommitRequestVersionToTransactionSupportedOperation`.
    public static func forTxnOffsetCommit(version: Int16) -> TransactionSupportedOperation {
        version > 4 ? .addPartition : version > 3 ? .genericErrorSupported : .defaultError
    }
}
