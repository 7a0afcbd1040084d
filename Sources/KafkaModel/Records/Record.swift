/// One record as a consumer sees it (Kafka's `Record`/`DefaultRecord`): absolute offset and timestamp,
/// optional key and value bytes, headers.
///
/// A record with a key and a `nil` value is a tombstone (compaction deletes its key).
public struct Record: Hashable, Sendable {
    /// The record's offset in its partition (assigned by the log on append).
    public var offset: Int64
    /// Milliseconds since the Unix epoch (CreateTime, or the batch's LogAppendTime).
    public var timestamp: Int64
    /// Serialized key; `nil` for a null key.
    public var key: [UInt8]?
    /// Serialized value; `nil` for a null value (tombstone).
    public var value: [UInt8]?
    /// Headers in order.
    public var headers: [RecordHeader]

    public init(offset: Int64 = 0, timestamp: Int64, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []) {
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// Convenience: UTF-8 strings for key and value.
    public init(offset: Int64 = 0, timestamp: Int64, key: String?, value: String?, headers: [RecordHeader] = []) {
        self.init(offset: offset, timestamp: timestamp, key: key.map { Array($0.utf8) },
                  value: value.map { Array($0.utf8) }, headers: headers)
    }

    /// True when the record has a key and a null value.
    public var isTombstone: Bool { key != nil && value == nil }

    /// Bytes of the record body after its length varint (`DefaultRecord.sizeInBytes` minus the length field).
    @inline(__always)
    static func bodySize(offsetDelta: Int32, timestampDelta: Int64, key: [UInt8]?, value: [UInt8]?,
                         headers: [RecordHeader]) -> Int {
        var size = 1 + Varint.sizeOfVarlong(timestampDelta) + Varint.sizeOfVarint(offsetDelta)
        if let key { size += Varint.sizeOfVarint(Int32(key.count)) + key.count } else { size += 1 }
        if let value { size += Varint.sizeOfVarint(Int32(value.count)) + value.count } else { size += 1 }
        size += Varint.sizeOfVarint(Int32(headers.count))
        for header in headers {
            let keyLength = header.key.utf8.count
            size += Varint.sizeOfVarint(Int32(keyLength)) + keyLength
            if let v = header.value { size += Varint.sizeOfVarint(Int32(v.count)) + v.count } else { size += 1 }
        }
        return size
    }

    /// Bytes this record takes inside a v2 batch at the given deltas, length field included
    /// (Kafka's `DefaultRecord.sizeInBytes`). The accumulator uses it for batch-size accounting.
    public static func sizeInBytes(offsetDelta: Int32, timestampDelta: Int64, key: [UInt8]?, value: [UInt8]?,
                                   headers: [RecordHeader] = []) -> Int {
        let body = bodySize(offsetDelta: offsetDelta, timestampDelta: timestampDelta, key: key, value: value, headers: headers)
        return Varint.sizeOfVarint(Int32(body)) + body
    }
}
