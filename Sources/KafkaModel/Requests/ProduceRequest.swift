/// Produce (API key 0): record batches for partitions the receiving broker leads (`ProduceRequest`).
public struct ProduceRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.produce
    /// `transactional_id`: nil for an idempotent or plain producer.
    public var transactionalId: String? = nil
    /// `acks`: 0 none, 1 the leader, -1 every in-sync replica.
    public var acks: Int16
    /// `timeout_ms`: how long an `acks=-1` produce may wait for the in-sync replicas (the producer's `request.timeout.ms`).
    public var timeoutMs: Int32
    /// `topic_data`, flattened to one entry per partition.
    public var partitionData: [PartitionProduceData]
    /// kafkalab only: false keeps the leader's `RecordsAppended` events out of the event log (the perf tool's producer).
    public var reportsAppend = true
    /// What the leader does with a transactional batch for a partition new to the transaction, from the request
    /// version: add it (v12, transaction version 2, the simulated producers) or verify the client added it (v ≤ 11).
    public var transactionSupportedOperation = TransactionSupportedOperation.addPartition

    /// One partition's batch. Its header's producer fields (`producerId`, `producerEpoch`, `baseSequence`) let the
    /// leader recognise an idempotent producer's retry.
    public struct PartitionProduceData: Sendable {
        public var partition: TopicPartition
        /// The batch's records; `repeatCount` copies of `repeatedRecord` follow them (the perf tool's batches,
        /// which hold one record many times and are never built record by record).
        public var records: [Record]
        public var repeatedRecord: Record?
        public var repeatCount = 0
        /// A real client's v2 batch, appended as its bytes (`records` is then empty); its magic and CRC are checked
        /// by the server that read it. The leader's append takes the bytes (see `MemoryRecords`).
        public var clientBatch: MemoryRecords?
        /// The records in `clientBatch`.
        public var clientBatchRecordCount = 0
        /// nil for a producer without an id (`producerId` -1).
        public var producer: ProducerIdentity?

        public init(partition: TopicPartition, records: [Record], repeatedRecord: Record? = nil, repeatCount: Int = 0,
                    producer: ProducerIdentity? = nil) {
            self.partition = partition
            self.records = records
            self.repeatedRecord = repeatedRecord
            self.repeatCount = repeatCount
            self.producer = producer
        }

        var recordCount: Int { clientBatch == nil ? records.count + repeatCount : clientBatchRecordCount }

        /// A real client's batch, kept as its bytes.
        public init(partition: TopicPartition, clientBatch: [UInt8], recordCount: Int, producer: ProducerIdentity?) {
            self.init(partition: partition, records: [], producer: producer)
            self.clientBatch = MemoryRecords(clientBatch)
            self.clientBatchRecordCount = recordCount
        }
    }

    public init(acks: Int16, timeoutMs: Int32, partitionData: [PartitionProduceData], reportsAppend: Bool = true) {
        self.acks = acks
        self.timeoutMs = timeoutMs
        self.partitionData = partitionData
        self.reportsAppend = reportsAppend
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> ProduceResponse {
        apis.handleProduceRequest(self, context: context)
    }
}

/// The answer per partition. An `acks=-1` partition whose batch is not yet below the high watermark is missing
/// from the immediate response: its answer comes later, as its own `ProduceResponse`, through
/// `Cluster.deliver(_:to:)` (Kafka answers a request once, when all its partitions are done; kafkalab's producers
/// send one partition per request, so the two are the same). A wire server sends no response for `acks=0`.
public struct ProduceResponse: Sendable, Equatable {
    public struct PartitionResponse: Sendable, Equatable {
        public var partition: TopicPartition
        public var error: KafkaError?
        /// Offset of the batch's first record; -1 on error.
        public var baseOffset: Int64 = -1
        /// The broker's time stamped on the batch under `LogAppendTime`, else -1.
        public var logAppendTimeMs: Int64 = -1
        public var logStartOffset: Int64 = -1

        public init(partition: TopicPartition, error: KafkaError? = nil, baseOffset: Int64 = -1,
                    logAppendTimeMs: Int64 = -1, logStartOffset: Int64 = -1) {
            self.partition = partition
            self.error = error
            self.baseOffset = baseOffset
            self.logAppendTimeMs = logAppendTimeMs
            self.logStartOffset = logStartOffset
        }
    }
    public var responses: [PartitionResponse]

    /// The answer for `partition`, if it is in this response.
    public func response(for partition: TopicPartition) -> PartitionResponse? {
        responses.first { $0.partition == partition }
    }
}

extension ProducerConfig.Acks {
    /// The request's `acks` field.
    var requestValue: Int16 {
        switch self {
        case .none: return 0
        case .leader: return 1
        case .all: return -1
        }
    }

    init(requestValue: Int16) {
        switch requestValue {
        case 0: self = .none
        case 1: self = .leader
        default: self = .all
        }
    }
}

extension KafkaApis {
    /// `KafkaApis.handleProduceRequest` → `ReplicaManager.appendRecords`: each partition is appended if this broker
    /// leads it; an `acks=-1` batch above the high watermark waits in `DelayedProduce` and is answered later.
    func handleProduceRequest(_ request: ProduceRequest, context: RequestContext) -> ProduceResponse {
        let acks = ProducerConfig.Acks(requestValue: request.acks)
        var responses: [ProduceResponse.PartitionResponse] = []
        responses.reserveCapacity(request.partitionData.count)
        for data in request.partitionData {
            guard let first = data.records.first ?? data.repeatedRecord ?? (data.clientBatch == nil ? nil : Record(timestamp: 0, key: nil as [UInt8]?, value: nil)) else {
                responses.append(.init(partition: data.partition, error: .invalidRecord("The produce request holds no records.")))
                continue
            }
            do throws(KafkaError) {
                // Only the coordinators write to their topics (`ReplicaManager.appendToLocalLog`, internalTopicsAllowed
                // false for clients): a client's records there would be read back as group or transaction state.
                if TopicName.isInternal(data.partition.topic) {
                    throw .invalidTopic("Cannot append to internal topic \(data.partition.topic)")
                }
                // The leader adds the partition to the transaction (transaction version 2), or verifies that an older
                // client added it, before appending.
                if let transactionalId = request.transactionalId, let producer = data.producer, cluster.replica(data.partition, on: brokerId)?.isLeader == true,
                   let error = addPartitionToTransaction(transactionalId, producer: producer, partition: data.partition,
                                                         operation: request.transactionSupportedOperation) {
                    throw error
                }
                let (result, leader) = try cluster.appendRecords(
                    data.records, repeating: data.repeatedRecord ?? first, count: data.repeatCount, to: data.partition,
                    on: brokerId, acks: acks, reportAppend: request.reportsAppend, producer: data.producer,
                    isTransactional: request.transactionalId != nil,
                    clientBatch: data.clientBatch, clientBatchRecordCount: data.clientBatchRecordCount)
                if acks == .all && leader.log.highWatermark <= result.lastOffset {
                    cluster.delayProduce(context, partition: data.partition, leader: leader, result: result,
                                         timeoutMs: Int64(request.timeoutMs))
                    continue
                }
                responses.append(.init(partition: data.partition, baseOffset: result.firstOffset,
                                       logAppendTimeMs: result.logAppendTime, logStartOffset: result.logStartOffset))
            } catch {
                responses.append(.init(partition: data.partition, error: error))
            }
        }
        return ProduceResponse(responses: responses)
    }
}
