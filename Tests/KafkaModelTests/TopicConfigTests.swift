import Testing
@testable import KafkaModel

@Suite("Topic configs")
struct TopicConfigTests {
    @Test("Kafka's defaults")
    func defaults() {
        let expected = ["cleanup.policy": "delete", "retention.ms": "604800000", "retention.bytes": "-1", "segment.bytes": "1073741824",
                        "segment.ms": "604800000", "min.insync.replicas": "1", "max.message.bytes": "1048588",
                        "min.cleanable.dirty.ratio": "0.5", "delete.retention.ms": "86400000", "index.interval.bytes": "4096"]
        for (key, value) in expected { #expect(TopicConfigDefinitions.definition(key)?.defaultValue == value, "\(key)") }
    }

    @Test("Bad values name what is allowed")
    func badValues() {
        let cases: [(String, String, String)] = [
            ("cleanup.policy", "archive", "Invalid value archive for configuration cleanup.policy: String must be one of: compact, delete"),
            ("message.timestamp.type", "Now", "Invalid value Now for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime"),
            ("min.insync.replicas", "0", "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"),
            ("min.cleanable.dirty.ratio", "2", "Invalid value 2 for configuration min.cleanable.dirty.ratio: Value must be no more than 1.0"),
            ("preallocate", "yes", "Invalid value yes for configuration preallocate: Expected value to be either true or false"),
            ("segment.bytes", "99999999999", "Invalid value 99999999999 for configuration segment.bytes: Not a number of type INT"),
        ]
        for (key, value, message) in cases {
            #expect(throws: KafkaError.invalidConfiguration(message)) { try TopicConfigDefinitions.validate(name: key, value: value) }
        }
    }

    @Test("Good values pass", arguments: [("cleanup.policy", "compact,delete"), ("retention.ms", "-1"), ("min.cleanable.dirty.ratio", "0.01")])
    func goodValues(_ key: String, _ value: String) throws {
        try TopicConfigDefinitions.validate(name: key, value: value)
    }
}
