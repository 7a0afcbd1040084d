/// Replica placement for a new topic or new partitions without racks: Kafka's
/// `AdminUtils.assignReplicasToBrokers` round-robin, with a fixed start index and
/// shift so the same cluster always places replicas the same way.
///
/// Partition `p`'s first replica is broker `(p + start) % n`; the followers step along
/// the broker list, shifting by one more every `n` partitions so replica pairs vary.
/// The first replica is the preferred leader.
public enum ReplicaPlacer {
    /// Places `partitions` partitions with `replicationFactor` replicas on `brokers`
    /// (in list order), starting at partition index `firstPartition` (non-zero when a
    /// topic grows). The caller has checked `replicationFactor <= brokers.count`.
    public static func place(
        partitions: Int, replicationFactor: Int, brokers: [Int], startIndex: Int = 0, firstPartition: Int = 0
    ) -> [[Int]] {
        let n = brokers.count
        precondition(n > 0 && replicationFactor >= 1 && replicationFactor <= n)
        var shift = startIndex
        var result: [[Int]] = []
        result.reserveCapacity(partitions)
        // As Kafka's `startPartitionId`: the shift only counts partitions placed by this call.
        for p in firstPartition..<(firstPartition + partitions) {
            if p > 0 && p % n == 0 { shift += 1 }
            let first = (p + startIndex) % n
            var replicas = [brokers[first]]
            for j in 0..<(replicationFactor - 1) {
                replicas.append(brokers[(first + 1 + (shift + j) % (n - 1)) % n])
            }
            result.append(replicas)
        }
        return result
    }
}
