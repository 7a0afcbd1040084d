import KafkaModel

/// The state tree's transactions: a transactional producer's client state, and `transactions`, what the coordinators
/// hold per transactional id (present once there is one).
enum TransactionStateTree {
    /// A producer's `transaction` node: its `transactional.id`, the client state and the partitions of the transaction.
    static func producer(_ manager: TransactionManager) -> StateValue {
        .object([
            ("transactionalId", .string(manager.transactionalId)), ("state", .string(manager.state.rawValue)),
            ("producerId", .int(manager.producerId)), ("producerEpoch", .int(Int64(manager.producerEpoch))),
            ("partitions", .list(manager.partitionsInTransaction.map { .string($0.description) })),
        ])
    }

    /// `transactions`: each id's coordinator metadata, by id.
    static func transactions(_ cluster: Cluster) -> StateValue {
        .object(cluster.transactionCoordinator.transactions.keys.sorted().map { id in
            let metadata = cluster.transactionCoordinator.transactions[id]!
            return (id, .object([
                ("state", .string(metadata.state.description)), ("producerId", .int(metadata.producerId)),
                ("producerEpoch", .int(Int64(metadata.producerEpoch))), ("timeoutMs", .int(metadata.txnTimeoutMs)),
                ("startMs", metadata.txnStartTimestamp >= 0 ? .int(metadata.txnStartTimestamp) : .null),
                ("partitions", .list(metadata.topicPartitions.map { .string($0.description) })),
                ("coordinator", cluster.transactionCoordinatorBroker(of: id).map { .int(Int64($0)) } ?? .null),
                ("logPartition", .int(Int64(cluster.transactionStatePartition(of: id)))),
            ]))
        })
    }
}
