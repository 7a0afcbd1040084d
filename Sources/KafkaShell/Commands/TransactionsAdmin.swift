import KafkaModel

/// The admin client calls behind `kafka-transactions.sh` (`Admin.listTransactions`, `describeTransactions`,
/// `describeProducers`, `abortTransaction`), each a request through the seam, and the tool's tables.
struct TransactionsAdmin {
    let cluster: Cluster
    private let context = RequestContext(client: .admin(TransactionsTool.prog), clientId: "adminclient-1")

    private var liveBrokers: [Int] { cluster.brokers.filter { $0.isAlive && !cluster.crashedBrokers.contains($0.id) }.map(\.id).sorted() }

    private func table(_ headers: [String], _ rows: [[String]]) -> [String] { MetadataQuorumTool.prettyPrintTable(headers, rows) }

    /// `list`: ListTransactions to every broker, in broker id order.
    func list(durationFilter: Int64?) throws(ShellError) -> [String] {
        var rows: [[String]] = []
        for broker in liveBrokers {
            guard let response = try? cluster.send(ListTransactionsRequest(durationFilterMs: durationFilter ?? -1), to: broker, from: context) else { continue }
            rows += response.transactionStates.map { [$0.transactionalId, String(broker), String($0.producerId), $0.state.description] }
        }
        return table(["TransactionalId", "Coordinator", "ProducerId", "TransactionState"], rows)
    }

    /// DescribeTransactions at the id's coordinator. kafkalab finds it in the metadata rather than with FindCoordinator,
    /// which would create `__transaction_state`: before that topic exists, no id is known.
    func describeMetadata(_ id: String) -> (coordinator: Int, metadata: TransactionMetadata)? {
        guard let coordinator = cluster.transactionCoordinatorBroker(of: id),
              let response = try? cluster.send(DescribeTransactionsRequest(transactionalIds: [id]), to: coordinator, from: context),
              let metadata = response.transactionStates.first?.metadata else { return nil }
        return (coordinator, metadata)
    }

    /// `describe --transactional-id ID`.
    func describe(_ id: String) throws(ShellError) -> [String] {
        let context = "Failed to describe transaction state of transactional-id `\(id)`"
        if cluster.topics[TransactionCoordinator.transactionStateTopic] != nil, cluster.transactionCoordinatorBroker(of: id) == nil {
            throw TransactionsTool.failure(context, TransactionCoordinatorError.coordinatorNotAvailable.message)
        }
        guard let (coordinator, metadata) = describeMetadata(id) else {
            throw TransactionsTool.failure(context, "The transactionalId could not be found.")
        }
        let started = metadata.txnStartTimestamp >= 0
        return table(["CoordinatorId", "TransactionalId", "ProducerId", "ProducerEpoch", "TransactionState", "TransactionTimeoutMs",
                      "CurrentTransactionStartTimeMs", "TransactionDurationMs", "TopicPartitions"],
                     [[String(coordinator), id, String(metadata.producerId), String(metadata.producerEpoch), metadata.state.description,
                       String(metadata.txnTimeoutMs), started ? String(metadata.txnStartTimestamp) : "None",
                       started ? String(cluster.nowMs - metadata.txnStartTimestamp) : "None",
                       metadata.topicPartitions.map(\.description).joined(separator: ",")]])
    }

    /// DescribeProducers at `broker`, or at the partition's leader.
    func producers(_ tp: TopicPartition, broker: Int?) -> Result<[DescribeProducersResponse.ProducerState], KafkaError> {
        guard let topic = cluster.topics[tp.topic], tp.partition >= 0, tp.partition < topic.partitions.count else {
            return .failure(.unknownTopicOrPartition("This server does not host this topic-partition."))
        }
        guard let target = broker ?? topic.partitions[tp.partition].leader else {
            return .failure(.leaderNotAvailable("There is no leader for this topic-partition as we are in the middle of a leadership election."))
        }
        do throws(KafkaError) {
            let answer = try cluster.send(DescribeProducersRequest(partitions: [tp]), to: target, from: context).partitions[0]
            if let error = answer.error { return .failure(error) }
            return .success(answer.activeProducers)
        } catch {
            return .failure(error)
        }
    }

    /// `describe-producers --topic T --partition P [--broker-id B]`.
    func describeProducers(_ tp: TopicPartition, broker: Int?) throws(ShellError) -> [String] {
        switch producers(tp, broker: broker) {
        case .failure(let error):
            throw TransactionsTool.failure("Failed to describe producers for partition \(tp) on \(broker.map { "broker \($0)" } ?? "leader")", error.message)
        case .success(let states):
            return table(["ProducerId", "ProducerEpoch", "LatestCoordinatorEpoch", "LastSequence", "LastTimestamp", "CurrentTransactionStartOffset"],
                         states.map { [String($0.producerId), String($0.producerEpoch), String($0.coordinatorEpoch), String($0.lastSequence),
                                       String($0.lastTimestamp), $0.currentTxnStartOffset.map(String.init) ?? "None"] })
        }
    }

