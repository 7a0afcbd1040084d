import Foundation
import Testing
@testable import KafkaModel

/// Each broker folder of a kept `--data-dir` holds Kafka's `meta.properties` and its two offset checkpoints; the
/// high-watermark checkpoint is read back when the cluster reopens.
@Suite struct BrokerFilesTests {
    typealias Folder = DataDirectoryTests.Folder

    func text(_ folder: Folder, _ broker: Int, _ name: String) -> String? {
        FileManager.default.contents(atPath: folder.path + "/broker-\(broker)/" + name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Topic `t`, 2 partitions at RF 3, 3 records in t-0 that every follower copied; the files written as a
    /// command's end writes them.
    func populated() throws -> (Folder, Cluster) {
        let folder = Folder()
        let cluster = Cluster(config: folder.config)
        try cluster.createTopic("t", partitions: 2, replicationFactor: 3)
        try cluster.appendRecords([rec("a", "1"), rec("b", "2"), rec("c", "3")], to: TopicPartition("t", 0))
        cluster.advance(byMs: 1_000)
        cluster.writeBrokerFiles()
        return (folder, cluster)
    }

    @Test("meta.properties: version 1, node.id, cluster.id and directory.id from the seed, in Properties.store's order")
    func metaProperties() throws {
        let (folder, cluster) = try populated()
        for broker in 0..<3 {
            let lines = try #require(text(folder, broker, LogManager.metaPropertiesFile)).split(separator: "\n").map(String.init)
            #expect(lines.count == 6)
            #expect(lines[0] == "#")
            #expect(lines[1].hasPrefix("#") && lines[1].hasSuffix(" UTC 2024"))
            #expect(Array(lines[2...]) == ["node.id=\(broker)", "directory.id=\(cluster.logDirectoryIds[broker]!)", "version=1",
                                           "cluster.id=\(cluster.clusterId)"])
            // The quorum shows the same directory ids.
            #expect(cluster.quorumInfo?.voters.first { $0.id == broker }?.directoryId == cluster.logDirectoryIds[broker])
        }
        // Another folder with the same seed gets the same ids.
        let other = Folder()
        let again = Cluster(config: other.config)
        try again.createTopic("x", partitions: 1)
        #expect(text(other, 1, LogManager.metaPropertiesFile) == text(folder, 1, LogManager.metaPropertiesFile))
    }

    @Test("replication-offset-checkpoint holds high watermarks, recovery-point-offset-checkpoint flushed offsets")
    func checkpoints() throws {
        let folder = try populated().0
        for broker in 0..<3 {
            #expect(text(folder, broker, LogManager.replicationOffsetCheckpointFile) == "0\n2\nt 0 3\nt 1 0\n")
            #expect(text(folder, broker, LogManager.recoveryPointOffsetCheckpointFile) == "0\n2\nt 0 0\nt 1 0\n")
        }
        #expect(LogManager.parseCheckpoint("0\n2\nt 0 3\nt 1 0\n") == [TopicPartition("t", 0): 3, TopicPartition("t", 1): 0])
        #expect(LogManager.parseCheckpoint("1\n0\n") == nil)
        #expect(LogManager.parseCheckpoint("0\n2\nt 0 3\n") == nil)
        #expect(LogManager.parseCheckpoint("0\n1\nt x 3\n") == nil)
    }

    @Test("Unchanged checkpoints are not rewritten; a change rewrites them")
    func writtenOnlyWhenChanged() throws {
        let (folder, cluster) = try populated()
        let path = folder.path + "/broker-0/" + LogManager.replicationOffsetCheckpointFile
        var before = stat()
        stat(path, &before)
        cluster.writeBrokerFiles()
        var after = stat()
        stat(path, &after)
        #expect(before.st_ino == after.st_ino)
        try cluster.appendRecords([rec("d", "4")], to: TopicPartition("t", 1))
        cluster.advance(byMs: 1_000)
        cluster.writeBrokerFiles()
        #expect(text(folder, 0, LogManager.replicationOffsetCheckpointFile) == "0\n2\nt 0 3\nt 1 1\n")
    }

    @Test("Reopened, a replica's high watermark comes from its broker's checkpoint, else from the ISR's log ends")
    func highWatermarkFromCheckpoint() throws {
        let folder = try populated().0
        // Broker 1 checkpointed an older high watermark for t-0; broker 2 has no checkpoint file at all.
        try "0\n2\nt 0 1\nt 1 0\n".write(toFile: folder.path + "/broker-1/" + LogManager.replicationOffsetCheckpointFile, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: folder.path + "/broker-2/" + LogManager.replicationOffsetCheckpointFile)
        let reopened = try #require(Optional(Cluster(config: folder.config)))
        #expect(reopened.storageProblem == nil)
        let tp = TopicPartition("t", 0)
        #expect(reopened.replica(tp, on: 0)?.log.highWatermark == 3)
        #expect(reopened.replica(tp, on: 1)?.log.highWatermark == 1)
        #expect(reopened.replica(tp, on: 2)?.log.highWatermark == 3)
    }
}
