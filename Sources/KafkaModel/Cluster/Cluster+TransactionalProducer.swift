// A transactional producer's calls (`KafkaProducer.initTransactions()`, `beginTransaction()`, `commitTransaction()`,
// `abortTransaction()`): the client's `TransactionManager` decides what is allowed, the requests go through the seam
// to the transaction coordinator. Each call waits for its answer, as the Java calls block.

extension Cluster {
    /// The producer and its transaction manager, or the Java client's error for a producer without `transactional.id`.
    func transactionManager(of name: String) throws(KafkaError) -> TransactionManager {
        guard let producer = producers[name] else {
            throw .invalidRequest("No producer named '\(name)'." + (producerNames.isEmpty ? "" : " Producers: \(producerNames.joined(separator: ", "))."))
        }
        guard var manager = producer.transactionManager else {
            // `KafkaProducer.throwIfNoTransactionManager`.
            throw .transactionalClient(.illegalState("Transactional method invoked on a non-transactional producer."))
        }
        // A batch that failed since the last look (its send callback) puts the transaction in ABORTABLE_ERROR
        // (`TransactionManager.handleFailedBatch`); a fenced producer's is fatal.
        if producer.failedRecords > producer.transactionFailuresSeen, manager.state == .inTransaction || manager.state == .committingTransaction {
            let error = producer.results.keys.sorted().reversed().lazy.compactMap { id -> KafkaError? in
                if case .failure(let error) = producer.results[id]! { return error } else { return nil }
            }.first
            if let error {
                manager.abortableError(TransactionManager.ClientException(exceptionClass: "org.apache.kafka.common.errors." + error.exceptionName,
                                                                          message: error.message))
            }
        }
        producers[name]!.transactionFailuresSeen = producer.failedRecords
        producers[name]!.transactionManager = manager
        return manager
    }

    /// The coordinator of a transactional id, found with FindCoordinator(TRANSACTION) at a running broker (which
    /// creates `__transaction_state` the first time).
    private func findTransactionCoordinator(_ transactionalId: String, producer name: String) -> Int? {
        let context = RequestContext(client: .producer(name), clientId: name)
        for node in brokers where node.isAlive && !crashedBrokers.contains(node.id) {
            guard let response = try? send(FindCoordinatorRequest(keyType: .transaction, coordinatorKeys: [transactionalId]), to: node.id, from: context),
                  let answer = response.coordinators.first else { continue }
            return answer.error == nil ? answer.nodeId : nil
        }
        return nil
    }

    /// The Java client's exception for a coordinator's error on a transactional call.
    private func clientException(_ error: TransactionCoordinatorError) -> TransactionManager.ClientException {
        switch error {
        case .producerFenced: return .producerFenced
        case .invalidTransactionTimeout:
            return .init(exceptionClass: "org.apache.kafka.common.errors.InvalidTxnTimeoutException", message: error.message)
        case .invalidProducerIdMapping:
            return .init(exceptionClass: "org.apache.kafka.common.errors.InvalidPidMappingException", message: error.message)
        case .invalidTxnState:
            return .init(exceptionClass: "org.apache.kafka.common.errors.InvalidTxnStateException", message: error.message)
        default:
            return .init(exceptionClass: "org.apache.kafka.common.KafkaException", message: error.message)
        }
    }

    /// `initTransactions()`: FindCoordinator, then InitProducerId with the transactional id and `transaction.timeout.ms`.
    /// CONCURRENT_TRANSACTIONS (the coordinator aborted the id's open transaction first) is retried at once. Without a
    /// coordinator the call gives up after `max.block.ms`, which passes on the simulated clock.
    public func initTransactions(producer name: String) throws(KafkaError) {
        var manager = try transactionManager(of: name)
        do throws(TransactionManager.ClientException) { try manager.initTransactions() } catch { throw .transactionalClient(error) }
        let config = producers[name]!.config
        var request = InitProducerIdRequest()
        request.transactionalId = manager.transactionalId
        request.transactionTimeoutMs = Int32(clamping: config.transactionTimeoutMs)
        let context = RequestContext(client: .producer(name), clientId: name)
        var answer: InitProducerIdResponse?
        for _ in 0..<3 {
            guard let coordinator = findTransactionCoordinator(manager.transactionalId, producer: name),
                  let response = try? send(request, to: coordinator, from: context) else { break }
            if response.transactionError == .concurrentTransactions { continue }
            answer = response
            break
        }
        guard let answer else {
            advance(byMs: config.maxBlockMs, reportsClock: true)
            throw .transactionalClient(.init(exceptionClass: "org.apache.kafka.common.errors.TimeoutException",
                                             message: "Timeout expired after \(config.maxBlockMs)ms while awaiting InitProducerId"))
        }
        if let error = answer.transactionError {
            // `InitProducerIdHandler`: a fenced id is PRODUCER_FENCED, anything else unexpected is fatal.
            let exception = error == .producerFenced ? clientException(error)
                : .init(exceptionClass: "org.apache.kafka.common.KafkaException", message: "Unexpected error in InitProducerIdResponse; \(error.message)")
            manager.fatalError(exception)
            producers[name]!.transactionManager = manager
            throw .transactionalClient(exception)
        }
        do throws(TransactionManager.ClientException) {
            try manager.initialized(producerId: answer.producerId, epoch: answer.producerEpoch)
        } catch { throw .transactionalClient(error) }
        producers[name]!.transactionManager = manager
        adoptProducerIdAndEpoch(name, answer.producerId, answer.producerEpoch)
    }

