import KafkaModel
import KafkaShell
import KafkaWire
import NIOCore
import Testing
@testable import KafkaServer

/// A transactional client before transaction version 2 (librdkafka, kafka-python) through the bridge: FindCoordinator
/// and InitProducerId with a transactional id, AddPartitionsToTxn, a verified Produce, AddOffsetsToTxn,
/// TxnOffsetCommit and EndTxn, at their lowest and highest advertised versions, and Kafka 4.0's error answers.
@Suite struct WireTransactionTests {
    let allocator = ByteBufferAllocator()

    /// A 3-broker cluster with topic `t` (2 partitions) and a client connected to the coordinator of `id`.
    final class Fixture {
        let handler: WireRequestHandler
        let id: String
        var coordinator: WireTestClient!
        var producerId: Int64 = -1
        var epoch: Int16 = -1
        var cluster: Cluster { handler.session.cluster }

        init(id: String = "txn-1") throws {
            let session = Session(options: SessionOptions(brokers: 3))
            handler = WireRequestHandler(session: session)
            for (index, broker) in session.cluster.brokers.map(\.id).enumerated() {
                handler.advertisedListeners[broker] = ("127.0.0.1", 19092 + index)
            }
            handler.pump(wallNanoseconds: 0)
            self.id = id
            try session.cluster.createTopic("t", partitions: 2, replicationFactor: 3)
        }

        func client(_ broker: Int, connection: Int) -> WireTestClient { WireTestClient(handler, connection: connection, broker: broker) }
    }

    /// FindCoordinator(TRANSACTION) at `version`, sent to broker 0: the node it names.
    func findTransactionCoordinator(_ f: Fixture, version: Int16) throws -> Int32 {
        let client = f.client(f.cluster.brokers[0].id, connection: 90 + Int(version))
        let outcome = client.send(apiKey: 10, version: version) { b in
            var r = Wire.FindCoordinatorRequest(); r.key = f.id; r.keyType = 1; r.coordinatorKeys = [f.id]; r.encode(into: &b, version: version)
        }
        var body = try client.body(outcome, apiKey: 10, version: version)
        let response = try Wire.FindCoordinatorResponse(from: &body, version: version)
        if version >= 4 {
            #expect(response.coordinators.map(\.errorCode) == [0])
            return try #require(response.coordinators.first?.nodeId)
        }
        #expect(response.errorCode == 0)
        return response.nodeId
    }

    /// FindCoordinator(GROUP) for `g`: the first lookup creates `__consumer_offsets`.
    func findGroupCoordinator(_ f: Fixture) throws {
        let client = f.client(f.cluster.brokers[0].id, connection: 80)
        let outcome = client.send(apiKey: 10, version: 3) { var r = Wire.FindCoordinatorRequest(); r.key = "g"; r.encode(into: &$0, version: 3) }
        var body = try client.body(outcome, apiKey: 10, version: 3)
        #expect(try Wire.FindCoordinatorResponse(from: &body, version: 3).errorCode == 0)
    }

    /// Finds the coordinator, connects to it and initializes the producer (InitProducerId at `version`).
    func initialize(_ f: Fixture, version: Int16 = 4) throws {
        let node = try findTransactionCoordinator(f, version: 4)
        #expect(Int(node) == f.cluster.transactionCoordinatorBroker(of: f.id))
        f.coordinator = f.client(Int(node), connection: 1)
        let answer = try initProducerId(f, f.coordinator, version: version)
        #expect(answer.errorCode == 0)
        f.producerId = answer.producerId
        f.epoch = answer.producerEpoch
    }

    func initProducerId(_ f: Fixture, _ client: WireTestClient, version: Int16, producerId: Int64 = -1,
                        epoch: Int16 = -1) throws -> Wire.InitProducerIdResponse {
        let outcome = client.send(apiKey: 22, version: version) { b in
            var r = Wire.InitProducerIdRequest(); r.transactionalId = f.id; r.transactionTimeoutMs = 60_000
            r.producerId = producerId; r.producerEpoch = epoch; r.encode(into: &b, version: version)
        }
        var body = try client.body(outcome, apiKey: 22, version: version)
        return try Wire.InitProducerIdResponse(from: &body, version: version)
    }

