// Offsets sent to a transaction (`sendOffsetsToTransaction`, TxnOffsetCommit): pending at the group coordinator until
// the transaction's marker lands on the group's `__consumer_offsets` partition.

extension Cluster {
    /// A COMMIT or ABORT marker was written to `__consumer_offsets-<partition>` for `producerId`: its pending offsets
    /// become the groups' committed offsets, or are dropped.
    func transactionalOffsetsCompleted(producerId: Int64, partition: Int, result: TransactionResult) {
    }
}
