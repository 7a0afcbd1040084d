import Testing
@testable import KafkaModel

/// The leader's sequence checks for idempotent producers (`ProducerAppendInfo.checkSequence`, `checkProducerEpoch`),
/// with Kafka 4.0's texts, and the producer's answer to OUT_OF_ORDER_SEQUENCE_NUMBER (an epoch bump, KIP-360).
@Suite("Idempotent producer sequence checks")
struct ProducerSequenceTests {
    let tp = TopicPartition("t", 0)
    let context = RequestContext(client: .producer("raw"), clientId: "raw")

    /// Sends `count` records as one batch from producer `id` with this epoch and first sequence; returns the
    /// partition's answer.
    func produce(_ cluster: Cluster, id: Int64 = 5, epoch: Int16 = 0, sequence: Int32, count: Int = 1)
        throws -> ProduceResponse.PartitionResponse {
        let identity = id < 0 ? nil : ProducerIdentity(producerId: id, producerEpoch: epoch, baseSequence: sequence)
        let request = ProduceRequest(acks: 1, timeoutMs: 30_000, partitionData: [
            .init(partition: tp, records: (0..<count).map { rec(nil, "v\($0)") }, producer: identity)])
        return try #require(try cluster.send(request, to: 0, from: context).responses.first)
    }

    /// Topic t on one broker holding producer 5's sequences 0–4 (offsets 0–4), then 7 plain records: the log
    /// ends at offset 12.
    func cluster() throws -> Cluster {
        let cluster = Cluster(config: ClusterConfig(brokers: 1, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        #expect(try produce(cluster, sequence: 0, count: 5).baseOffset == 0)
        #expect(try produce(cluster, id: -1, sequence: 0, count: 7).baseOffset == 5)
        return cluster
    }

    @Test("A gap in the sequence is OUT_OF_ORDER_SEQUENCE_NUMBER with Kafka's text; the next sequence is accepted")
    func outOfOrder() throws {
        let cluster = try cluster()
        let answer = try produce(cluster, sequence: 7)
        #expect(answer.error == .outOfOrderSequenceNumber(
            "Out of order sequence number for producer 5 at offset 12 in partition t-0: 7 (incoming seq. number), 4 (current end sequence number)"))
        #expect(answer.error?.code == 45)
        #expect(try cluster.log(tp).logEndOffset == 12, "nothing appended")
        #expect(try produce(cluster, sequence: 5).baseOffset == 12)
    }

    @Test("A new epoch must start at sequence 0 (Kafka's text has no space before 'at')")
    func newEpoch() throws {
        let cluster = try cluster()
        #expect(try produce(cluster, epoch: 1, sequence: 3).error == .outOfOrderSequenceNumber(
            "Invalid sequence number for new epoch of producer 5at offset 12 in partition t-0: 1 (request epoch), 3 (seq. number), 0 (current producer epoch)"))
        #expect(try produce(cluster, epoch: 1, sequence: 0).baseOffset == 12)
        #expect(try produce(cluster, epoch: 0, sequence: 5).error == .invalidProducerEpoch(
            "Epoch of producer 5 at offset 13 in t-0 is 0, which is smaller than the last seen epoch 1"))
    }

    @Test("A producer the partition does not know may start at any sequence (4.0 has no UNKNOWN_PRODUCER_ID here)")
    func unknownProducer() throws {
        let cluster = try cluster()
        #expect(try produce(cluster, id: 9, sequence: 42).baseOffset == 12)
        #expect(try produce(cluster, id: 9, sequence: 43).baseOffset == 13)
    }

    @Test("An idempotent producer answered OUT_OF_ORDER_SEQUENCE_NUMBER bumps its epoch and retries from sequence 0")
    func producerBumpsEpoch() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 1, seed: 7))
        try cluster.createTopic("t", partitions: 1, replicationFactor: 1)
        try cluster.startProducer("p", config: ProducerConfig())
        let first = try cluster.send(producer: "p", topic: "t", key: nil, value: Array("a".utf8))
        cluster.advance(byMs: 10)
        #expect(cluster.offset(of: first, producer: "p") == .success(0))
        // Someone else writes producer 0's sequences 1–2: p's next batch (sequence 1) no longer follows.
        #expect(try produce(cluster, id: 0, sequence: 1, count: 2).baseOffset == 1)
        let second = try cluster.send(producer: "p", topic: "t", key: nil, value: Array("b".utf8))
        cluster.advance(byMs: 200)
        #expect(cluster.offset(of: second, producer: "p") == .success(3))
        #expect(cluster.producers["p"]!.producerEpoch == 1)
        #expect(cluster.events.contains {
            $0.kind == .produceFailed(producer: "p", partition: tp, batch: 2, records: 1, attempt: 1, error: .outOfOrderSequenceNumber(
                "Out of order sequence number for producer 0 at offset 3 in partition t-0: 1 (incoming seq. number), 2 (current end sequence number)"),
                                      retryInMs: 100)
        })
        #expect(cluster.events.contains { $0.kind == .replication(.producerEpochBumped(producer: "p", producerId: 0, epoch: 1)) })
        let entry = try #require(try cluster.log(tp).activeProducers[0])
        #expect(entry.producerEpoch == 1)
        #expect(entry.batches.map(\.firstSequence) == [0])
    }
}
