/// How far a fetch may read (Kafka's `FetchIsolation`): followers to the log end, read_uncommitted consumers to the
/// high watermark, read_committed consumers to the last stable offset.
public enum FetchIsolation: Sendable, Hashable {
    case logEnd, highWatermark, txnCommitted

    /// The isolation a consumer's `isolation.level` asks for (`read_committed` or `read_uncommitted`).
    public init(isolationLevel: String) {
        self = isolationLevel == "read_committed" ? .txnCommitted : .highWatermark
    }
}

/// What a fetch of whole batches returns (Kafka's `FetchDataInfo` with the partition's offsets): the batches, and for
/// read_committed the aborted transactions overlapping them, which the consumer needs to drop their records.
public struct FetchDataInfo: Sendable, Equatable {
    /// Whole batches in log order, the first one holding the fetch offset or the next offset after it.
    public var batches: [RecordBatch]
    /// `(producerId, firstOffset)` of each aborted transaction overlapping the fetched range; nil unless the fetch
    /// was `.txnCommitted` (then possibly empty).
    public var abortedTransactions: [AbortedTransaction]?
    public var highWatermark: Int64
    public var lastStableOffset: Int64
    public var logStartOffset: Int64
}
