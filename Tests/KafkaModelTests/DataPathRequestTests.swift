import Testing
@testable import KafkaModel

/// The client data path through typed requests (`KafkaApis`): Produce, Fetch, Metadata and InitProducerId, their
/// Kafka error codes, and an `acks=all` answer that reaches its client after the request returned.
@Suite struct DataPathRequestTests {
    let tp = TopicPartition("t", 0)
    let admin = RequestContext(client: .admin("test"), clientId: "adminclient-1")

    /// Three brokers and `t` (one partition, three replicas).
    func replicated() throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3)
        return cluster
    }

    func produce(_ value: String, acks: Int16 = 1) -> ProduceRequest {
        ProduceRequest(acks: acks, timeoutMs: 30_000,
                       partitionData: [.init(partition: tp, records: [Record(timestamp: 0, key: nil, value: Array(value.utf8))])])
    }

    @Test func produceToABrokerThatIsNotTheLeaderAnswersNotLeaderOrFollower() throws {
        let cluster = try replicated()
        let leader = cluster.topics["t"]!.partitions[0].leader!
        let follower = cluster.topics["t"]!.partitions[0].replicas.first { $0 != leader }!
        let answer = try cluster.send(produce("x"), to: follower, from: admin).response(for: tp)
        #expect(answer?.error?.errorName == "NOT_LEADER_OR_FOLLOWER")
        #expect(answer?.error?.code == 6)
        #expect(try cluster.log(tp).logEndOffset == 0)
        let accepted = try cluster.send(produce("x"), to: leader, from: admin).response(for: tp)
        #expect(accepted?.error == nil)
        #expect(accepted?.baseOffset == 0)
        #expect(accepted?.logStartOffset == 0)
    }

    @Test func fetchPastTheLogEndAnswersOffsetOutOfRange() throws {
        let cluster = try replicated()
        let leader = cluster.topics["t"]!.partitions[0].leader!
        _ = try cluster.send(produce("a"), to: leader, from: admin)
        cluster.advance(byMs: 10)
        let past = try cluster.send(FetchRequest(partitions: [.init(partition: tp, fetchOffset: 5)]), to: leader, from: admin)
        #expect(past.responses[0].error?.code == 1)
        #expect(past.responses[0].error?.errorName == "OFFSET_OUT_OF_RANGE")
        let read = try cluster.send(FetchRequest(partitions: [.init(partition: tp, fetchOffset: 0)]), to: leader, from: admin)
        #expect(read.responses[0].error == nil)
        #expect(read.responses[0].highWatermark == 1)
        #expect(read.responses[0].records.map(\.value) == [Array("a".utf8)])
        let follower = cluster.topics["t"]!.partitions[0].replicas.first { $0 != leader }!
        let elsewhere = try cluster.send(FetchRequest(partitions: [.init(partition: tp, fetchOffset: 0)]), to: follower, from: admin)
        #expect(elsewhere.responses[0].error?.code == 6)
    }

    @Test func aRequestToAStoppedBrokerThrowsNetworkException() throws {
        let cluster = try replicated()
        try cluster.stopBroker(2)
        do {
            _ = try cluster.send(MetadataRequest(), to: 2, from: admin)
            Issue.record("a stopped broker answered")
        } catch {
            #expect(error.errorName == "NETWORK_EXCEPTION")
            #expect(error.code == 13)
        }
        #expect(cluster.requestCounts[2] == nil)
    }

    @Test func metadataListsRunningBrokersLeadersAndIsrsAfterABrokerStops() throws {
        let cluster = try replicated()
        let before = try cluster.send(MetadataRequest(), to: 0, from: admin)
        #expect(before.brokers.map(\.nodeId) == [0, 1, 2])
        #expect(before.brokers[0].host == "localhost")
        #expect(before.brokers.map(\.port) == cluster.brokers.map { Int32($0.port) })
        #expect(before.controllerId == Int32(cluster.controllerId!))
        let stopped = cluster.topics["t"]!.partitions[0].leader!
        try cluster.stopBroker(stopped)
        let asked = stopped == 0 ? 1 : 0
        let after = try cluster.send(MetadataRequest(topics: ["t", "missing"]), to: asked, from: admin)
        #expect(after.brokers.map(\.nodeId) == [0, 1, 2].filter { $0 != stopped })
        let partition = after.topics[0].partitions[0]
        let state = cluster.topics["t"]!.partitions[0]
        #expect(after.topics[0].name == "t")
        #expect(after.topics[0].topicId == cluster.topics["t"]!.topicId)
        #expect(partition.error == nil)
        #expect(partition.leaderId == Int32(state.leader!))
        #expect(partition.leaderId != Int32(stopped))
        #expect(partition.leaderEpoch == Int32(state.leaderEpoch))
        #expect(partition.replicaNodes == state.replicas.map { Int32($0) })
        #expect(partition.isrNodes == state.isr.map { Int32($0) })
        #expect(!partition.isrNodes.contains(Int32(stopped)))
        #expect(partition.offlineReplicas == [Int32(stopped)])
        #expect(after.topics[1].error?.code == 3)
    }

    @Test func simulatedClientsSendProduceAndFetchRequests() throws {
        let cluster = try replicated()
        let leader = cluster.topics["t"]!.partitions[0].leader!
        try cluster.startProducer("p", config: ProducerConfig())
        #expect(cluster.producers["p"]!.producerId == 0)
        #expect(cluster.requestCounts.values.reduce(0) { $0 + ($1[.initProducerId] ?? 0) } == 1)
        let receipt = try cluster.send(producer: "p", topic: "t", partition: 0, key: nil, value: Array("v".utf8))
        cluster.awaitAnswers(producer: "p")
        #expect(cluster.offset(of: receipt, producer: "p") == .success(0))
        #expect(cluster.requestCounts[leader]?[.produce] == 1)
        var config = ConsumerConfig()
        config.groupId = "g"
        config.topics = ["t"]
        config.autoOffsetReset = .earliest
        try cluster.startConsumer("c", config: config)
        cluster.advance(byMs: 10_000)
        #expect(cluster.consumers["c"]!.recordsConsumed == 1)
        #expect((cluster.requestCounts[leader]?[.fetch] ?? 0) >= 1)
        #expect(cluster.requestCounts[leader]?[.listOffsets] == 1)
        for broker in cluster.brokers.map(\.id) where broker != leader {
            #expect(cluster.requestCounts[broker]?[.produce] == nil)
            #expect(cluster.requestCounts[broker]?[.fetch] == nil)
        }
    }

    @Test func anAcksAllAnswerToAConnectionWaitsInTheOutboxUntilTheHighWatermarkPassesIt() throws {
        let cluster = try replicated()
        let leader = cluster.topics["t"]!.partitions[0].leader!
        let connection = RequestContext(client: .connection(7), clientId: "rdkafka", correlationId: 42)
        let now = try cluster.send(produce("a", acks: -1), to: leader, from: connection)
        #expect(now.responses.isEmpty)
        #expect(try cluster.log(tp).highWatermark == 0)
        #expect(cluster.pendingConnectionResponses.isEmpty)
        cluster.advance(byMs: 1)
        #expect(try cluster.log(tp).highWatermark == 0 ? cluster.pendingConnectionResponses.isEmpty : true)
        cluster.advance(byMs: 20)
        #expect(try cluster.log(tp).highWatermark == 1)
        let expected = ConnectionResponse(connection: 7, correlationId: 42,
                                          response: .produce(ProduceResponse(responses: [.init(partition: tp, baseOffset: 0)])))
        #expect(cluster.drainConnectionResponses() == [expected])
        #expect(cluster.pendingConnectionResponses.isEmpty)
    }
}
