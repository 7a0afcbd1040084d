import Foundation

// The files Kafka keeps at the top of each broker's log directory (here `<data-dir>/broker-<id>/`):
// `meta.properties` (written when the directory is formatted: `MetaProperties` / `PropertiesUtils`),
// `replication-offset-checkpoint` (every partition's high watermark, `ReplicaManager.checkpointHighWatermarks`,
// every `replica.high.watermark.checkpoint.interval.ms`) and `recovery-point-offset-checkpoint` (how far each log
// is flushed, `LogManager.checkpointLogRecoveryOffsets`). kafkalab writes them in a kept `--data-dir` only, when
// their text changes: after metadata writes and at the end of each shell command, never per record.

extension Cluster {
    /// The id of each broker's log directory (`directory.id`), fixed by the seed: the same ids the metadata quorum
    /// shows as the voters' `directoryId` (combined nodes keep the metadata log in their one log directory).
    public var logDirectoryIds: [Int: String] {
        let ids = Self.seededUuids(config.seed, count: brokers.count + 1).dropFirst()
        return Dictionary(uniqueKeysWithValues: zip(brokers.map(\.id), ids))
    }

    /// Writes every running broker's `meta.properties` (once) and its two offset checkpoints (when they changed).
    /// Nothing is written outside a kept `--data-dir`. A failure is kept in `metadataProblem` like the metadata file's.
    public func writeBrokerFiles() {
        guard logManager.keepsMetadata, !loading else { return }
        logManager.writePendingIndexEntries()
        let directoryIds = logDirectoryIds
        do throws(LogError) {
            for broker in brokers where broker.isAlive {
                try logManager.writeMetaPropertiesIfMissing(broker: broker.id, clusterId: clusterId,
                                                            directoryId: directoryIds[broker.id] ?? "", nowMs: nowMs)
                let replicas = replicaManagers[broker.id]?.partitions ?? [:]
                var highWatermarks: [(TopicPartition, Int64)] = []
                var recoveryPoints: [(TopicPartition, Int64)] = []
                for (tp, replica) in replicas {
                    highWatermarks.append((tp, replica.log.highWatermark))
                    // Kafka flushes a segment when the next one is rolled: the recovery point is the active segment's base.
                    recoveryPoints.append((tp, replica.log.activeSegment.baseOffset))
                }
                try logManager.writeCheckpointIfChanged(broker: broker.id, name: LogManager.replicationOffsetCheckpointFile, highWatermarks)
                try logManager.writeCheckpointIfChanged(broker: broker.id, name: LogManager.recoveryPointOffsetCheckpointFile, recoveryPoints)
            }
        } catch {
            metadataProblem = error.description
        }
    }
}

extension LogManager {
    /// `meta.properties`.
    public static let metaPropertiesFile = "meta.properties"
    /// `replication-offset-checkpoint`: high watermarks.
    public static let replicationOffsetCheckpointFile = "replication-offset-checkpoint"
    /// `recovery-point-offset-checkpoint`: flushed offsets.
    public static let recoveryPointOffsetCheckpointFile = "recovery-point-offset-checkpoint"

    /// The path of a file in a broker's folder.
    func brokerFilePath(_ broker: Int, _ name: String) -> String? {
        logDir.map { $0 + "/" + Self.brokerFolder(broker) + "/" + name }
    }

    /// `meta.properties` as `Properties.store(writer, "")` writes it: an empty comment, the date (Java's
    /// `Date.toString`, here the simulated clock in UTC), then the keys in the order of Java's hash table.
    public static func metaPropertiesText(nodeId: Int, clusterId: String, directoryId: String, nowMs: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM dd HH:mm:ss 'UTC' yyyy"
        let date = formatter.string(from: Date(timeIntervalSince1970: Double(nowMs) / 1000))
        return "#\n#\(date)\nnode.id=\(nodeId)\ndirectory.id=\(directoryId)\nversion=1\ncluster.id=\(clusterId)\n"
    }

    /// Writes a broker's `meta.properties` unless its folder has one (Kafka never rewrites it).
    func writeMetaPropertiesIfMissing(broker: Int, clusterId: String, directoryId: String, nowMs: Int64) throws(LogError) {
        guard let path = brokerFilePath(broker, Self.metaPropertiesFile), !writtenBrokerFiles.keys.contains(path) else { return }
        if !FileManager.default.fileExists(atPath: path) {
            try createBrokerFolder(broker)
            try writeFileAtomically(path, Array(Self.metaPropertiesText(nodeId: broker, clusterId: clusterId, directoryId: directoryId,
                                                                        nowMs: nowMs).utf8))
        }
        writtenBrokerFiles[path] = ""
    }

    private func createBrokerFolder(_ broker: Int) throws(LogError) {
        guard let logDir else { return }
        let folder = logDir + "/" + Self.brokerFolder(broker)
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw .storage(operation: "create directory", file: folder, reason: "\(error.localizedDescription)")
        }
    }

    /// `OffsetCheckpointFile`'s text: version 0, the entry count, then `topic partition offset` lines (sorted here;
    /// Kafka writes them in its map's order).
    public static func checkpointText(_ entries: [(TopicPartition, Int64)]) -> String {
        let sorted = entries.sorted { $0.0.topic != $1.0.topic ? $0.0.topic < $1.0.topic : $0.0.partition < $1.0.partition }
        var text = "0\n\(sorted.count)\n"
        for (tp, offset) in sorted { text += "\(tp.topic) \(tp.partition) \(offset)\n" }
        return text
    }

    /// Reads an offset checkpoint's text; nil if it is not one (wrong version, count or line).
    public static func parseCheckpoint(_ text: String) -> [TopicPartition: Int64]? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count >= 2, lines[0] == "0", let count = Int(lines[1]), count >= 0 else { return nil }
        let entries = lines.dropFirst(2).filter { !$0.isEmpty }
        guard entries.count == count else { return nil }
        var offsets: [TopicPartition: Int64] = [:]
        for line in entries {
            let parts = line.split(separator: " ")
            guard parts.count == 3, let partition = Int(parts[1]), partition >= 0, let offset = Int64(parts[2]), offset >= 0 else { return nil }
            offsets[TopicPartition(String(parts[0]), partition)] = offset
        }
        return offsets
    }

    /// A broker's checkpoint file, or nil when it has none (or an unreadable one).
    func readCheckpoint(broker: Int, name: String) -> [TopicPartition: Int64]? {
        guard let path = brokerFilePath(broker, name), let data = FileManager.default.contents(atPath: path) else { return nil }
        return Self.parseCheckpoint(String(decoding: data, as: UTF8.self))
    }

    /// Writes a checkpoint atomically when its text differs from what this process last wrote there.
    func writeCheckpointIfChanged(broker: Int, name: String, _ entries: [(TopicPartition, Int64)]) throws(LogError) {
        guard let path = brokerFilePath(broker, name) else { return }
        let text = Self.checkpointText(entries)
        guard writtenBrokerFiles[path] != text else { return }
        try createBrokerFolder(broker)
        try writeFileAtomically(path, Array(text.utf8))
        writtenBrokerFiles[path] = text
    }
}
