// Simulated producer clients on the cluster's clock: `send` partitions a record and adds it to the
// producer's accumulator; full batches go at once, others when `linger.ms` passes or on `flush`.

extension Cluster {
    /// Names of the producers the learner started (not the shell's own one-shot ones).
    public var producerNames: [String] { producers.keys.filter { !$0.hasPrefix("_") }.sorted() }

    /// Starts a producer. Names starting with `_` are the shell's own, which report no batch events.
    public func startProducer(_ name: String, config: ProducerConfig) throws(KafkaError) {
        guard producers[name] == nil else { throw .invalidRequest("A producer named '\(name)' is already running.") }
        let reports = !name.hasPrefix("_")
        producers[name] = KafkaProducer(name: name, config: config, reportsBatches: reports)
        if reports {
            emit(.producerStarted(producer: name, acks: config.acks.rawValue, lingerMs: config.lingerMs,
                                  batchSize: config.batchSize, partitioner: config.partitioner.rawValue))
        }
    }

    /// Flushes and removes a producer (`close()`).
    public func closeProducer(_ name: String) throws(KafkaError) {
        try flush(producer: name)
        let producer = producers.removeValue(forKey: name)!
        if producer.reportsBatches { emit(.producerClosed(producer: name)) }
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
        var producer = try requireProducer(name)
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
        let available = topic.partitions.indices.filter { topic.partitions[$0].leader != nil }
        let partition: Int
        let choice: PartitionChoice
        var accumulator = producer.accumulator
        let needsNewBatch: (Int) -> Bool = { accumulator.needsNewBatch(TopicPartition(topicName, $0), record) }
        var stickyChanged = false
        if let explicit {
            partition = explicit
            choice = .explicit
        } else if let key, producer.config.partitioner == .builtIn {
            choice = .key(hash: Murmur2.hash(key))
            partition = partitionForKey(key, numPartitions: count)
        } else {
            choice = .noKey(producer.config.partitioner)
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
            case .uniformSticky:
                var state = producer.uniformSticky[topicName].flatMap { $0.numPartitions == count ? $0 : nil }
                    ?? UniformStickyPartitioner(numPartitions: count)
                let before = state.cachedPartition
                partition = state.sendPartition(availablePartitions: available, needsNewBatch: needsNewBatch, using: &random)
                stickyChanged = before != state.cachedPartition
                producer.uniformSticky[topicName] = state
            case .roundRobin:
                var state = producer.roundRobin[topicName].flatMap { $0.numPartitions == count ? $0 : nil }
                    ?? RoundRobinPartitioner(numPartitions: count)
                partition = state.sendPartition(availablePartitions: available, needsNewBatch: needsNewBatch)
                producer.roundRobin[topicName] = state
            }
        }
        let tp = TopicPartition(topicName, partition)
        if stickyChanged && producer.reportsBatches {
            emit(.stickyPartitionChanged(producer: name, topic: topicName, partition: partition))
        }
        let appended = accumulator.append(record, to: tp, nowMs: nowMs)
        if appended.newBatch && producer.reportsBatches { emit(.batchCreated(producer: name, partition: tp)) }
        if case .noKey(.builtIn) = choice, var state = producer.builtIn[topicName] {
            state.afterAppend(appendedBytes: appended.appendedBytes, allBatchesFull: accumulator.allBatchesFull(tp))
            producer.builtIn[topicName] = state
        }
        producer.accumulator = accumulator
        producers[name] = producer
        sendReady(producer: name, flush: producer.config.lingerMs == 0)
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
    func sendReady(producer name: String, flush: Bool, reason: String? = nil) {
        guard var producer = producers[name] else { return }
        let batches = producer.accumulator.drain(nowMs: nowMs, lingerMs: producer.config.lingerMs, flush: flush)
        producers[name] = producer
        for batch in batches {
            let why = reason ?? (batch.isFull ? "batch.size=\(producer.config.batchSize) reached"
                : flush ? "flush" : "linger.ms=\(producer.config.lingerMs) passed")
            if producer.reportsBatches {
                emit(.batchSent(producer: name, partition: batch.partition, records: batch.records.count,
                                bytes: batch.estimatedSize, reason: why))
            }
            let outcome: Result<Int64, KafkaError>
            do throws(KafkaError) {
                let result = try appendRecords(batch.records, to: batch.partition, acks: producer.config.acks)
                outcome = .success(producer.config.acks == .none ? -1 : result.firstOffset)
            } catch {
                outcome = .failure(error)
            }
            producer = producers[name]!
            producer.results[batch.id] = outcome
            producer.sentBatches += 1
            producer.sentRecords += batch.records.count
            producers[name] = producer
        }
        if let due = producer.accumulator.nextLingerDeadline(lingerMs: producer.config.lingerMs),
           producer.lingerTimerDue.map({ $0 > due }) ?? true {
            producers[name]!.lingerTimerDue = due
            scheduler.schedule(at: due, .producerLinger(producer: name))
        }
    }

    /// The `linger.ms` timer of a producer fired.
    func lingerExpired(producer name: String) {
        guard producers[name] != nil else { return }
        producers[name]!.lingerTimerDue = nil
        sendReady(producer: name, flush: false)
    }
}
