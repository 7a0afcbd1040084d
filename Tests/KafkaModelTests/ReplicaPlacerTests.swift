import Testing
@testable import KafkaModel

@Suite("Replica placement (reference 6.2)")
struct ReplicaPlacerTests {
    @Test("Kafka's AdminRackAwareTest vector: 5 brokers, 10 partitions, RF 3, start 0")
    func kafkaVector() {
        let placed = ReplicaPlacer.place(partitions: 10, replicationFactor: 3, brokers: [0, 1, 2, 3, 4])
        #expect(placed == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1], [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2]])
    }

    @Test("Brokers [1,2,3], start 0: RF 2 and RF 3 over 6 partitions")
    func threeBrokers() {
        #expect(ReplicaPlacer.place(partitions: 6, replicationFactor: 2, brokers: [1, 2, 3])
            == [[1, 2], [2, 3], [3, 1], [1, 3], [2, 1], [3, 2]])
        #expect(ReplicaPlacer.place(partitions: 6, replicationFactor: 3, brokers: [1, 2, 3])
            == [[1, 2, 3], [2, 3, 1], [3, 1, 2], [1, 3, 2], [2, 1, 3], [3, 2, 1]])
    }

    @Test("Brokers [1,2,3], start 1, RF 2")
    func startOne() {
        #expect(ReplicaPlacer.place(partitions: 6, replicationFactor: 2, brokers: [1, 2, 3], startIndex: 1)
            == [[2, 1], [3, 2], [1, 3], [2, 3], [3, 1], [1, 2]])
    }

    @Test("Every replica set has distinct brokers and the leader load is even")
    func invariants() {
        for brokers in 1...6 {
            for factor in 1...brokers {
                let placed = ReplicaPlacer.place(partitions: brokers * 4, replicationFactor: factor, brokers: Array(0..<brokers))
                for replicas in placed { #expect(Set(replicas).count == factor) }
                let leaders = Dictionary(grouping: placed.map { $0[0] }, by: { $0 }).mapValues(\.count)
                #expect(leaders.values.allSatisfy { $0 == 4 })
            }
        }
    }
}
