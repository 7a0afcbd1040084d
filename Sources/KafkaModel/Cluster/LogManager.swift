import Foundation

/// Kafka's `LogManager`: the `UnifiedLog` of every partition the cluster hosts, in one log
/// directory (`log.dirs`), plus kafkalab's metadata file that lets a cluster reopen.
///
/// kafkalab keeps one log per partition, the leader's (follower replicas arrive with the
/// replication issue; they will get their own logs here, keyed by broker).
public final class LogManager {
    /// Where the partition logs live.
    public enum Storage: Sendable, Equatable {
        /// In memory (unit tests).
        case memory
        /// Real segment files under a directory that is kept (`--data-dir`).
        case files(String)
        /// Real segment files under a fresh temporary directory, removed when the cluster goes.
        case temporaryFiles
    }

    /// The log directory, or nil in memory.
    public let logDir: String?
    private let removeOnDeinit: Bool
    /// Whether the cluster must be able to reopen from this directory (`--data-dir`): only then is
    /// kafkalab's metadata file kept up to date. A temporary directory dies with the session.
    public var keepsMetadata: Bool { logDir != nil && !removeOnDeinit }
    /// Partition logs by partition.
    public private(set) var logs: [TopicPartition: UnifiedLog] = [:]

    /// The name of kafkalab's metadata file inside the log directory.
    public static let metadataFileName = "kafkalab-metadata.json"

    init(storage: Storage) throws(LogError) {
        switch storage {
        case .memory:
            logDir = nil
            removeOnDeinit = false
        case .files(let path):
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            _ = try FileLogStorage(directory: absolute)
            logDir = absolute
            removeOnDeinit = false
        case .temporaryFiles:
            TemporaryFolders.removeAbandoned()
            var template = Array((NSTemporaryDirectory() + "/" + TemporaryFolders.prefix() + "XXXXXX").utf8CString)
            let made: String? = template.withUnsafeMutableBufferPointer { buffer in
                guard let result = mkdtemp(buffer.baseAddress!) else { return nil }
                return String(cString: result)
            }
            guard let made else { throw .storage(operation: "create directory", file: NSTemporaryDirectory(), reason: "mkdtemp failed") }
            logDir = made.replacingOccurrences(of: "//", with: "/")
            removeOnDeinit = true
        }
    }

    deinit {
        if removeOnDeinit, let logDir { try? FileManager.default.removeItem(atPath: logDir) }
    }


    /// The storage of one partition directory.
    func storage(for partition: TopicPartition) throws(LogError) -> any LogStorage {
        guard let logDir else { return InMemoryLogStorage(path: "/memory/\(partition)") }
        return try FileLogStorage(dataDirectory: logDir, topicPartition: partition)
    }

    /// Opens (recovering existing files) or creates the log of `partition`.
    func openLog(_ partition: TopicPartition, config: LogConfig, nowMs: Int64, logStartOffset: Int64? = nil,
                 cleanerCheckpoint: Int64? = nil) throws(LogError) -> (UnifiedLog, [LogEvent]) {
        let (log, events) = try UnifiedLog.open(topicPartition: partition, config: config, storage: try storage(for: partition),
                                                nowMs: nowMs, logStartOffset: logStartOffset, cleanerCheckpoint: cleanerCheckpoint)
        logs[partition] = log
        return (log, events)
    }

    /// Removes one partition's log and directory.
    func deleteLog(_ partition: TopicPartition) {
        if let storage = logs[partition]?.storage as? FileLogStorage { storage.closeAll() }
        logs[partition] = nil
        if let logDir { try? FileManager.default.removeItem(atPath: logDir + "/" + partition.description) }
    }

    /// Removes the logs (and directories) of a deleted topic.
    func deleteLogs(topic: String) {
        for partition in logs.keys where partition.topic == topic {
            if let storage = logs[partition]?.storage as? FileLogStorage { storage.closeAll() }
            logs[partition] = nil
            if let logDir { try? FileManager.default.removeItem(atPath: logDir + "/" + partition.description) }
        }
    }

    // MARK: Metadata

    /// Writes the metadata snapshot (write to a temporary file, then rename, so a crash leaves the old or the new).
    func writeMetadata(_ metadata: ClusterMetadataFile) {
        guard let logDir, let data = try? JSONEncoder.sorted.encode(metadata) else { return }
        let path = logDir + "/" + Self.metadataFileName
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        _ = rename(temporary, path)
    }

    /// The metadata snapshot, if the directory holds one.
    func readMetadata() -> ClusterMetadataFile? {
        guard let logDir, let data = FileManager.default.contents(atPath: logDir + "/" + Self.metadataFileName) else { return nil }
        return try? JSONDecoder().decode(ClusterMetadataFile.self, from: data)
    }
}

extension JSONEncoder {
    fileprivate static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }
}

/// kafkalab's metadata file (`kafkalab-metadata.json` in the log directory): what Kafka keeps in
/// its `__cluster_metadata` log and checkpoint files — brokers, topics with their partitions and
/// config overrides, each partition's log start offset and cleaner checkpoint, and simulated time.
struct ClusterMetadataFile: Codable {
    struct PartitionEntry: Codable {
        var replicas: [Int]
        var leader: Int?
        var isr: [Int]
        var leaderEpoch: Int
        var logStartOffset: Int64
        var cleanerCheckpoint: Int64
    }
    struct TopicEntry: Codable {
        var name: String
        var topicId: String
        var configs: [String: String]
        var partitions: [PartitionEntry]
    }
    var version = 1
    var brokerIds: [Int]
    var clockMs: Int64
    var topics: [TopicEntry]
}


/// kafkalab's temporary folders are named after the process that made them (`kafkalab-<pid>-…`), so
/// those left behind by a process that was killed (SIGKILL, SIGTERM, a crash) are removed by the next
/// kafkalab that starts: a perf test's gigabytes do not pile up in the temporary directory.
public enum TemporaryFolders {
    /// `kafkalab-<pid>-` (and `kafkalab-files-<pid>-` for a session's scratch files).
    public static func prefix(_ kind: String = "") -> String {
        "kafkalab-\(kind.isEmpty ? "" : kind + "-")\(getpid())-"
    }

    /// Removes temporary folders whose process is gone.
    public static func removeAbandoned() {
        let directory = NSTemporaryDirectory()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix("kafkalab-") {
            // Exactly kafkalab-<pid>-X or kafkalab-files-<pid>-X: nothing else is touched.
            let parts = name.split(separator: "-", omittingEmptySubsequences: false)
            let pidPart = parts.count >= 3 && parts[1] != "files" ? parts[1] : parts.count >= 4 && parts[1] == "files" ? parts[2] : nil
            guard let pidPart, pidPart.allSatisfy(\.isNumber), let pid = Int32(pidPart), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // still running (or someone else's)
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }
}
