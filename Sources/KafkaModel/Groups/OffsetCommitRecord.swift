/// The records the coordinator writes to `__consumer_offsets` for a commit: key `OffsetCommitKey`
/// (version 1: group, topic, partition) and value `OffsetCommitValue` (version 3: offset, leader epoch,
/// metadata, commit timestamp), in Kafka's binary schema.
public enum OffsetCommitRecord {
    /// The record key for (group, topic, partition).
    public static func key(group: String, partition tp: TopicPartition) -> [UInt8] {
        var out = ProtocolWriter()
        out.int16(1)
        out.string(group)
        out.string(tp.topic)
        out.int32(Int32(tp.partition))
        return out.bytes
    }

    /// The record value for a committed offset; `nil` (a tombstone) when offsets are deleted.
    public static func value(_ o: OffsetAndMetadata) -> [UInt8] {
        var out = ProtocolWriter()
        out.int16(3)
        out.int64(o.offset)
        out.int32(o.leaderEpoch ?? -1)
        out.string(o.metadata)
        out.int64(o.commitTimestampMs)
        return out.bytes
    }

    /// The record as Kafka 4.0's `OffsetsMessageFormatter` prints it (JSON key and value), or `nil`
    /// when the key is not an offset-commit key (group metadata records).
    public static func describe(key: [UInt8]?, value: [UInt8]?) -> String? {
        guard let key, let (version, group, tp) = parseKey(key) else { return nil }
        let keyText = #"{"type":\#(version),"data":{"group":"\#(group)","topic":"\#(tp.topic)","partition":\#(tp.partition)}}"#
        guard let value, let (vv, o) = parseValue(value) else { return #"{"key":\#(keyText),"value":null}"# }
        let valueText = #"{"version":\#(vv),"data":{"offset":\#(o.offset),"leaderEpoch":\#(o.leaderEpoch ?? -1),"metadata":"\#(o.metadata)","commitTimestamp":\#(o.commitTimestampMs)}}"#
        return #"{"key":\#(keyText),"value":\#(valueText)}"#
    }

    /// Decodes an offset-commit record as the coordinator does when it loads its partition:
    /// `nil` for other record types (group metadata), a `nil` offset for a tombstone.
    public static func parse(key: [UInt8]?, value: [UInt8]?) -> (group: String, partition: TopicPartition, offset: OffsetAndMetadata?)? {
        guard let key, let (_, group, tp) = parseKey(key) else { return nil }
        guard let value else { return (group, tp, nil) }
        guard let (_, offset) = parseValue(value) else { return nil }
        return (group, tp, offset)
    }

    /// An offset-commit key (versions 0 and 1); nil for other key types.
    private static func parseKey(_ bytes: [UInt8]) -> (version: Int16, group: String, partition: TopicPartition)? {
        var r = ProtocolReader(bytes)
        guard let version = r.int16(), version <= 1, let group = r.string(), let topic = r.string(), let partition = r.int32() else { return nil }
        return (version, group, TopicPartition(topic, Int(partition)))
    }

    /// An `OffsetCommitValue` (version 3's fields, which every version starts with).
    private static func parseValue(_ bytes: [UInt8]) -> (version: Int16, offset: OffsetAndMetadata)? {
        var r = ProtocolReader(bytes)
        guard let version = r.int16(), let offset = r.int64(), let epoch = r.int32(), let metadata = r.string(), let ts = r.int64() else { return nil }
        return (version, OffsetAndMetadata(offset: offset, leaderEpoch: epoch < 0 ? nil : epoch, metadata: metadata, commitTimestampMs: ts))
    }
}
