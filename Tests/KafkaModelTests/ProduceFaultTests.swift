import Foundation
import Testing
@testable import KafkaModel

/// `network drop-requests|drop-responses|delay`: a lost or slow answer makes the producer time out and retry; a plain
/// producer's retry duplicates the batch, an idempotent producer's is answered with the original offsets.
@Suite("Produce-path network faults")
struct ProduceFaultTests {
    let tp = TopicPartition("t", 0)

    /// Three brokers, topic `t` (1 partition, RF 3, leader 0) and producer `p`.
    func cluster(idempotent: Bool, configure: (inout ProducerConfig) -> Void = { _ in }) throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 3, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 3)
        var config = ProducerConfig()
        config.enableIdempotence = idempotent
        configure(&config)
        try cluster.startProducer("p", config: config)
        return cluster
    }

    /// A cluster whose broker 0 loses the first produce `loss`, and the receipt of the record "a" sent into it.
    func faulty(idempotent: Bool, _ loss: ProduceLossKind,
                configure: (inout ProducerConfig) -> Void = { _ in }) throws -> (Cluster, SendReceipt) {
        let cluster = try cluster(idempotent: idempotent, configure: configure)
        try cluster.armClientFault(broker: 0, loss: loss, count: 1)
        return (cluster, try send(cluster, "a"))
    }

    func send(_ cluster: Cluster, _ value: String) throws -> SendReceipt {
        try cluster.send(producer: "p", topic: "t", key: nil, value: Array(value.utf8))
    }

    func values(_ cluster: Cluster) throws -> [String] {
        try cluster.fetch(tp, from: 0).map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }

    func replicationEvents(_ cluster: Cluster) -> [ReplicationEvent] {
        cluster.events.compactMap { if case .replication(let event) = $0.kind { event } else { nil } }
    }

    @Test("A lost answer: a plain producer times out after request.timeout.ms, retries, and the record is written twice")
    func lostAnswerDuplicates() throws {
        let (cluster, receipt) = try faulty(idempotent: false, .responses)
        let start = cluster.nowMs
        cluster.advance(byMs: 30_000)
        #expect(cluster.offset(of: receipt, producer: "p") == nil, "nothing heard before request.timeout.ms")
        #expect(try values(cluster) == ["a"])
        cluster.advance(byMs: 1_000)
        #expect(try values(cluster) == ["a", "a"])
        #expect(cluster.offset(of: receipt, producer: "p") == .success(1), "the retry's offset")
        let events = replicationEvents(cluster)
        #expect(events.contains(.produceLost(producer: "p", partition: tp, broker: 0, batch: 1, response: true)))
        #expect(events.contains(.producerDisconnected(producer: "p", broker: 0)))
        #expect(cluster.events.contains {
            $0.kind == .produceFailed(producer: "p", partition: tp, batch: 1, records: 1, attempt: 1,
                                      error: .requestTimedOut("Disconnected from node 0 due to timeout"), retryInMs: 100)
                && $0.timestampMs == start + 30_005
        })
        #expect(cluster.network.clientFaults.isEmpty, "the fault is used up")
    }

    @Test("A lost answer: an idempotent producer's retry is recognised and answered with the original offset")
    func lostAnswerDeduped() throws {
        let (cluster, receipt) = try faulty(idempotent: true, .responses)
        cluster.advance(byMs: 31_000)
        #expect(try values(cluster) == ["a"])
        #expect(cluster.offset(of: receipt, producer: "p") == .success(0))
        #expect(replicationEvents(cluster).contains(.duplicateBatchAnswered(
            partition: tp, broker: 0, producerId: 0, epoch: 0, firstSequence: 0, lastSequence: 0, firstOffset: 0, lastOffset: 0)))
        // The next batch goes on with the next sequence.
        _ = try send(cluster, "b")
        cluster.advance(byMs: 100)
        #expect(try values(cluster) == ["a", "b"])
        #expect(try cluster.log(tp).activeProducers[0]?.batches.last?.lastSequence == 1)
    }

    @Test("A lost request: nothing is appended until the retry, which writes the record once")
    func lostRequest() throws {
        let (cluster, receipt) = try faulty(idempotent: false, .requests)
        cluster.advance(byMs: 30_000)
        #expect(try cluster.log(tp).logEndOffset == 0)
        cluster.advance(byMs: 1_000)
        #expect(try values(cluster) == ["a"])
        #expect(cluster.offset(of: receipt, producer: "p") == .success(0))
        #expect(replicationEvents(cluster).contains(.produceLost(producer: "p", partition: tp, broker: 0, batch: 1, response: false)))
    }

    @Test("acks=0: a lost request is silently gone (the producer waits for nothing); there is no answer to lose")
    func acksZero() throws {
        let (cluster, receipt) = try faulty(idempotent: false, .requests) { $0.acks = .none }
        cluster.advance(byMs: 10)
        #expect(cluster.offset(of: receipt, producer: "p") == .success(-1))
        #expect(try cluster.log(tp).logEndOffset == 0)
        try cluster.armClientFault(broker: 0, loss: .responses, count: 1)
        let second = try send(cluster, "b")
        cluster.advance(byMs: 10)
        #expect(cluster.offset(of: second, producer: "p") == .success(-1))
        #expect(try values(cluster) == ["b"])
        #expect(cluster.network.clientFaults[0]?.dropResponses == 1, "still armed for a request that expects an answer")
    }

    @Test("With retries=0 a lost answer fails the batch at request.timeout.ms, not before")
    func lostAnswerWithoutRetries() throws {
        let (cluster, receipt) = try faulty(idempotent: false, .responses) { $0.retries = 0 }
        cluster.advance(byMs: 30_000)
        #expect(cluster.offset(of: receipt, producer: "p") == nil)
        cluster.advance(byMs: 10)
        #expect(cluster.offset(of: receipt, producer: "p") == .failure(.requestTimedOut("Disconnected from node 0 due to timeout")))
        #expect(cluster.producers["p"]!.failedRecords == 1)
        #expect(try values(cluster) == ["a"], "written, although the producer reports a failure")
    }

    @Test("The new leader dedupes the retry of a batch whose answer the old leader lost (followers know the producer)")
    func dedupeAfterFailover() throws {
        let (cluster, receipt) = try faulty(idempotent: true, .responses)
        cluster.advance(byMs: 1_000)
        try cluster.stopBroker(0)
        let leader = cluster.topics["t"]!.partitions[0].leader!
        #expect(leader != 0)
        cluster.advance(byMs: 31_000)
        #expect(try values(cluster) == ["a"])
        #expect(cluster.offset(of: receipt, producer: "p") == .success(0))
        #expect(replicationEvents(cluster).contains(.duplicateBatchAnswered(
            partition: tp, broker: leader, producerId: 0, epoch: 0, firstSequence: 0, lastSequence: 0, firstOffset: 0, lastOffset: 0)))
    }

    @Test("network delay: the batch stays in flight until the answer arrives; a delay past request.timeout.ms is a lost answer")
    func delayedAnswer() throws {
        let cluster = try cluster(idempotent: true)
        try cluster.setClientAnswerDelay(broker: 0, ms: 2_000)
        let receipt = try send(cluster, "a")
        cluster.advance(byMs: 1_000)
        #expect(try values(cluster) == ["a"])
        #expect(cluster.offset(of: receipt, producer: "p") == nil)
        cluster.advance(byMs: 1_100)
        #expect(cluster.offset(of: receipt, producer: "p") == .success(0))
        try cluster.setClientAnswerDelay(broker: 0, ms: 40_000)
        let late = try send(cluster, "b")
        cluster.advance(byMs: 30_100)
        #expect(replicationEvents(cluster).contains(.producerDisconnected(producer: "p", broker: 0)))
        try cluster.setClientAnswerDelay(broker: 0, ms: 0)
        #expect(cluster.network.clientFaults.isEmpty)
        cluster.advance(byMs: 40_000)
        #expect(cluster.offset(of: late, producer: "p") == .success(1))
        #expect(try values(cluster) == ["a", "b"])
    }

    @Test("Bad fault arguments change nothing; clearing removes every armed fault")
    func armAndClear() throws {
        let cluster = try cluster(idempotent: true)
        #expect(throws: KafkaError.self) { try cluster.armClientFault(broker: 9, loss: .requests, count: 1) }
        #expect(throws: KafkaError.self) { try cluster.armClientFault(broker: 0, loss: .requests, count: 0) }
        #expect(throws: KafkaError.self) { try cluster.setClientAnswerDelay(broker: 0, ms: 600_001) }
        #expect(cluster.network.clientFaults.isEmpty)
        try cluster.armClientFault(broker: 1, loss: .requests, count: 2)
        try cluster.armClientFault(broker: 1, loss: .responses, count: 1)
        #expect(cluster.network.clientFaults[1] == ClientFaults(dropRequests: 2, dropResponses: 1))
        #expect(cluster.network.clientFaults[1]!.summary == "drops next 2 produce requests, drops next 1 produce response")
        #expect(cluster.clearClientFaults() == [1])
        #expect(cluster.network.clientFaults.isEmpty)
    }

    @Test("Producer state survives a restart from --data-dir: the segment roll's .snapshot holds it, and a retry after the restart is still deduped")
    func producerStateSurvivesRestart() throws {
        let path = "/tmp/kafkalab-delivery-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = ClusterConfig(brokers: 1, seed: 7)
        config.logStorage = .files(path)
        let context = RequestContext(client: .producer("p"), clientId: "p")
        func request(_ sequence: Int32, _ value: String) -> ProduceRequest {
            ProduceRequest(acks: -1, timeoutMs: 30_000, partitionData: [
                .init(partition: tp, records: [rec(nil, value)],
                      producer: ProducerIdentity(producerId: 0, producerEpoch: 0, baseSequence: sequence))])
        }
        do {
            let cluster = Cluster(config: config)
            // Small segments: the second batch rolls a new one, which writes the producer state snapshot.
            try cluster.createTopic("t", partitions: 1, replicationFactor: 1, configs: ["segment.bytes": "100"])
            #expect(try cluster.send(request(0, "a"), to: 0, from: context).responses.first?.baseOffset == 0)
            #expect(try cluster.send(request(1, "b"), to: 0, from: context).responses.first?.baseOffset == 1)
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: path)
        #expect(files.contains("broker-0/t-0/00000000000000000001.snapshot"), "\(files.sorted())")
        let reopened = Cluster(config: config)
        #expect(try reopened.log(tp).activeProducers[0]?.batches.map(\.lastSequence) == [0, 1])
        #expect(try reopened.send(request(0, "a"), to: 0, from: context).responses.first?.baseOffset == 0)
        #expect(try reopened.send(request(1, "b"), to: 0, from: context).responses.first?.baseOffset == 1)
        #expect(try reopened.log(tp).logEndOffset == 2)
    }
}