    /// `find-hanging`: open transactions older than the limit whose producer has no transactional id any coordinator
    /// knows, or whose coordinator does not count the partition in the transaction.
    func findHanging(topic: String?, partition: Int?, broker: Int?, maxTimeoutMs: Int64) throws(ShellError) -> [String] {
        var partitions: [TopicPartition] = []
        if let topic, let partition {
            partitions = [TopicPartition(topic, partition)]
        } else {
            // `listTopics()` leaves the internal topics out.
            let topics = topic.map { [$0] } ?? cluster.topics.keys.filter { !$0.hasPrefix("__") }.sorted()
            for name in topics {
                guard let state = cluster.topics[name] else {
                    throw TransactionsTool.failure("Failed to describe \(topics.count) topics", "This server does not host this topic-partition.")
                }
                for (p, partitionState) in state.partitions.enumerated() where broker.map(partitionState.replicas.contains) ?? true {
                    partitions.append(TopicPartition(name, p))
                }
            }
        }
        var candidates: [(TopicPartition, DescribeProducersResponse.ProducerState)] = []
        for tp in partitions {
            switch producers(tp, broker: broker) {
            case .failure(let error):
                throw TransactionsTool.failure("Failed to describe producers for \(partitions.count) partitions on broker \(broker.map { "Optional[\($0)]" } ?? "Optional.empty")", error.message)
            case .success(let states):
                for state in states where state.currentTxnStartOffset != nil && cluster.nowMs - state.lastTimestamp > maxTimeoutMs {
                    candidates.append((tp, state))
                }
            }
        }
        var idsByProducer: [Int64: String] = [:]
        let wanted = Set(candidates.map(\.1.producerId))
        for broker in liveBrokers where !wanted.isEmpty {
            guard let response = try? cluster.send(ListTransactionsRequest(), to: broker, from: context) else { continue }
            for state in response.transactionStates where wanted.contains(state.producerId) { idsByProducer[state.producerId] = state.transactionalId }
        }
        let hanging = candidates.filter { tp, state in
            guard let id = idsByProducer[state.producerId], let (_, metadata) = describeMetadata(id) else { return true }
            return !metadata.topicPartitions.contains(tp)
        }
        return table(["Topic", "Partition", "ProducerId", "ProducerEpoch", "CoordinatorEpoch", "StartOffset", "LastTimestamp", "Duration(min)"],
                     hanging.map { tp, state in
                         [tp.topic, String(tp.partition), String(state.producerId), String(state.producerEpoch), String(state.coordinatorEpoch),
                          String(state.currentTxnStartOffset ?? -1), String(state.lastTimestamp), String((cluster.nowMs - state.lastTimestamp) / 60_000)]
                     })
    }

    /// `abort --start-offset O`: the producer whose open transaction starts there, aborted with its epoch.
    func abort(_ tp: TopicPartition, startOffset: Int64) throws(ShellError) {
        switch producers(tp, broker: nil) {
        case .failure(let error):
            throw TransactionsTool.failure("Failed to validate producer state for partition \(tp)", error.message)
        case .success(let states):
            guard let state = states.first(where: { $0.currentTxnStartOffset == startOffset }) else {
                throw .toolFailure(["Could not find any open transactions starting at offset \(startOffset) on partition \(tp)"])
            }
            try abort(tp, producerId: state.producerId, epoch: state.producerEpoch, coordinatorEpoch: max(0, state.coordinatorEpoch))
        }
    }

    /// `Admin.abortTransaction`: WriteTxnMarkers (ABORT) to the partition's leader.
    func abort(_ tp: TopicPartition, producerId: Int64, epoch: Int16, coordinatorEpoch: Int32) throws(ShellError) {
        let spec = "AbortTransactionSpec(topicPartition=\(tp), producerId=\(producerId), producerEpoch=\(epoch), coordinatorEpoch=\(coordinatorEpoch))"
        let outcome = cluster.writeTxnMarker(tp, transactionalId: "", producerId: producerId, producerEpoch: epoch,
                                             coordinatorEpoch: coordinatorEpoch, result: .abort, from: context)
        switch outcome {
        case .success?: return
        case .failure(let error)?: throw TransactionsTool.failure("Failed to abort transaction \(spec)", error.message)
        case nil:
            throw TransactionsTool.failure("Failed to abort transaction \(spec)",
                                           "There is no leader for this topic-partition as we are in the middle of a leadership election.")
        }
    }
}
