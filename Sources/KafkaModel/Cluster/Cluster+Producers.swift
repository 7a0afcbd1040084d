import DequeModule

// Simulated producer clients on the cluster's clock: `send` partitions a record and adds it to the
// producer's accumulator; full batches go at once, others when `linger.ms` passes or on `flush`.

extension Cluster {
    /// Names of the producers the learner started (not the shell's own one-shot ones).
    public var producerNames: [String] { producers.keys.filter { !$0.hasPrefix("_") }.sorted() }

    /// Starts a producer. Names starting with `_` are the shell's own, which report no batch events.
    /// `reportsAppends: false` keeps the leader's `RecordsAppended` events out of the event log (perf tests).
    public func startProducer(_ name: String, config: ProducerConfig, reportsAppends: Bool = true) throws(KafkaError) {
        guard producers[name] == nil else { throw .invalidRequest("A producer named '\(name)' is already running.") }
        let reports = !name.hasPrefix("_")
        var producer = KafkaProducer(name: name, config: config, reportsBatches: reports, reportsAppends: reportsAppends)
        // enable.idempotence (the default since 3.0) holds only with acks=all; the id comes from InitProducerId.
        if let transactionalId = config.transactionalId {
            // A transactional producer gets its id from `initTransactions()` (`producer init`).
            producer.transactionManager = TransactionManager(transactionalId: transactionalId)
        } else if config.enableIdempotence && config.acks == .all {
            producer.producerId = initProducerId(producer: name).producerId
        }
        producers[name] = producer
        if reports {
            emit(.producerStarted(producer: name, acks: config.acks, lingerMs: config.lingerMs,
                                  batchSize: config.batchSize, partitioner: config.partitioner))
        }
    }

    /// Flushes and removes a producer (`close()`).
    public func closeProducer(_ name: String) throws(KafkaError) {
        try flush(producer: name)
        // `close()` lets requests already sent get their answers; batches waiting for a retry are given up.
        awaitAnswers(producer: name, inFlightOnly: true)
        var producer = producers.removeValue(forKey: name)!
        abortRetrying(&producer)
        if producer.reportsBatches { emit(.producerClosed(producer: name)) }
    }

    /// InitProducerId to the first running broker (the Java producer asks its least loaded node). With every
    /// broker stopped the Java producer would keep retrying in its sender thread until one starts; kafkalab's
    /// producer gets its id from the first broker's handler at once, so ids stay in the producers' start order.
    private func initProducerId(producer name: String) -> InitProducerIdResponse {
        let context = RequestContext(client: .producer(name), clientId: name)
        if let node = brokers.first(where: { $0.isAlive && !crashedBrokers.contains($0.id) }),
           let response = try? send(InitProducerIdRequest(), to: node.id, from: context) {
            return response
        }
        return InitProducerIdRequest().handled(by: apis(brokers[0].id), context: context)
    }

    private func requireProducer(_ name: String) throws(KafkaError) -> KafkaProducer {
        guard let producer = producers[name] else {
            throw .invalidRequest("No producer named '\(name)'." + (producerNames.isEmpty ? "" : " Producers: \(producerNames.joined(separator: ", "))."))
        }
        return producer
    }

