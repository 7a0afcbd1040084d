/// One record header: a UTF-8 key and an optional byte value (Kafka's `RecordHeader`).
public struct RecordHeader: Hashable, Sendable {
    /// The header's key (written as UTF-8).
    public var key: String
    /// The header's value; `nil` is written as length −1.
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
