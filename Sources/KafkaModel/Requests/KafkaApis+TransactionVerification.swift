// A partition leader's check before a transactional append (`ReplicaManager.maybeSendPartitionsToTransactionCoordinator`
// and `AddPartitionsToTxnManager`): a partition the producer's open transaction already holds at this epoch needs no
// check; otherwise the leader asks the transaction coordinator to add it (transaction version 2) or to verify that the
// client added it (older clients), and translates the coordinator's answer for the writer.

extension KafkaApis {
    /// The coordinator's answer for `partition`, as `AddPartitionsToTxnManager` hands it to the append: nil when the
    /// partition is in the transaction (or now added), else the error (PRODUCER_FENCED becomes INVALID_PRODUCER_EPOCH,
    /// and TRANSACTION_ABORTABLE becomes INVALID_TXN_STATE for a client that does not know it).
    func addOrVerifyPartition(_ transactionalId: String, producer: ProducerIdentity, partition: TopicPartition,
                              operation: TransactionSupportedOperation) -> TransactionCoordinatorError? {
        // `UnifiedLog.hasOngoingTransaction`: this producer's open transaction, at this epoch, holds the partition.
        if let replica = cluster.replica(partition, on: brokerId), let entry = replica.log.producers[producer.producerId],
           entry.producerEpoch == producer.producerEpoch, entry.currentTxnFirstOffset != nil {
            return nil
        }
        guard let coordinator = cluster.transactionCoordinatorBroker(of: transactionalId), let node = cluster.broker(coordinator),
              node.isAlive, !cluster.crashedBrokers.contains(coordinator) else { return .coordinatorNotAvailable }
        var request = AddPartitionsToTxnRequest(transactionalId: transactionalId, producerId: producer.producerId,
                                                producerEpoch: producer.producerEpoch, partitions: [partition])
        request.verifyOnly = !operation.supportsEpochBump
        cluster.requestCounts[coordinator, default: [:]][.addPartitionsToTxn, default: 0] += 1
        let answer = request.handled(by: cluster.apis(coordinator), context: RequestContext(client: .admin("broker-\(brokerId)"),
                                                                                         clientId: "broker-\(brokerId)"))
        guard let error = answer.error(for: partition) else { return nil }
        let translated: TransactionCoordinatorError
        switch error {
        // "Producers expect to handle INVALID_PRODUCER_EPOCH in this scenario."
        case .producerFenced: translated = .invalidProducerEpoch
        // "For backward compatibility with clients."
        case .transactionAbortable where operation == .defaultError: translated = .invalidTxnState
        default: translated = error
        }
        if request.verifyOnly {
            cluster.emit(.transaction(.verificationFailed(transactionalId: transactionalId, partition: partition, producerId: producer.producerId,
                                                          producerEpoch: producer.producerEpoch, error: translated)))
        }
        return translated
    }

    /// A transactional produce's check (`ReplicaManager.handleProduceAppend` → `postVerificationCallback`): the
    /// coordinator's errors become the produce errors Kafka answers (NOT_ENOUGH_REPLICAS for a retriable one, which
    /// makes an old client retry without a metadata refresh). A refused partition is not appended.
    func addPartitionToTransaction(_ transactionalId: String, producer: ProducerIdentity, partition: TopicPartition,
                                   operation: TransactionSupportedOperation = .addPartition) -> KafkaError? {
        guard let error = addOrVerifyPartition(transactionalId, producer: producer, partition: partition, operation: operation) else {
            return nil
        }
        func unverified() -> KafkaError {
            .notEnoughReplicas("Unable to verify the partition has been added to the transaction. Underlying error: \(error.errorName)")
        }
        switch error {
        case .invalidProducerEpoch:
            return .invalidProducerEpoch("Producer attempted to produce with an old epoch.")
        case .invalidTxnState:
            return .invalidTxnState("Partition was not added to the transaction")
        case .notCoordinator, .coordinatorNotAvailable:
            return unverified()
        case .concurrentTransactions where !operation.supportsEpochBump:
            return unverified()
        default:
            // The simulated (transaction version 2) producers get the rest as a transactional state error, with
            // Kafka's text; an older client gets the coordinator's error itself (TRANSACTION_ABORTABLE…).
            return operation.supportsEpochBump ? .invalidTxnState(error.message) : .transactionCoordinator(error)
        }
    }
}
