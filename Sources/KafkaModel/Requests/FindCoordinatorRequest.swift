/// FindCoordinator (API key 10), batched as v4+: which broker coordinates each key.
public struct FindCoordinatorRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.findCoordinator

    /// `KeyType`: 0 a consumer group, 1 a transactional id.
    public enum KeyType: Int8, Sendable {
        case group = 0
        case transaction = 1
    }

    public var keyType: KeyType
    public var coordinatorKeys: [String]

    public init(keyType: KeyType = .group, coordinatorKeys: [String]) {
        self.keyType = keyType
        self.coordinatorKeys = coordinatorKeys
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> FindCoordinatorResponse {
        apis.handleFindCoordinatorRequest(self, context: context)
    }
}

/// The coordinator of each key, or COORDINATOR_NOT_AVAILABLE.
public struct FindCoordinatorResponse: Sendable, Equatable {
    public struct Coordinator: Sendable, Equatable {
        public var key: String
        public var nodeId: Int = -1
        public var host = ""
        public var port = -1
        public var error: GroupError?
        /// Why the coordinator is not available as the broker logs it: the controller's answer when
        /// `__consumer_offsets` could not be created (nil when its partition has no leader).
        public var cause: KafkaError?
    }
    public var coordinators: [Coordinator]
}

extension KafkaApis {
    /// `KafkaApis.handleFindCoordinatorRequest`: the first lookup creates `__consumer_offsets` (or, for a transactional
    /// id, `__transaction_state`) (`AutoTopicCreationManager`); the coordinator is the leader of the key's partition of it.
    func handleFindCoordinatorRequest(_ request: FindCoordinatorRequest, context: RequestContext) -> FindCoordinatorResponse {
        FindCoordinatorResponse(coordinators: request.coordinatorKeys.map { key in
            var answer = FindCoordinatorResponse.Coordinator(key: key)
            let isGroup = request.keyType == .group
            if let error = isGroup ? cluster.ensureOffsetsTopic() : cluster.ensureTransactionStateTopic() {
                answer.error = .coordinatorNotAvailable
                answer.cause = error
                return answer
            }
            // A transactional id's coordinator leads its `__transaction_state` partition (`TransactionStateManager.partitionFor`).
            let topic = isGroup ? GroupCoordinator.offsetsTopic : TransactionCoordinator.transactionStateTopic
            let partition = isGroup ? cluster.offsetsPartition(of: key) : cluster.transactionStatePartition(of: key)
            guard let leader = cluster.topics[topic]?.partitions[partition].leader,
                  let broker = cluster.broker(leader) else {
                answer.error = .coordinatorNotAvailable
                return answer
            }
            answer.nodeId = leader
            answer.host = broker.host
            answer.port = broker.port
            return answer
        })
    }

    /// NOT_COORDINATOR unless this broker leads the group's `__consumer_offsets` partition (before that topic
    /// exists, the broker `Cluster.coordinator(of:)` names answers, so a lookup creates nothing).
    func coordinatorError(_ groupId: String) -> GroupError? {
        cluster.coordinator(of: groupId) == brokerId ? nil : .notCoordinator
    }
}
