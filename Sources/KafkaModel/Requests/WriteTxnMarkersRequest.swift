/// WriteTxnMarkers (API key 27): COMMIT or ABORT markers for a producer's transaction on partitions this broker leads.
/// The admin client sends one to abort a hanging transaction (`kafka-transactions.sh abort`).
public struct WriteTxnMarkersRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.writeTxnMarkers
    public var producerId: Int64
    public var producerEpoch: Int16
    public var coordinatorEpoch: Int32
    public var result: TransactionResult
    public var partitions: [TopicPartition]

    public init(producerId: Int64, producerEpoch: Int16, coordinatorEpoch: Int32, result: TransactionResult, partitions: [TopicPartition]) {
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.coordinatorEpoch = coordinatorEpoch
        self.result = result
        self.partitions = partitions
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> WriteTxnMarkersResponse {
        apis.handleWriteTxnMarkersRequest(self, context: context)
    }
}

/// Per partition: nil, or the error the leader's log answered.
public struct WriteTxnMarkersResponse: Sendable, Equatable {
    public var errors: [TopicPartition: KafkaError?]
}

extension KafkaApis {
    /// `ReplicaManager.appendRecords` with the coordinator origin: each marker is appended by the partition's leader.
    func handleWriteTxnMarkersRequest(_ request: WriteTxnMarkersRequest, context: RequestContext) -> WriteTxnMarkersResponse {
        var errors: [TopicPartition: KafkaError?] = [:]
        for tp in request.partitions {
            guard let leader = cluster.replica(tp, on: brokerId), leader.isLeader else {
                errors[tp] = .notLeaderOrFollower("This server is not the leader for that topic-partition.")
                continue
            }
            let stableBefore = leader.log.lastStableOffset
            do throws(LogError) {
                let appended = try leader.log.appendEndTxnMarker(producerId: request.producerId, epoch: request.producerEpoch,
                                                                 coordinatorEpoch: request.coordinatorEpoch,
                                                                 type: request.result == .commit ? .commit : .abort, nowMs: cluster.nowMs)
                cluster.emit(appended.events, partition: tp, reportAppend: false)
                cluster.leaderAppended(leader)
                cluster.replicateNow(leader)
                cluster.emit(.transaction(.markerWritten(transactionalId: "", partition: tp, result: request.result, offset: appended.firstOffset,
                                                         producerId: request.producerId, producerEpoch: request.producerEpoch,
                                                         coordinatorEpoch: request.coordinatorEpoch)))
                let stableAfter = leader.log.lastStableOffset
                if stableAfter != stableBefore { cluster.emit(.transaction(.lastStableOffsetMoved(partition: tp, from: stableBefore, to: stableAfter))) }
                errors[tp] = .some(nil)
            } catch {
                errors[tp] = KafkaError(error)
            }
        }
        return WriteTxnMarkersResponse(errors: errors)
    }
}
