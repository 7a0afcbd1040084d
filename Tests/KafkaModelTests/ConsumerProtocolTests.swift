import Testing
@testable import KafkaModel

/// `ConsumerProtocolSubscription` / `ConsumerProtocolAssignment` bytes, versions 0–3.
@Suite struct ConsumerProtocolTests {
    let owned = [TopicPartition("orders", 0), TopicPartition("orders", 2), TopicPartition("audit", 1)]

    @Test func subscriptionV0IsTopicsThenUserData() throws {
        let bytes = ConsumerProtocol.serializeSubscription(.init(topics: ["t"], ownedPartitions: owned, generationId: 4), version: 0)
        #expect(bytes == [0, 0,  0, 0, 0, 1,  0, 1, 0x74,  0xff, 0xff, 0xff, 0xff])
        let (version, decoded) = try ConsumerProtocol.deserializeSubscription(bytes)
        #expect(version == 0)
        #expect(decoded == .init(topics: ["t"]))
    }

    @Test(arguments: [Int16(1), 2, 3]) func subscriptionRoundTrips(version: Int16) throws {
        let s = ConsumerProtocol.Subscription(topics: ["orders", "audit"], userData: [1, 2, 3], ownedPartitions: owned,
                                              generationId: 7, rackId: "rack-a")
        let (read, decoded) = try ConsumerProtocol.deserializeSubscription(ConsumerProtocol.serializeSubscription(s, version: version))
        #expect(read == version)
        #expect(decoded.topics == s.topics)
        #expect(decoded.userData == s.userData)
        #expect(decoded.ownedPartitions == owned)
        #expect(decoded.generationId == (version >= 2 ? 7 : -1))
        #expect(decoded.rackId == (version >= 3 ? "rack-a" : nil))
    }

    @Test func subscriptionV3Bytes() {
        let bytes = ConsumerProtocol.serializeSubscription(.init(topics: ["t"], ownedPartitions: [TopicPartition("t", 1)], generationId: 2))
        #expect(bytes == [0, 3,  0, 0, 0, 1, 0, 1, 0x74,  0xff, 0xff, 0xff, 0xff,
                          0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 1, 0, 0, 0, 1,  0, 0, 0, 2,  0xff, 0xff])
    }

    @Test(arguments: [Int16(0), 1, 2, 3]) func assignmentRoundTrips(version: Int16) throws {
        let a = ConsumerProtocol.Assignment(partitions: owned, userData: nil)
        let bytes = ConsumerProtocol.serializeAssignment(a, version: version)
        #expect(Array(bytes.prefix(2)) == [0, UInt8(version)])
        let (read, decoded) = try ConsumerProtocol.deserializeAssignment(bytes)
        #expect(read == version)
        #expect(decoded == a)
    }

    @Test func truncatedBytesAreRefused() {
        let bytes = ConsumerProtocol.serializeAssignment(.init(partitions: owned))
        #expect(throws: ConsumerProtocol.DecodeError.truncated) { try ConsumerProtocol.deserializeAssignment(Array(bytes.dropLast(3))) }
    }

    @Test func typedSubscriptionsConvert() {
        let typed = AssignorSubscription(memberId: "m-1", topics: ["orders"], ownedPartitions: owned, generation: 3)
        let wire = ConsumerProtocol.Subscription(typed)
        #expect(wire.generationId == 3)
        #expect(wire.assignorSubscription(memberId: "m-1", groupInstanceId: nil) == typed)
    }
}
