/// Kafka's API keys (`org.apache.kafka.common.protocol.ApiKeys`) for the requests kafkalab's brokers serve.
/// The numbers are the wire's: a protocol server maps a frame's key to its typed request with them.
public enum ApiKey: Int16, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case produce = 0
    case fetch = 1
    case listOffsets = 2
    case metadata = 3
    case offsetCommit = 8
    case offsetFetch = 9
    case findCoordinator = 10
    case joinGroup = 11
    case heartbeat = 12
    case leaveGroup = 13
    case syncGroup = 14
    case describeGroups = 15
    case listGroups = 16
    case apiVersions = 18
    case createTopics = 19
    case deleteTopics = 20
    case initProducerId = 22
    case offsetForLeaderEpoch = 23
    case addPartitionsToTxn = 24
    case addOffsetsToTxn = 25
    case endTxn = 26
    case writeTxnMarkers = 27
    case txnOffsetCommit = 28
    case describeConfigs = 32
    case alterConfigs = 33
    case createPartitions = 37
    case deleteGroups = 42
    case electLeaders = 43
    case incrementalAlterConfigs = 44
    case offsetDelete = 47
    case describeCluster = 60
    case describeProducers = 61
    case describeTransactions = 65
    case listTransactions = 66

    /// The name Kafka's request logs and metrics use (`ApiKeys.name`), e.g. `Produce`, `JoinGroup`.
    public var description: String {
        switch self {
        case .produce: return "Produce"
        case .fetch: return "Fetch"
        case .listOffsets: return "ListOffsets"
        case .metadata: return "Metadata"
        case .offsetCommit: return "OffsetCommit"
        case .offsetFetch: return "OffsetFetch"
        case .findCoordinator: return "FindCoordinator"
        case .joinGroup: return "JoinGroup"
        case .heartbeat: return "Heartbeat"
        case .leaveGroup: return "LeaveGroup"
        case .syncGroup: return "SyncGroup"
        case .describeGroups: return "DescribeGroups"
        case .listGroups: return "ListGroups"
        case .apiVersions: return "ApiVersions"
        case .createTopics: return "CreateTopics"
        case .deleteTopics: return "DeleteTopics"
        case .initProducerId: return "InitProducerId"
        case .offsetForLeaderEpoch: return "OffsetForLeaderEpoch"
        case .addPartitionsToTxn: return "AddPartitionsToTxn"
        case .addOffsetsToTxn: return "AddOffsetsToTxn"
        case .endTxn: return "EndTxn"
        case .writeTxnMarkers: return "WriteTxnMarkers"
        case .txnOffsetCommit: return "TxnOffsetCommit"
        case .describeConfigs: return "DescribeConfigs"
        case .alterConfigs: return "AlterConfigs"
        case .createPartitions: return "CreatePartitions"
        case .deleteGroups: return "DeleteGroups"
        case .electLeaders: return "ElectLeaders"
        case .incrementalAlterConfigs: return "IncrementalAlterConfigs"
        case .offsetDelete: return "OffsetDelete"
        case .describeCluster: return "DescribeCluster"
        case .describeProducers: return "DescribeProducers"
        case .describeTransactions: return "DescribeTransactions"
        case .listTransactions: return "ListTransactions"
        }
    }

    public static func < (a: ApiKey, b: ApiKey) -> Bool { a.rawValue < b.rawValue }
}
