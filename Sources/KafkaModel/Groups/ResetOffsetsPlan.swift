/// The planned new offsets and the warnings Kafka would print while computing them.
public struct ResetOffsetsPlan: Sendable, Equatable {
    /// New offset per partition, sorted by (topic, partition). (Kafka prints them in `HashMap` order.)
    public var offsets: [(TopicPartition, Int64)]
    /// Warnings in partition order.
    public var warnings: [ResetOffsetsWarning]

    public static func == (a: ResetOffsetsPlan, b: ResetOffsetsPlan) -> Bool {
        a.warnings == b.warnings && a.offsets.map(\.0) == b.offsets.map(\.0) && a.offsets.map(\.1) == b.offsets.map(\.1)
    }

    /// The new offset for `tp`, if planned.
    public subscript(tp: TopicPartition) -> Int64? { offsets.first { $0.0 == tp }?.1 }
}
