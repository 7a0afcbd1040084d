import Foundation
import Testing
@testable import KafkaModel

/// The coordinators' metadata lives in `__transaction_state`: a cluster reopened from its log directory knows its
/// transactional ids again, an open transaction included (so its timeout still aborts it).
@Suite struct TransactionStateDurabilityTests {
    @Test func transactionalIdsSurviveAReopen() throws {
        let dir = "/tmp/kafkalab-txn-reopen-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var clusterConfig = ClusterConfig(brokers: 1, seed: 7)
        clusterConfig.logStorage = .files(dir)
        var producer = ProducerConfig()
        do {
            let c = Cluster(config: clusterConfig)
            try c.createTopic("t", partitions: 1, replicationFactor: 1)
            for id in ["done", "open"] {
                producer.transactionalId = id
                try c.startProducer(id, config: producer)
                try c.initTransactions(producer: id)
                try c.beginTransaction(producer: id)
                try c.send(producer: id, topic: "t", partition: 0, key: nil, value: [1])
                try c.flush(producer: id)
                c.awaitAnswers(producer: id)
            }
            try c.endTransaction(producer: "done", commit: true)
        }
        let reopened = Cluster(config: clusterConfig)
        #expect(reopened.transactionCoordinator.transactions["done"]?.state == .completeCommit)
        #expect(reopened.transactionCoordinator.transactions["done"]?.producerEpoch == 1)
        #expect(reopened.transactionCoordinator.transactions["open"]?.state == .ongoing)
        #expect(reopened.transactionCoordinator.transactions["open"]?.topicPartitions == [TopicPartition("t", 0)])
        reopened.advance(byMs: 70_000)
        #expect(reopened.transactionCoordinator.transactions["open"]?.state == .completeAbort)
        #expect(try reopened.log(TopicPartition("t", 0)).lastStableOffset == 4)
    }

    @Test("A transaction left in PrepareCommit (a marker still waiting for its leader) completes after a reopen: the coordinator sends its markers again")
    func preparedTransactionCompletesAfterAReopen() throws {
        let dir = "/tmp/" + TemporaryFolders.prefix() + "txn-prepared-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var clusterConfig = ClusterConfig(brokers: 3, seed: 7)
        clusterConfig.logStorage = .files(dir)
        let tp = TopicPartition("t", 0)
        do {
            let c = Cluster(config: clusterConfig)
            try c.createTopic("t", partitions: 1, replicationFactor: 1)
            var producer = ProducerConfig()
            producer.transactionalId = "txn"
            try c.startProducer("p", config: producer)
            try c.initTransactions(producer: "p")
            try c.beginTransaction(producer: "p")
            try c.send(producer: "p", topic: "t", partition: 0, key: nil, value: [1])
            try c.flush(producer: "p")
            c.awaitAnswers(producer: "p")
            try c.stopBroker(try #require(c.topics["t"]!.partitions[0].leader))
            try c.endTransaction(producer: "p", commit: true)
            #expect(c.transactionCoordinator.transactions["txn"]?.state == .prepareCommit)
        }
        let reopened = Cluster(config: clusterConfig)
        #expect(reopened.transactionCoordinator.transactions["txn"]?.state == .prepareCommit)
        reopened.advance(byMs: 10)
        #expect(reopened.transactionCoordinator.transactions["txn"]?.state == .completeCommit)
        let log = try reopened.log(tp)
        #expect(log.logEndOffset == 2 && log.lastStableOffset == 2, "the record and its COMMIT marker")
    }
}

