import KafkaModel
import KafkaShell
import KafkaWire
import NIOCore
import Testing
@testable import KafkaServer

/// Real clients' requests through the bridge: frames in, the simulated brokers' answers out.
@Suite struct WireRequestHandlerTests {
    func handler() -> WireRequestHandler {
        let session = Session(options: SessionOptions(brokers: 3))
        let handler = WireRequestHandler(session: session)
        for (index, broker) in session.cluster.brokers.map(\.id).enumerated() {
            handler.advertisedListeners[broker] = ("127.0.0.1", 19092 + index)
        }
        handler.pump(wallNanoseconds: 0)
        return handler
    }

    func brokerIds(_ h: WireRequestHandler) -> [Int] { h.session.cluster.brokers.map(\.id) }

    @Test func apiVersionsV3AnswersWithAHeaderWithoutTagsAndTheAdvertisedRanges() throws {
        let h = handler()
        let client = WireTestClient(h, connection: 1, broker: brokerIds(h)[0])
        let outcome = client.send(apiKey: 18, version: 3) { var r = Wire.ApiVersionsRequest(); r.clientSoftwareName = "librdkafka"; r.clientSoftwareVersion = "2.0.2"; r.encode(into: &$0, version: 3) }
        var body = try client.body(outcome, apiKey: 18, version: 3)
        let response = try Wire.ApiVersionsResponse(from: &body, version: 3)
        #expect(response.errorCode == 0)
        let produce = try #require(response.apiKeys.first { $0.apiKey == 0 })
        #expect(produce.minVersion == 0)      // KAFKA-18659
        #expect(response.apiKeys.contains { $0.apiKey == 3 && $0.maxVersion == 12 })
        #expect(body.readableBytes == 0)
    }

    @Test func anApiVersionsVersionFromTheFutureGetsAV0BodyWithUnsupportedVersion() throws {
        let h = handler()
        let client = WireTestClient(h, connection: 1, broker: brokerIds(h)[0])
        let outcome = client.send(apiKey: 18, version: 9) { _ in }
        var body = try client.body(outcome, apiKey: 18, version: 0)
        let response = try Wire.ApiVersionsResponse(from: &body, version: 0)
        #expect(response.errorCode == 35)
        #expect(response.apiKeys.contains { $0.apiKey == 18 && $0.maxVersion == 4 })
    }

