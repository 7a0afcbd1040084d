import KafkaModel

/// Builds the session's state tree: the one introspection surface that `inspect`
/// browses, `expect` asserts on, and lesson checks read.
enum StateTree {
    static func build(_ session: Session) -> StateValue {
        let cluster = session.cluster
        var root: [(String, StateValue)] = [
            ("time", time(cluster)),
            ("cluster", clusterNode(cluster)),
            ("brokers", .later { .list(cluster.brokers.map { broker(cluster, $0) }) }),
            ("topics", .later { .object(cluster.topicNames.map { name in (name, .later { topic(cluster, cluster.topics[name]!) }) }) }),
            ("groups", .later { GroupStateTree.groups(cluster) }),
            ("consumers", .later { GroupStateTree.consumers(cluster) }),
            ("events", .later { .list(cluster.events.map(event)) }),
            ("producers", .later { .object(cluster.producerNames.map { ($0, LogStateTree.producer(cluster.producers[$0]!)) }) }),
            ("output", output(session)),
        ]
        if !cluster.transactionCoordinator.transactions.isEmpty {
            root.append(("transactions", .later { TransactionStateTree.transactions(cluster) }))
        }
        for key in session.stateProviders.keys.sorted() {
            let provider = session.stateProviders[key]!
            root.append((key, .later { provider(session) }))
        }
        return .object(root)
    }

    private static func time(_ cluster: Cluster) -> StateValue {
        .object([("now", .string(Timestamp.iso8601(cluster.nowMs))), ("ms", .int(cluster.nowMs)),
                 ("elapsedMs", .int(cluster.nowMs - cluster.config.startMs))])
    }

    private static func clusterNode(_ cluster: Cluster) -> StateValue {
        .object([
            ("controller", cluster.controllerId.map { .int($0) } ?? .null),
            ("brokerCount", .int(cluster.brokers.count)),
            ("liveBrokers", .ints(cluster.liveBrokerIds)),
            ("bootstrapServers", .string(cluster.brokers.map(\.listener).joined(separator: ","))),
            ("topicCount", .int(cluster.topics.count)),
            ("seed", .int(Int64(truncatingIfNeeded: cluster.config.seed))),
        ])
    }

    private static func broker(_ cluster: Cluster, _ broker: Broker) -> StateValue {
        var leaders = 0, replicas = 0
        for topic in cluster.topics.values {
            for partition in topic.partitions {
                if partition.leader == broker.id { leaders += 1 }
                if partition.replicas.contains(broker.id) { replicas += 1 }
            }
        }
        // Armed produce-path faults appear only while armed (`network drop-requests|drop-responses`).
        let faults = cluster.network.clientFaults[broker.id].map { faults -> [(String, StateValue)] in
            [("dropProduceRequests", .int(Int64(faults.dropRequests))), ("dropProduceResponses", .int(Int64(faults.dropResponses)))]
        } ?? []
        return .object([
            ("id", .int(broker.id)), ("alive", .bool(broker.isAlive)),
            ("controller", .bool(cluster.controllerId == broker.id)), ("listener", .string(broker.listener)),
            ("leaderCount", .int(leaders)), ("replicaCount", .int(replicas)),
            // What clients asked this broker's KafkaApis, by Kafka's API name (the broker's RequestsPerSec, as counts).
            ("requests", .object((cluster.requestCounts[broker.id] ?? [:]).sorted { $0.key < $1.key }
                .map { ("\($0.key)", .int(Int64($0.value))) })),
        ] + faults)
    }

    /// Each replica of a partition, in assignment order: where its log ends, the high watermark it knows, whether it
    /// is in the ISR, and its role as it believes it (a cut-off old leader still says leader).
    private static func replicaStates(_ cluster: Cluster, _ tp: TopicPartition, _ state: PartitionState) -> [StateValue] {
        state.replicas.map { id in
            let replica = cluster.replica(tp, on: id)
            let follower = state.leader.flatMap { cluster.replica(tp, on: $0) }?.followers[id]
            return .object([
                ("broker", .int(id)),
                ("role", .string(state.leader == id ? "leader" : replica?.isLeader == true ? "zombie leader" : "follower")),
                ("logEndOffset", .int(replica?.log.logEndOffset ?? 0)),
                ("highWatermark", .int(replica?.log.highWatermark ?? 0)),
                ("logStartOffset", .int(replica?.log.logStartOffset ?? 0)),
                ("inSync", .bool(state.isr.contains(id))),
                ("alive", .bool(cluster.broker(id)?.isAlive == true)),
                ("lastCaughtUpMs", follower.map { .int($0.lastCaughtUpTimeMs) } ?? .null),
            ])
        }
    }

    private static func topic(_ cluster: Cluster, _ topic: Topic) -> StateValue {
        let partitions: [StateValue] = topic.partitions.enumerated().map { index, state in
            .object([
                ("partition", .int(index)), ("leader", state.leader.map { .int($0) } ?? .null),
                ("replicas", .list(replicaStates(cluster, TopicPartition(topic.name, index), state))), ("isr", .ints(state.isr)),
                ("preferredLeader", .int(state.preferredLeader)), ("leaderEpoch", .int(state.leaderEpoch)),
                ("underReplicated", .bool(state.isUnderReplicated)),
            ] + LogStateTree.partition(cluster, TopicPartition(topic.name, index)))
        }
        let configs = StateValue.later { .object(TopicConfigDefinitions.all.map { ($0.name, .string(topic.config($0.name) ?? "")) }) }
        return .object([
            ("name", .string(topic.name)), ("id", .string(topic.topicId)), ("internal", .bool(topic.isInternal)),
            ("partitionCount", .int(topic.partitions.count)), ("replicationFactor", .int(topic.replicationFactor)),
            ("partitions", .list(partitions)),
            ("records", .later { LogStateTree.records(cluster, topic) }),
            ("configs", configs),
            ("overrides", .object(topic.configOverrides.keys.sorted().map { ($0, .string(topic.configOverrides[$0]!)) })),
        ])
    }

    private static func event(_ event: ClusterEvent) -> StateValue {
        .object([
            ("seq", .int(event.sequence)), ("time", .string(Timestamp.iso8601(event.timestampMs))),
            ("type", .string(event.kind.name)), ("text", .string(EventText.details(event.kind))),
        ])
    }

    private static func output(_ session: Session) -> StateValue {
        .object([
            ("command", session.lastCommand.map { .string($0) } ?? .null),
            ("lines", .list(session.lastOutput.texts.map { .string($0) })),
            ("text", .string(session.lastOutput.texts.joined(separator: "\n"))),
            ("failed", .bool(session.lastOutput.failed)),
        ])
    }
}
