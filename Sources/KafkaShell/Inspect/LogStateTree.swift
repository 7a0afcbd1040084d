import KafkaModel

/// The log's branches of the state tree: each partition's offsets and segments, a topic's records,
/// and producers. All lazy, so checks that do not reach them read no segment file.
enum LogStateTree {
    static func partition(_ cluster: Cluster, _ tp: TopicPartition) -> [(String, StateValue)] {
        guard let log = cluster.logManager.logs[tp] else { return [] }
        return [
            ("logStartOffset", .int(log.logStartOffset)), ("logEndOffset", .int(log.logEndOffset)),
            ("highWatermark", .int(log.highWatermark)),
            // Where read_committed consumers stop: the first offset of the oldest open transaction, else the HW.
            ("lastStableOffset", .int(log.lastStableOffset)), ("size", .int(log.size)),
            ("segments", .later { .list(segments(log)) }),
            // What a consumer can read, fetched from the leader: null while the partition has no leader.
            ("records", .later {
                guard let records = try? cluster.fetch(tp, from: log.logStartOffset) else { return .null }
                return .list(records.map { record($0, partition: tp.partition) })
            }),
        ]
    }

    static func segments(_ log: UnifiedLog) -> [StateValue] {
        log.segments.enumerated().map { index, segment in
            let next = index + 1 < log.segments.count ? log.segments[index + 1].baseOffset : log.logEndOffset
            let from = max(segment.baseOffset, log.logStartOffset)
            return .object([
                ("baseOffset", .int(segment.baseOffset)), ("file", .string(segment.logFileName)), ("size", .int(segment.size)),
                ("firstOffset", segment.firstOffset.map { .int($0) } ?? .null), ("lastOffset", segment.lastOffset.map { .int($0) } ?? .null),
                ("records", .later { .int(from < next ? ((try? log.read(from: from, endOffset: next).count) ?? 0) : 0) }),
                ("maxTimestamp", .int(segment.maxTimestamp)), ("active", .bool(index == log.segments.count - 1)),
            ])
        }
    }

    static func record(_ record: Record, partition: Int) -> StateValue {
        .object([
            ("partition", .int(partition)), ("offset", .int(record.offset)), ("timestamp", .int(record.timestamp)),
            ("key", record.key.map { .string(RecordReport.text($0)) } ?? .null),
            ("value", record.value.map { .string(RecordReport.text($0)) } ?? .null),
            ("headers", .object(record.headers.map { ($0.key, $0.value.map { .string(RecordReport.text($0)) } ?? .null) })),
        ])
    }

    /// Every record a consumer can read from the topic, fetched from the partition leaders; a partition
    /// without a leader contributes none.
    static func records(_ cluster: Cluster, _ topic: Topic) -> StateValue {
        var all: [StateValue] = []
        for p in topic.partitions.indices {
            let tp = TopicPartition(topic.name, p)
            guard let log = cluster.logManager.logs[tp], let records = try? cluster.fetch(tp, from: log.logStartOffset) else { continue }
            all += records.map { record($0, partition: p) }
        }
        return .list(all)
    }

    static func producer(_ producer: KafkaProducer) -> StateValue {
        .object([
            ("name", .string(producer.name)), ("acks", .string(producer.config.acks.rawValue)),
            ("lingerMs", .int(producer.config.lingerMs)), ("batchSize", .int(producer.config.batchSize)),
            ("partitioner", .string(producer.config.partitioner.rawValue)),
            ("waitingRecords", .int(producer.accumulator.pendingRecords)),
            ("sentBatches", .int(producer.sentBatches)), ("sentRecords", .int(producer.sentRecords)),
            ("failedRecords", .int(producer.failedRecords)), ("retryingRecords", .int(producer.retryingRecords)),
        ] + (producer.transactionManager.map { [("transaction", TransactionStateTree.producer($0))] } ?? []))
    }
}
