// Client reads go to the partition leader. Kafka's brokers serve Fetch (`ReplicaManager.fetchMessages`) and
// ListOffsets (`ReplicaManager.fetchOffset`) for consumers only from the leader's log; a partition whose
// leader is gone has no broker to ask. Every read path of kafkalab (consume, the console consumer, simulated
// consumers, the perf tool, reset-offsets, lag, the state tree's records) goes through `leaderLog`.

/// The offsets a ListOffsets request returns for the earliest and latest specs (read_uncommitted: the
/// latest offset is the high watermark).
public struct ListedOffsets: Sendable, Equatable {
    public let logStartOffset: Int64
    public let highWatermark: Int64
}

extension Cluster {
    /// The leader's log of a partition, checked as the broker checks a client's Fetch or ListOffsets.
    /// `broker` is where the client sent the request; nil means the leader its metadata names.
    ///
    /// - `UNKNOWN_TOPIC_OR_PARTITION`: no such topic or partition.
    /// - `LEADER_NOT_AVAILABLE`: the partition has no leader (what the Metadata response says for it, so a
    ///   client sends no request and retries after `retry.backoff.ms`).
    /// - `NOT_LEADER_OR_FOLLOWER`: `broker` is not the partition's leader (the client refreshes its metadata).
    public func leaderLog(_ partition: TopicPartition, at broker: Int? = nil) throws(KafkaError) -> UnifiedLog {
        let log = try self.log(partition)
        let state = topics[partition.topic]!.partitions[partition.partition]
        guard let leader = state.leader, self.broker(leader)?.isAlive == true else {
            throw .leaderNotAvailable(noLeaderMessage(partition, state))
        }
        if let broker, broker != leader {
            throw .notLeaderOrFollower("Leader not local for partition \(partition) on broker \(broker)")
        }
        return log
    }

    /// The broker a client sends a partition's Fetch or ListOffsets to: the leader its metadata names.
    /// Throws as `leaderLog` does when there is none to ask.
    func clientLeader(_ partition: TopicPartition) throws(KafkaError) -> Int {
        _ = try leaderLog(partition)
        return topics[partition.topic]!.partitions[partition.partition].leader!
    }

    /// ListOffsets for the earliest and latest offsets, answered by the leader.
    public func listOffsets(_ partition: TopicPartition, at broker: Int? = nil) throws(KafkaError) -> ListedOffsets {
        let log = try leaderLog(partition, at: broker)
        return ListedOffsets(logStartOffset: log.logStartOffset, highWatermark: log.highWatermark)
    }

    /// Why a partition has no leader, and what brings it back.
    private func noLeaderMessage(_ partition: TopicPartition, _ state: PartitionState) -> String {
        let stopped = state.isr.filter { broker($0)?.isAlive != true }
        guard let first = stopped.first else {
            return "There is no leader for this topic-partition as we are in the middle of a leadership election."
        }
        let who = stopped.count == 1 ? "in-sync replica, broker \(first), is" : "in-sync replicas, brokers \(stopped.map(String.init).joined(separator: ", ")), are"
        return "Partition \(partition) has no leader: its \(who) stopped. Start it to read the partition again: broker start \(first)"
    }
}

// MARK: - Simulated consumers waiting for a leader

extension Cluster {
    /// The consumer's `retry.backoff.ms` default: how soon it asks for metadata again when a partition has no leader.
    public static let consumerRetryBackoffMs: Int64 = 100
    /// `retry.backoff.max.ms`: the backoff doubles on each retry up to this.
    public static let consumerRetryBackoffMaxMs: Int64 = 1000

    /// The wait before the next retry while a partition has no leader (100, 200, 400, 800, 1000, 1000, ... ms;
    /// Kafka adds ±20% jitter, kafkalab stays deterministic).
    func leaderRetryBackoff(_ c: KafkaConsumer) -> Int64 {
        let backoff = Self.consumerRetryBackoffMs << Int64(min(c.leaderRetries, 10))
        c.leaderRetries += 1
        return min(backoff, Self.consumerRetryBackoffMaxMs)
    }

    /// A consumer cannot fetch (or list offsets of) `tp`: it says so once and keeps retrying quietly.
    func awaitLeader(_ c: KafkaConsumer, _ tp: TopicPartition, _ error: KafkaError) {
        guard c.waitingForLeader[tp] == nil else { return }
        if c.waitingForLeader.isEmpty { c.leaderRetries = 0 }
        c.waitingForLeader[tp] = error
        emit(.group(.fetchWaiting(consumer: c.name, partition: tp, error: error)))
    }

    /// `tp` has a leader again: the consumer fetches from it.
    func leaderFound(_ c: KafkaConsumer, _ tp: TopicPartition) {
        guard c.waitingForLeader.removeValue(forKey: tp) != nil else { return }
        if c.waitingForLeader.isEmpty { c.leaderRetries = 0 }
        if let leader = topics[tp.topic]?.partitions[tp.partition].leader {
            emit(.group(.fetchResumed(consumer: c.name, partition: tp, leader: leader)))
        }
    }
}

// MARK: - ListOffsets by time

extension Cluster {
    /// ListOffsets with `MAX_TIMESTAMP` (-3): the offset of the first record with the largest timestamp, if it is
    /// below the high watermark (read_uncommitted); nil (Kafka's -1) for an empty log.
    public func offsetOfMaxTimestamp(_ tp: TopicPartition) -> Int64? {
        guard let log = logManager.logs[tp], let records = try? log.read(from: log.logStartOffset) else { return nil }
        var best: Record?
        for record in records where best == nil || record.timestamp > best!.timestamp { best = record }
        guard let best, best.offset < log.highWatermark else { return nil }
        return best.offset
    }
}
