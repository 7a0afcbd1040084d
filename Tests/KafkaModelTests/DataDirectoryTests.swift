import Foundation
import Testing
@testable import KafkaModel

/// The `--data-dir` folder: the metadata file is written atomically and its failures refuse the change; a bad
/// file is refused naming the field and never overwritten; unusable folders are refused; a read-only session
/// writes nothing; a missing middle segment is reported.
@Suite struct DataDirectoryTests {
    final class Folder {
        let path = "/tmp/kafkalab-datadir-\(UInt32.random(in: 0...UInt32.max))"
        var config: ClusterConfig {
            var config = ClusterConfig(brokers: 3, seed: 7)
            config.logStorage = .files(path)
            return config
        }
        var metadataPath: String { path + "/" + LogManager.metadataFileName }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A folder holding topic `t` (2 partitions, 3 records in t-0).
    func populated() throws -> Folder {
        let folder = Folder()
        let cluster = Cluster(config: folder.config)
        try cluster.createTopic("t", partitions: 2, replicationFactor: 2)
        try cluster.appendRecords([rec("a", "1"), rec("b", "2"), rec("c", "3")], to: TopicPartition("t", 0))
        cluster.advance(byMs: 100)  // the follower copies them: the high watermark passes them
        return folder
    }

    static func fullDisk(_ path: String, _ bytes: [UInt8]) throws(LogError) {
        throw .storage(operation: "write", file: path + ".tmp", reason: "No space left on device")
    }

    @Test("A topic created on a full disk is refused with KAFKA_STORAGE_ERROR, not acknowledged and lost")
    func metadataWriteFailureRefusesTopicCreation() throws {
        let folder = try populated()
        do {
            let cluster = Cluster(config: folder.config)
            cluster.logManager.writeFileAtomically = Self.fullDisk
            #expect(throws: KafkaError.self) { try cluster.createTopic("new", partitions: 2) }
            do { try cluster.createTopic("new", partitions: 2) } catch { #expect(error.errorName == "KAFKA_STORAGE_ERROR") }
            #expect(cluster.topics["new"] == nil)
            #expect(!FileManager.default.fileExists(atPath: folder.path + "/new-0"))
            #expect(throws: KafkaError.self) { try cluster.deleteTopic("t") }
            #expect(cluster.topics["t"] != nil)
            #expect(try cluster.fetch(TopicPartition("t", 0), from: 0).count == 3)
            #expect(throws: KafkaError.self) { try cluster.alterTopicConfig("t", set: ["retention.ms": "1000"]) }
            #expect(cluster.topics["t"]!.configOverrides.isEmpty)
            #expect(throws: KafkaError.self) { try cluster.createPartitions("t", totalCount: 4) }
            #expect(cluster.topics["t"]!.partitions.count == 2)
            cluster.logManager.writeFileAtomically = LogManager.writeAtomically
            try cluster.createTopic("new", partitions: 2)
            try cluster.alterTopicConfig("t", set: ["retention.ms": "1000"])
        }
        let reopened = Cluster(config: folder.config)
        #expect(reopened.storageProblem == nil)
        #expect(reopened.topicNames == ["new", "t"])
        #expect(reopened.topics["t"]!.configOverrides == ["retention.ms": "1000"])
    }

    @Test("The metadata file is written whole or not at all: no temporary file is left")
    func metadataWriteIsAtomic() throws {
        let folder = try populated()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.hasSuffix(".tmp") })
        #expect(names.contains(LogManager.metadataFileName))
    }

