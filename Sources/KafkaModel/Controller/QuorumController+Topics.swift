// Topic requests (Kafka's `ReplicationControlManager.createTopics/deleteTopics/createPartitions` and
// `ConfigurationControlManager.incrementalAlterConfigs`). Each is validated whole and prepared, not applied: the cluster
// opens the logs and writes the metadata file, then replays the result (`QuorumController.replay`).

extension QuorumController {
    /// CreateTopics for one topic: placed on the running brokers (`ReplicaPlacer`), every replica in sync, the first
    /// leading. With `validateOnly` nothing is prepared (nil). `newTopicId` is asked only once the request is valid.
    public func createTopics(
        _ name: String, partitions: Int, replicationFactor factor: Int, configs: [String: String],
        validateOnly: Bool = false, newTopicId: () -> String
    ) throws(KafkaError) -> ControllerResult<Topic>? {
        try TopicName.validate(name)
        try requireQuorum()
        if topics[name] != nil {
            throw .topicAlreadyExists("Topic '\(name)' already exists.")
        }
        let unified = TopicName.unifyCollisionChars(name)
        if let existing = topicNames.first(where: { TopicName.unifyCollisionChars($0) == unified }) {
            throw .invalidTopic("Topic '\(name)' collides with existing topic: \(existing)")
        }
        guard partitions >= 1 else {
            throw .invalidPartitions("Number of partitions was set to an invalid non-positive value.")
        }
        guard factor >= 1 else {
            throw .invalidReplicationFactor("Replication factor must be larger than 0, or -1 to use the default value.")
        }
        let live = image.cluster.liveBrokerIds
        guard !live.isEmpty else {
            throw .invalidReplicationFactor("Unable to replicate the partition \(factor) time(s): All brokers are currently fenced.")
        }
        try Self.requireBrokers(factor, live: live)
        for key in configs.keys.sorted() {
            try TopicConfigDefinitions.validate(name: key, value: configs[key]!)
        }
        if validateOnly { return nil }
        let placements = ReplicaPlacer.place(partitions: partitions, replicationFactor: factor, brokers: live)
        let states = placements.map { PartitionState(replicas: $0, leader: $0[0], isr: $0, leaderEpoch: 0) }
        let topic = Topic(name: name, topicId: newTopicId(), partitions: states, configOverrides: configs)
        return prepare { (t: inout ControllerTransaction) in
            t.image.topics[name] = topic
            t.record(.topicCreated(topic: name, partitions: partitions, replicationFactor: factor))
            return topic
        }
    }

    /// DeleteTopics for one topic; internal topics cannot be deleted. Returns the topic as it was.
    public func deleteTopics(_ name: String) throws(KafkaError) -> ControllerResult<Topic> {
        let topic = try existingTopic(name)
        try requireQuorum()
        if TopicName.isInternal(name) {
            throw .invalidRequest("Topic \(name) is an internal topic and cannot be deleted.")
        }
        return prepare { (t: inout ControllerTransaction) in
            t.image.topics[name] = nil
            t.record(.topicDeleted(topic: name))
            return topic
        }
    }

    /// CreatePartitions: grows a topic to `totalCount` partitions, placed on the running brokers. Returns the new
    /// partitions' numbers.
    public func createPartitions(_ name: String, totalCount: Int) throws(KafkaError) -> ControllerResult<Range<Int>> {
        var topic = try existingTopic(name)
        try requireQuorum()
        let current = topic.partitions.count
        if totalCount == current {
            throw .invalidPartitions("Topic already has \(current) partition(s).")
        }
        if totalCount < current {
            throw .invalidPartitions("The topic \(name) currently has \(current) partition(s); \(totalCount) would not be an increase.")
        }
        let factor = topic.replicationFactor
        let live = image.cluster.liveBrokerIds
        try Self.requireBrokers(factor, live: live)
        let placements = ReplicaPlacer.place(partitions: totalCount - current, replicationFactor: factor, brokers: live, firstPartition: current)
        topic.partitions += placements.map { PartitionState(replicas: $0, leader: $0[0], isr: $0, leaderEpoch: 0) }
        return prepare { (t: inout ControllerTransaction) in
            t.image.topics[name] = topic
            t.record(.partitionsAdded(topic: name, from: current, to: totalCount))
            return current..<totalCount
        }
    }

    /// IncrementalAlterConfigs for one topic: sets and removes config overrides, all or nothing. Returns the topic
    /// with its new configs.
    public func incrementalAlterConfigs(_ name: String, set: [String: String], delete: [String]) throws(KafkaError) -> ControllerResult<Topic> {
        var topic = try existingTopic(name)
        try requireQuorum()
        for key in set.keys.sorted() { try TopicConfigDefinitions.validate(name: key, value: set[key]!) }
        for key in delete where TopicConfigDefinitions.definition(key) == nil {
            throw .invalidConfiguration("Unknown topic config name: \(key)")
        }
        let before = topic
        for key in set.keys.sorted() { topic.configOverrides[key] = set[key] }
        for key in delete { topic.configOverrides[key] = nil }
        return prepare { (t: inout ControllerTransaction) in
            t.image.topics[name] = topic
            for key in set.keys.sorted() { t.record(.topicConfigChanged(topic: name, key: key, value: set[key])) }
            for key in delete where before.configOverrides[key] != nil { t.record(.topicConfigChanged(topic: name, key: key, value: nil)) }
            return topic
        }
    }

    /// The topic, or Kafka's `UNKNOWN_TOPIC_OR_PARTITION`.
    public func existingTopic(_ name: String) throws(KafkaError) -> Topic {
        guard let topic = topics[name] else {
            throw .unknownTopicOrPartition("Topic '\(name)' does not exist.")
        }
        return topic
    }

    private static func requireBrokers(_ factor: Int, live: [Int]) throws(KafkaError) {
        guard factor <= live.count else {
            throw .invalidReplicationFactor(
                "Unable to replicate the partition \(factor) time(s): The target replication factor of \(factor) cannot be reached because only \(live.count) broker(s) are registered.")
        }
    }
}