    @Test func metadataNamesTheListenersPortsAndALiveController() throws {
        let h = handler()
        try h.session.cluster.createTopic("orders", partitions: 3, replicationFactor: 3)
        let client = WireTestClient(h, connection: 1, broker: brokerIds(h)[0])
        for version: Int16 in [0, 4, 9, 12] {
            let outcome = client.send(apiKey: 3, version: version) { var r = Wire.MetadataRequest(); r.topics = version == 0 ? [] : nil; r.encode(into: &$0, version: version) }
            var body = try client.body(outcome, apiKey: 3, version: version)
            let response = try Wire.MetadataResponse(from: &body, version: version)
            #expect(Set(response.brokers.map(\.port)) == [19092, 19093, 19094])
            #expect(response.topics.map(\.name).contains("orders"))
            #expect(response.topics.first { $0.name == "orders" }?.partitions.count == 3)
            if version >= 1 { #expect(brokerIds(h).contains(Int(response.controllerId))) }
        }
    }

    /// The path kcat takes (librdkafka 2.0.2's versions): create, produce, fetch, list offsets.
    @Test func recordsProducedByAClientAreFetchedBackWithTheirKeysHeadersAndTimestamps() throws {
        let h = handler()
        let client = WireTestClient(h, connection: 1, broker: brokerIds(h)[0])
        let created = client.send(apiKey: 19, version: 4) { var r = Wire.CreateTopicsRequest(); var t = Wire.CreateTopicsRequest.CreatableTopic(); t.name = "t"; t.numPartitions = 1; t.replicationFactor = 1; r.topics = [t]; r.timeoutMs = 5000; r.encode(into: &$0, version: 4) }
        var createdBody = try client.body(created, apiKey: 19, version: 4)
        #expect(try Wire.CreateTopicsResponse(from: &createdBody, version: 4).topics.map(\.errorCode) == [0])
        // The events a client caused are shown with its client.id and address.
        let shown = h.takeEventLines()
        #expect(!shown.isEmpty)
        #expect(shown.allSatisfy { $0.hasPrefix("[test-client 127.0.0.1:50001] ") })
        let leader = try #require(h.session.cluster.topics["t"]?.partitions[0].leader)
        let toLeader = WireTestClient(h, connection: 2, broker: leader)
        let records = [Record(timestamp: 1_764_000_000_123, key: "k1", value: "v1", headers: [RecordHeader(key: "h", value: Array("x".utf8))]),
                       Record(offset: 1, timestamp: 1_764_000_000_124, key: "k2", value: "v2")]
        var batch = allocator.buffer(capacity: 256)
        batch.writeBytes(RecordBatch(baseOffset: 0, records: records).encoded())
        let produced = toLeader.send(apiKey: 0, version: 7) { var r = Wire.ProduceRequest(); r.acks = 1; r.timeoutMs = 5000
            var t = Wire.ProduceRequest.TopicProduceData(); t.name = "t"
            var p = Wire.ProduceRequest.TopicProduceData.PartitionProduceData(); p.index = 0; p.records = batch
            t.partitionData = [p]; r.topicData = [t]; r.encode(into: &$0, version: 7) }
        var producedBody = try toLeader.body(produced, apiKey: 0, version: 7)
        let answer = try Wire.ProduceResponse(from: &producedBody, version: 7)
        #expect(answer.responses.first?.partitionResponses.first?.errorCode == 0)
        #expect(answer.responses.first?.partitionResponses.first?.baseOffset == 0)

        let fetched = toLeader.send(apiKey: 1, version: 11) { var r = Wire.FetchRequest(); r.maxWaitMs = 500; r.minBytes = 1; r.maxBytes = 1 << 20
            var t = Wire.FetchRequest.FetchTopic(); t.topic = "t"
            var p = Wire.FetchRequest.FetchTopic.FetchPartition(); p.partition = 0; p.fetchOffset = 0; p.partitionMaxBytes = 1 << 20
            t.partitions = [p]; r.topics = [t]; r.encode(into: &$0, version: 11) }
        var fetchedBody = try toLeader.body(fetched, apiKey: 1, version: 11)
        let fetch = try Wire.FetchResponse(from: &fetchedBody, version: 11)
        let data = try #require(fetch.responses.first?.partitions.first)
        #expect(data.errorCode == 0)
        #expect(data.highWatermark == 2)
        let bytes = Array(try #require(data.records).readableBytesView)
        let got = try RecordBatch.decodeAll(bytes).flatMap(\.records)
        #expect(got == records)

        let listed = toLeader.send(apiKey: 2, version: 2) { var r = Wire.ListOffsetsRequest(); r.replicaId = -1
            var t = Wire.ListOffsetsRequest.ListOffsetsTopic(); t.name = "t"
            var p = Wire.ListOffsetsRequest.ListOffsetsTopic.ListOffsetsPartition(); p.partitionIndex = 0; p.timestamp = -1
            t.partitions = [p]; r.topics = [t]; r.encode(into: &$0, version: 2) }
        var listedBody = try toLeader.body(listed, apiKey: 2, version: 2)
        #expect(try Wire.ListOffsetsResponse(from: &listedBody, version: 2).topics.first?.partitions.first?.offset == 2)
    }

    let allocator = ByteBufferAllocator()

    /// Produces `bytes` as partition 0's batch (acks=1, Produce v9); returns the partition's error code.
    func produceV9(_ bytes: [UInt8], to topic: String, with client: WireTestClient) throws -> Int16 {
        var batch = allocator.buffer(capacity: bytes.count)
        batch.writeBytes(bytes)
        let outcome = client.send(apiKey: 0, version: 9) { var r = Wire.ProduceRequest(); r.acks = 1; r.timeoutMs = 5000
            var t = Wire.ProduceRequest.TopicProduceData(); t.name = topic
            var p = Wire.ProduceRequest.TopicProduceData.PartitionProduceData(); p.index = 0; p.records = batch
            t.partitionData = [p]; r.topicData = [t]; r.encode(into: &$0, version: 9) }
        var body = try client.body(outcome, apiKey: 0, version: 9)
        return try #require(try Wire.ProduceResponse(from: &body, version: 9).responses.first?.partitionResponses.first?.errorCode)
    }

    /// A Fetch with nothing to read waits (DelayedFetch) and is answered when a record arrives, or when its wait ends.
    @Test func anEmptyFetchWaitsForRecordsThenAnswers() throws {
        let h = handler()
        try h.session.cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        let leader = try #require(h.session.cluster.topics["t"]?.partitions[0].leader)
        let consumer = WireTestClient(h, connection: 1, broker: leader)
        let fetch = { consumer.send(apiKey: 1, version: 12) { var r = Wire.FetchRequest(); r.maxWaitMs = 500; r.minBytes = 1; r.maxBytes = 1 << 20
            var t = Wire.FetchRequest.FetchTopic(); t.topic = "t"
            var p = Wire.FetchRequest.FetchTopic.FetchPartition(); p.partition = 0; p.fetchOffset = 0; p.partitionMaxBytes = 1 << 20
            t.partitions = [p]; r.topics = [t]; r.encode(into: &$0, version: 12) } }
        guard case .parked = fetch() else { Issue.record("an empty fetch should wait"); return }
        h.pump(wallNanoseconds: 100_000_000)
        #expect(consumer.ready() == nil)
        h.pump(wallNanoseconds: 600_000_000)
        var body = try consumer.body(try #require(consumer.ready()), apiKey: 1, version: 12)
        #expect(try Wire.FetchResponse(from: &body, version: 12).responses.first?.partitions.first?.records?.readableBytes ?? 0 == 0)

        guard case .parked = fetch() else { Issue.record("an empty fetch should wait"); return }
        _ = try h.session.cluster.send(ProduceRequest(acks: 1, timeoutMs: 30_000, partitionData: [
            .init(partition: TopicPartition("t", 0), records: [Record(timestamp: 1, key: "k", value: "v")])]),
            to: leader, from: RequestContext(client: .producer("p"), clientId: "p"))
        h.pump(wallNanoseconds: 610_000_000)
        var second = try consumer.body(try #require(consumer.ready()), apiKey: 1, version: 12)
        #expect(try Wire.FetchResponse(from: &second, version: 12).responses.first?.partitions.first?.records?.readableBytes ?? 0 > 0)
    }

    /// acks=all waits for the followers: the answer is parked, then ready once their fetches ran — a few simulated
    /// milliseconds run at once, ahead of the wall clock — with the high watermark past the batch.
    @Test func anAcksAllProduceIsAnsweredOnceTheFollowersHaveTheBatch() throws {
        let h = handler()
        try h.session.cluster.createTopic("t", partitions: 1, replicationFactor: 3)
        let leader = try #require(h.session.cluster.topics["t"]?.partitions[0].leader)
        h.session.cluster.advance(byMs: 1000)
        h.pump(wallNanoseconds: 1_000_000)
        let client = WireTestClient(h, connection: 1, broker: leader)
        let before = h.session.cluster.nowMs
        var batch = allocator.buffer(capacity: 128)
        batch.writeBytes(RecordBatch(baseOffset: 0, records: [Record(timestamp: 5, key: "k", value: "v")]).encoded())
        let outcome = client.send(apiKey: 0, version: 9) { var r = Wire.ProduceRequest(); r.acks = -1; r.timeoutMs = 30_000
            var t = Wire.ProduceRequest.TopicProduceData(); t.name = "t"
            var p = Wire.ProduceRequest.TopicProduceData.PartitionProduceData(); p.index = 0; p.records = batch
            t.partitionData = [p]; r.topicData = [t]; r.encode(into: &$0, version: 9) }
        guard case .parked = outcome else { Issue.record("acks=all should wait for the followers, got \(outcome)"); return }
        var body = try client.body(try #require(client.ready()), apiKey: 0, version: 9)
        #expect(try Wire.ProduceResponse(from: &body, version: 9).responses.first?.partitionResponses.first?.errorCode == 0)
        let elapsed = h.session.cluster.nowMs - before
        #expect(elapsed >= 1 && elapsed <= WireRequestHandler.maxLeadMs)
        #expect(try h.session.cluster.leaderLog(TopicPartition("t", 0)).highWatermark == 1)
    }

    /// After a leader change a consumer asks the new leader where the epoch it read under ended (KIP-320).
    @Test func offsetForLeaderEpochAnswersWhereAnOldEpochEnded() throws {
        let h = handler()
        let c = h.session.cluster
        try c.createTopic("t", partitions: 1, replicationFactor: 3)
        c.advance(byMs: 1000)
        let tp = TopicPartition("t", 0)
        _ = try c.appendRecords([Record(timestamp: 1, key: "a", value: "1"), Record(timestamp: 1, key: "b", value: "2")], to: tp)
        c.advance(byMs: 1000)
        let oldLeader = try #require(c.topics["t"]?.partitions[0].leader)
        _ = h.session.execute("broker stop \(oldLeader)")
        let newLeader = try #require(c.topics["t"]?.partitions[0].leader)
        #expect(newLeader != oldLeader)
        let client = WireTestClient(h, connection: 1, broker: newLeader)
        let outcome = client.send(apiKey: 23, version: 4) { var r = Wire.OffsetForLeaderEpochRequest(); r.replicaId = -1
            var t = Wire.OffsetForLeaderEpochRequest.OffsetForLeaderTopic(); t.topic = "t"
            var p = Wire.OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition(); p.partition = 0; p.leaderEpoch = 0
            t.partitions = [p]; r.topics = [t]; r.encode(into: &$0, version: 4) }
        var body = try client.body(outcome, apiKey: 23, version: 4)
        let answer = try #require(try Wire.OffsetForLeaderEpochResponse(from: &body, version: 4).topics.first?.partitions.first)
        #expect(answer.errorCode == 0)
        #expect(answer.leaderEpoch == 0)
        #expect(answer.endOffset == 2)

        // The client's current leader epoch must be the leader's: older is fenced, newer unknown.
        for (current, code) in [(Int32(0), Int16(74)), (Int32(99), Int16(75))] {
            let checked = client.send(apiKey: 23, version: 4) { var r = Wire.OffsetForLeaderEpochRequest(); r.replicaId = -1
                var t = Wire.OffsetForLeaderEpochRequest.OffsetForLeaderTopic(); t.topic = "t"
                var p = Wire.OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition(); p.partition = 0
                p.leaderEpoch = 0; p.currentLeaderEpoch = current
                t.partitions = [p]; r.topics = [t]; r.encode(into: &$0, version: 4) }
            var checkedBody = try client.body(checked, apiKey: 23, version: 4)
            #expect(try Wire.OffsetForLeaderEpochResponse(from: &checkedBody, version: 4).topics.first?.partitions.first?.errorCode == code)
        }

        // A fetch under the old epoch is fenced too, so the consumer refreshes its metadata and validates.
        let fetched = client.send(apiKey: 1, version: 12) { var r = Wire.FetchRequest(); r.maxWaitMs = 0; r.minBytes = 1; r.maxBytes = 1 << 20
            var t = Wire.FetchRequest.FetchTopic(); t.topic = "t"
            var p = Wire.FetchRequest.FetchTopic.FetchPartition(); p.partition = 0; p.fetchOffset = 0; p.partitionMaxBytes = 1 << 20
            p.currentLeaderEpoch = 0
            t.partitions = [p]; r.topics = [t]; r.encode(into: &$0, version: 12) }
        var fetchedBody = try client.body(fetched, apiKey: 1, version: 12)
        #expect(try Wire.FetchResponse(from: &fetchedBody, version: 12).responses.first?.partitions.first?.errorCode == 74)

        let stale = WireTestClient(h, connection: 2, broker: c.brokers.map(\.id).first { $0 != newLeader && $0 != oldLeader }!)
        let refused = stale.send(apiKey: 23, version: 4) { var r = Wire.OffsetForLeaderEpochRequest(); r.replicaId = -1
            var t = Wire.OffsetForLeaderEpochRequest.OffsetForLeaderTopic(); t.topic = "t"
            var p = Wire.OffsetForLeaderEpochRequest.OffsetForLeaderTopic.OffsetForLeaderPartition(); p.partition = 0; p.leaderEpoch = 0
            t.partitions = [p]; r.topics = [t]; r.encode(into: &$0, version: 4) }
        var refusedBody = try stale.body(refused, apiKey: 23, version: 4)
        #expect(try Wire.OffsetForLeaderEpochResponse(from: &refusedBody, version: 4).topics.first?.partitions.first?.errorCode == 6)
    }

    @Test func describeConfigsTellsATopicsOverridesFromItsDefaults() throws {
        let h = handler()
        _ = h.session.execute("topic create t -p 1")
        _ = h.session.execute("topic alter t --config retention.ms=1000")
        let client = WireTestClient(h, connection: 1, broker: brokerIds(h)[0])
        let outcome = client.send(apiKey: 32, version: 4) { var r = Wire.DescribeConfigsRequest()
            var resource = Wire.DescribeConfigsRequest.DescribeConfigsResource(); resource.resourceType = 2; resource.resourceName = "t"; resource.configurationKeys = nil
            r.resources = [resource]; r.encode(into: &$0, version: 4) }
        var body = try client.body(outcome, apiKey: 32, version: 4)
        let configs = try #require(try Wire.DescribeConfigsResponse(from: &body, version: 4).results.first?.configs)
        #expect(configs.first { $0.name == "retention.ms" }.map { ($0.value, $0.configSource) } ?? (nil, 0) == ("1000", 1))
        #expect(configs.first { $0.name == "cleanup.policy" }.map { ($0.value, $0.configSource) } ?? (nil, 0) == ("delete", 5))
    }

    /// A client chooses its client.id: it reaches the terminal escaped, on one line.
    @Test func aClientIdWithControlCharactersIsShownEscaped() throws {
        let h = handler()
        let client = WireTestClient(h, connection: 1, broker: brokerIds(h)[0], clientId: "evil\u{1B}[2J\nkafka> fake")
        _ = client.send(apiKey: 19, version: 4) { var r = Wire.CreateTopicsRequest(); var t = Wire.CreateTopicsRequest.CreatableTopic(); t.name = "t"; t.numPartitions = 1; t.replicationFactor = 1; r.topics = [t]; r.timeoutMs = 5000; r.encode(into: &$0, version: 4) }
        let shown = h.takeEventLines()
        #expect(!shown.isEmpty)
        #expect(shown.allSatisfy { $0.hasPrefix("[evil\\e[2J\\nkafka> fake 127.0.0.1:50001] ") && !$0.contains("\u{1B}[2J") })
        guard case .close(let reason) = client.send(apiKey: 57, version: 0, { _ in }) else { Issue.record("unknown API key"); return }
        #expect(!reason.contains("\u{1B}") && !reason.contains("\n"))
    }

    @Test func tickWhileServingWarnsThatRealMembersMayBeRemoved() {
        let h = handler()
        let lines = h.session.execute("tick 1m").lines
        #expect(lines.contains { $0.text.hasPrefix("Note: real clients were connected") })
        #expect(!Session().execute("tick 1m").lines.contains { $0.text.hasPrefix("Note: real clients") })
    }

    @Test func requestsTheBrokerCannotServeCloseTheConnection() throws {
        let h = handler()
        let client = WireTestClient(h, connection: 1, broker: brokerIds(h)[0])
        guard case .close(let reason) = client.send(apiKey: 57, version: 0, { _ in }) else { Issue.record("unknown API key"); return }
        #expect(reason.contains("test-client"))
        guard case .close = client.send(apiKey: 0, version: 2, { $0.writeInteger(Int16(1)) }) else { Issue.record("Produce v2"); return }
        guard case .close = client.send(apiKey: 3, version: 9, { $0.writeBytes([0xFF, 0xFF, 0xFF]) }) else { Issue.record("a torn body"); return }
    }

    /// A batch is appended as the bytes the client sent, so its CRC must hold, and a compressed one must decompress.
    @Test func aCorruptBatchIsRefusedAndNothingIsAppended() throws {
        let h = handler()
        try h.session.cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        let leader = try #require(h.session.cluster.topics["t"]?.partitions[0].leader)
        let client = WireTestClient(h, connection: 1, broker: leader)
        var good = RecordBatch(baseOffset: 0, records: [Record(timestamp: 5, key: "k", value: "v")]).encoded()
        func produce(_ bytes: [UInt8]) throws -> Int16 { try produceV9(bytes, to: "t", with: client) }
        var flipped = good
        flipped[flipped.count - 1] ^= 0xFF
        #expect(try produce(flipped) == 2)           // CORRUPT_MESSAGE
        for codec: UInt8 in [1, 5] {                 // plain records labelled gzip; an unknown codec id
            var labelled = good
            labelled[22] |= codec
            let crc = labelled.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
            withUnsafeBytes(of: crc.bigEndian) { labelled.replaceSubrange(17..<21, with: $0) }
            #expect(try produce(labelled) == 2)      // CORRUPT_MESSAGE
        }
        #expect(try h.session.cluster.leaderLog(TopicPartition("t", 0)).logEndOffset == 0)
        good[0] = 9                                  // a client's base offset is replaced by the log end offset
        #expect(try produce(good) == 0)
        #expect(try h.session.cluster.fetch(TopicPartition("t", 0), from: 0).map(\.value) == [Array("v".utf8)])
    }

    /// A client cannot write into the coordinators' topics: INVALID_TOPIC_EXCEPTION (17), nothing appended.
    @Test func aProduceToAnInternalTopicIsRefused() throws {
        let h = handler()
        h.session.execute("topic create t; consumer start c --group g --topic t; tick 5s")
        let offsets = TopicPartition("__consumer_offsets", 0)
        let leader = try #require(h.session.cluster.topics[offsets.topic]?.partitions[0].leader)
        let before = try h.session.cluster.leaderLog(offsets).logEndOffset
        let client = WireTestClient(h, connection: 1, broker: leader)
        let batch = RecordBatch(baseOffset: 0, records: [Record(timestamp: 5, key: "k", value: "v")]).encoded()
        #expect(try produceV9(batch, to: offsets.topic, with: client) == 17)
        #expect(try h.session.cluster.leaderLog(offsets).logEndOffset == before)
    }

    /// A gzip batch a client built is stored as sent: a Fetch returns the same bytes, and `consume` and
    /// `kafka-dump-log.sh` show its records.
    @Test func aGzipBatchIsStoredAsSentAndShownDecompressed() throws {
        let h = handler()
        try h.session.cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        let leader = try #require(h.session.cluster.topics["t"]?.partitions[0].leader)
        let client = WireTestClient(h, connection: 1, broker: leader)
        let records = (0..<3).map { Record(offset: Int64($0), timestamp: 1_764_000_000_000 + Int64($0), key: "k\($0)", value: "zipped \($0)") }
        let sent = RecordBatch(baseOffset: 0, records: records).encodedCompressed(.gzip)
        #expect(sent[22] & 0x07 == 1)
        #expect(try produceV9(sent, to: "t", with: client) == 0)

        let fetched = client.send(apiKey: 1, version: 12) { var r = Wire.FetchRequest(); r.maxWaitMs = 500; r.minBytes = 1; r.maxBytes = 1 << 20
            var t = Wire.FetchRequest.FetchTopic(); t.topic = "t"
            var p = Wire.FetchRequest.FetchTopic.FetchPartition(); p.partition = 0; p.fetchOffset = 0; p.partitionMaxBytes = 1 << 20
            t.partitions = [p]; r.topics = [t]; r.encode(into: &$0, version: 12) }
        var fetchedBody = try client.body(fetched, apiKey: 1, version: 12)
        let data = try #require(try Wire.FetchResponse(from: &fetchedBody, version: 12).responses.first?.partitions.first)
        let bytes = Array(try #require(data.records).readableBytesView)
        #expect(bytes.count == sent.count && Array(bytes[21...]) == Array(sent[21...]))   // from the attributes on, as sent
        #expect(try RecordBatch.decodeAll(bytes).flatMap(\.records) == records)

        let consumed = h.session.execute("consume t").lines.map(\.text).joined(separator: "\n")
        for record in records { #expect(consumed.contains(String(decoding: record.value!, as: UTF8.self))) }
        let dumped = h.session.execute("kafka-dump-log.sh --files t-0/00000000000000000000.log --print-data-log")
            .lines.map(\.text).joined(separator: "\n")
        #expect(dumped.contains("compresscodec: gzip"))
        #expect(dumped.contains("payload: zipped 2"))
    }
}