    /// AddPartitionsToTxn: each partition's error code, in request order.
    func addPartitions(_ f: Fixture, _ partitions: [TopicPartition], version: Int16, id: String? = nil, producerId: Int64? = nil,
                       epoch: Int16? = nil, via client: WireTestClient? = nil) throws -> [Int16] {
        let sender = client ?? f.coordinator!
        let outcome = sender.send(apiKey: 24, version: version) { b in
            var r = Wire.AddPartitionsToTxnRequest()
            r.v3AndBelowTransactionalId = id ?? f.id; r.v3AndBelowProducerId = producerId ?? f.producerId; r.v3AndBelowProducerEpoch = epoch ?? f.epoch
            var topics: [String: [Int32]] = [:]
            for tp in partitions { topics[tp.topic, default: []].append(Int32(tp.partition)) }
            r.v3AndBelowTopics = topics.keys.sorted().map { name in
                var t = Wire.AddPartitionsToTxnRequest.AddPartitionsToTxnTopic(); t.name = name; t.partitions = topics[name]!; return t
            }
            r.encode(into: &b, version: version)
        }
        var body = try sender.body(outcome, apiKey: 24, version: version)
        let response = try Wire.AddPartitionsToTxnResponse(from: &body, version: version)
        return response.resultsByTopicV3AndBelow.flatMap { $0.resultsByPartition.map(\.partitionErrorCode) }
    }

    /// AddOffsetsToTxn's or EndTxn's error code (v4 is read in v3's layout).
    func errorCode(_ f: Fixture, apiKey: Int16, version: Int16, epoch: Int16? = nil, committed: Bool = true, group: String = "g") throws -> Int16 {
        let outcome = f.coordinator.send(apiKey: apiKey, version: version) { b in
            if apiKey == 25 {
                var r = Wire.AddOffsetsToTxnRequest(); r.transactionalId = f.id; r.producerId = f.producerId; r.producerEpoch = epoch ?? f.epoch
                r.groupId = group; r.encode(into: &b, version: min(version, 3))
            } else {
                var r = Wire.EndTxnRequest(); r.transactionalId = f.id; r.producerId = f.producerId; r.producerEpoch = epoch ?? f.epoch
                r.committed = committed; r.encode(into: &b, version: min(version, 3))
            }
        }
        var body = try f.coordinator.body(outcome, apiKey: apiKey, version: version)
        return apiKey == 25 ? try Wire.AddOffsetsToTxnResponse(from: &body, version: min(version, 3)).errorCode
                            : try Wire.EndTxnResponse(from: &body, version: min(version, 3)).errorCode
    }

    /// A transactional batch produced to `tp`'s leader; the partition's error code.
    func produce(_ f: Fixture, _ tp: TopicPartition, version: Int16, sequence: Int32 = 0, value: String = "v") throws -> Int16 {
        let leader = try #require(f.cluster.topics[tp.topic]?.partitions[tp.partition].leader)
        let client = f.client(leader, connection: 10 + leader)
        var batch = allocator.buffer(capacity: 128)
        batch.writeBytes(RecordBatch(baseOffset: 0, records: [Record(timestamp: 1_764_000_000_000, key: "k", value: value)], producerId: f.producerId,
                                     producerEpoch: f.epoch, baseSequence: sequence, isTransactional: true).encoded())
        let outcome = client.send(apiKey: 0, version: version) { b in
            var r = Wire.ProduceRequest(); r.transactionalId = f.id; r.acks = 1; r.timeoutMs = 5000
            var t = Wire.ProduceRequest.TopicProduceData(); t.name = tp.topic
            var p = Wire.ProduceRequest.TopicProduceData.PartitionProduceData(); p.index = Int32(tp.partition); p.records = batch
            t.partitionData = [p]; r.topicData = [t]; r.encode(into: &b, version: version)
        }
        var body = try client.body(outcome, apiKey: 0, version: version)
        return try #require(try Wire.ProduceResponse(from: &body, version: version).responses.first?.partitionResponses.first?.errorCode)
    }

    /// TxnOffsetCommit to the group's coordinator; each partition's error code.
    func txnOffsetCommit(_ f: Fixture, group: String, _ offsets: [(TopicPartition, Int64)], version: Int16) throws -> [Int16] {
        let node = try #require(f.cluster.coordinator(of: group))
        let client = f.client(node, connection: 20 + node)
        let outcome = client.send(apiKey: 28, version: version) { b in
            var r = Wire.TxnOffsetCommitRequest(); r.transactionalId = f.id; r.groupId = group; r.producerId = f.producerId; r.producerEpoch = f.epoch
            r.topics = Dictionary(grouping: offsets, by: { $0.0.topic }).keys.sorted().map { name in
                var t = Wire.TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic(); t.name = name
                t.partitions = offsets.filter { $0.0.topic == name }.map { tp, offset in
                    var p = Wire.TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.TxnOffsetCommitRequestPartition()
                    p.partitionIndex = Int32(tp.partition); p.committedOffset = offset; return p
                }
                return t
            }
            r.encode(into: &b, version: min(version, 3))
        }
        var body = try client.body(outcome, apiKey: 28, version: version)
        return try Wire.TxnOffsetCommitResponse(from: &body, version: min(version, 3)).topics.flatMap { $0.partitions.map(\.errorCode) }
    }

