import KafkaModel

/// How topics are described: Kafka's `kafka-topics.sh --describe` format, and kafkalab's table.
enum TopicDescription {
    /// Kafka's lines, TAB-separated exactly as `TopicCommand` prints them (3.8+ layout with ELR fields).
    static func kafkaLines(_ topic: Topic, partitions: [Int]? = nil) -> [String] {
        let configs = topic.configOverrides.keys.sorted().map { "\($0)=\(topic.configOverrides[$0]!)" }.joined(separator: ",")
        var lines = ["Topic: \(topic.name)\tTopicId: \(topic.topicId)\tPartitionCount: \(topic.partitions.count)\tReplicationFactor: \(topic.replicationFactor)\tConfigs: \(configs)"]
        for index in partitions ?? Array(topic.partitions.indices) {
            lines.append(kafkaPartitionLine(topic, index))
        }
        return lines
    }

    static func kafkaPartitionLine(_ topic: Topic, _ index: Int) -> String {
        let state = topic.partitions[index]
        let leader = state.leader.map(String.init) ?? "none"
        return "\tTopic: \(topic.name)\tPartition: \(index)\tLeader: \(leader)\tReplicas: \(join(state.replicas))\tIsr: \(join(state.isr))\tElr: \tLastKnownElr: "
    }

    /// kafkalab's readable table, marking the preferred leader and replicas that are out of sync.
    static func table(_ topic: Topic, cluster: Cluster) -> [String] {
        var lines = ["Topic \(topic.name) (id \(topic.topicId)): \(topic.partitions.count) partition\(topic.partitions.count == 1 ? "" : "s"), replication factor \(topic.replicationFactor)"]
        if !topic.configOverrides.isEmpty {
            lines.append("Configs: " + topic.configOverrides.keys.sorted().map { "\($0)=\(topic.configOverrides[$0]!)" }.joined(separator: ", "))
        }
        // LOG-END and HW are the leader's (the last leader's while there is none): records between them are
        // written but not yet on every in-sync replica, and consumers do not see them yet.
        var table = Table(["PARTITION", "LEADER", "REPLICAS", "ISR", "LOG-END", "HW", "NOTE"])
        for (index, state) in topic.partitions.enumerated() {
            var notes: [String] = []
            if state.leader == nil { notes.append("offline: no leader") }
            else if let leader = state.leader, cluster.broker(leader)?.isAlive != true {
                notes.append(cluster.crashedBrokers.contains(leader) && cluster.controllerId != nil
                    ? "offline: leader \(leader) crashed; the controller fences it when its session runs out"
                    : "offline: leader \(leader) is stopped (metadata frozen, no controller to move it)")
            } else if state.leader != state.preferredLeader { notes.append("leader is not the preferred \(state.preferredLeader)") }
            if state.isUnderReplicated { notes.append("under-replicated") }
            let log = cluster.logManager.logs[TopicPartition(topic.name, index)]
            table.add([String(index), state.leader.map(String.init) ?? "none", join(state.replicas), join(state.isr),
                       log.map { String($0.logEndOffset) } ?? "-", log.map { String($0.highWatermark) } ?? "-", notes.joined(separator: "; ")])
        }
        var result = lines + table.render().map { $0.trimmingCharacters(in: " ") }
        if let frozen = cluster.metadataFrozenReason { result.append(frozen) }
        return result
    }

    static func join(_ ids: [Int]) -> String { ids.map(String.init).joined(separator: ",") }
}