    /// A new producer id or epoch: sequence numbers start again from 0.
    private func adoptProducerIdAndEpoch(_ name: String, _ producerId: Int64, _ epoch: Int16) {
        producers[name]!.producerId = producerId
        producers[name]!.producerEpoch = epoch
        producers[name]!.sequences = [:]
        producers[name]!.batchSequences = [:]
    }

    /// `beginTransaction()`: only the client's state changes.
    public func beginTransaction(producer name: String) throws(KafkaError) {
        var manager = try transactionManager(of: name)
        do throws(TransactionManager.ClientException) { try manager.beginTransaction() } catch { throw .transactionalClient(error) }
        producers[name]!.transactionManager = manager
    }

    /// `commitTransaction()` (or `abortTransaction()`): the waiting batches are sent and answered first, then EndTxn goes
    /// to the coordinator, which writes the markers; the producer continues with the epoch it answers. A transaction
    /// that sent nothing ends without a request. Returns whether EndTxn was sent.
    @discardableResult
    public func endTransaction(producer name: String, commit: Bool) throws(KafkaError) -> Bool {
        var manager = try transactionManager(of: name)
        if manager.state == .inTransaction {
            if commit {
                // `commitTransaction()` flushes first, so a send that fails now fails the commit.
                try flush(producer: name)
                awaitAnswers(producer: name)
            } else {
                // `abortTransaction()` fails the batches not yet sent; EndTxn waits until the ones sent are done.
                // (Kafka also fails a sent batch waiting for its retry; kafkalab lets it finish, and the ABORT marker
                // discards it.)
                abortUndrainedBatches(producer: name)
                awaitAnswers(producer: name)
            }
            manager = try transactionManager(of: name)
        }
        let sends: Bool
        do throws(TransactionManager.ClientException) {
            sends = commit ? try manager.beginCommit() : try manager.beginAbort()
        } catch { throw .transactionalClient(error) }
        producers[name]!.transactionManager = manager
        guard sends else {
            // "Not sending EndTxn for completed transaction since no send or sendOffsetsToTransaction were triggered"
            do throws(TransactionManager.ClientException) {
                try manager.completed(producerId: manager.producerId, epoch: manager.producerEpoch)
            } catch { throw .transactionalClient(error) }
            producers[name]!.transactionManager = manager
            return false
        }
        let request = EndTxnRequest(transactionalId: manager.transactionalId, producerId: manager.producerId,
                                    producerEpoch: manager.producerEpoch, committed: commit)
        let context = RequestContext(client: .producer(name), clientId: name)
        guard let coordinator = findTransactionCoordinator(manager.transactionalId, producer: name),
              let response = try? send(request, to: coordinator, from: context) else {
            let config = producers[name]!.config
            advance(byMs: config.maxBlockMs, reportsClock: true)
            throw .transactionalClient(.init(exceptionClass: "org.apache.kafka.common.errors.TimeoutException",
                                             message: "Timeout expired after \(config.maxBlockMs)ms while awaiting EndTxn(\(commit))"))
        }
        if let error = response.error {
            let exception = clientException(error)
            if error == .producerFenced || error == .invalidProducerIdMapping { manager.fatalError(exception) } else { manager.abortableError(exception) }
            producers[name]!.transactionManager = manager
            throw .transactionalClient(exception)
        }
        do throws(TransactionManager.ClientException) {
            try manager.completed(producerId: response.producerId, epoch: response.producerEpoch)
        } catch { throw .transactionalClient(error) }
        producers[name]!.transactionManager = manager
        adoptProducerIdAndEpoch(name, response.producerId, response.producerEpoch)
        return true
    }

    /// `RecordAccumulator.abortUndrainedBatches`: every batch still in the accumulator fails with
    /// TransactionAbortedException, unsent.
    private func abortUndrainedBatches(producer name: String) {
        guard var producer = producers.removeValue(forKey: name) else { return }
        let batches = producer.accumulator.drain(nowMs: nowMs, lingerMs: producer.config.lingerMs, flush: true)
        for batch in batches {
            let count = batch.records.count
            if producer.reportsBatches {
                emit(.batchExpired(producer: name, partition: batch.partition, records: count, reason: .transactionAborted))
            }
            producer.results[batch.id] = .failure(BatchExpiry.transactionAborted.error(records: count, partition: batch.partition))
            producer.completedMs[batch.id] = nowMs
            producer.failedRecords += count
            // The abort's own doing, not a failure that makes the transaction abortable.
            producer.transactionFailuresSeen += count
        }
        producers[name] = producer
    }
}
