/// Errors the simulated cluster returns, named after Kafka's error codes, with the
/// messages Kafka's brokers and tools print.
public enum KafkaError: Error, Equatable, CustomStringConvertible {
    case topicAlreadyExists(String)
    case invalidTopic(String)
    case invalidReplicationFactor(String)
    case invalidPartitions(String)
    case invalidConfiguration(String)
    case unknownTopicOrPartition(String)
    case brokerNotAvailable(String)
    case invalidRequest(String)

    /// Kafka's error name, as in `org.apache.kafka.common.protocol.Errors`.
    public var errorName: String {
        switch self {
        case .topicAlreadyExists: return "TOPIC_ALREADY_EXISTS"
        case .invalidTopic: return "INVALID_TOPIC_EXCEPTION"
        case .invalidReplicationFactor: return "INVALID_REPLICATION_FACTOR"
        case .invalidPartitions: return "INVALID_PARTITIONS"
        case .invalidConfiguration: return "INVALID_CONFIG"
        case .unknownTopicOrPartition: return "UNKNOWN_TOPIC_OR_PARTITION"
        case .brokerNotAvailable: return "BROKER_NOT_AVAILABLE"
        case .invalidRequest: return "INVALID_REQUEST"
        }
    }

    /// The message Kafka attaches to the error.
    public var message: String {
        switch self {
        case .topicAlreadyExists(let m), .invalidTopic(let m), .invalidReplicationFactor(let m),
            .invalidPartitions(let m), .invalidConfiguration(let m), .unknownTopicOrPartition(let m),
            .brokerNotAvailable(let m), .invalidRequest(let m):
            return m
        }
    }

    public var description: String { message }
}
