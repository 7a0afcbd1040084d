/// Topic configs → the partition log's `LogConfig` (Kafka's `LogConfig.fromProps`).
extension LogConfig {
    /// The log configuration of `topic`: its overrides over Kafka 4.0's defaults. Values were
    /// validated when set, so a value that does not parse keeps the default.
    public init(topic: Topic) {
        self.init()
        func long(_ key: String) -> Int64? { topic.config(key).flatMap { Int64($0.trimmingSpaces) } }
        func int(_ key: String) -> Int? { long(key).map { Int($0) } }
        if let v = int("segment.bytes") { segmentBytes = v }
        if let v = long("segment.ms") { segmentMs = v }
        if let v = long("segment.jitter.ms") { segmentJitterMs = v }
        if let v = long("retention.ms") { retentionMs = v }
        if let v = long("retention.bytes") { retentionBytes = v }
        if let v = topic.config("cleanup.policy").flatMap(CleanupPolicy.init(configValue:)) { cleanupPolicy = v }
        if let v = int("index.interval.bytes") { indexIntervalBytes = v }
        if let v = int("segment.index.bytes") { segmentIndexBytes = v }
        if let v = long("delete.retention.ms") { deleteRetentionMs = v }
        if let v = topic.config("min.cleanable.dirty.ratio").flatMap({ Double($0.trimmingSpaces) }) { minCleanableDirtyRatio = v }
        if let v = long("min.compaction.lag.ms") { minCompactionLagMs = v }
        if let v = int("max.message.bytes") { maxMessageBytes = v }
        messageTimestampType = topic.config("message.timestamp.type") == "LogAppendTime" ? .logAppendTime : .createTime
    }
}