    /// `KafkaProducer.send`: picks the partition (explicit, key hash, or the null-key partitioner),
    /// appends to the accumulator, and sends whatever became ready. Validates before any change.
    @discardableResult
    public func send(producer name: String, topic topicName: String, partition explicit: Int? = nil, key: [UInt8]?,
                     value: [UInt8]?, headers: [RecordHeader] = [], timestamp: Int64? = nil) throws(KafkaError) -> SendReceipt {
        if try requireProducer(name).transactionManager != nil { _ = try transactionManager(of: name) }
        let topic = try self.topic(topicName)
        let count = topic.partitions.count
        if let explicit, !(0..<count).contains(explicit) {
            throw .unknownTopicOrPartition("Partition \(explicit) of topic \(topicName) with partition count \(count) is not present in metadata.")
        }
        let record = Record(timestamp: timestamp ?? nowMs, key: key, value: value, headers: headers)
        let size = RecordAccumulator.batchOverhead + Record.sizeInBytes(offsetDelta: 0, timestampDelta: 0, key: key, value: value, headers: headers)
        if size > 1_048_576 {
            throw .recordTooLarge("The message is \(size) bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration.")
        }
        // Take the producer out of the table while changing it, so its batches are not copied.
        var producer = producers.removeValue(forKey: name)!
        var accumulator = producer.accumulator
        producer.accumulator = RecordAccumulator(batchSize: 1)
        let partition: Int
        let choice: PartitionChoice
        var stickyChanged = false
        if let explicit {
            partition = explicit
            choice = .explicit
        } else if let key, producer.config.partitioner == .builtIn {
            choice = .key(hash: Murmur2.hash(key))
            partition = partitionForKey(key, numPartitions: count)
        } else {
            choice = .noKey(producer.config.partitioner)
            let available = topic.partitions.indices.filter { topic.partitions[$0].leader != nil }
            switch producer.config.partitioner {
            case .builtIn:
                var state = producer.builtIn[topicName].flatMap { $0.numPartitions == count ? $0 : nil }
                    ?? BuiltInPartitioner(numPartitions: count, batchSize: producer.config.batchSize)
                if let current = state.stickyPartition {
                    state.beforeAppend(allBatchesFull: accumulator.allBatchesFull(TopicPartition(topicName, current)))
                }
                stickyChanged = state.stickyPartition == nil
                partition = state.currentPartition(availablePartitions: available, using: &random)
                producer.builtIn[topicName] = state
            case .roundRobin:
                var state = producer.roundRobin[topicName].flatMap { $0.numPartitions == count ? $0 : nil }
                    ?? RoundRobinPartitioner(numPartitions: count)
                // 4.0.0 `KafkaProducer.doSend` calls `partition(...)` once, then `accumulator.append(...)`.
                partition = state.partition(availablePartitions: available)
                producer.roundRobin[topicName] = state
            }
        }
        let tp = TopicPartition(topicName, partition)
        if producer.transactionManager != nil {
            do throws(TransactionManager.ClientException) {
                try producer.transactionManager!.maybeAddPartition(tp)
            } catch {
                // Nothing was appended: the producer goes back as it was (the partitioner had its turn, as in Java).
                producer.accumulator = accumulator
                producers[name] = producer
                throw .transactionalClient(error)
            }
        }
        if stickyChanged && producer.reportsBatches {
            emit(.stickyPartitionChanged(producer: name, topic: topicName, partition: partition))
        }
        let appended = accumulator.append(record, to: tp, nowMs: nowMs)
        if appended.newBatch && producer.reportsBatches { emit(.batchCreated(producer: name, partition: tp, batch: appended.batchId)) }
        if case .noKey(.builtIn) = choice, var state = producer.builtIn[topicName] {
            state.afterAppend(appendedBytes: appended.appendedBytes, allBatchesFull: accumulator.allBatchesFull(tp))
            producer.builtIn[topicName] = state
        }
        producer.accumulator = accumulator
        let lingerZero = producer.config.lingerMs == 0
        producers[name] = producer
        // Released now rather than when the call returns: alive during `sendReady`, this copy would share its
        // accumulator and retry queues with the table's, and each change there would copy them whole. (The compiler
        // refuses `consume` here.)
        producer = KafkaProducer(name: name, config: producer.config, reportsBatches: false)
        sendReady(producer: name, flush: lingerZero, reason: lingerZero ? .lingerZero : nil)
        return SendReceipt(partition: tp, partitionCount: count, choice: choice, batchId: appended.batchId,
                           indexInBatch: appended.indexInBatch)
    }

    /// Sends every waiting batch now (`flush()`).
    public func flush(producer name: String) throws(KafkaError) {
        _ = try requireProducer(name)
        sendReady(producer: name, flush: true)
    }

    /// The offset a sent record got: nil while its batch waits; −1 under acks=0; or the broker's error.
    public func offset(of receipt: SendReceipt, producer name: String) -> Result<Int64, KafkaError>? {
        guard let result = producers[name]?.results[receipt.batchId] else { return nil }
        return result.map { $0 < 0 ? -1 : $0 + Int64(receipt.indexInBatch) }
    }