    let t0 = TopicPartition("t", 0)
    let t1 = TopicPartition("t", 1)

    @Test func apiVersionsAdvertisesTheTransactionVersionOneApis() throws {
        let f = try Fixture()
        let client = f.client(f.cluster.brokers[0].id, connection: 1)
        let outcome = client.send(apiKey: 18, version: 3) { var r = Wire.ApiVersionsRequest(); r.clientSoftwareName = "x"; r.clientSoftwareVersion = "1"; r.encode(into: &$0, version: 3) }
        var body = try client.body(outcome, apiKey: 18, version: 3)
        let ranges = Dictionary(uniqueKeysWithValues: try Wire.ApiVersionsResponse(from: &body, version: 3).apiKeys.map { ($0.apiKey, $0.minVersion...$0.maxVersion) })
        #expect(ranges[24] == 0...3 && ranges[25] == 0...4 && ranges[26] == 0...4 && ranges[28] == 0...4 && ranges[22] == 0...5)
        #expect(ranges[0]?.upperBound == 11)
    }

    /// A whole committed transaction at the lowest versions (librdkafka's: AddPartitionsToTxn, AddOffsetsToTxn and
    /// EndTxn v0, TxnOffsetCommit v0) and at the highest advertised ones.
    @Test(arguments: [(Int16(0), Int16(0), Int16(3), Int16(1)), (3, 4, 11, 4)])
    func aCommittedTransaction(addVersion: Int16, version: Int16, produceVersion: Int16, findVersion: Int16) throws {
        let f = try Fixture()
        #expect(try findTransactionCoordinator(f, version: findVersion) >= 0)
        try initialize(f, version: version == 0 ? 0 : 5)
        #expect(f.epoch == 0)
        #expect(try addPartitions(f, [t0, t1], version: addVersion) == [0, 0])
        #expect(try produce(f, t0, version: produceVersion, value: "a") == 0)
        #expect(try produce(f, t1, version: produceVersion, value: "b") == 0)
        try findGroupCoordinator(f)
        #expect(try errorCode(f, apiKey: 25, version: version) == 0)
        let offsetsPartition = TopicPartition(GroupCoordinator.offsetsTopic, f.cluster.offsetsPartition(of: "g"))
        #expect(f.cluster.transactionCoordinator.transactions[f.id]?.topicPartitions == [t0, t1, offsetsPartition])
        #expect(try txnOffsetCommit(f, group: "g", [(t0, 1), (t1, 1)], version: version) == [0, 0])
        #expect(f.cluster.committedOffsets("g").isEmpty)
        #expect(try errorCode(f, apiKey: 26, version: version, committed: true) == 0)
        // Transaction version 1: the epoch stays, the offsets are the group's, the records are committed.
        let metadata = try #require(f.cluster.transactionCoordinator.transactions[f.id])
        #expect(metadata.state == .completeCommit && metadata.producerEpoch == 0 && metadata.clientTransactionVersion == .tv0)
        #expect(f.cluster.committedOffsets("g") == [t0: 1, t1: 1])
        #expect(try f.cluster.leaderLog(t0).lastStableOffset == 2)
        // The next transaction goes on with the same epoch.
        #expect(try addPartitions(f, [t0], version: addVersion) == [0])
        #expect(try produce(f, t0, version: produceVersion, sequence: 1) == 0)
        #expect(try errorCode(f, apiKey: 26, version: version, committed: false) == 0)
        #expect(f.cluster.transactionCoordinator.transactions[f.id]?.state == .completeAbort)
    }

