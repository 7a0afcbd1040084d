import Foundation
import Testing
@testable import KafkaModel
@testable import KafkaShell

/// Index entries are written in runs (`FileLogStorage.pendingIndexBytes`): with `--data-dir`, a command's end is
/// where another program may look at the folder, so every index file is whole there.
@Suite struct DataDirIndexFilesTests {
    @Test("With --data-dir, every index file on disk holds its segment's entries once a command is done")
    func indexFilesAreWholeAfterEachCommand() throws {
        let dir = "/tmp/kafkalab-index-files-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = SessionOptions()
        options.dataDir = dir
        let session = Session(options: options)
        #expect(!session.execute("topic create t -p 1 -r 1").failed)
        for round in 0..<20 {
            #expect(!session.execute("produce t value-\(round) --count 300").failed)
        }
        let log = try #require(session.cluster.replicas(of: TopicPartition("t", 0)).first?.log)
        let segment = try #require(log.segments.last)
        #expect(segment.offsetIndex.count >= 10)
        func onDisk(_ name: String) -> [UInt8]? {
            (try? Data(contentsOf: URL(fileURLWithPath: log.storage.path + "/" + name))).map { [UInt8]($0) }
        }
        #expect(onDisk(segment.indexFileName) == segment.encodeOffsetIndex(segment.offsetIndex))
        #expect(onDisk(segment.timeIndexFileName) == segment.encodeTimeIndex(segment.timeIndex))
    }
}