    /// Drains ready batches (or all, on flush) and sends each to its leader; schedules the next linger timer.
    func sendReady(producer name: String, flush: Bool, reason: BatchSendReason? = nil) {
        guard producers[name] != nil else { return }
        let batches = producers[name]!.accumulator.drain(nowMs: nowMs, lingerMs: producers[name]!.config.lingerMs, flush: flush)
        var producer = producers.removeValue(forKey: name)!
        for batch in batches {
            deliver(batch, producer: &producer, reason: reason ?? (batch.isFull ? .batchFull(batchSize: producer.config.batchSize)
                : flush ? .flush : .lingerPassed(lingerMs: producer.config.lingerMs)))
        }
        if let due = producer.accumulator.nextLingerDeadline(lingerMs: producer.config.lingerMs),
           producer.lingerTimerDue.map({ $0 > due }) ?? true {
            producer.lingerTimerDue = due
            scheduler.schedule(at: due, .producerLinger(producer: name))
        }
        producers[name] = consume producer
    }

    /// Sends one drained batch to its leader and records the outcome (the producer is out of the table meanwhile).
    /// `copies` more records equal to `record` follow `batch.records` (the batched path builds none of them).
    /// A batch of a partition that has a batch waiting for a retry queues behind it, to keep the order — unless the
    /// producer may overtake (`mayOvertake`): then it is sent at once and may land before the earlier batch.
    private func deliver(_ batch: ProducerBatch, copies: Int = 0, of record: Record? = nil, producer: inout KafkaProducer,
                         reason: BatchSendReason) {
        // The queue is looked at, not held: a copy alive while it is appended to would copy the whole queue.
        if producer.retrying[batch.partition].map({ !mayOvertake($0, producer: producer) }) ?? false {
            producer.retrying[batch.partition]!.append(RetryingBatch(batch: batch, copies: copies, repeatedRecord: record,
                                                                     attempts: 0, nextAttemptMs: nowMs))
            armRetryTimer(&producer)
            return
        }
        if producer.reportsBatches {
            emit(.batchSent(producer: producer.name, partition: batch.partition, records: batch.records.count + copies,
                            bytes: batch.estimatedSize, reason: reason))
        }
        switch attempt(batch, copies: copies, of: record, attempts: 0, producer: &producer) {
        case .retry(let backoff, let failure):
            producer.retrying[batch.partition, default: []].append(
                RetryingBatch(batch: batch, copies: copies, repeatedRecord: record, attempts: 1,
                              nextAttemptMs: nowMs + backoff, pendingFailure: failure))
            armRetryTimer(&producer)
        case .waiting:
            // Later batches of the partition queue behind it, to keep the order.
            producer.retrying[batch.partition, default: []].append(
                RetryingBatch(batch: batch, copies: copies, repeatedRecord: record, attempts: 1, nextAttemptMs: .max,
                              inFlight: true))
        case .succeeded, .failed:
            break
        }
    }

    /// Whether a new batch of a partition goes out while earlier ones are unanswered (Kafka's sender drains a
    /// partition whose first batch is not backing off, up to `max.in.flight.requests.per.connection` requests).
    /// Only a producer without idempotence does here: it is how a retried batch lands after a later one. An
    /// idempotent producer's later batches would be refused as out of order until the earlier one is retried, so
    /// they wait behind it — the order the log gets is the same. A batch backing off after an error answer holds
    /// the partition, as in Kafka's `RecordAccumulator.drain`.
    private func mayOvertake(_ queue: Deque<RetryingBatch>, producer: KafkaProducer) -> Bool {
        guard producer.producerId == nil, producer.config.maxInFlightRequestsPerConnection > 1,
              queue.count < producer.config.maxInFlightRequestsPerConnection else { return false }
        return queue.allSatisfy { $0.inFlight || ($0.pendingFailure.map { $0.atMs > nowMs } ?? false) }
    }

    enum Attempt {
        case succeeded, failed
        /// Appended; the `acks=all` answer comes when the high watermark passes the batch.
        case waiting
        /// Try again `backoffMs` from now; `pendingFailure` when the failure itself only comes later (a request
        /// that times out after `request.timeout.ms`).
        case retry(backoffMs: Int64, pendingFailure: RetryingBatch.PendingFailure?)
    }

