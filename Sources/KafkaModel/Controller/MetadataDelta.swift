/// What one controller operation changed, in the order it happened: the typed events `Cluster` writes (as every
/// broker replays Kafka's metadata records) and the session checks the controller asks for. The controller itself
/// writes nothing: the cluster emits these, then lets the brokers learn the new metadata (`syncReplicas`).
public struct MetadataDelta: Sendable, Equatable {
    public enum Entry: Sendable, Equatable {
        /// A change, as the event the cluster writes. For a `LeaderElected`, `previousLeader` is who led before it:
        /// a `__consumer_offsets` partition's groups move away from that coordinator.
        case record(ClusterEvent.Kind, previousLeader: Int?)
        /// The broker's session now counts for this controller: its stale-session check needs a timer.
        case sessionExpiryCheck(broker: Int)
    }

    public internal(set) var entries: [Entry] = []

    public init() {}

    /// The changes, without the timers.
    public var events: [ClusterEvent.Kind] {
        entries.compactMap { if case let .record(kind, _) = $0 { return kind } else { return nil } }
    }

    public var isEmpty: Bool { entries.isEmpty }
}

/// A validated controller request whose records are not applied yet: `Cluster` first does what may still fail
/// outside the controller (opening logs, writing the metadata file from `image`), then `QuorumController.replay`
/// applies the whole change at once, or the result is dropped and nothing changed.
public struct ControllerResult<Response> {
    /// The request's answer.
    public let response: Response
    /// What replaying changes.
    public let delta: MetadataDelta
    /// The metadata as it is once replayed.
    public let image: MetadataImage
    /// The controller's `appliedOperations` the result was computed from (a replay must not skip a change).
    let baseOperation: Int
}
