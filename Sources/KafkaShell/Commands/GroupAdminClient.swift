import KafkaModel

/// The admin client's group calls as `kafka-consumer-groups.sh` makes them: typed requests to the brokers.
/// The coordinator is looked up in the metadata rather than with FindCoordinator, which would create
/// `__consumer_offsets`: a tool that only looks must change nothing.
struct GroupAdminClient {
    let cluster: Cluster
    let context = RequestContext(client: .admin("kafka-consumer-groups.sh"), clientId: "adminclient-1")

    /// ListGroups to every running broker (each lists the groups it coordinates), in Java string order.
    func listGroups() -> [(groupId: String, state: ClassicGroupState)] {
        var listed: [String: ClassicGroupState] = [:]
        for broker in cluster.liveBrokerIds {
            guard let response = try? cluster.send(ListGroupsRequest(), to: broker, from: context) else { continue }
            for group in response.groups { listed[group.groupId] = group.groupState }
        }
        return listed.keys.sorted(by: JavaString.lessThan).map { ($0, listed[$0]!) }
    }

    /// DescribeGroups to the group's coordinator; a group no coordinator answers for is Dead.
    func describe(_ groupId: String) -> DescribeGroupsResponse.DescribedGroup {
        guard let coordinator = cluster.coordinator(of: groupId),
              let described = try? cluster.send(DescribeGroupsRequest(groups: [groupId]), to: coordinator, from: context).groups.first,
              described.error == nil else {
            return .dead(groupId, error: .coordinatorNotAvailable)
        }
        return described
    }

    /// OffsetFetch of every offset the group committed (as the admin client's listConsumerGroupOffsets: not requiring
    /// stable offsets, so pending transactional ones do not hide the committed ones).
    func committedOffsets(_ groupId: String) -> [TopicPartition: OffsetFetchResponse.Partition] {
        guard let coordinator = cluster.coordinator(of: groupId),
              let group = try? cluster.send(OffsetFetchRequest(groups: [.init(groupId: groupId)], requireStable: false), to: coordinator, from: context).groups.first
        else { return [:] }
        return group.partitions.filter { $0.value.committedOffset >= 0 }
    }
}
