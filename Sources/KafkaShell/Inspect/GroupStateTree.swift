import KafkaModel

/// The `groups` and `consumers` branches of the state tree.
enum GroupStateTree {
    static func groups(_ cluster: Cluster) -> StateValue {
        .object(cluster.groupIds.map { id in (id, .later { group(cluster, id) }) })
    }

    static func group(_ cluster: Cluster, _ id: String) -> StateValue {
        let g = cluster.groupCoordinator.groups[id]
        let committed = cluster.committedOffsets(id)
        let members: [StateValue] = (g?.members ?? []).map { m in
            .object([("memberId", .string(m.memberId)), ("clientId", .string(m.clientId)),
                     ("groupInstanceId", m.groupInstanceId.map { .string($0) } ?? .null),
                     ("assignment", .list(m.assignment.map { .string($0.description) })),
                     ("partitionCount", .int(m.assignment.count))])
        }
        let lag = cluster.lag(of: id)
        return .object([
            ("id", .string(id)), ("state", .string(cluster.groupState(id).rawValue)),
            ("generation", .int(g?.generationId ?? 0)), ("protocol", g?.protocolName.map { .string($0) } ?? .null),
            ("leader", g?.leaderId.map { .string($0) } ?? .null),
            ("coordinator", cluster.coordinator(of: id).map { .int($0) } ?? .null),
            ("offsetsPartition", .int(cluster.offsetsPartition(of: id))),
            ("members", .list(members)),
            ("memberCount", .int(members.count)),
            ("committed", .object(committed.keys.sorted(by: JavaString.topicPartitionLessThan).map { ($0.description, .int(committed[$0]!)) })),
            ("lag", .object(lag.map { ($0.partition.description, $0.lag.map { .int($0) } ?? .null) })),
            ("totalLag", .int(lag.compactMap(\.lag).reduce(0, +))),
        ])
    }

    static func consumers(_ cluster: Cluster) -> StateValue {
        .object(cluster.consumerNames.map { name in
            let c = cluster.consumers[name]!
            return (name, .later {
                .object([
                    ("name", .string(name)), ("status", .string(c.status.rawValue)), ("alive", .bool(c.isAlive)),
                    ("memberState", .string(c.memberState.rawValue)), ("group", c.config.groupId.map { .string($0) } ?? .null),
                    ("memberId", .string(c.memberId)), ("generation", .int(c.generation)),
                    ("assignment", .list(c.assignment.map { .string($0.description) })),
                    ("partitionCount", .int(c.assignment.count)),
                    ("positions", .object(c.positions.keys.sorted(by: JavaString.topicPartitionLessThan).map { ($0.description, .int(c.positions[$0]!)) })),
                    ("paused", .list(c.paused.sorted(by: JavaString.topicPartitionLessThan).map { .string($0.description) })),
                    ("waitingForLeader", .list(c.waitingForLeader.keys.sorted(by: JavaString.topicPartitionLessThan).map { .string($0.description) })),
                    ("recordsConsumed", .int(c.recordsConsumed)),
                    ("autoCommit", .bool(c.config.enableAutoCommit)),
                    ("assignor", .string(c.config.assignors.joined(separator: ","))),
                ])
            })
        })
    }
}
