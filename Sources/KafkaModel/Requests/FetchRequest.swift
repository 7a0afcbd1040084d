/// Fetch (API key 1) from a consumer (`replicaId` -1): records of partitions the receiving broker leads, below
/// their high watermark (`FetchRequest`). Followers' fetches are the brokers' own (`ReplicaFetchRequest`, on the
/// simulated network).
public struct FetchRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.fetch
    /// `replica_id`: -1 for a consumer.
    public var replicaId: Int32 = -1
    /// `max_wait_ms` and `min_bytes`: how long the broker may hold a fetch that has too little to return. kafkalab's
    /// consumers wait in `poll()` for an append instead, so brokers answer at once.
    public var maxWaitMs: Int32 = 500
    public var minBytes: Int32 = 1
    /// `max_bytes`: the consumer's `fetch.max.bytes`.
    public var maxBytes: Int32 = 52_428_800
    /// `isolation_level`: 0 read_uncommitted, 1 read_committed.
    public var isolationLevel: Int8 = 0
    /// `topics`, flattened to one entry per partition.
    public var partitions: [FetchPartition]
    /// kafkalab only: at most this many records in all. It stands in for the consumer's fetch buffer: a simulated
    /// consumer asks for what its `max.poll.records` still allows, so no fetched record waits for the next poll.
    public var maxRecords = Int.max
    /// Answer with the stored batches' bytes and the aborted transactions, as a broker sends them to a real client
    /// (whose consumer filters aborted records itself), instead of decoded records.
    public var returnsBatchBytes = false

    /// One partition to read, from `fetchOffset`.
    public struct FetchPartition: Sendable, Equatable {
        public var partition: TopicPartition
        /// `current_leader_epoch`: -1 when the consumer does not check it.
        public var currentLeaderEpoch: Int32 = -1
        public var fetchOffset: Int64
        /// `partition_max_bytes`: the consumer's `max.partition.fetch.bytes`.
        public var partitionMaxBytes: Int32 = 1_048_576

        public init(partition: TopicPartition, fetchOffset: Int64) {
            self.partition = partition
            self.fetchOffset = fetchOffset
        }
    }

    public init(partitions: [FetchPartition], maxRecords: Int = .max, isolationLevel: Int8 = 0) {
        self.partitions = partitions
        self.maxRecords = maxRecords
        self.isolationLevel = isolationLevel
    }

    public func handled(by apis: KafkaApis, context: RequestContext) -> FetchResponse {
        apis.handleFetchRequest(self, context: context)
    }
}

/// The answer per partition, in the request's order.
public struct FetchResponse: Sendable, Equatable {
    public struct PartitionData: Sendable, Equatable {
        public var partition: TopicPartition
        public var error: KafkaError?
        public var highWatermark: Int64 = -1
        /// `last_stable_offset`: below it every transaction is decided (the high watermark without open ones).
        public var lastStableOffset: Int64 = -1
        public var logStartOffset: Int64 = -1
        /// The records from `fetchOffset` on, below the high watermark (read_committed: below the last stable offset,
        /// without aborted transactions' records or control records).
        public var records: [Record] = []
        /// read_committed only: where the consumer goes on (past markers and aborted records it did not get). Kafka
        /// sends batches and aborted-transaction ranges and the consumer's `CompletedFetch` filters them; kafkalab
        /// filters at the broker with the same function.
        public var nextFetchOffset: Int64?
        /// With `returnsBatchBytes`: whole stored batches from the one holding `fetchOffset`, below the bound.
        public var batchBytes: [UInt8] = []
        /// With `returnsBatchBytes` and read_committed: the aborted transactions overlapping the batches.
        public var abortedTransactions: [AbortedTransaction]?
    }
    public var responses: [PartitionData]
}

extension KafkaApis {
    /// `KafkaApis.handleFetchRequest` → `ReplicaManager.fetchMessages` for a consumer: only the leader answers
    /// (`leaderLog`); an offset before the log start or past the log end is OFFSET_OUT_OF_RANGE; an offset at or above
    /// the high watermark reads nothing.
    func handleFetchRequest(_ request: FetchRequest, context: RequestContext) -> FetchResponse {
        var remaining = request.maxRecords
        var responses: [FetchResponse.PartitionData] = []
        responses.reserveCapacity(request.partitions.count)
        for fetch in request.partitions {
            var data = FetchResponse.PartitionData(partition: fetch.partition)
            do throws(KafkaError) {
                let log = try cluster.leaderLog(fetch.partition, at: brokerId)
                if let replica = cluster.replica(fetch.partition, on: brokerId),
                   let error = Self.leaderEpochError(fetch.currentLeaderEpoch, replica) {
                    throw error
                }
                data.highWatermark = log.highWatermark
                data.logStartOffset = log.logStartOffset
                guard fetch.fetchOffset >= log.logStartOffset, fetch.fetchOffset <= log.logEndOffset else {
                    throw .offsetOutOfRange("Received request for offset \(fetch.fetchOffset) for partition \(fetch.partition), but we only have log segments in the range \(log.logStartOffset) to \(log.logEndOffset).")
                }
                data.lastStableOffset = log.lastStableOffset
                if request.returnsBatchBytes {
                    let isolation: FetchIsolation = request.isolationLevel == 1 ? .txnCommitted : .highWatermark
                    do throws(LogError) {
                        (data.batchBytes, data.abortedTransactions) = try log.fetchBatchBytes(
                            from: fetch.fetchOffset, maxBytes: Int(max(fetch.partitionMaxBytes, 1)), isolation: isolation)
                    } catch {
                        throw KafkaError(error)
                    }
                    responses.append(data)
                    continue
                }
                if request.isolationLevel == 1, cluster.testOnlyPlantedBug != .readCommittedReadsToHighWatermark {
                    data.nextFetchOffset = fetch.fetchOffset
                    if fetch.fetchOffset < log.lastStableOffset, remaining > 0 {
                        do throws(LogError) {
                            let read = try log.read(from: fetch.fetchOffset, maxRecords: remaining, isolation: .txnCommitted)
                            data.records = read.records
                            data.nextFetchOffset = read.nextOffset
                        } catch {
                            throw KafkaError(error)
                        }
                        remaining -= data.records.count
                    }
                } else if fetch.fetchOffset < log.highWatermark, remaining > 0 {
                    do throws(LogError) {
                        data.records = try log.read(from: fetch.fetchOffset, maxRecords: remaining, endOffset: log.highWatermark)
                    } catch {
                        throw KafkaError(error)
                    }
                    remaining -= data.records.count
                }
            } catch {
                data.error = error
            }
            responses.append(data)
        }
        return FetchResponse(responses: responses)
    }
}
