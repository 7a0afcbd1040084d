// The partition leader's log: appends (`Partition.appendRecordsToLeader`), fetches up to the
// high watermark, retention and the log cleaner on simulated time.

extension Cluster {
    /// The log of a partition, or `UNKNOWN_TOPIC_OR_PARTITION`, whether or not it has a leader: for the
    /// broker's own work on its files (appends, retention, `log` inspection). Client reads use `leaderLog`.
    public func log(_ partition: TopicPartition) throws(KafkaError) -> UnifiedLog {
        let topic = try self.topic(partition.topic)
        guard partition.partition >= 0, partition.partition < topic.partitions.count, let log = logManager.logs[partition] else {
            throw .unknownTopicOrPartition("Partition \(partition.partition) of topic \(partition.topic) with partition count \(topic.partitions.count) does not exist.")
        }
        return log
    }

    /// The leader's append of one batch (`Partition.appendRecordsToLeader`): checks that the broker the metadata
    /// names leads the partition and, for `acks=all`, `min.insync.replicas`; then appends at its log end offset.
    /// Followers copy the batch on the clock; the high watermark moves when they have (at once without followers).
    @discardableResult
    public func appendRecords(_ records: [Record], to partition: TopicPartition, acks: ProducerConfig.Acks = .all,
                              reportAppend: Bool = true) throws(KafkaError) -> AppendResult {
        try appendRecords(records, repeating: records[0], count: 0, to: partition, acks: acks, reportAppend: reportAppend).result
    }

    /// `appendRecords` of `records` followed by `count` copies of `record`, sent to the leader the metadata names;
    /// also returns the leader's replica, for an `acks=all` produce to wait on.
    @discardableResult
    func appendRecords(_ records: [Record], repeating record: Record, count: Int, to partition: TopicPartition,
                       acks: ProducerConfig.Acks, reportAppend: Bool, producer: ProducerIdentity? = nil)
        throws(KafkaError) -> (result: AppendResult, leader: Partition) {
        try appendRecords(records, repeating: record, count: count, to: partition, on: try produceLeader(partition), acks: acks,
                          reportAppend: reportAppend, producer: producer)
    }

    /// The broker a producer sends a partition's batch to: the leader its metadata names, if it can reach it.
    func produceLeader(_ partition: TopicPartition) throws(KafkaError) -> Int {
        _ = try self.log(partition)
        guard let leader = topics[partition.topic]!.partitions[partition.partition].leader else {
            throw .leaderNotAvailable("There is no leader for this topic-partition as we are in the middle of a leadership election.")
        }
        guard broker(leader)?.isAlive == true else {
            // Until the controller fences a crashed leader, metadata still names it: the connection fails.
            throw crashedBrokers.contains(leader)
                ? .networkException("The server disconnected before a response was received. (broker \(leader) crashed; the controller fences it when its session runs out)")
                : .leaderNotAvailable("There is no leader for this topic-partition as we are in the middle of a leadership election.")
        }
        return leader
    }

