/// The rebalance protocols a client-side assignor can follow (`ConsumerPartitionAssignor.RebalanceProtocol`).
public enum RebalanceProtocol: String, Sendable, Hashable, CaseIterable {
    /// Every member revokes all its partitions before rejoining.
    case eager = "EAGER"
    /// Members keep their partitions across a rebalance and revoke only the ones that move (KIP-429).
    case cooperative = "COOPERATIVE"
}
