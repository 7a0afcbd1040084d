/// A transaction COMMIT/ABORT marker (Kafka's `EndTransactionMarker`): the single record of a control batch
/// with key `version 0, type` and value `version:int16 (0), coordinatorEpoch:int32`.
public struct EndTransactionMarker: Hashable, Sendable {
    /// `.commit` or `.abort`.
    public var controlType: ControlRecordType
    /// The transaction coordinator's epoch.
    public var coordinatorEpoch: Int32

    public init(controlType: ControlRecordType, coordinatorEpoch: Int32) {
        precondition(controlType == .commit || controlType == .abort, "an end-transaction marker is COMMIT or ABORT")
        self.controlType = controlType
        self.coordinatorEpoch = coordinatorEpoch
    }

    /// The marker's record value.
    public var value: [UInt8] {
        var out: [UInt8] = [0, 0]
        out.appendBigEndian(UInt32(bitPattern: coordinatorEpoch))
        return out
    }

    /// Reads a marker from a control record, or `nil` if it is not a well-formed COMMIT/ABORT marker.
    public init?(record: Record) {
        guard let id = ControlRecordType.typeId(ofKey: record.key), let type = ControlRecordType(rawValue: id),
              type == .commit || type == .abort, let value = record.value, value.count >= 6 else { return nil }
        let epoch = UInt32(value[2]) << 24 | UInt32(value[3]) << 16 | UInt32(value[4]) << 8 | UInt32(value[5])
        self.init(controlType: type, coordinatorEpoch: Int32(bitPattern: epoch))
    }

    /// A control batch holding this marker at `offset`, as `MemoryRecords.withEndTransactionMarker` builds it
    /// (transactional + control attributes, one record).
    public func batch(offset: Int64, timestamp: Int64, producerId: Int64, producerEpoch: Int16,
                      partitionLeaderEpoch: Int32) -> RecordBatch {
        let record = Record(offset: offset, timestamp: timestamp, key: controlType.key, value: value)
        return RecordBatch(baseOffset: offset, records: [record], producerId: producerId, producerEpoch: producerEpoch,
                           baseSequence: -1, isTransactional: true, isControl: true,
                           partitionLeaderEpoch: partitionLeaderEpoch)
    }
}
