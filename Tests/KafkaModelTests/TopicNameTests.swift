import Testing
@testable import KafkaModel

@Suite("Topic names (reference 6.4)")
struct TopicNameTests {
    @Test("Legal names pass", arguments: ["orders", "a.b", "a_b", "A-Z.0_9", String(repeating: "x", count: 249)])
    func legal(_ name: String) throws {
        try TopicName.validate(name)
    }

    @Test("Illegal names fail with Kafka's messages")
    func illegal() {
        let cases: [(String, String)] = [
            ("", "Topic name is invalid: the empty string is not allowed"),
            (".", "Topic name is invalid: '.' is not allowed"),
            ("..", "Topic name is invalid: '..' is not allowed"),
            ("a b", "Topic name is invalid: 'a b' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
            ("주문", "Topic name is invalid: '주문' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
        ]
        for (name, message) in cases {
            #expect(throws: KafkaError.invalidTopic(message)) { try TopicName.validate(name) }
        }
        let long = String(repeating: "x", count: 250)
        #expect(throws: KafkaError.invalidTopic("Topic name is invalid: the length of '\(long)' is longer than the max allowed length 249")) {
            try TopicName.validate(long)
        }
    }

    @Test("Names equal after '.' → '_' collide")
    func collision() throws {
        let cluster = Cluster()
        let warnings = try cluster.createTopic("a.b")
        #expect(warnings == [TopicName.collisionWarning])
        #expect(throws: KafkaError.invalidTopic("Topic 'a_b' collides with existing topic: a.b")) { try cluster.createTopic("a_b") }
        #expect(cluster.topicNames == ["a.b"])
    }
}
