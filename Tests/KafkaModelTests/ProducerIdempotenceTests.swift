import Testing
@testable import KafkaModel

@Suite("Idempotent producers")
struct ProducerIdempotenceTests {
    func batches(_ cluster: Cluster, _ tp: TopicPartition) throws -> [RecordBatch] {
        let log = try cluster.log(tp)
        return try log.segments.flatMap { try RecordBatch.decodeAll(try log.storage.readAll($0.logFileName)) }
    }

    @Test("With acks=all (the default) batches carry the producer id and per-partition sequence numbers")
    func idempotentBatches() throws {
        let cluster = Cluster()
        try cluster.createTopic("t", partitions: 1)
        try cluster.startProducer("a", config: ProducerConfig())
        var relaxed = ProducerConfig()
        relaxed.acks = .leader
        try cluster.startProducer("b", config: relaxed)
        try cluster.startProducer("c", config: ProducerConfig())
        for _ in 0..<3 { _ = try cluster.send(producer: "a", topic: "t", key: nil, value: Array("x".utf8)) }
        try cluster.flush(producer: "a")
        _ = try cluster.send(producer: "b", topic: "t", key: nil, value: Array("y".utf8))
        try cluster.flush(producer: "b")
        _ = try cluster.send(producer: "a", topic: "t", key: nil, value: Array("z".utf8))
        try cluster.flush(producer: "a")
        _ = try cluster.send(producer: "c", topic: "t", key: nil, value: Array("w".utf8))
        try cluster.flush(producer: "c")
        let headers = try batches(cluster, TopicPartition("t", 0))
        #expect(headers.map(\.producerId) == [0, -1, 0, 1], "ids come from InitProducerId in start order; acks=1 is not idempotent")
        #expect(headers.map(\.baseSequence) == [0, -1, 3, 0], "sequences count records per producer and partition")
        #expect(headers.map(\.producerEpoch) == [0, -1, 0, 0])
    }
}
