/// Which `__consumer_offsets` partition (and therefore which coordinator broker) owns a group.
///
/// `partition = Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions`, as in
/// `GroupCoordinatorService.partitionFor`. The same formula maps transactional ids onto `__transaction_state`.
public enum GroupCoordinatorPartition {
    /// Default `offsets.topic.num.partitions` (and `transaction.state.log.num.partitions`).
    public static let defaultOffsetsTopicPartitionCount = 50

    /// The `__consumer_offsets` partition for `groupId`.
    public static func partitionFor(groupId: String, offsetsTopicPartitionCount: Int = defaultOffsetsTopicPartitionCount) -> Int {
        precondition(offsetsTopicPartitionCount > 0, "offsets.topic.num.partitions must be positive")
        return Int(KafkaUtils.abs(JavaString.hashCode(groupId))) % offsetsTopicPartitionCount
    }
}
