/// The answer to a request the coordinator may park (JoinGroup, SyncGroup): either at once, or later.
///
/// A parked request's answer is routed by its `RequestContext.client` when the rebalance completes
/// (`Cluster.deliverParkedResponses`): a simulated consumer's response reaches it through the consumer's own
/// delivery path, a wire connection's waits in `Cluster.pendingConnectionResponses`.
public enum DelayedResponse<Response: Sendable>: Sendable {
    /// Answered now.
    case completed(Response)
    /// Parked under `memberId` (the id the coordinator generated for a new static member); answered later.
    case parked(memberId: String)
}
