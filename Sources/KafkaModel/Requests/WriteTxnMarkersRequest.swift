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

/// Per partition: the marker's offset and the last stable offset before and after it, or the leader's error.
public struct WriteTxnMarkersResponse: Sendable, Equatable {
    public struct Written: Sendable, Equatable {
        public var offset: Int64
        public var stableBefore: Int64
        public var stableAfter: Int64
    }
    public var results: [TopicPartition: Result<Written, KafkaError>]
}

extension KafkaApis {
    /// `ReplicaManager.appendRecords` with the coordinator origin: each marker is appended by the partition's leader
    /// (acks=-1: copied to its in-sync followers at once, as the coordinators' writes are).
    func handleWriteTxnMarkersRequest(_ request: WriteTxnMarkersRequest, context: RequestContext) -> WriteTxnMarkersResponse {
        var results: [TopicPartition: Result<WriteTxnMarkersResponse.Written, KafkaError>] = [:]
        for tp in request.partitions {
            guard let leader = cluster.replica(tp, on: brokerId), leader.isLeader else {
                results[tp] = .failure(.notLeaderOrFollower("This server is not the leader for that topic-partition."))
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
                results[tp] = .success(.init(offset: appended.firstOffset, stableBefore: stableBefore, stableAfter: leader.log.lastStableOffset))
            } catch {
                results[tp] = .failure(KafkaError(error))
            }
        }
        return WriteTxnMarkersResponse(results: results)
    }
}

extension Cluster {
    /// WriteTxnMarkers for one partition, to its leader (counted as a request to it); nil when no running broker leads it.
    /// Emits the marker and the last stable offset it moved.
    @discardableResult
    public func writeTxnMarker(_ tp: TopicPartition, transactionalId: String, producerId: Int64, producerEpoch: Int16, coordinatorEpoch: Int32,
                        result: TransactionResult, from context: RequestContext) -> Result<WriteTxnMarkersResponse.Written, KafkaError>? {
        guard let leaderId = topics[tp.topic].flatMap({ tp.partition < $0.partitions.count ? $0.partitions[tp.partition].leader : nil }) else { return nil }
        let result = testOnlyPlantedBug == .abortWritesCommitMarkers ? .commit : result
        let request = WriteTxnMarkersRequest(producerId: producerId, producerEpoch: producerEpoch, coordinatorEpoch: coordinatorEpoch,
                                             result: result, partitions: [tp])
        guard let outcome = (try? send(request, to: leaderId, from: context))?.results[tp] else { return nil }
        if case .success(let written) = outcome {
            emit(.transaction(.markerWritten(transactionalId: transactionalId, partition: tp, result: result, offset: written.offset,
                                             producerId: producerId, producerEpoch: producerEpoch, coordinatorEpoch: coordinatorEpoch)))
            if tp.topic == GroupCoordinator.offsetsTopic { transactionalOffsetsCompleted(producerId: producerId, partition: tp.partition, result: result) }
            if written.stableAfter != written.stableBefore {
                emit(.transaction(.lastStableOffsetMoved(partition: tp, from: written.stableBefore, to: written.stableAfter)))
            }
        }
        return outcome
    }
}