    /// One produce request for a batch that was sent `attempts` times before. On a retriable error the
    /// producer (`Sender.canRetry`) tries again after its backoff while `retries` and `delivery.timeout.ms` allow.
    private func attempt(_ batch: ProducerBatch, copies: Int, of record: Record?, attempts: Int,
                         producer: inout KafkaProducer) -> Attempt {
        let count = batch.records.count + copies
        // A batch keeps the sequence it got on its first append: a retry with it is recognised as a duplicate.
        let identity = producer.producerId.map {
            ProducerIdentity(producerId: $0, producerEpoch: producer.producerEpoch,
                             baseSequence: producer.batchSequences[batch.id] ?? producer.sequences[batch.partition] ?? 0)
        }
        do throws(KafkaError) {
            // The request goes to the leader the producer's metadata names; its batch id is the correlation id an
            // `acks=all` answer from the purgatory comes back with.
            var request = ProduceRequest(
                acks: producer.config.acks.requestValue, timeoutMs: Int32(clamping: producer.config.requestTimeoutMs),
                partitionData: [.init(partition: batch.partition, records: batch.records, repeatedRecord: record,
                                      repeatCount: copies, producer: identity)],
                reportsAppend: producer.reportsAppends)
            request.transactionalId = producer.config.transactionalId
            let context = RequestContext(client: .producer(producer.name), clientId: producer.name,
                                         correlationId: Int32(truncatingIfNeeded: batch.id))
            let leader = try produceLeader(batch.partition)
            let loss = takeProduceLoss(broker: leader, requestTimeoutMs: producer.config.requestTimeoutMs,
                                       expectsAnswer: producer.config.acks != .none)
            if loss == .request { return lost(batch, identity: identity, broker: leader, response: false, attempts: attempts, producer: &producer) }
            let response = try send(request, to: leader, from: context)
            if loss == .response {
                // An acks=all answer waits in the purgatory: it is lost when it goes out (`finishDelayedProduce`).
                if response.responses.isEmpty { network.lostAnswers.insert(context) }
                return lost(batch, identity: identity, broker: leader, response: response.responses.isEmpty ? nil : true,
                            attempts: attempts, producer: &producer)
            }
            if let delay = clientAnswerDelay(leader), !response.responses.isEmpty, producer.config.acks != .none {
                // `network delay`: the answer is on its way; the batch is in flight until it arrives.
                if let identity, producer.batchSequences[batch.id] == nil {
                    producer.sequences[batch.partition] = RecordBatch.incrementSequence(identity.baseSequence, by: Int32(count))
                    producer.batchSequences[batch.id] = identity.baseSequence
                }
                answerLater(response, to: context, from: leader, delayMs: delay)
                return .waiting
            }
            let answer = response.responses.first
            if let error = answer?.error { throw error }
            if let identity, producer.batchSequences[batch.id] == nil {
                producer.sequences[batch.partition] = RecordBatch.incrementSequence(identity.baseSequence, by: Int32(count))
            }
            guard let answer else {
                // Appended; the answer waits in the leader's purgatory until the high watermark passes the batch.
                if let identity { producer.batchSequences[batch.id] = identity.baseSequence }
                return .waiting
            }
            producer.batchSequences[batch.id] = nil
            producer.results[batch.id] = .success(producer.config.acks == .none ? -1 : answer.baseOffset)
            producer.completedMs[batch.id] = nowMs
            producer.sentBatches += 1
            producer.sentRecords += count
            return .succeeded
        } catch {
            // The idempotent producer retries an out-of-order batch under a new epoch (KIP-360).
            let outOfOrder = producer.producerId != nil && { if case .outOfOrderSequenceNumber = error { true } else { false } }()
            let canRetry = (error.isRetriable || outOfOrder) && attempts < producer.config.retries
                && nowMs - batch.createdMs < producer.config.deliveryTimeoutMs
            let backoff = producer.config.retryBackoff(attempts: attempts)
            if case .requestTimedOut = error, canRetry {
                // acks=all waits for an in-sync replica that is stopped while metadata is frozen (no controller
                // can shrink the ISR): the answer is REQUEST_TIMED_OUT, request.timeout.ms after the send.
                let at = nowMs + producer.config.requestTimeoutMs
                let failure = RetryingBatch.PendingFailure(atMs: at, attempt: attempts + 1, records: count,
                                                           error: error, retryInMs: backoff)
                return .retry(backoffMs: producer.config.requestTimeoutMs + backoff, pendingFailure: failure)
            }
            if producer.reportsBatches {
                emit(.produceFailed(producer: producer.name, partition: batch.partition, batch: batch.id, records: count, attempt: attempts + 1,
                                    error: error, retryInMs: canRetry ? backoff : nil))
            }
            if outOfOrder { bumpProducerEpoch(&producer) }
            if canRetry { return .retry(backoffMs: backoff, pendingFailure: nil) }
            batchFailedForGood(batch.id, producer: &producer)
            producer.results[batch.id] = .failure(error)
            producer.completedMs[batch.id] = nowMs
            producer.failedRecords += count
            return .failed
        }
    }

