@testable import KafkaModel

extension ConsumerConfig {
    /// A group member subscribed to `topic` that starts from the earliest offset (the tests' usual consumer).
    static func fromEarliest(group: String, topic: String) -> ConsumerConfig {
        var config = ConsumerConfig()
        config.groupId = group
        config.topics = [topic]
        config.autoOffsetReset = .earliest
        return config
    }
}
