import KafkaShell
import KafkaWire
import Testing
@testable import KafkaServer

/// What the fuzzer found, kept as plain tests.
@Suite struct WireFuzzFindingsTests {
    /// One CreateTopics frame with a mutated partition count kept the loop creating logs for minutes (every
    /// client and the shell waited); Kafka refuses more than 10,000 partitions per request before creating any.
    @Test(arguments: [[Int32.max], [1 << 20], [5_000, 5_001]])
    func createTopicsRefusesExcessivelyManyPartitionsWhole(counts: [Int32]) throws {
        let session = Session(options: SessionOptions(brokers: 3))
        let handler = WireRequestHandler(session: session)
        handler.pump(wallNanoseconds: 0)
        let client = WireTestClient(handler, connection: 1, broker: session.cluster.brokers[0].id)
        let names = counts.indices.map { "many-\($0)" }
        let outcome = client.send(apiKey: 19, version: 7) {
            var r = Wire.CreateTopicsRequest()
            r.topics = zip(names, counts).map { name, count in
                var t = Wire.CreateTopicsRequest.CreatableTopic(); t.name = name; t.numPartitions = count; t.replicationFactor = 1; return t
            }
            r.encode(into: &$0, version: 7)
        }
        var body = try client.body(outcome, apiKey: 19, version: 7)
        let response = try Wire.CreateTopicsResponse(from: &body, version: 7)
        #expect(response.topics.map(\.name) == names)
        #expect(response.topics.allSatisfy { $0.errorCode == 44 && $0.errorMessage == "Excessively large number of partitions per request." })
        #expect(names.allSatisfy { session.cluster.topics[$0] == nil })
    }
}