    /// Arms the retry timer for the earliest retry or `delivery.timeout.ms` expiry of a waiting batch.
    private func armRetryTimer(_ producer: inout KafkaProducer) {
        var next: Int64?
        for queue in producer.retrying.values {
            // A batch waiting for its acks=all answer holds the queue: its answer (or request timeout) moves it on.
            guard let first = queue.first, !first.inFlight else { continue }
            // The queue is in creation order: its first batch expires first.
            var due = min(first.nextAttemptMs, first.batch.createdMs + producer.config.deliveryTimeoutMs)
            if let failure = first.pendingFailure { due = min(due, failure.atMs) }
            next = min(next ?? due, due)
        }
        guard let next, producer.retryTimerDue.map({ next < $0 }) ?? true else { return }
        producer.retryTimerDue = next
        scheduler.schedule(at: next, .producerRetry(producer: producer.name))
    }

    /// The retry timer fired: expires batches past `delivery.timeout.ms` (the Java client's
    /// `Sender.sendProducerData`), then sends each partition's due batches again, in order.
    func retryTimerFired(producer name: String, only: TopicPartition? = nil) {
        guard producers[name]?.retryTimerDue == nowMs else { return }  // superseded by an earlier timer
        var producer = producers.removeValue(forKey: name)!
        producer.retryTimerDue = nil
        for partition in only.map({ [$0] }) ?? producer.retrying.keys.sorted() where producer.retrying[partition] != nil {
            // The queue leaves the table for the change, so it has one owner and is changed in place, not copied.
            var queue = producer.retrying.removeValue(forKey: partition)!
            let deliveryTimeoutMs = producer.config.deliveryTimeoutMs
            // In creation order: if the oldest batch not in flight has not expired, none has.
            if let oldest = queue.first(where: { !$0.inFlight }), nowMs - oldest.batch.createdMs >= deliveryTimeoutMs {
                let waitingBatches = queue
                queue = []
                for waiting in waitingBatches {
                    let age = nowMs - waiting.batch.createdMs
                    guard age >= producer.config.deliveryTimeoutMs, !waiting.inFlight else { queue.append(waiting); continue }
                    let count = waiting.recordCount
                    let expiry = BatchExpiry.deliveryTimeout(ageMs: age)
                    if producer.reportsBatches {
                        emit(.batchExpired(producer: name, partition: partition, records: count, reason: expiry))
                    }
                    batchFailedForGood(waiting.batch.id, producer: &producer)
                    producer.results[waiting.batch.id] = .failure(expiry.error(records: count, partition: partition))
                    producer.completedMs[waiting.batch.id] = nowMs
                    producer.failedRecords += count
                }
            }
            // Every request whose failure is due fails now (several are in flight when batches overtook). Sent batches
            // are the queue's first ones (a batch is sent on arrival only when every one before it was sent), so the
            // look stops at the first batch never sent: the queue behind it may be long.
            var index = queue.startIndex
            while index < queue.endIndex, queue[index].attempts > 0 {
                guard let failure = queue[index].pendingFailure, failure.atMs <= nowMs else { index += 1; continue }
                queue[index].pendingFailure = nil
                if let node = failure.disconnectedFrom { emit(.replication(.producerDisconnected(producer: name, broker: node))) }
                if producer.reportsBatches {
                    emit(.produceFailed(producer: name, partition: partition, batch: queue[index].batch.id, records: failure.records,
                                        attempt: failure.attempt, error: failure.error, retryInMs: failure.retryInMs))
                }
                guard failure.retryInMs == nil else { index += 1; continue }
                let id = queue.remove(at: index).batch.id
                batchFailedForGood(id, producer: &producer)
                producer.results[id] = .failure(failure.error)
                producer.completedMs[id] = nowMs
                producer.failedRecords += failure.records
                // The batches queued behind it go out now.
                for later in queue.indices where queue[later].attempts == 0 { queue[later].nextAttemptMs = nowMs }
            }
            while let first = queue.first, first.nextAttemptMs <= nowMs {
                if first.attempts == 0 && producer.reportsBatches {
                    emit(.batchSent(producer: name, partition: partition, records: first.recordCount,
                                    bytes: first.batch.estimatedSize, reason: .previousBatchDone))
                }
                let outcome = attempt(first.batch, copies: first.copies, of: first.repeatedRecord, attempts: first.attempts, producer: &producer)
                if case .retry(let backoff, let failure) = outcome {
                    queue[0].attempts += 1
                    queue[0].nextAttemptMs = nowMs + backoff
                    queue[0].pendingFailure = failure
                    break
                }
                if case .waiting = outcome {
                    queue[0].attempts += 1
                    queue[0].nextAttemptMs = .max
                    queue[0].inFlight = true
                    break
                }
                queue.removeFirst()
            }
            if !queue.isEmpty { producer.retrying[partition] = consume queue }
        }
        armRetryTimer(&producer)
        producers[name] = consume producer
    }

