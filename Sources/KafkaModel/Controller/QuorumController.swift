/// The KRaft controller (Kafka's `QuorumController`): owns the cluster's metadata (`MetadataImage`) and changes it
/// only through its requests — CreateTopics, DeleteTopics, CreatePartitions, IncrementalAlterConfigs, AlterPartition,
/// ElectLeaders, broker registration, heartbeats and fencing, AllocateProducerIds. Each validates first and then
/// applies as one operation, and returns what changed (`MetadataDelta`) for `Cluster` to write as events and send to
/// the brokers. Nothing commits without a majority of the voters: every node is a voter (`process.roles=broker,controller`)
/// unless `--controllers N` names the first N.
public final class QuorumController {
    /// The committed metadata.
    public private(set) var image: MetadataImage
    /// The controller-quorum voters: every node, or the first `--controllers N`.
    public let voterIds: [Int]
    /// Brokers the network cuts off from the quorum, as last told (`quorumChanged`).
    public internal(set) var unreachable: Set<Int> = []
    /// How many operations changed the image (a `ControllerResult` replays only onto the image it was computed from).
    private var appliedOperations = 0

    /// A controller for `brokers`, none of them registered yet (`bootstrap` registers them).
    public init(brokers: [Broker], controllerCount: Int?, startMs: Int64) {
        let ids = brokers.map(\.id)
        voterIds = Array(ids.prefix(min(max(controllerCount ?? ids.count, 1), ids.count)))
        image = MetadataImage(cluster: ClusterControlManager(brokers: brokers, clusterStartMs: startMs))
    }

    // MARK: Reading

    public var topics: [String: Topic] { image.topics }
    public var topicNames: [String] { image.topicNames }
    public var brokers: [Broker] { image.cluster.brokers }
    public var fencedBrokers: Set<Int> { image.cluster.fenced }
    public var crashedBrokers: Set<Int> { image.cluster.crashed }
    public var activeController: Int? { image.activeController }
    public var metadataRecords: Int64 { image.metadataRecords }
    public var controllerElections: Int { image.controllerElections }
    public var nextProducerId: Int64 { image.nextProducerId }

    public func isAcceptableLeader(_ broker: Int) -> Bool { image.cluster.isAcceptableLeader(broker) }

    /// How many running voters the quorum needs: a majority of all voters.
    public var quorumMajority: Int { voterIds.count / 2 + 1 }

    /// Voters that run and reach each other (an isolated node is cut off from the majority).
    public var runningVoters: [Int] {
        let voters = Set(voterIds)
        return brokers.filter { voters.contains($0.id) && $0.isAlive && !unreachable.contains($0.id) }.map(\.id)
    }

    /// Why metadata cannot change now (no active controller), or nil.
    public var metadataFrozenReason: String? {
        guard image.activeController == nil else { return nil }
        let live = runningVoters.count
        return "Metadata is frozen: no active controller, as only \(live) of \(voterIds.count) controller-quorum voters \(live == 1 ? "is" : "are") running (a majority is \(quorumMajority))."
    }

    /// What brings the quorum back: starting a stopped voter.
    public var quorumRestoreHint: String {
        let running = Set(runningVoters)
        guard let first = voterIds.first(where: { !running.contains($0) }) else { return "Start a broker to restore the quorum." }
        return "Start a controller-quorum voter to restore the quorum: broker start \(first)"
    }

    /// Throws while there is no active controller: without a majority of the voters nothing commits.
    public func requireQuorum() throws(KafkaError) {
        if let reason = metadataFrozenReason {
            throw .requestTimedOut(reason + " " + quorumRestoreHint)
        }
    }

    // MARK: Applying

    /// Runs one operation, already validated, on the image. The image is moved out while it runs, so changing one
    /// partition does not copy every topic; the body must not read `image` (it has `t.image`).
    func apply<R>(_ body: (inout ControllerTransaction) -> R) -> (R, MetadataDelta) {
        var transaction = ControllerTransaction(image: image)
        image = MetadataImage(cluster: ClusterControlManager(brokers: [], clusterStartMs: 0))
        let response = body(&transaction)
        image = transaction.image
        appliedOperations += 1
        return (response, transaction.delta)
    }

    /// Computes an operation on a copy of the image without applying it (see `replay`).
    func prepare<R>(_ body: (inout ControllerTransaction) -> R) -> ControllerResult<R> {
        var transaction = ControllerTransaction(image: image)
        let response = body(&transaction)
        return ControllerResult(response: response, delta: transaction.delta, image: transaction.image, baseOperation: appliedOperations)
    }

    /// Applies a prepared result: the records are committed.
    public func replay<R>(_ result: ControllerResult<R>) {
        precondition(result.baseOperation == appliedOperations, "a controller result replayed onto a newer image")
        image = result.image
        appliedOperations += 1
    }

    // MARK: Bootstrap and restore

    /// The quorum forms at start: every broker registers (unfenced) and the lowest voter becomes the active controller.
    public func bootstrap() -> MetadataDelta {
        apply { (t: inout ControllerTransaction) in
            for broker in t.image.cluster.brokers { t.record(.brokerRegistered(broker: broker.id)) }
            t.image.activeController = voterIds.min()
            if let controller = t.image.activeController { t.record(.controllerElected(broker: controller)) }
        }.1
    }

    /// Brings back a topic from the log directory's metadata file (no records: it was committed before).
    public func restore(_ topic: Topic) {
        _ = apply { (t: inout ControllerTransaction) in t.image.topics[topic.name] = topic }
    }

    // MARK: Producer ids

    /// AllocateProducerIds: `count` fresh producer ids (Kafka hands out blocks; the simulation asks for what it needs).
    public func allocateProducerIds(count: Int = 1) -> Range<Int64> {
        apply { (t: inout ControllerTransaction) in
            let first = t.image.nextProducerId
            t.image.nextProducerId += Int64(count)
            return first..<t.image.nextProducerId
        }.0
    }

    /// Sets the next producer id (callers that still count ids themselves; prefer `allocateProducerIds`).
    func setNextProducerId(_ next: Int64) {
        _ = apply { (t: inout ControllerTransaction) in t.image.nextProducerId = next }
    }
}
