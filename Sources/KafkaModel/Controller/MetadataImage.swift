/// Everything the KRaft controller has committed (Kafka's `MetadataImage`): topics with their partitions' replicas,
/// leaders, ISRs and epochs, the broker registrations, the active controller, how many metadata records and
/// controller elections there were, and the next producer id. A value: an operation changes a copy and the
/// controller swaps it in whole, so a refused request leaves nothing half-changed.
public struct MetadataImage: Sendable, Equatable {
    /// Topics by name.
    public internal(set) var topics: [String: Topic] = [:]
    /// Broker registrations, fencing and sessions.
    public internal(set) var cluster: ClusterControlManager
    /// The active controller; nil while fewer than a majority of the voters run and reach each other.
    public internal(set) var activeController: Int?
    /// Metadata records written so far (the quorum's high watermark counts them).
    public internal(set) var metadataRecords: Int64 = 0
    /// Controller elections so far (the quorum's leader epoch).
    public internal(set) var controllerElections = 0
    /// The next producer id `AllocateProducerIds` hands out (from 0).
    public internal(set) var nextProducerId: Int64 = 0

    /// Topic names, sorted.
    public var topicNames: [String] { topics.keys.sorted() }
}

/// An operation in progress on a copy of the image: each change is recorded (and counted as metadata records)
/// as it is made.
struct ControllerTransaction {
    var image: MetadataImage
    var delta = MetadataDelta()

    /// Notes a change; the quorum's numbers count the records Kafka would write for it.
    mutating func record(_ kind: ClusterEvent.Kind, previousLeader: Int? = nil) {
        switch kind {
        case .controllerElected:
            image.controllerElections += 1
        case .brokerRegistered, .brokerFenced, .brokerUnfenced, .topicDeleted, .topicConfigChanged, .leaderElected, .isrShrunk, .isrExpanded:
            image.metadataRecords += 1
        case let .topicCreated(_, partitions, _):
            image.metadataRecords += 1 + Int64(partitions)
        case let .partitionsAdded(_, from, to):
            image.metadataRecords += Int64(to - from)
        default:
            break
        }
        delta.entries.append(.record(kind, previousLeader: previousLeader))
    }

    /// Stores a partition's new state.
    mutating func set(_ tp: TopicPartition, _ state: PartitionState) {
        image.topics[tp.topic]!.partitions[tp.partition] = state
    }
}