    /// `ReplicaManager.appendRecords` on `broker` (`Partition.appendRecordsToLeader`): the broker must believe it
    /// leads the partition and, for `acks=all`, have `min.insync.replicas` in sync; then it appends at its log end.
    func appendRecords(_ records: [Record], repeating record: Record, count: Int, to partition: TopicPartition, on broker: Int,
                       acks: ProducerConfig.Acks, reportAppend: Bool, producer: ProducerIdentity?, isTransactional: Bool = false,
                       clientBatch: MemoryRecords? = nil, clientBatchRecordCount: Int = 0)
        throws(KafkaError) -> (result: AppendResult, leader: Partition) {
        _ = try self.log(partition)
        guard let replica = replica(partition, on: broker), replica.isLeader else {
            throw .notLeaderOrFollower("This server is not the leader for that topic-partition.")
        }
        if acks == .all, replica.isr.count < replica.effectiveMinIsr(minInsyncReplicas(partition.topic)) {
            // The broker logs "The size of the current ISR Set(1) is insufficient to satisfy the min.isr requirement of 2
            // for partition t-0"; the client gets the error code, whose text is this.
            throw .notEnoughReplicas("Messages are rejected since there are fewer in-sync replicas than required.")
        }
        if let producer, testOnlyPlantedBug != .leaderIgnoresProducerDedupe, let duplicate = replica.log.duplicateBatch(producer, count: clientBatch == nil ? records.count + count : clientBatchRecordCount) {
            // A retry of a batch the log already holds (its first answer was lost or timed out): answered with the
            // original offsets, written once.
            let n = Int(duplicate.lastOffset - duplicate.firstOffset + 1)
            let result = AppendResult(firstOffset: duplicate.firstOffset, lastOffset: duplicate.lastOffset, logAppendTime: -1,
                                      maxTimestamp: -1, logStartOffset: replica.log.logStartOffset, recordCount: n,
                                      sizeInBytes: 0, events: [])
            if reportAppend {
                emit(.replication(.duplicateBatchAnswered(
                    partition: partition, broker: broker, producerId: producer.producerId, epoch: producer.producerEpoch,
                    firstSequence: producer.baseSequence,
                    lastSequence: RecordBatch.incrementSequence(producer.baseSequence, by: Int32(n - 1)),
                    firstOffset: duplicate.firstOffset, lastOffset: duplicate.lastOffset)))
            }
            return (result, replica)
        }
        let result: AppendResult
        do throws(LogError) {
            if let clientBatch {
                result = try replica.log.append(clientBatch: clientBatch, nowMs: nowMs)
            } else {
                result = try replica.log.append(records: records, repeating: record, count: count, nowMs: nowMs, producer: producer,
                                                isTransactional: isTransactional)
            }
        } catch {
            throw KafkaError(error)
        }
        emit(result.events, partition: partition, reportAppend: reportAppend)
        leaderAppended(replica)
        return (result, replica)
    }

    /// Records a consumer may read from `offset` (below the high watermark), at most `maxRecords`; only the
    /// leader answers (`leaderLog`).
    public func fetch(_ partition: TopicPartition, from offset: Int64, maxRecords: Int = Int.max,
                      at broker: Int? = nil) throws(KafkaError) -> [Record] {
        let log = try leaderLog(partition, at: broker)
        do throws(LogError) {
            return try log.read(from: offset, maxRecords: maxRecords, endOffset: log.highWatermark)
        } catch {
            throw KafkaError(error)
        }
    }

    /// The zero-copy consumer read: whole batches from `offset` on, about `maxBytes` of them, below the high
    /// watermark, as `RecordView`s in `fetched` (see `UnifiedLog.fetch`). Continue from `fetched.nextOffset`.
    public func fetch(_ partition: TopicPartition, from offset: Int64, maxBytes: Int = 1 << 20,
                      into fetched: FetchedRecords) throws(KafkaError) {
        let log = try leaderLog(partition)
        do throws(LogError) {
            try log.fetch(from: offset, maxBytes: maxBytes, endOffset: log.highWatermark, into: fetched)
        } catch {
            throw KafkaError(error)
        }
    }

    /// One retention pass over every log (the broker's `kafka-log-retention` task).
    public func runRetention() {
        for partition in logManager.logs.keys.sorted() {
            for replica in replicas(of: partition) {
                guard let events = try? replica.log.deleteOldSegments(nowMs: nowMs) else { continue }
                // Each broker runs retention on its own replicas; the learner sees the leader's.
                if replica.log === logManager.logs[partition] { emit(events, partition: partition, reportAppend: true) }
            }
        }
    }

