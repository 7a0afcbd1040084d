/// `transaction.version` (Kafka's `TransactionVersion` feature): how a transaction's client speaks to its coordinator.
///
/// A transaction coordinator records, per transactional id, the version of the client that last changed it
/// (`clientTransactionVersion`, written to `__transaction_state`). Only version 2 (KIP-890 part 2) bumps the producer
/// epoch at every EndTxn and lets a partition join a transaction with the produce itself; clients before it (every
/// librdkafka and kafka-python release kafkalab is tested with) add partitions with AddPartitionsToTxn and keep
/// their epoch across transactions.
public enum TransactionVersion: Int16, Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The original protocol; what a new transactional id starts with and what every request of a pre-KIP-890 client
    /// (AddPartitionsToTxn v0–3, AddOffsetsToTxn, EndTxn v0–4) records.
    case tv0 = 0
    /// Flexible `__transaction_state` records only.
    case tv1 = 1
    /// Epoch bump per transaction, partitions added by the produce (AddPartitionsToTxn v4+ from the leader, EndTxn v5).
    case tv2 = 2

    /// The level a new Kafka 4.0 cluster finalizes (`TransactionVersion.LATEST_PRODUCTION`). The coordinator uses it
    /// when it ends a transaction on its own (a fence, a timeout): "since this is not from client, use server TV".
    public static let cluster = TransactionVersion.tv2

    /// `supportsEpochBump()`: EndTxn bumps the epoch and the markers carry the new one.
    public var supportsEpochBump: Bool { rawValue >= 2 }

    /// `transactionVersionForAddPartitionsToTxn`: v4 and later come from a leader, which only a TV2 client makes send.
    public static func forAddPartitionsToTxn(version: Int16) -> TransactionVersion { version > 3 ? .tv2 : .tv0 }

    /// `transactionVersionForEndTxn`: v5 and later come from a TV2 client.
    public static func forEndTxn(version: Int16) -> TransactionVersion { version > 4 ? .tv2 : .tv0 }

    public static func < (lhs: TransactionVersion, rhs: TransactionVersion) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "TV_\(rawValue)" }
}