    /// A produce to a partition the client did not add: INVALID_TXN_STATE before Produce v11, TRANSACTION_ABORTABLE at
    /// v11; nothing is appended, and the learner sees why.
    @Test(arguments: [(Int16(9), Int16(48)), (11, 120)])
    func aProduceToAPartitionNotAddedIsRefused(version: Int16, expected: Int16) throws {
        let f = try Fixture()
        try initialize(f)
        #expect(try addPartitions(f, [t0], version: 3) == [0])
        _ = f.handler.takeEventLines()
        #expect(try produce(f, t1, version: version) == expected)
        #expect(try f.cluster.leaderLog(t1).logEndOffset == 0)
        let lines = f.handler.takeEventLines()
        #expect(lines.contains { $0.contains("TransactionVerificationFailed t-1: txn-1 (producerId \(f.producerId), epoch 0)")
            && $0.contains("no AddPartitionsToTxn for it") })
        #expect(try produce(f, t0, version: version) == 0)
    }

    /// TxnOffsetCommit without AddOffsetsToTxn: INVALID_TXN_STATE up to v3, TRANSACTION_ABORTABLE at v4.
    @Test(arguments: [(Int16(0), Int16(48)), (4, 120)])
    func offsetsWithoutAddOffsetsToTxnAreRefused(version: Int16, expected: Int16) throws {
        let f = try Fixture()
        try initialize(f)
        try findGroupCoordinator(f)
        #expect(try addPartitions(f, [t0], version: 3) == [0])
        #expect(try txnOffsetCommit(f, group: "g", [(t0, 5), (TopicPartition("nope", 0), 1)], version: version) == [3, expected])   // topics in name order: "nope", then "t"
        #expect(f.cluster.pendingTransactionalOffsets.isEmpty)
    }

    @Test func wrongEpochsAreFencedAsEachVersionNamesIt() throws {
        let f = try Fixture()
        try initialize(f)
        #expect(try addPartitions(f, [t0], version: 3) == [0])
        let before = f.cluster.transactionCoordinator.transactions[f.id]
        #expect(try addPartitions(f, [t1], version: 3, epoch: 1) == [90])
        #expect(try addPartitions(f, [t1], version: 1, epoch: 1) == [47])
        #expect(try errorCode(f, apiKey: 25, version: 4, epoch: 1) == 90)
        #expect(try errorCode(f, apiKey: 25, version: 0, epoch: 1) == 47)
        #expect(try errorCode(f, apiKey: 26, version: 4, epoch: 1) == 90)
        #expect(try errorCode(f, apiKey: 26, version: 1, epoch: 1) == 47)
        // Refusals leave no trace.
        #expect(f.cluster.transactionCoordinator.transactions[f.id] == before)
        // A second producer fences the first (its open transaction is aborted); the first's old epoch is refused.
        let second = f.client(Int(try findTransactionCoordinator(f, version: 4)), connection: 2)
        #expect(try initProducerId(f, second, version: 4).errorCode == 51)   // CONCURRENT_TRANSACTIONS: retry
        let fencing = try initProducerId(f, second, version: 4)
        #expect(fencing.errorCode == 0 && fencing.producerEpoch == 3)
        #expect(try produce(f, t0, version: 9, sequence: 1) == 47)
        #expect(try errorCode(f, apiKey: 26, version: 3) == 90)
        // InitProducerId with an expected epoch that is neither current nor last: PRODUCER_FENCED, INVALID_PRODUCER_EPOCH before v4.
        #expect(try initProducerId(f, second, version: 4, producerId: f.producerId, epoch: 0).errorCode == 90)
        #expect(try initProducerId(f, second, version: 3, producerId: f.producerId, epoch: 0).errorCode == 47)
        #expect(try initProducerId(f, second, version: 3, producerId: -1, epoch: 2).errorCode == 42)
    }

    @Test func unknownIdsAndPartitionsAndTheWrongBroker() throws {
        let f = try Fixture()
        try initialize(f)
        #expect(try addPartitions(f, [t0], version: 3, id: f.id, producerId: 999) == [49])
        #expect(try addPartitions(f, [t0, TopicPartition("t", 7)], version: 0) == [55, 3])
        #expect(f.cluster.transactionCoordinator.transactions[f.id]?.state == .empty)
        // An id the coordinator does not know, sent to its coordinator.
        let other = try Fixture(id: "unknown-id")
        _ = try findTransactionCoordinator(other, version: 4)
        other.coordinator = other.client(try #require(other.cluster.transactionCoordinatorBroker(of: "unknown-id")), connection: 1)
        other.producerId = 5
        other.epoch = 0
        #expect(try addPartitions(other, [t0], version: 3) == [49])
        #expect(try errorCode(other, apiKey: 25, version: 4) == 49)
        #expect(try errorCode(other, apiKey: 26, version: 4) == 49)
        #expect(other.cluster.transactionCoordinator.transactions["unknown-id"] == nil)
        // Any other broker is not the coordinator.
        let coordinator = try #require(f.cluster.transactionCoordinatorBroker(of: f.id))
        let elsewhere = f.client(try #require(f.cluster.brokers.map(\.id).first { $0 != coordinator }), connection: 3)
        #expect(try addPartitions(f, [t0], version: 3, via: elsewhere) == [16])
        #expect(try initProducerId(f, elsewhere, version: 4).errorCode == 16)
        // EndTxn from Empty is an invalid state.
        #expect(try errorCode(f, apiKey: 26, version: 4) == 48)
    }
}