    /// One pass of the log cleaner over compacted logs; `topic` with `force` compacts that topic now
    /// (kafkalab's `compact`), whatever its dirty ratio. Returns per-partition (removed, kept).
    @discardableResult
    public func runCleaner(topic only: String? = nil, force: Bool = false) throws(KafkaError) -> [TopicPartition: (removed: Int, kept: Int)] {
        var outcome: [TopicPartition: (removed: Int, kept: Int)] = [:]
        // Only compacted logs have anything to clean; the check runs every 15 s of simulated time. It first
        // asks each log cheaply whether it has a cleanable range, so a long tick over idle compacted logs
        // (__consumer_offsets' 50 partitions) allocates and sorts nothing.
        var candidates: [TopicPartition: UnifiedLog] = [:]
        for (partition, log) in logManager.logs where log.config.cleanupPolicy.compact && (only == nil || partition.topic == only) {
            if force || log.hasCleanableRange(nowMs: nowMs) { candidates[partition] = log }
        }
        for partition in candidates.keys.sorted() {
            let log = candidates[partition]!
            let events: [LogEvent]
            do throws(LogError) { events = try log.clean(nowMs: nowMs, force: force) } catch { throw KafkaError(error) }
            for case .compacted(let removed, let kept) in events { outcome[partition] = (removed, kept) }
            emit(events, partition: partition, reportAppend: true)
        }
        return outcome
    }

    /// Turns a log's events into cluster events.
    func emit(_ events: [LogEvent], partition: TopicPartition, reportAppend: Bool) {
        for event in events {
            switch event {
            case let .recordsAppended(first, last, count, bytes):
                if reportAppend {
                    emit(.recordsAppended(partition: partition, firstOffset: first, lastOffset: last, count: count, bytes: bytes))
                }
            case let .segmentRolled(base, reason):
                emit(.segmentRolled(partition: partition, baseOffset: base, reason: reason))
            case let .segmentDeleted(base, reason):
                emit(.segmentDeleted(partition: partition, baseOffset: base, reason: reason))
            case let .logStartOffsetIncremented(from, to):
                emit(.logStartOffsetIncremented(partition: partition, from: from, to: to))
            case let .compacted(removed, kept):
                emit(.logCompacted(partition: partition, removed: removed, kept: kept))
            case let .recoveryTruncated(bytes, records):
                emit(.logTruncatedOnRecovery(partition: partition, bytes: bytes, records: records))
            case let .recoveryFoundGap(from, to):
                emit(.logGapOnRecovery(partition: partition, from: from, to: to))
            }
        }
    }

    // MARK: Metadata file

    /// The metadata snapshot written to the log directory.
    var metadataSnapshot: ClusterMetadataFile { metadataSnapshot(of: topics) }

    /// The metadata snapshot with `topics` (a controller result's, before it is replayed).
    func metadataSnapshot(of topics: [String: Topic]) -> ClusterMetadataFile {
        ClusterMetadataFile(
            brokerIds: brokers.map(\.id), controllers: config.controllerCount, clockMs: nowMs,
            topics: topics.keys.sorted().map { name in
                let topic = topics[name]!
                return .init(name: name, topicId: topic.topicId, configs: topic.configOverrides,
                             partitions: topic.partitions.enumerated().map { index, state in
                                 let log = logManager.logs[TopicPartition(name, index)]
                                 return .init(replicas: state.replicas, leader: state.leader, isr: state.isr,
                                              leaderEpoch: state.leaderEpoch, logStartOffset: log?.logStartOffset ?? 0,
                                              cleanerCheckpoint: log?.cleanerCheckpoint ?? 0)
                             })
            })
    }

    /// Whether an event changes what the metadata file holds.
    static func changesMetadata(_ kind: ClusterEvent.Kind) -> Bool {
        switch kind {
        case .topicCreated, .topicDeleted, .partitionsAdded, .topicConfigChanged, .leaderElected, .isrShrunk, .isrExpanded,
             .clockAdvanced, .logStartOffsetIncremented, .logCompacted:
            return true
        default:
            return false
        }
    }
}
