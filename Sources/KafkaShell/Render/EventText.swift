import KafkaModel

/// Words for cluster events, as the learner reads them under a command and in `events`.
public enum EventText {
    /// `TopicCreated orders: 3 partitions, replication factor 3`, prefixed with the time
    /// of day when the event happened later than the command began (a timer fired).
    public static func line(_ event: ClusterEvent, relativeTo startMs: Int64?) -> String {
        line(event, details: details(event.kind), relativeTo: startMs)
    }

    /// The same with other details (a folded line, see `EventFolding`).
    public static func line(_ event: ClusterEvent, details: String, relativeTo startMs: Int64?) -> String {
        let body = "\(event.kind.name) \(details)"
        if let startMs, event.timestampMs != startMs {
            return "[\(moment(event.timestampMs, since: startMs))] " + body
        }
        return body
    }

    /// The time of day, or the date and time once the day is not the reference's.
    static func moment(_ ms: Int64, since referenceMs: Int64) -> String {
        ms / 86_400_000 == referenceMs / 86_400_000 ? Timestamp.timeOfDay(ms) : Timestamp.short(ms)
    }

    /// What happened, without the event's name.
    public static func details(_ kind: ClusterEvent.Kind) -> String {
        switch kind {
        case .replication(let event):
            return replicationDetails(event)
        case .transaction(let event):
            return TransactionEventText.details(event)
        case .brokerRegistered(let broker):
            return "broker \(broker) joined the cluster"
        case .controllerElected(let broker):
            return "broker \(broker) is the active controller"
        case .brokerFenced(let broker):
            return "broker \(broker) was fenced"
        case .brokerUnfenced(let broker):
            return "broker \(broker) is back and unfenced"
        case let .quorumLost(running, voters, majority):
            return "no active controller: \(running) of \(voters) controller-quorum voters running, a majority is \(majority); metadata is frozen"
        case .topicCreated(let topic, let partitions, let factor):
            return "\(topic): \(partitions) partition\(partitions == 1 ? "" : "s"), replication factor \(factor)"
        case .topicDeleted(let topic):
            return "\(topic)"
        case .partitionsAdded(let topic, let from, let to):
            return "\(topic): \(from) → \(to) partitions"
        case .topicConfigChanged(let topic, let key, let value):
            return value.map { "\(topic): \(key)=\($0)" } ?? "\(topic): \(key) back to its default"
        case .leaderElected(let partition, let leader, let epoch, let reason):
            let who = leader.map { "broker \($0)" } ?? "none (no in-sync replica is alive)"
            return "\(partition) leader → \(who), epoch \(epoch) (\(words(reason)))"
        case .isrShrunk(let partition, let isr, let removed):
            return "\(partition) ISR [\(isr.map(String.init).joined(separator: ","))] (broker \(removed) left)"
        case .isrExpanded(let partition, let isr, let added):
            return "\(partition) ISR [\(isr.map(String.init).joined(separator: ","))] (broker \(added) caught up)"
        case .clockAdvanced(let from, let to):
            return "\(moment(from, since: from)) → \(moment(to, since: from)) (+\(SimulatedDuration.format(to - from)))"
        case let .recordsAppended(partition, first, last, count, bytes):
            let offsets = first == last ? "offset \(first)" : "offsets \(first)..\(last)"
            return "\(partition) \(offsets) (\(count) record\(count == 1 ? "" : "s"), batch of \(bytes) bytes)"
        case let .segmentRolled(partition, base, reason):
            return "\(partition) new active segment \(LogSegment.filenamePrefix(base)).log (\(words(reason)))"
        case let .segmentDeleted(partition, base, reason):
            return "\(partition) segment \(LogSegment.filenamePrefix(base)).log deleted (\(words(reason)))"
        case let .logStartOffsetIncremented(partition, from, to):
            return "\(partition) log start offset \(from) → \(to)"
        case let .logCompacted(partition, removed, kept):
            return "\(partition) cleaner removed \(removed) record\(removed == 1 ? "" : "s"), kept \(kept)"
        case let .logTruncatedOnRecovery(partition, bytes, records):
            return "\(partition) recovery truncated \(bytes) bytes (\(records) record\(records == 1 ? "" : "s")) of a torn or corrupt tail"
        case let .logGapOnRecovery(partition, from, to):
            return "\(partition) has no segment holding offset\(from == to ? " \(from)" : "s \(from)..\(to)"): a segment file is missing, those records are lost"
        case let .producerStarted(producer, acks, linger, batchSize, partitioner):
            return "\(producer): acks=\(acks.rawValue) linger.ms=\(linger) batch.size=\(batchSize) partitioner=\(partitioner.rawValue)"
        case .producerClosed(let producer):
            return "\(producer)"
        case let .batchCreated(producer, partition, batch):
            return "\(producer) opened batch \(batch) for \(partition)"
        case let .batchSent(producer, partition, records, bytes, reason):
            return "\(producer) → \(partition): \(records) record\(records == 1 ? "" : "s"), \(bytes) bytes (\(words(reason)))"
        case let .stickyPartitionChanged(producer, topic, partition):
            return "\(producer) picked partition \(partition) of \(topic) for its next batch of keyless records"
        case let .produceFailed(producer, partition, batch, records, attempt, error, retryInMs):
            let then = retryInMs.map { "retrying in \($0) ms" } ?? "failed for good"
            return "\(producer) → \(partition): batch \(batch) (\(records) record\(records == 1 ? "" : "s")), attempt \(attempt): \(error.errorName) (\(error.message)); \(then)"
        case let .batchExpired(producer, partition, records, reason):
            let message = reason.error(records: records, partition: partition).message
            // Closing says which records it dropped; the timeout's own text already does.
            return "\(producer): " + (reason == .producerClosed || reason == .transactionAborted
                ? "\(records) record(s) for \(partition): \(message)" : message)
        case .group(let event):
            return ConsumerEventText.details(event)
        }
    }

