import Foundation

/// Kafka's `LogManager`: the `UnifiedLog` of every replica the brokers host, each broker in its own
/// folder of the log directory (`broker-<id>/<topic>-<partition>/`, as each broker has its own `log.dirs`),
/// plus kafkalab's metadata file that lets a cluster reopen.
///
/// `logs` names, for each partition, the replica clients read and write: its leader's, or the last
/// leader's while the partition has none (the cluster moves it on every election).
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
    /// Each partition's current leader replica log (the last leader's while it has none).
    public private(set) var logs: [TopicPartition: UnifiedLog] = [:]
    /// Every replica's log: by partition, then by broker id.
    public private(set) var replicaLogs: [TopicPartition: [Int: UnifiedLog]] = [:]

    /// The folder of one broker's replicas inside the log directory.
    public static func brokerFolder(_ broker: Int) -> String { "broker-\(broker)" }

    /// Makes `broker`'s replica the one `logs` names for `partition` (after an election).
    func promote(_ partition: TopicPartition, broker: Int) {
        if let log = replicaLogs[partition]?[broker] { logs[partition] = log }
    }

    /// The name of kafkalab's metadata file inside the log directory.
    public static let metadataFileName = "kafkalab-metadata.json"

    /// The descriptor holding the exclusive lock on `<logDir>/.lock` (`--data-dir` only).
    private var lockDescriptor: Int32 = -1

    /// The name of the lock file in a kept log directory (Kafka's `.lock`).
    public static let lockFileName = ".lock"

    /// The text last written to each broker file (`Cluster+BrokerFiles.swift`): unchanged files are not rewritten.
    var writtenBrokerFiles: [String: String] = [:]

    init(storage: Storage) throws(LogError) {
        switch storage {
        case .memory:
            logDir = nil
            removeOnDeinit = false
        case .files(let path):
            let absolute = try Self.checkedDataDirectory(path)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw .unusableDirectory("it is a file, not a folder; give a folder (kafkalab creates it if missing).")
            }
            _ = try FileLogStorage(directory: absolute)
            if let names = try? FileManager.default.contentsOfDirectory(atPath: absolute),
               names.contains(where: { $0.hasSuffix(".log") && LogSegment.offset(fromFileName: $0) != nil }) {
                throw .unusableDirectory("it holds segment files, so it is a partition folder; give the folder above it.")
            }
            if FileManager.default.fileExists(atPath: absolute + "/" + Self.metaPropertiesFile) {
                throw .unusableDirectory("it holds \(Self.metaPropertiesFile), so it is one broker's folder; give the folder above it.")
            }
            lockDescriptor = try Self.lock(absolute)
            logDir = absolute
            removeOnDeinit = false
        case .temporaryFiles:
            TemporaryFolders.removeAbandonedOnce()
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
        if lockDescriptor >= 0 { close(lockDescriptor) }
        removeTemporaryDirectory()
    }

    /// Writes the index entries every replica's storage holds back (`FileLogStorage.pendingIndexBytes`).
    public func writePendingIndexEntries() {
        for logs in replicaLogs.values {
            for log in logs.values { (log.storage as? FileLogStorage)?.writePendingIndexEntries() }
        }
    }

    /// Removes the temporary log directory now, for a process about to exit without tearing its cluster down (on tmpfs
    /// its segments are memory until removed); a `--data-dir` stays. The cluster's logs are unusable afterwards.
    public func removeTemporaryDirectory() {
        if removeOnDeinit, let logDir { try? FileManager.default.removeItem(atPath: logDir) }
    }

    /// `--data-dir`'s folder as an absolute path without trailing slashes; the empty string and `/` are refused.
    static func checkedDataDirectory(_ path: String) throws(LogError) -> String {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .unusableDirectory("no folder named; give one, e.g. --data-dir ./kafka-data.")
        }
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        // `a/../b` and `./` resolved by name (not through symbolic links), trailing slashes dropped.
        var absolute = URL(fileURLWithPath: joined).standardized.path
        while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
        if absolute.split(separator: "/").isEmpty {
            throw .unusableDirectory("it is the root folder; give a folder of its own, e.g. --data-dir ./kafka-data.")
        }
        return absolute
    }

    /// Takes the exclusive lock on `<dir>/.lock` as Kafka's log directories do (`FileChannel.tryLock`, a POSIX
    /// record lock, released by the kernel when the process ends however it ends). A folder another process holds
    /// is refused, naming that process (`F_GETLK`); nothing is written, so a read-only session changes nothing.
    private static func lock(_ dir: String) throws(LogError) -> Int32 {
        let path = dir + "/" + lockFileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .storage(operation: "open", file: path, reason: String(cString: strerror(errno))) }
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        if fcntl(fd, F_SETLK, &request) != 0 {
            let busy = errno == EACCES || errno == EAGAIN
            let reason = String(cString: strerror(errno))
            var holder = flock()
            holder.l_type = Int16(F_WRLCK)
            holder.l_whence = Int16(SEEK_SET)
            let pid: Int32? = fcntl(fd, F_GETLK, &holder) == 0 && holder.l_type != Int16(F_UNLCK) ? holder.l_pid : nil
            close(fd)
            guard busy else { throw .storage(operation: "lock", file: path, reason: reason) }
            throw .unusableDirectory("the folder is in use by another kafkalab process\(pid.map { " (pid \($0))" } ?? ""); leave that one first or give another folder.")
        }
        return fd
    }

    /// The storage of one replica's directory.
    func storage(for partition: TopicPartition, broker: Int) throws(LogError) -> any LogStorage {
        guard let logDir else { return InMemoryLogStorage(path: "/memory/\(Self.brokerFolder(broker))/\(partition)") }
        return try FileLogStorage(dataDirectory: logDir + "/" + Self.brokerFolder(broker), topicPartition: partition, budget: fileBudget)
    }

    /// Old partition folders moved aside by `openLog(fresh:)`, as (folder, new name), oldest first.
    public private(set) var setAside: [(folder: String, movedTo: String)] = []

    /// Opens (recovering existing files) or creates the log of `partition`. A `fresh` log (a partition just
    /// created) never adopts old segment files: a folder of that name that no topic owns (left by a deletion
    /// cut short, or by a metadata file moved away) is renamed `<topic>-<partition>.stale` (`.stale2`, …), a name
    /// no partition folder has, and kept for the learner to look at.
    func openLog(_ partition: TopicPartition, broker: Int, config: LogConfig, nowMs: Int64, logStartOffset: Int64? = nil,
                 cleanerCheckpoint: Int64? = nil, fresh: Bool = false) throws(LogError) -> (UnifiedLog, [LogEvent]) {
        if fresh, let logDir {
            let folder = logDir + "/" + Self.brokerFolder(broker) + "/" + partition.description
            if FileManager.default.fileExists(atPath: folder) {
                var target = folder + ".stale"
                var n = 2
                while FileManager.default.fileExists(atPath: target) { target = folder + ".stale\(n)"; n += 1 }
                guard rename(folder, target) == 0 else {
                    throw .storage(operation: "move aside the old folder", file: folder, reason: String(cString: strerror(errno)))
                }
                setAside.append((Self.brokerFolder(broker) + "/" + partition.description, String(target.split(separator: "/").last!)))
            }
        }
        let (log, events) = try UnifiedLog.open(topicPartition: partition, config: config, storage: try storage(for: partition, broker: broker),
                                                nowMs: nowMs, logStartOffset: logStartOffset, cleanerCheckpoint: cleanerCheckpoint)
        replicaLogs[partition, default: [:]][broker] = log
        if logs[partition] == nil { logs[partition] = log }
        return (log, events)
    }

    /// Removes every replica log of one partition, with its directories.
    func deleteLog(_ partition: TopicPartition) {
        for (broker, log) in replicaLogs[partition] ?? [:] {
            if let storage = log.storage as? FileLogStorage { storage.closeAll() }
            if let logDir { try? FileManager.default.removeItem(atPath: logDir + "/" + Self.brokerFolder(broker) + "/" + partition.description) }
        }
        replicaLogs[partition] = nil
        logs[partition] = nil
    }

    /// Removes the logs (and directories) of a deleted topic.
    func deleteLogs(topic: String) {
        for partition in replicaLogs.keys where partition.topic == topic { deleteLog(partition) }
    }

    /// A log directory written before replicas had their own folders keeps each partition in `<topic>-<partition>/`
    /// at its top: that folder becomes the leader's replica (`broker-<leader>/<topic>-<partition>/`); the followers
    /// start empty and copy it from the leader.
    func adoptUnreplicatedFolder(_ partition: TopicPartition, leader: Int) {
        guard let logDir else { return }
        let old = logDir + "/" + partition.description
        let brokerDir = logDir + "/" + Self.brokerFolder(leader)
        let new = brokerDir + "/" + partition.description
        guard FileManager.default.fileExists(atPath: old), !FileManager.default.fileExists(atPath: new) else { return }
        try? FileManager.default.createDirectory(atPath: brokerDir, withIntermediateDirectories: true)
        _ = rename(old, new)
    }

    // MARK: Metadata

    /// How the metadata file's bytes reach the disk; tests swap in a failing one (a full disk).
    var writeFileAtomically: (String, [UInt8]) throws(LogError) -> Void = LogManager.writeAtomically

    /// The bound on open segment and index files of this cluster's partitions.
    // Declared after `writeFileAtomically`: declared first (before `init`), the debug test build crashed
    // (null dereference) when a test replaced `writeFileAtomically` — a miscompile seen with Swift 6.3.1
    // around typed-throws closure properties; this order is stable over repeated full runs.
    public let fileBudget = OpenFileBudget()

    /// Writes the metadata snapshot atomically: a temporary file, written whole and synced, then renamed over the
    /// old one, so a crash or a full disk leaves the old file or the new, never a torn one. Errors are thrown.
    func writeMetadata(_ metadata: ClusterMetadataFile) throws(LogError) {
        guard let logDir else { return }
        let path = logDir + "/" + Self.metadataFileName
        let data: Data
        do { data = try JSONEncoder.sorted.encode(metadata) } catch {
            throw .storage(operation: "encode", file: path, reason: "\(error)")
        }
        try writeFileAtomically(path, Array(data))
    }

    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(LogError) {
        let temporary = path + ".tmp"
        func fail(_ operation: String, _ file: String) -> LogError {
            .storage(operation: operation, file: file, reason: String(cString: strerror(errno)))
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail("create", temporary) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let error = fail("write", temporary)
                close(fd)
                unlink(temporary)
                throw error
            }
            done += n
        }
        guard fsync(fd) == 0 else {
            let error = fail("sync", temporary)
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = fail("rename", temporary)
            unlink(temporary)
            throw error
        }
        // The rename itself reaches the disk with the folder's entry.
        let folder = open(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]), O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    /// The metadata snapshot, or nil if the directory holds none. A file that cannot be read, does not parse or
    /// fails `ClusterMetadataFile.validate` is refused with one line naming the field; it is never replaced.
    func readMetadata() throws(LogError) -> ClusterMetadataFile? {
        guard let logDir else { return nil }
        let path = logDir + "/" + Self.metadataFileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unusableDirectory("\(Self.metadataFileName) cannot be read; fix its permissions or move it away.")
        }
        let metadata: ClusterMetadataFile
        do {
            metadata = try JSONDecoder().decode(ClusterMetadataFile.self, from: data)
        } catch {
            let reason = ClusterMetadataFile.hugeNumberField(in: data).map { "\($0) holds a number too large for 64 bits" }
                ?? ClusterMetadataFile.describe(error)
            throw .unusableDirectory("\(Self.metadataFileName) is not valid: \(reason); fix or move the file (kafkalab never overwrites it).")
        }
        if let problem = metadata.problem {
            throw .unusableDirectory("\(Self.metadataFileName) is not valid: \(problem); fix or move the file (kafkalab never overwrites it).")
        }
        return metadata
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
    /// `--controllers N`; absent: every node is a voter.
    var controllers: Int?
    var clockMs: Int64
    var topics: [TopicEntry]
}

