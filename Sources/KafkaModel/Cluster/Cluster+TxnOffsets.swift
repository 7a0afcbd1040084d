// Offsets sent to a transaction (`sendOffsetsToTransaction`, TxnOffsetCommit): pending at the group coordinator until
// the transaction's marker lands on the group's `__consumer_offsets` partition.

extension Cluster {
    /// A COMMIT or ABORT marker was written to `__consumer_offsets-<partition>` for `producerId`: its pending offsets
    /// become the groups' committed offsets (`GroupMetadataManager.completePendingTxnOffsetCommit`), or are dropped.
    func transactionalOffsetsCompleted(producerId: Int64, partition: Int, result: TransactionResult) {
        guard let groups = pendingTransactionalOffsets[producerId] else { return }
        for group in groups.keys.sorted() where offsetsPartition(of: group) == partition {
            let offsets = groups[group]!
            if result == .commit {
                for (tp, value) in offsets { groupCoordinator.offsets[group, default: [:]][tp] = value }
            }
            pendingTransactionalOffsets[producerId]![group] = nil
            emit(.transaction(.offsetsCompleted(group: group, offsets: offsets.mapValues(\.offset), result: result)))
        }
        if pendingTransactionalOffsets[producerId]?.isEmpty == true { pendingTransactionalOffsets[producerId] = nil }
    }

    /// `sendOffsetsToTransaction(offsets, groupMetadata)`: TxnOffsetCommit to the group's coordinator (found with
    /// FindCoordinator, which creates `__consumer_offsets` the first time).
    public func sendOffsetsToTransaction(producer name: String, group: String, offsets: [TopicPartition: Int64]) throws(KafkaError) {
        var manager = try transactionManager(of: name)
        do throws(TransactionManager.ClientException) { try manager.sendOffsetsToTransaction() } catch { throw .transactionalClient(error) }
        let context = RequestContext(client: .producer(name), clientId: name)
        let live = brokers.filter { $0.isAlive && !crashedBrokers.contains($0.id) }.map(\.id)
        guard let any = live.first,
              let found = try? send(FindCoordinatorRequest(keyType: .group, coordinatorKeys: [group]), to: any, from: context).coordinators.first,
              found.error == nil else {
            throw .transactionalClient(.init(exceptionClass: "org.apache.kafka.common.errors.TimeoutException",
                                             message: "Timeout expired after \(producers[name]!.config.maxBlockMs)ms while awaiting TxnOffsetCommitHandler"))
        }
        let request = TxnOffsetCommitRequest(transactionalId: manager.transactionalId, groupId: group, producerId: manager.producerId,
                                             producerEpoch: manager.producerEpoch, offsets: offsets)
        let response = try send(request, to: found.nodeId, from: context)
        if let error = response.error {
            let exception = TransactionManager.ClientException(exceptionClass: "org.apache.kafka.common.errors." + error.exceptionName, message: error.message)
            // `TxnOffsetCommitHandler`: a fenced or failed commit leaves the transaction to be aborted.
            manager.abortableError(exception)
            producers[name]!.transactionManager = manager
            throw .transactionalClient(exception)
        }
        producers[name]!.transactionManager = manager
    }
}
