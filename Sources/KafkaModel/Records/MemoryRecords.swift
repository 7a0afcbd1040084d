/// A real client's record batch as its request brought it, as Kafka's `MemoryRecords` wraps the request's buffer:
/// the leader's `LogValidator` stamps the base offset and leader epoch into those very bytes and the log appends
/// them, so a batch is not copied again between the request and the file.
///
/// The bytes go to the first append that takes them (`take`); the batch is empty after that. Used on the thread that
/// runs the cluster's simulation, as every request is (hence the unchecked `Sendable`).
public final class MemoryRecords: @unchecked Sendable {
    /// The batch's bytes, until an append takes them.
    public private(set) var bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The bytes, now the caller's alone (no other reference, so stamping them copies nothing); the batch keeps none.
    func take() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &bytes)
        return taken
    }
}
