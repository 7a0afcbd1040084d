/// One state change in the simulated cluster, stamped with simulated time.
///
/// The model appends an event for every change it makes; the shell prints the events a
/// command caused under its output, and `events` lists them all.
public struct ClusterEvent: Sendable, Equatable {
    /// Position in the cluster's event log, from 0.
    public let sequence: Int
    /// Simulated time of the change.
    public let timestampMs: Int64
    /// What changed.
    public let kind: Kind

    public init(sequence: Int, timestampMs: Int64, kind: Kind) {
        self.sequence = sequence
        self.timestampMs = timestampMs
        self.kind = kind
    }

    /// Why a partition got a new leader.
    public enum ElectionReason: String, Sendable, Equatable {
        case leaderFailed = "leader failed"
        case preferred = "preferred leader election"
        case restarted = "replica came back"
    }

    /// The kinds of change, named as Kafka's components would log them.
    public enum Kind: Sendable, Equatable {
        case brokerRegistered(broker: Int)
        case controllerElected(broker: Int)
        case brokerFenced(broker: Int)
        case brokerUnfenced(broker: Int)
        case topicCreated(topic: String, partitions: Int, replicationFactor: Int)
        case topicDeleted(topic: String)
        case partitionsAdded(topic: String, from: Int, to: Int)
        case topicConfigChanged(topic: String, key: String, value: String?)
        case leaderElected(partition: TopicPartition, leader: Int?, epoch: Int, reason: ElectionReason)
        case isrShrunk(partition: TopicPartition, isr: [Int], removed: Int)
        case isrExpanded(partition: TopicPartition, isr: [Int], added: Int)
        case clockAdvanced(fromMs: Int64, toMs: Int64)

        /// The event's type name, as the `events` listing shows it.
        public var name: String {
            switch self {
            case .brokerRegistered: return "BrokerRegistered"
            case .controllerElected: return "ControllerElected"
            case .brokerFenced: return "BrokerFenced"
            case .brokerUnfenced: return "BrokerUnfenced"
            case .topicCreated: return "TopicCreated"
            case .topicDeleted: return "TopicDeleted"
            case .partitionsAdded: return "PartitionsAdded"
            case .topicConfigChanged: return "TopicConfigChanged"
            case .leaderElected: return "LeaderElected"
            case .isrShrunk: return "IsrShrunk"
            case .isrExpanded: return "IsrExpanded"
            case .clockAdvanced: return "ClockAdvanced"
            }
        }
    }
}
