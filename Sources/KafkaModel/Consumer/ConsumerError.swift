/// Why a consumer operation failed, with Kafka's exception texts where Kafka has one.
public enum ConsumerError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownConsumer(String, known: [String])
    case nameInUse(String)
    case notRunning(String, KafkaConsumer.Status)
    case alreadyRunning(String)
    case notAssigned(String, TopicPartition, [TopicPartition])
    case invalidOffset(Int64)
    case subscriptionMixed
    case noGroupId
    case commitFailed
    case rebalanceInProgress
    case pollFailed(String)
    /// A partition leader's error (LEADER_NOT_AVAILABLE, NOT_LEADER_OR_FOLLOWER, ...).
    case kafka(KafkaError)

    public var description: String {
        switch self {
        case let .unknownConsumer(name, known):
            return "Unknown consumer '\(name)'." + (known.isEmpty ? " No consumers yet: consumer start NAME --group G --topic T" : " (consumers: \(known.joined(separator: ", ")))")
        case .nameInUse(let name):
            return "A consumer named '\(name)' already exists; pick another name or 'consumer restart \(name)'."
        case let .notRunning(name, status):
            return "Consumer '\(name)' is \(status.rawValue); start it again with 'consumer restart \(name)'."
        case .alreadyRunning(let name):
            return "Consumer '\(name)' is already running; stop or crash it first."
        case let .notAssigned(name, tp, assigned):
            return "No current assignment for partition \(tp) of consumer '\(name)' (assigned: \(assigned.isEmpty ? "none" : assigned.map(\.description).joined(separator: ", ")))."
        case .invalidOffset(let o):
            return "seek offset must not be a negative number: \(o)"
        case .subscriptionMixed:
            return "Subscription to topics, partitions and pattern are mutually exclusive."
        case .noGroupId:
            return "org.apache.kafka.common.errors.InvalidGroupIdException: To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration."
        case .commitFailed:
            return "org.apache.kafka.clients.consumer.CommitFailedException: Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member. This means that the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time message processing. You can address this either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records."
        case .rebalanceInProgress:
            return "org.apache.kafka.common.errors.RebalanceInProgressException: Offset commit cannot be completed since the consumer is undergoing a rebalance for auto partition assignment. You can try completing the rebalance by calling poll() and then retry the operation."
        case .pollFailed(let text):
            return text
        case .kafka(let error):
            return "\(error.message) (\(error.errorName))"
        }
    }
}
