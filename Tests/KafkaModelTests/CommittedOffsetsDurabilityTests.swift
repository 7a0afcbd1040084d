import Foundation
import Testing
@testable import KafkaModel

/// Committed offsets live in `__consumer_offsets`: they come back after a restart with `--data-dir`
/// and after the coordinator broker stops.
@Suite struct CommittedOffsetsDurabilityTests {
    func config(_ group: String) -> ConsumerConfig {
        var config = ConsumerConfig()
        config.groupId = group
        config.topics = ["t"]
        config.autoOffsetReset = .earliest
        return config
    }

    @Test func committedOffsetsSurviveAReopen() throws {
        let dir = "/tmp/kafkalab-offsets-reopen-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var clusterConfig = ClusterConfig(brokers: 3, seed: 7)
        clusterConfig.logStorage = .files(dir)
        do {
            let c = Cluster(config: clusterConfig)
            try c.createTopic("t", partitions: 3, replicationFactor: 1)
            for p in 0..<3 {
                _ = try c.appendRecords((0..<(p + 2)).map { _ in Record(timestamp: 0, key: nil, value: [1]) }, to: TopicPartition("t", p))
            }
            try c.startConsumer("c1", config: config("app"))
            c.advance(byMs: 10_000)
            try c.stopConsumer("c1")
            // A second group whose offsets are rewritten and then partly deleted, and a deleted group.
            try c.resetOffsets("ops", [TopicPartition("t", 0): 1, TopicPartition("t", 1): 1])
            try c.resetOffsets("ops", [TopicPartition("t", 0): 2])
            _ = try c.deleteOffsets("ops", [TopicPartition("t", 1)])
            try c.resetOffsets("gone", [TopicPartition("t", 2): 1])
            try c.deleteGroup("gone")
            #expect(c.committedOffsets("app") == [TopicPartition("t", 0): 2, TopicPartition("t", 1): 3, TopicPartition("t", 2): 4])
        }
        let reopened = Cluster(config: clusterConfig)
        #expect(reopened.restoredGroups == ["app", "ops"])
        #expect(reopened.committedOffsets("app") == [TopicPartition("t", 0): 2, TopicPartition("t", 1): 3, TopicPartition("t", 2): 4])
        #expect(reopened.committedOffsets("ops") == [TopicPartition("t", 0): 2])
        #expect(reopened.groupState("app") == .empty)
        #expect(reopened.groupState("gone") == .dead)
        #expect(reopened.lag(of: "app").allSatisfy { $0.lag == 0 })

        // A consumer of the reopened cluster starts from the committed offsets: nothing is read again.
        try reopened.startConsumer("c2", config: config("app"))
        reopened.advance(byMs: 10_000)
        #expect(reopened.consumers["c2"]!.recordsConsumed == 0)
        #expect(reopened.consumers["c2"]!.positions[TopicPartition("t", 2)] == 4)
    }

    @Test func stoppingTheCoordinatorMovesTheGroupAndKeepsItsOffsets() throws {
        let c = Cluster(config: ClusterConfig(brokers: 3, seed: 1))
        try c.createTopic("t", partitions: 3, replicationFactor: 3)
        _ = try c.appendRecords([Record(timestamp: 0, key: nil, value: [1])], to: TopicPartition("t", 0))
        try c.startConsumer("c1", config: config("app"))
        c.advance(byMs: 10_000)
        let before = c.committedOffsets("app")
        #expect(before[TopicPartition("t", 0)] == 1)
        let old = try #require(c.coordinator(of: "app"))
        try c.stopBroker(old)
        let new = try #require(c.coordinator(of: "app"))
        #expect(new != old)
        let moved = c.events.compactMap { event -> (Int?, Int?, Int)? in
            if case let .group(.coordinatorMoved("app", from, to, _, loaded)) = event.kind { return (from, to, loaded) }
            return nil
        }
        #expect(moved.count == 1)
        #expect(moved.first?.0 == old && moved.first?.1 == new && moved.first?.2 == before.count)
        #expect(c.events.contains { if case .group(.coordinatorDiscovered("c1", new, _, _)) = $0.kind { true } else { false } })
        #expect(c.committedOffsets("app") == before)
        // The group carries on: new records are read and committed through the new coordinator.
        _ = try c.appendRecords([Record(timestamp: 0, key: nil, value: [2])], to: TopicPartition("t", 0))
        c.advance(byMs: 10_000)
        #expect(c.groupState("app") == .stable)
        #expect(c.committedOffsets("app")[TopicPartition("t", 0)] == 2)
    }
}