extension ClusterMetadataFile {
    /// Simulated time must stay between 1970 and the year 9999 (Kafka's timestamps are ms since the epoch).
    static let clockRange: ClosedRange<Int64> = 0...253_402_300_799_999
    /// Broker ids as `--broker-ids` takes them.
    static let brokerIdRange = 0...999
    static let maxBrokers = 20
    /// More partitions than a learner's cluster plausibly holds (and than its files could bear).
    static let maxPartitions = 10_000

    /// The first thing wrong with the file, naming the field (`topics[1].partitions[0].replicas`), or nil.
    var problem: String? {
        guard version == 1 else { return "version is \(version); this kafkalab reads version 1" }
        guard !brokerIds.isEmpty, brokerIds.count <= Self.maxBrokers else {
            return "brokerIds must list 1 to \(Self.maxBrokers) broker ids, found \(brokerIds.count)"
        }
        if let controllers, !(1...max(brokerIds.count, 1)).contains(controllers) {
            return "controllers is \(controllers); it must be from 1 to the number of brokers (\(brokerIds.count))"
        }
        if let bad = brokerIds.first(where: { !Self.brokerIdRange.contains($0) }) {
            return "brokerIds holds \(bad); broker ids are whole numbers from 0 to 999"
        }
        guard Set(brokerIds).count == brokerIds.count else { return "brokerIds lists a broker id twice" }
        guard Self.clockRange.contains(clockMs) else {
            return "clockMs is \(clockMs); it must be from 0 to \(Self.clockRange.upperBound) (ms since 1970, before the year 10000)"
        }
        var names: Set<String> = [], unified: Set<String> = [], ids: Set<String> = []
        for (t, topic) in topics.enumerated() {
            let field = "topics[\(t)]"
            do throws(KafkaError) { try TopicName.validate(topic.name) } catch {
                return "\(field).name '\(topic.name)' is not a topic name (ASCII letters, digits, '.', '_' and '-', at most \(TopicName.maxLength), not '.' or '..')"
            }
            guard names.insert(topic.name).inserted else { return "\(field).name '\(topic.name)' appears twice" }
            guard unified.insert(TopicName.unifyCollisionChars(topic.name)).inserted else {
                return "\(field).name '\(topic.name)' collides with another topic ('.' and '_' are the same)"
            }
            guard topic.topicId.count == 22, topic.topicId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                return "\(field).topicId '\(topic.topicId)' is not a topic id (22 characters of URL-safe base64)"
            }
            guard ids.insert(topic.topicId).inserted else { return "\(field).topicId '\(topic.topicId)' appears twice" }
            for key in topic.configs.keys.sorted() {
                do throws(KafkaError) { try TopicConfigDefinitions.validate(name: key, value: topic.configs[key]!) } catch {
                    return "\(field).configs: \(error.message)"
                }
            }
            guard !topic.partitions.isEmpty, topic.partitions.count <= Self.maxPartitions else {
                return "\(field).partitions must hold 1 to \(Self.maxPartitions) partitions, found \(topic.partitions.count)"
            }
            for (p, partition) in topic.partitions.enumerated() {
                let field = "\(field).partitions[\(p)]"
                guard !partition.replicas.isEmpty else { return "\(field).replicas is empty; a partition has at least one replica" }
                if let bad = partition.replicas.first(where: { !brokerIds.contains($0) }) {
                    return "\(field).replicas names broker \(bad), which is not in brokerIds"
                }
                guard Set(partition.replicas).count == partition.replicas.count else { return "\(field).replicas lists a broker twice" }
                if let leader = partition.leader, !partition.replicas.contains(leader) {
                    return "\(field).leader \(leader) is not one of its replicas"
                }
                if let bad = partition.isr.first(where: { !partition.replicas.contains($0) }) {
                    return "\(field).isr names broker \(bad), which is not one of its replicas"
                }
                guard (0...Int(Int32.max)).contains(partition.leaderEpoch) else {
                    return "\(field).leaderEpoch is \(partition.leaderEpoch); it must be from 0 to \(Int32.max)"
                }
                guard partition.logStartOffset >= 0 else { return "\(field).logStartOffset is negative" }
                guard partition.cleanerCheckpoint >= 0 else { return "\(field).cleanerCheckpoint is negative" }
            }
        }
        return nil
    }

    /// The key of the first number of 20 or more digits (JSONDecoder rejects the whole file without saying where).
    static func hugeNumberField(in data: Data) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        guard let match = text.firstMatch(of: /"([A-Za-z]+)"\s*:\s*\[?[\s\d,-]*?-?\d{20,}/) else { return nil }
        return String(match.output.1)
    }

    /// A decoding error as the field it is about: `topics[0].partitions[1].leaderEpoch: expected a number`.
    static func describe(_ error: Error) -> String {
        func path(_ keys: [CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let index = key.intValue { out += "[\(index)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
            }
            return out.isEmpty ? "the file" : out
        }
        guard let error = error as? DecodingError else { return "it is not JSON" }
        switch error {
        case let .keyNotFound(key, context):
            let parent = path(context.codingPath)
            return (parent == "the file" ? "" : parent + ".") + key.stringValue + " is missing"
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return "\(path(context.codingPath)) must be \(describe(type))"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "it does not parse as JSON" : "\(path(context.codingPath)) is out of range or malformed"
        @unknown default:
            return "it is not kafkalab metadata"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type: return "a whole number"
        case is String.Type: return "a string"
        case is [Int].Type: return "a list of whole numbers"
        default: return "a \(type)"
        }
    }
}

/// kafkalab's temporary folders are named after the process that made them (`kafkalab-<pid>-…`), so
/// those left behind by a process that was killed (SIGKILL, SIGTERM, a crash) are removed by the next
/// kafkalab that starts: a perf test's gigabytes do not pile up in the temporary directory.
public enum TemporaryFolders {
    /// `kafkalab-<pid>-` (and `kafkalab-files-<pid>-` for a session's scratch files).
    public static func prefix(_ kind: String = "") -> String {
        "kafkalab-\(kind.isEmpty ? "" : kind + "-")\(getpid())-"
    }

    /// `removeAbandoned()` the first time a process asks: a process making many clusters (the tests, a notebook run)
    /// reads the temporary directory once, not once per cluster. On a thread of its own: gigabytes a crashed run
    /// left behind must not hold up the prompt (a process that ends first leaves the rest to the next one).
    public static func removeAbandonedOnce() { _ = abandonedRemoved }

    private static let abandonedRemoved: Void = Thread.detachNewThread { removeAbandoned() }

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
