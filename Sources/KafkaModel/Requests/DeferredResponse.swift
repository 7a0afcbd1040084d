/// A response a broker sends after the request's handler returned (an `acks=all` produce answered from the
/// purgatory, a JoinGroup or SyncGroup answered when the rebalance gets there).
public enum DeferredResponse: Sendable, Equatable {
    case produce(ProduceResponse)
    case group(ParkedGroupResponse)
}

/// A deferred response for a wire-protocol connection, waiting in `Cluster.pendingConnectionResponses` until the
/// server writes it to the connection.
public struct ConnectionResponse: Sendable, Equatable {
    /// The connection number of `RequestClient.connection`.
    public let connection: Int
    public let correlationId: Int32
    public let response: DeferredResponse
}
