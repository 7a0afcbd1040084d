/// A topic as the controller knows it: id, partitions and config overrides.
public struct Topic: Sendable, Equatable {
    public let name: String
    /// Kafka's 16-byte topic id, rendered as URL-safe base64 without padding (22 characters).
    public let topicId: String
    public internal(set) var partitions: [PartitionState]
    /// Configs set on the topic (non-defaults), by name.
    public internal(set) var configOverrides: [String: String]

    public var isInternal: Bool { TopicName.isInternal(name) }

    /// The replication factor, taken from partition 0 as Kafka's tools do.
    public var replicationFactor: Int { partitions.first?.replicas.count ?? 0 }

    /// The value of config `key`: the override, else Kafka's default.
    public func config(_ key: String) -> String? {
        configOverrides[key] ?? TopicConfigDefinitions.definition(key)?.defaultValue
    }
}