    /// Why a partition got a new leader.
    static func words(_ reason: ClusterEvent.ElectionReason) -> String {
        switch reason {
        case .leaderFailed: return "leader failed"
        case .preferred: return "preferred leader election"
        case .restarted: return "replica came back"
        case .unclean: return "unclean leader election: ISR reset to the new leader"
        case .requested: return "leader election requested"
        }
    }

    /// What made the log roll: the config it reached, where there is one.
    static func words(_ reason: RollReason) -> String {
        switch reason {
        case .segmentBytes: return "segment.bytes"
        case .segmentMs: return "segment.ms"
        case .indexFull: return "segment.index.bytes"
        case .offsetOverflow: return "offset overflow"
        case .forced: return "forced"
        case .retention: return "retention"
        }
    }

    /// The retention limit a deleted segment broke.
    static func words(_ reason: SegmentDeletionReason) -> String {
        switch reason {
        case .retentionMs: return "retention.ms"
        case .retentionBytes: return "retention.bytes"
        case .logStartOffset: return "log start offset"
        }
    }

    /// Why a producer's batch was ready to send.
    static func words(_ reason: BatchSendReason) -> String {
        switch reason {
        case .lingerZero: return "linger.ms=0"
        case .batchFull(let batchSize): return "batch.size=\(batchSize) reached"
        case .flush: return "flush"
        case .lingerPassed(let lingerMs): return "linger.ms=\(lingerMs) passed"
        case .previousBatchDone: return "the batch before it was done"
        }
    }

    /// Replication events.
    static func replicationDetails(_ event: ReplicationEvent) -> String {
        func offsets(_ first: Int64, _ last: Int64) -> String { first == last ? "offset \(first)" : "offsets \(first)..\(last)" }
        func records(_ n: Int) -> String { "\(n) record\(n == 1 ? "" : "s")" }
        switch event {
        case let .replicaFetched(partition, follower, leader, first, last, count):
            return "\(partition) broker \(follower) copied \(offsets(first, last)) from leader \(leader) (\(records(count)))"
        case let .highWatermarkAdvanced(partition, leader, from, to):
            return "\(partition) \(from) → \(to) on leader \(leader)"
        case let .replicaTruncated(partition, broker, to, count, reason):
            switch reason {
            case let .divergingEpoch(leader, epoch, end):
                return epoch < 0
                    ? "\(partition) broker \(broker) dropped its whole log (\(records(count))): leader \(leader)'s log now starts at \(end)"
                    : "\(partition) broker \(broker) truncated to offset \(to), dropping \(records(count)) its leader \(leader) does not have (leader epoch \(epoch) ended at offset \(end) there)"
            case .unflushed:
                return "\(partition) broker \(broker) lost \(records(count)) not yet flushed to disk; its log now ends at \(to)"
            }
        case let .produceAcknowledged(producer, partition, batch, offset, waited):
            return "\(producer) ← \(partition): batch \(batch) acknowledged at offset \(offset) after \(waited) ms (acks=all: the high watermark passed it)"
        case let .brokerKilled(broker, lose):
            return "broker \(broker) crashed (no controlled shutdown)\(lose ? "; records not flushed to disk are lost" : ""): it stays leader and in-sync until the controller fences it"
        case .brokerSessionExpired(let broker):
            return "broker \(broker) sent no heartbeat for broker.session.timeout.ms (9 s): the controller fences it"
        case let .fetchDelayChanged(broker, delay):
            return delay == 0 ? "broker \(broker) fetches from its leaders without delay again"
                : "broker \(broker) waits \(SimulatedDuration.format(delay)) before each fetch from its leaders"
        case let .networkPartitioned(broker, isolated):
            return isolated ? "broker \(broker) is cut off from the other brokers and the controller (clients still reach it)"
                : "broker \(broker) is connected again"
        case .networkLatencyChanged(let latency):
            return "broker-to-broker messages now take \(latency) ms each way"
        case let .clientFaultsChanged(broker, faults):
            return faults.isEmpty ? "produce requests to broker \(broker) and their answers get through again"
                : "broker \(broker) \(faults.summary)"
        case let .produceLost(producer, partition, broker, batch, response):
            return response
                ? "\(producer) → \(partition): the answer to batch \(batch) was lost on its way back from broker \(broker) (the batch is in the log; the producer hears nothing)"
                : "\(producer) → \(partition): batch \(batch) was lost on its way to broker \(broker) (nothing appended; the producer hears nothing)"
        case let .produceAnswerArrived(producer, partition, broker, batch, delay):
            return "\(producer) ← \(partition): broker \(broker)'s answer to batch \(batch) arrived \(SimulatedDuration.format(delay)) after it was sent (network delay \(broker))"
        case let .producerEpochBumped(producer, id, epoch):
            return "\(producer): producer \(id) bumps its epoch to \(epoch) and numbers every partition's records from sequence 0 again (a batch with sequence numbers failed)"
        case let .producerDisconnected(producer, broker):
            return "\(producer): Disconnecting from node \(broker) due to request timeout."
        case let .duplicateBatchAnswered(partition, broker, producerId, epoch, first, last, firstOffset, lastOffset):
            return "\(partition) leader \(broker) already has producer \(producerId)'s batch (epoch \(epoch), sequences \(first)–\(last)) at offsets \(firstOffset)–\(lastOffset): answered with those offsets, nothing appended"
        }
    }
}
