/// Builds the `--describe --offsets` rows as `ConsumerGroupCommand.collectGroupOffsets` orders them.
public enum ConsumerGroupDescribe {
    /// Members with a non-empty assignment, larger assignments first (stable for ties, so pass members in the
    /// coordinator's order); each member's partitions sorted by (topic, partition) — Kafka iterates a `HashMap` here.
    /// Then partitions with a committed offset but no owner, sorted, with `-` for the consumer columns.
    public static func offsetRows(group: String, members: [DescribedMember], committedOffsets: [TopicPartition: Int64],
                                  logEndOffsets: [TopicPartition: Int64],
                                  leaderEpochs: [TopicPartition: Int32] = [:]) -> [ConsumerGroupDescribeRow] {
        var rows: [ConsumerGroupDescribeRow] = []
        var assigned = Set<TopicPartition>()
        let withAssignment = members.enumerated().filter { !$0.element.assignment.isEmpty }
            .sorted { $0.element.assignment.count != $1.element.assignment.count
                ? $0.element.assignment.count > $1.element.assignment.count : $0.offset < $1.offset }
            .map(\.element)
        for m in withAssignment {
            for tp in m.assignment.sorted(by: JavaString.topicPartitionLessThan) {
                assigned.insert(tp)
                rows.append(ConsumerGroupDescribeRow(group: group, topic: tp.topic, partition: tp.partition,
                                                     currentOffset: committedOffsets[tp], logEndOffset: logEndOffsets[tp],
                                                     consumerId: m.consumerId, host: m.host, clientId: m.clientId,
                                                     leaderEpoch: leaderEpochs[tp]))
            }
        }
        for tp in committedOffsets.keys.filter({ !assigned.contains($0) }).sorted(by: JavaString.topicPartitionLessThan) {
            rows.append(ConsumerGroupDescribeRow(group: group, topic: tp.topic, partition: tp.partition,
                                                 currentOffset: committedOffsets[tp], logEndOffset: logEndOffsets[tp],
                                                 consumerId: nil, host: nil, clientId: nil, leaderEpoch: leaderEpochs[tp]))
        }
        return rows
    }
}
