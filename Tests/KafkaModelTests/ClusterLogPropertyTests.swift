import Testing
@testable import KafkaModel

/// Random produce / tick / retention / compaction sequences through the `Cluster`.
@Suite struct ClusterLogPropertyTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func offsetsStayOrderedAndEveryRetainedRecordIsReadOnce(seed: UInt64) throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: seed))
        var random = SeededRandom(seed: seed &* 7919)
        try cluster.createTopic("t", partitions: 3, configs: ["segment.bytes": "300", "retention.ms": "120000"])
        try cluster.createTopic("c", partitions: 2, configs: ["segment.bytes": "250", "cleanup.policy": "compact,delete",
                                                              "retention.bytes": "2000", "min.cleanable.dirty.ratio": "0.1"])
        try cluster.startProducer("p", config: ProducerConfig())
        var lastStart: [TopicPartition: Int64] = [:]
        for step in 0..<400 {
            switch random.next() % 10 {
            case 0...5:
                let topic = random.next() % 2 == 0 ? "t" : "c"
                let key: [UInt8]? = topic == "c" || random.next() % 2 == 0 ? Array("k\(random.next() % 9)".utf8) : nil
                let value: [UInt8]? = topic == "c" && random.next() % 8 == 0 ? nil : Array("v\(step)".utf8)
                try cluster.send(producer: "p", topic: topic, key: key, value: value)
            case 6: cluster.advance(byMs: Int64(random.next() % 90_000))
            case 7: cluster.runRetention()
            case 8: try cluster.runCleaner()
            default: try cluster.flush(producer: "p")
            }
            for (tp, log) in cluster.logManager.logs {
                #expect(log.logStartOffset >= lastStart[tp, default: 0], "seed \(seed): log start offset went back")
                lastStart[tp] = log.logStartOffset
                let records = try cluster.fetch(tp, from: log.logStartOffset)
                let offsets = records.map(\.offset)
                #expect(offsets == offsets.sorted() && Set(offsets).count == offsets.count, "seed \(seed): offsets not unique and increasing")
                #expect(offsets.allSatisfy { $0 >= log.logStartOffset && $0 < log.highWatermark })
                if tp.topic == "t" {
                    // No compaction: the retained records are exactly the offsets [logStart, HW).
                    #expect(offsets == Array(log.logStartOffset..<log.highWatermark), "seed \(seed): a record was lost or duplicated")
                }
            }
        }
    }

    @Test func aTopicReopensFromItsLogDirectory() throws {
        // Named after this process, so the next kafkalab to start removes it once the tests have exited.
        let dir = "/tmp/" + TemporaryFolders.prefix() + "reopen-\(UInt32.random(in: 0...UInt32.max))"
        defer { _ = try? FileLogStorage(directory: dir) }
        var config = ClusterConfig(brokers: 1)
        config.logStorage = .files(dir)
        do {
            let cluster = Cluster(config: config)
            try cluster.createTopic("orders", partitions: 2, configs: ["retention.ms": "60000"])
            try cluster.startProducer("p", config: ProducerConfig())
            for i in 0..<10 { try cluster.send(producer: "p", topic: "orders", key: Array("k\(i)".utf8), value: Array("v\(i)".utf8)) }
            try cluster.flush(producer: "p")
        }
        let reopened = Cluster(config: config)
        #expect(reopened.restoredTopics == ["orders"])
        #expect(reopened.topics["orders"]?.configOverrides["retention.ms"] == "60000")
        let count = try (0..<2).reduce(0) { $0 + (try reopened.fetch(TopicPartition("orders", $1), from: 0).count) }
        #expect(count == 10)
    }
}
