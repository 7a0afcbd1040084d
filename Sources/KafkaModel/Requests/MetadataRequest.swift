/// Metadata (API key 3): the brokers, the active controller and, per partition, its leader, replicas and ISR
/// (`MetadataRequest`) — how a client learns where to send its produces and fetches.
public struct MetadataRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.metadata
    /// `topics`: nil for every topic, else these by name.
    public var topics: [String]?
    /// `allow_auto_topic_creation`: kafkalab's brokers run with `auto.create.topics.enable=false`, so it changes nothing.
    public var allowAutoTopicCreation = false

    public init(topics: [String]? = nil) {
        self.topics = topics
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> MetadataResponse {
        apis.handleMetadataRequest(self, context: context)
    }
}

/// What the broker's metadata cache holds (`MetadataResponse`).
public struct MetadataResponse: Sendable, Equatable {
    /// A running broker and its listener.
    public struct MetadataResponseBroker: Sendable, Equatable {
        public var nodeId: Int32
        public var host: String
        public var port: Int32
        public var rack: String? = nil
    }

    public struct MetadataResponsePartition: Sendable, Equatable {
        /// LEADER_NOT_AVAILABLE while no replica can lead.
        public var error: KafkaError?
        public var partitionIndex: Int32
        /// -1 without a leader.
        public var leaderId: Int32
        public var leaderEpoch: Int32
        public var replicaNodes: [Int32]
        public var isrNodes: [Int32]
        /// Replicas on brokers that are not running (fenced or crashed).
        public var offlineReplicas: [Int32]
    }

    public struct MetadataResponseTopic: Sendable, Equatable {
        /// UNKNOWN_TOPIC_OR_PARTITION for a requested topic that does not exist.
        public var error: KafkaError?
        public var name: String
        /// The topic id (URL-safe base64, as `kafka-topics.sh` shows it); empty for an unknown topic.
        public var topicId: String
        public var isInternal: Bool
        public var partitions: [MetadataResponsePartition]
    }

    public var brokers: [MetadataResponseBroker]
    public var clusterId: String
    /// -1 while no controller is active.
    public var controllerId: Int32
    public var topics: [MetadataResponseTopic]
}

extension KafkaApis {
    /// `KafkaApis.handleTopicMetadataRequest`: answered from the controller's metadata (kafkalab's brokers share
    /// one metadata image); only running brokers are listed, and replicas on the others are offline.
    func handleMetadataRequest(_ request: MetadataRequest, context: RequestContext) -> MetadataResponse {
        let running = cluster.brokers.filter { $0.isAlive && !cluster.crashedBrokers.contains($0.id) }
        let alive = Set(running.map(\.id))
        let brokers = running.map {
            MetadataResponse.MetadataResponseBroker(nodeId: Int32($0.id), host: $0.host, port: Int32($0.port))
        }
        let topics = (request.topics ?? cluster.topicNames).map { name -> MetadataResponse.MetadataResponseTopic in
            guard let topic = cluster.topics[name] else {
                return .init(error: .unknownTopicOrPartition("This server does not host this topic-partition."), name: name,
                             topicId: "", isInternal: false, partitions: [])
            }
            let partitions = topic.partitions.enumerated().map { index, state in
                let leader = state.leader.flatMap { alive.contains($0) ? $0 : nil }
                return MetadataResponse.MetadataResponsePartition(
                    error: leader == nil ? .leaderNotAvailable("There is no leader for this topic-partition as we are in the middle of a leadership election.") : nil,
                    partitionIndex: Int32(index), leaderId: Int32(leader ?? -1), leaderEpoch: Int32(state.leaderEpoch),
                    replicaNodes: state.replicas.map { Int32($0) }, isrNodes: state.isr.map { Int32($0) },
                    offlineReplicas: state.replicas.filter { !alive.contains($0) }.map { Int32($0) })
            }
            return .init(error: nil, name: name, topicId: topic.topicId, isInternal: topic.isInternal, partitions: partitions)
        }
        return MetadataResponse(brokers: brokers, clusterId: cluster.clusterId, controllerId: Int32(cluster.controllerId ?? -1),
                                topics: topics)
    }
}
