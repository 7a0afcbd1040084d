import Foundation
import Testing
@testable import KafkaModel
@testable import KafkaShell

@Suite struct MetadataWarningTests {
    static func fullDisk(_ path: String, _ bytes: [UInt8]) throws(LogError) {
        throw .storage(operation: "write", file: path + ".tmp", reason: "No space left on device")
    }

    @Test("A change the metadata file cannot record is reported once (a topic change is refused outright)")
    func failedMetadataWriteIsReported() throws {
        let dir = "/tmp/kafkalab-metadata-warning-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = SessionOptions()
        options.dataDir = dir
        let session = Session(options: options)
        #expect(!session.execute("topic create t -p 1").failed)
        session.cluster.logManager.writeFileAtomically = Self.fullDisk
        let refused = session.execute("topic create u -p 1")
        #expect(refused.failed)
        #expect(refused.lines.contains { $0.text.contains("KAFKA_STORAGE_ERROR") })
        let tick = session.execute("tick 1m")
        #expect(tick.lines.contains { $0.style == .warning && $0.text.contains("metadata file could not be saved") })
        #expect(!session.execute("tick 1m").lines.contains { $0.style == .warning })
        session.cluster.logManager.writeFileAtomically = LogManager.writeAtomically
        _ = session.execute("tick 1m")
        session.cluster.logManager.writeFileAtomically = Self.fullDisk
        #expect(session.execute("tick 1m").lines.contains { $0.style == .warning })
    }
}