    @Test("A topic recreated after its deletion never adopts old partition folders")
    func staleFoldersAreNotAdopted() throws {
        let folder = try populated()
        // A crash after the metadata forgot the topic but before its folders went.
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.metadataPath))) as! [String: Any]
        json["topics"] = []
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: folder.metadataPath))
        let cluster = Cluster(config: folder.config)
        #expect(cluster.topicNames.isEmpty)
        let warnings = try cluster.createTopic("t", partitions: 1)
        #expect(try cluster.fetch(TopicPartition("t", 0), from: 0).isEmpty)
        let broker = LogManager.brokerFolder(cluster.topics["t"]!.partitions[0].replicas[0])
        #expect(warnings == ["Note: an old folder \(broker)/t-0 that no topic owned was moved aside to t-0.stale (its records are not part of the new topic)."])
        // Kept, not deleted; a name no partition folder can have.
        #expect(FileManager.default.fileExists(atPath: folder.path + "/\(broker)/t-0.stale/00000000000000000000.log"))
    }

    @Test("Opening and reading (topics, describe, fetch) writes nothing to the folder")
    func readOnlySessionWritesNothing() throws {
        let folder = try populated()
        func snapshot() throws -> [String: (ino: UInt64, bytes: Data)] {
            var out: [String: (ino: UInt64, bytes: Data)] = [:]
            let enumerator = FileManager.default.enumerator(atPath: folder.path)!
            while let name = enumerator.nextObject() as? String {
                var info = stat()
                let full = folder.path + "/" + name
                stat(full, &info)
                if (info.st_mode & S_IFMT) == S_IFDIR { continue }
                out[name] = (UInt64(info.st_ino), FileManager.default.contents(atPath: full) ?? Data())
            }
            return out
        }
        _ = Cluster(config: folder.config)  // the first reopen may create the lock file
        let before = try snapshot()
        do {
            let cluster = Cluster(config: folder.config)
            #expect(cluster.topicNames == ["t"])
            #expect(try cluster.fetch(TopicPartition("t", 0), from: 0).count == 3)
        }
        let after = try snapshot()
        #expect(before.keys.sorted() == after.keys.sorted())
        for (name, file) in before {
            #expect(after[name]?.ino == file.ino && after[name]?.bytes == file.bytes, "\(name) was rewritten")
        }
    }

    @Test("--data-dir '' and / and a partition or broker folder are refused with one line", arguments: ["", "/", "//", "PARTITION", "BROKER"])
    func unusableFoldersAreRefused(path: String) throws {
        let folder = try populated()
        var config = ClusterConfig(brokers: 3, seed: 7)
        config.logStorage = .files(path == "PARTITION" ? folder.path + "/broker-0/t-0" : path == "BROKER" ? folder.path + "/broker-0" : path)
        let cluster = Cluster(config: config)
        let problem = try #require(cluster.storageProblem)
        #expect(!problem.contains("\n"))
        #expect(problem.contains(path == "PARTITION" ? "partition folder" : path == "BROKER" ? "one broker's folder" : path.isEmpty ? "no folder named" : "root folder"))
        #expect(cluster.logManager.logDir == nil)
    }

    @Test("A deleted middle .log is reported at start-up, not silently skipped")
    func missingMiddleSegmentIsReported() throws {
        let folder = Folder()
        var leader = 0
        do {
            let cluster = Cluster(config: folder.config)
            try cluster.createTopic("g", partitions: 1, configs: ["segment.bytes": "200"])
            for i in 0..<9 { try cluster.appendRecords([rec("k\(i)", "value-\(i)")], to: TopicPartition("g", 0)) }
            #expect(cluster.logManager.logs[TopicPartition("g", 0)]!.segments.count >= 3)
            leader = cluster.topics["g"]!.partitions[0].leader!
        }
        let segmentFolder = folder.path + "/" + LogManager.brokerFolder(leader) + "/g-0"
        let logs = try FileManager.default.contentsOfDirectory(atPath: segmentFolder).filter { $0.hasSuffix(".log") }.sorted()
        try FileManager.default.removeItem(atPath: segmentFolder + "/" + logs[1])
        let from = LogSegment.offset(fromFileName: logs[1])!
        let to = LogSegment.offset(fromFileName: logs[2])! - 1
        let reopened = Cluster(config: folder.config)
        let gaps = reopened.events.compactMap { event -> (Int64, Int64)? in
            if case let .logGapOnRecovery(_, a, b) = event.kind { return (a, b) }
            return nil
        }
        #expect(gaps.count == 1 && gaps.first! == (from, to))
    }

    // MARK: The metadata file is validated on load

    /// Writes `t`'s folder, applies `edit` to its metadata JSON, reopens: the one-line problem, or nil.
    func problem(after edit: (inout [String: Any]) -> Void) throws -> (String?, Folder) {
        let folder = try populated()
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.metadataPath))) as! [String: Any]
        edit(&json)
        let bytes = try JSONSerialization.data(withJSONObject: json)
        try bytes.write(to: URL(fileURLWithPath: folder.metadataPath))
        let cluster = Cluster(config: folder.config)
        // Never overwritten, and the cluster holds nothing of it.
        #expect(FileManager.default.contents(atPath: folder.metadataPath) == bytes)
        if cluster.storageProblem != nil { #expect(cluster.topicNames.isEmpty && cluster.logManager.logDir == nil) }
        return (cluster.storageProblem, folder)
    }

    static func editPartition(_ json: inout [String: Any], _ key: String, _ value: Any) {
        var topics = json["topics"] as! [[String: Any]]
        var partitions = topics[0]["partitions"] as! [[String: Any]]
        partitions[0][key] = value
        topics[0]["partitions"] = partitions
        json["topics"] = topics
    }

    static func editTopic(_ json: inout [String: Any], _ key: String, _ value: Any) {
        var topics = json["topics"] as! [[String: Any]]
        topics[0][key] = value
        json["topics"] = topics
    }

    static let badFiles: [(String, String, @Sendable (inout [String: Any]) -> Void)] = [
        ("topic name ../victim", "topics[0].name", { editTopic(&$0, "name", "../victim") }),
        ("empty topic name", "topics[0].name", { editTopic(&$0, "name", "") }),
        ("duplicate topic", "appears twice", { json in
            let topics = json["topics"] as! [[String: Any]]
            json["topics"] = topics + topics
        }),
        ("bad topic id", "topics[0].topicId", { editTopic(&$0, "topicId", "x") }),
        ("bad config", "topics[0].configs", { editTopic(&$0, "configs", ["retention.ms": "soon"]) }),
        ("empty partitions", "topics[0].partitions", { editTopic(&$0, "partitions", [Any]()) }),
        ("empty replicas", "topics[0].partitions[0].replicas", { editPartition(&$0, "replicas", [Int]()) }),
        ("unknown replica", "topics[0].partitions[0].replicas", { editPartition(&$0, "replicas", [7]) }),
        ("leader not a replica", "topics[0].partitions[0].leader", { editPartition(&$0, "leader", 2) }),
        ("huge leaderEpoch", "topics[0].partitions[0].leaderEpoch", { editPartition(&$0, "leaderEpoch", Int64.max) }),
        ("negative leaderEpoch", "topics[0].partitions[0].leaderEpoch", { editPartition(&$0, "leaderEpoch", -1) }),
        ("negative logStartOffset", "topics[0].partitions[0].logStartOffset", { editPartition(&$0, "logStartOffset", -5) }),
        ("leaderEpoch a string", "topics[0].partitions[0].leaderEpoch", { editPartition(&$0, "leaderEpoch", "one") }),
        ("clockMs Int64.max", "clockMs", { $0["clockMs"] = Int64.max }),
        ("clockMs Int64.min", "clockMs", { $0["clockMs"] = Int64.min }),
        ("clockMs missing", "clockMs", { $0["clockMs"] = nil }),
        ("empty brokerIds", "brokerIds", { $0["brokerIds"] = [Int]() }),
        ("duplicate broker ids", "brokerIds", { $0["brokerIds"] = [0, 1, 1] }),
        ("negative broker id", "brokerIds", { $0["brokerIds"] = [-1, 0, 1] }),
        ("version 2", "version", { $0["version"] = 2 }),
    ]

    @Test("A hand-edited metadata file is refused with one line naming the field", arguments: 0..<badFiles.count)
    func badMetadataIsRefused(index: Int) throws {
        let (name, field, edit) = Self.badFiles[index]
        let (problem, folder) = try problem(after: edit)
        let text = try #require(problem, "\(name) was accepted")
        #expect(text.contains(field), "\(name): \(text)")
        #expect(!text.contains("\n"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/../victim-0"))
    }

    @Test("A file that is not JSON is refused, even by a read-only session, and never replaced")
    func unparsableMetadataIsRefused() throws {
        let folder = try populated()
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: folder.metadataPath))
        let cluster = Cluster(config: folder.config)
        #expect(cluster.storageProblem?.contains("is not valid") == true)
        #expect(FileManager.default.contents(atPath: folder.metadataPath) == Data("{ not json".utf8))
    }

    @Test("A number beyond 64 bits is refused naming its field")
    func hugeNumberIsRefusedByName() throws {
        let folder = try populated()
        var text = String(decoding: FileManager.default.contents(atPath: folder.metadataPath)!, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"leaderEpoch\" : 0", with: "\"leaderEpoch\" : 99999999999999999999999")
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder.metadataPath))
        let cluster = Cluster(config: folder.config)
        #expect(cluster.storageProblem?.contains("leaderEpoch holds a number too large") == true)
    }

    @Test("An intact metadata file passes validation")
    func goodMetadataLoads() throws {
        let (problem, _) = try problem { _ in }
        #expect(problem == nil)
    }
}