    /// The answer to an `acks=all` produce that waited in the leader's purgatory: the batch is done (or fails, or is
    /// retried), and the batches queued behind it go out.
    func produceAnswered(producer name: String, partition: TopicPartition, correlationId: Int32, _ result: Result<Int64, KafkaError>) {
        // Usually the first batch of the partition; a later one when it overtook a lost request.
        guard let position = producers[name]?.retrying[partition]?.firstIndex(where: {
            $0.inFlight && Int32(truncatingIfNeeded: $0.batch.id) == correlationId }) else { return }
        let head = producers[name]!.retrying[partition]![position]
        let batchId = head.batch.id
        let count = head.recordCount
        if case .failure(let error) = result, producers[name]!.reportsBatches {
            let config = producers[name]!.config
            let canRetry = error.isRetriable && head.attempts <= config.retries && nowMs - head.batch.createdMs < config.deliveryTimeoutMs
            emit(.produceFailed(producer: name, partition: partition, batch: batchId, records: count, attempt: head.attempts,
                                error: error, retryInMs: canRetry ? config.retryBackoff(attempts: head.attempts - 1) : nil))
        }
        // Taken out of their tables, the producer's dictionaries and the queue are changed in place, not copied.
        var producer = producers.removeValue(forKey: name)!
        var queue = producer.retrying.removeValue(forKey: partition)!
        switch result {
        case .success(let offset):
            producer.batchSequences[batchId] = nil
            producer.results[batchId] = .success(offset)
            producer.completedMs[batchId] = nowMs
            producer.sentBatches += 1
            producer.sentRecords += count
            // The batches behind it were queued due (`nextAttemptMs` when queued): they go out now.
            queue.remove(at: position)
        case .failure(let error):
            let canRetry = error.isRetriable && head.attempts <= producer.config.retries
                && nowMs - head.batch.createdMs < producer.config.deliveryTimeoutMs
            let backoff = producer.config.retryBackoff(attempts: head.attempts - 1)
            if canRetry {
                queue[position].inFlight = false
                queue[position].nextAttemptMs = nowMs + backoff
            } else {
                batchFailedForGood(batchId, producer: &producer)
                producer.results[batchId] = .failure(error)
                producer.completedMs[batchId] = nowMs
                producer.failedRecords += count
                queue.remove(at: position)
            }
        }
        // Swapped back, not copied: the queue must have one owner when the next send mutates it.
        let drained = queue.isEmpty
        if !drained { producer.retrying[partition] = consume queue }
        producer.retryTimerDue = nil
        // Consumed: this copy would otherwise live until the function returns, sharing the queues with the one
        // `retryTimerFired` changes below, so every change there would copy a whole queue.
        producers[name] = consume producer
        guard !drained else { return }
        // Send what is due now; arm the timer for the rest.
        producers[name]!.retryTimerDue = nowMs
        retryTimerFired(producer: name, only: partition)
    }

