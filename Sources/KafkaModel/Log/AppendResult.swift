/// What `UnifiedLog.append` did (Kafka's `LogAppendInfo`, reduced).
public struct AppendResult: Sendable, Hashable {
    /// Offset of the first appended record.
    public var firstOffset: Int64
    /// Offset of the last appended record.
    public var lastOffset: Int64
    /// The broker time stamped on the batch under LogAppendTime, else −1 (`RecordBatch.NO_TIMESTAMP`).
    public var logAppendTime: Int64
    /// The batch's max timestamp as stored.
    public var maxTimestamp: Int64
    /// The log start offset after the append.
    public var logStartOffset: Int64
    /// Records in the batch.
    public var recordCount: Int
    /// Bytes of the stored batch.
    public var sizeInBytes: Int
    /// Events in order (a roll, if any, precedes `recordsAppended`).
    public var events: [LogEvent]
}
