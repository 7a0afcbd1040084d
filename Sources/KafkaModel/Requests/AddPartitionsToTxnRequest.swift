/// AddPartitionsToTxn (API key 24), v5 as a partition leader sends it under transaction version 2: a transactional
/// produce reached a partition, and the leader has the coordinator add the partition to the transaction
/// (`AddPartitionsToTxnManager`, operation `addPartition`) before it appends.
public struct AddPartitionsToTxnRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.addPartitionsToTxn
    public var transactionalId: String
    public var producerId: Int64
    public var producerEpoch: Int16
    public var partitions: [TopicPartition]

    public init(transactionalId: String, producerId: Int64, producerEpoch: Int16, partitions: [TopicPartition]) {
        self.transactionalId = transactionalId
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.partitions = partitions
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> AddPartitionsToTxnResponse {
        apis.handleAddPartitionsToTxnRequest(self, context: context)
    }
}

/// The coordinator's answer for the partitions (one error for all of them, as it decides per transaction).
public struct AddPartitionsToTxnResponse: Sendable, Equatable {
    public var error: TransactionCoordinatorError?
}

extension KafkaApis {
    /// `TransactionCoordinator.handleAddPartitionsToTransaction`: Empty or Complete* → Ongoing (the first partition
    /// starts the transaction's clock), or more partitions for an Ongoing one; written before it is answered.
    func handleAddPartitionsToTxnRequest(_ request: AddPartitionsToTxnRequest, context: RequestContext) -> AddPartitionsToTxnResponse {
        if let error = transactionCoordinatorError(request.transactionalId) { return AddPartitionsToTxnResponse(error: error) }
        let outcome = cluster.transactionCoordinator.handleAddPartitions(
            transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch,
            partitions: request.partitions, nowMs: cluster.nowMs)
        do throws(TransactionCoordinatorError) {
            if let transit = try outcome.get() { try cluster.applyTransactionTransit(request.transactionalId, transit) }
            return AddPartitionsToTxnResponse()
        } catch {
            return AddPartitionsToTxnResponse(error: error)
        }
    }

    /// The leader's check before a transactional append (`ReplicaManager.appendRecords` with transaction version 2):
    /// a partition new to the producer's transaction is added through the coordinator; its errors become the produce
    /// errors `postVerificationCallback` and `AddPartitionsToTxnManager` make of them.
    func addPartitionToTransaction(_ transactionalId: String, producer: ProducerIdentity, partition: TopicPartition) -> KafkaError? {
        // A partition whose open transaction is this producer's, at this epoch, is in the transaction already.
        if let replica = cluster.replica(partition, on: brokerId), let entry = replica.log.producers[producer.producerId],
           entry.producerEpoch == producer.producerEpoch, entry.currentTxnFirstOffset != nil {
            return nil
        }
        func unverified(_ error: TransactionCoordinatorError) -> KafkaError {
            .notEnoughReplicas("Unable to verify the partition has been added to the transaction. Underlying error: \(error.errorName)")
        }
        guard let coordinator = cluster.transactionCoordinatorBroker(of: transactionalId), let node = cluster.broker(coordinator),
              node.isAlive, !cluster.crashedBrokers.contains(coordinator) else { return unverified(.coordinatorNotAvailable) }
        let request = AddPartitionsToTxnRequest(transactionalId: transactionalId, producerId: producer.producerId,
                                                producerEpoch: producer.producerEpoch, partitions: [partition])
        cluster.requestCounts[coordinator, default: [:]][.addPartitionsToTxn, default: 0] += 1
        guard let error = request.handled(by: cluster.apis(coordinator), context: RequestContext(client: .admin("broker-\(brokerId)"),
                                                                                              clientId: "broker-\(brokerId)")).error
        else { return nil }
        switch error {
        case .producerFenced:
            // "Producers expect to handle INVALID_PRODUCER_EPOCH in this scenario."
            return .invalidProducerEpoch("Producer attempted to produce with an old epoch.")
        case .invalidTxnState:
            return .invalidTxnState("Partition was not added to the transaction")
        case .notCoordinator, .coordinatorNotAvailable:
            return unverified(error)
        case .concurrentTransactions, .invalidProducerIdMapping, .invalidRequest, .invalidTransactionTimeout:
            // KafkaError has no case of these; the leader answers them as a transactional state error, with Kafka's text.
            return .invalidTxnState(error.message)
        }
    }
}