    /// Whether the producer has batches waiting for an answer or a retry.
    public func hasUnfinishedBatches(producer name: String) -> Bool {
        guard let producer = producers[name] else { return false }
        return !producer.retrying.isEmpty || !producer.accumulator.batches.isEmpty
    }

    /// Moves simulated time until every batch the producer sent has its answer (a synchronous `send().get()`), at
    /// most `delivery.timeout.ms`; returns how long it waited.
    @discardableResult
    public func awaitAnswers(producer name: String, inFlightOnly: Bool = false) -> Int64 {
        let start = nowMs
        // Only the config is read: a copy of the producer kept here would share its queues' storage and make every
        // change to them a copy.
        guard let config = producers[name]?.config else { return 0 }
        let limit = start + config.deliveryTimeoutMs + config.requestTimeoutMs
        func waiting() -> Bool {
            inFlightOnly ? producers[name]?.retrying.values.contains { $0.first?.inFlight == true } ?? false
                : hasUnfinishedBatches(producer: name)
        }
        while waiting(), nowMs < limit, let next = scheduler.nextDueMs() {
            guard next <= limit else { break }
            advance(byMs: max(0, next - nowMs), reportsClock: false)
            if interruptProbe?() == true { break }
        }
        // No ClockAdvanced line: the events of the wait carry their times.
        return nowMs - start
    }

    /// A closing producer gives up the batches still waiting for a retry (`close(Duration.ZERO)`).
    private func abortRetrying(_ producer: inout KafkaProducer) {
        for partition in producer.retrying.keys.sorted() {
            for waiting in producer.retrying[partition]! {
                let count = waiting.recordCount
                if producer.reportsBatches {
                    emit(.batchExpired(producer: producer.name, partition: partition, records: count, reason: .producerClosed))
                }
                producer.results[waiting.batch.id] = .failure(BatchExpiry.producerClosed.error(records: count, partition: partition))
                producer.completedMs[waiting.batch.id] = nowMs
                producer.failedRecords += count
            }
        }
        producer.retrying = [:]
    }

    /// `count` calls of `send(producer:topic:key:value:)` with no key, no headers and the current time, as one
    /// call: the same partitions, batches, offsets, events and linger timers, without per-record table look-ups
    /// (what `kafka-producer-perf-test.sh` sends). The first record goes the ordinary way (it validates, and
    /// drains whatever was ready); the rest take the fast path when the producer uses the built-in partitioner
    /// with `linger.ms > 0` (simulated time stands still here, so only full batches become ready). Returns the
    /// number of records sent; stops at the first `send` error (none can occur after the first record).
    @discardableResult
    public func send(producer name: String, topic topicName: String, value: [UInt8]?, count: Int) throws(KafkaError) -> Int {
        guard count > 0 else { return 0 }
        try send(producer: name, topic: topicName, key: nil, value: value)
        let topic = try self.topic(topicName)
        // No copy of the producer is held across the slow path's sends (it would make each of them copy the queues).
        guard count > 1, let config = producers[name]?.config, config.partitioner == .builtIn, config.lingerMs > 0,
              var state = producers[name]!.builtIn[topicName], state.numPartitions == topic.partitions.count else {
            for _ in 1..<count { try send(producer: name, topic: topicName, key: nil, value: value) }
            return count
        }
        var producer = producers.removeValue(forKey: name)!
        var accumulator = producer.accumulator
        producer.accumulator = RecordAccumulator(batchSize: 1)
        let available = topic.partitions.indices.filter { topic.partitions[$0].leader != nil }
        let batchSize = producer.config.batchSize
        let lingerMs = producer.config.lingerMs
        let reports = producer.reportsBatches
        let record = Record(timestamp: nowMs, key: nil, value: value)
        // The sticky partition and its open (not full) batch, held out of the accumulator while it fills:
        // `open` with `copies` more records equal to `record` not yet written into it, `openCount` records
        // in all, `openSize` estimated bytes.
        var sticky: TopicPartition?
        var open: ProducerBatch?
        var hasOpen = false  // open != nil, kept as a plain flag for the per-record path
        var copies = 0
        var openCount = 0
        var openSize = 0
        var openFirstTimestamp: Int64 = 0
        var openCreatedMs: Int64 = 0
        func take(_ partition: Int) {
            sticky = TopicPartition(topicName, partition)
            open = accumulator.takeOpenBatch(sticky!)
            copies = 0
            hasOpen = open != nil
            if let batch = open {
                openCount = batch.records.count
                openSize = batch.estimatedSize
                openFirstTimestamp = batch.records.first?.timestamp ?? record.timestamp
                openCreatedMs = batch.createdMs
            }
        }
        /// Takes the open batch out (its size updated), with the number of copies that follow its records.
        func close() -> (ProducerBatch, Int)? {
            guard var batch = open else { return nil }
            open = nil
            hasOpen = false
            batch.estimatedSize = openSize
            defer { copies = 0 }
            return (batch, copies)
        }
        func release() {
            if let (taken, copies) = close() {
                var batch = taken
                batch.records.append(contentsOf: repeatElement(record, count: copies))
                accumulator.restoreOpenBatch(batch)
            }
            sticky = nil
        }
        if let partition = state.stickyPartition { take(partition) }
        let reason = BatchSendReason.batchFull(batchSize: batchSize)
        let valueBytes = value.map { Varint.sizeOfVarint(Int32($0.count)) + $0.count } ?? 1
        for _ in 1..<count {
            if sticky != nil, state.beforeAppend(allBatchesFull: !hasOpen) { release() }
            let changed = state.stickyPartition == nil
            let partition = state.currentPartition(availablePartitions: available, using: &random)
            if sticky == nil { take(partition) }
            if changed && reports { emit(.stickyPartitionChanged(producer: name, topic: topicName, partition: partition)) }
            // `RecordAccumulator.append`: into the open batch if it fits (`needsNewBatch`), else a new batch.
            let appendedBytes: Int
            var full = false
            var closed: (ProducerBatch, Int)?
            // `Record.sizeInBytes` of a keyless, header-less record.
            let body = 3 + Varint.sizeOfVarlong(record.timestamp &- openFirstTimestamp) + Varint.sizeOfVarint(Int32(truncatingIfNeeded: openCount)) + valueBytes
            let size = Varint.sizeOfVarint(Int32(body)) + body
            if hasOpen, openSize + size <= max(batchSize, openSize) {
                copies += 1
                openCount += 1
                openSize += size
                appendedBytes = size
                full = openSize >= batchSize
            } else {
                if let (batch, n) = close() {
                    var batch = batch
                    batch.isFull = true
                    closed = (batch, n)
                }
                let batch = accumulator.newBatch(record, to: sticky!, nowMs: nowMs)
                if reports { emit(.batchCreated(producer: name, partition: sticky!, batch: batch.id)) }
                open = batch
                hasOpen = true
                copies = 0
                openCount = 1
                openSize = batch.estimatedSize
                openFirstTimestamp = record.timestamp
                openCreatedMs = batch.createdMs
                appendedBytes = openSize
                full = batch.isFull
            }
            let switched = state.afterAppend(appendedBytes: appendedBytes, allBatchesFull: full)
            // What `sendReady` does after each record: send the ready batches, arm the linger timer.
            if let (batch, n) = closed { deliver(batch, copies: n, of: record, producer: &producer, reason: reason) }
            if full {
                var (batch, n) = close()!
                batch.isFull = true
                deliver(batch, copies: n, of: record, producer: &producer, reason: reason)
            } else if producer.lingerTimerDue.map({ $0 > openCreatedMs + lingerMs }) ?? true {
                // (An armed timer is never later than the batches that were waiting before this call.)
                let due = min(openCreatedMs + lingerMs, accumulator.nextLingerDeadline(lingerMs: lingerMs) ?? .max)
                if producer.lingerTimerDue.map({ $0 > due }) ?? true {
                    producer.lingerTimerDue = due
                    scheduler.schedule(at: due, .producerLinger(producer: name))
                }
            }
            if switched { release() }
        }
        release()
        producer.builtIn[topicName] = state
        producer.accumulator = accumulator
        producers[name] = producer
        return count
    }

    /// The `linger.ms` timer of a producer fired.
    func lingerExpired(producer name: String) {
        guard producers[name] != nil else { return }
        producers[name]!.lingerTimerDue = nil
        sendReady(producer: name, flush: false)
    }
}
