/// The records a transaction coordinator writes to `__transaction_state` (Kafka's `TransactionLog`): key
/// `TransactionLogKey` v0 (the transactional id) and value `TransactionLogValue` — v1 (flexible) once the cluster runs
/// transaction version 1 or later, as a new 4.0 cluster does — both prefixed with their version.
public enum TransactionLogRecord {

    public static func key(transactionalId: String) -> [UInt8] {
        var out = ProtocolWriter()
        out.int16(0)
        out.string(transactionalId)
        return out.bytes
    }

    /// `TransactionLog.valueToBytes`: an Empty transaction has null partitions; partitions are grouped by topic.
    public static func value(_ transit: TxnTransitMetadata) -> [UInt8] {
        var out = ProtocolWriter()
        out.int16(1)
        out.int64(transit.producerId)
        out.int16(transit.producerEpoch)
        out.int32(Int32(clamping: transit.txnTimeoutMs))
        out.int8(transit.state.rawValue)
        if transit.state == .empty {
            out.compactArrayLength(nil)
        } else {
            var topics: [String] = []
            var partitions: [String: [Int32]] = [:]
            for tp in transit.topicPartitions {
                if partitions[tp.topic] == nil { topics.append(tp.topic) }
                partitions[tp.topic, default: []].append(Int32(tp.partition))
            }
            out.compactArrayLength(topics.count)
            for topic in topics {
                out.compactString(topic)
                out.compactArrayLength(partitions[topic]!.count)
                for p in partitions[topic]! { out.int32(p) }
                out.taggedFields([])
            }
        }
        out.int64(transit.txnLastUpdateTimestamp)
        out.int64(transit.txnStartTimestamp)
        // PreviousProducerId and NextProducerId (tags 0 and 1) are not written by 4.0's valueToBytes: they keep -1.
        // ClientTransactionVersion (tag 2) is written unless it is its default, 0 (a new id, an older client).
        if transit.clientTransactionVersion == .tv0 {
            out.taggedFields([])
        } else {
            var version = ProtocolWriter()
            version.int16(transit.clientTransactionVersion.rawValue)
            out.taggedFields([(tag: 2, bytes: version.bytes)])
        }
        return out.bytes
    }

    /// What a value says, as a coordinator reads it back when it loads its partition.
    public struct Value: Sendable, Equatable {
        public let producerId: Int64
        public let producerEpoch: Int16
        public let txnTimeoutMs: Int32
        public let state: TransactionState
        public let topicPartitions: [TopicPartition]
        public let lastUpdateTimestampMs: Int64
        public let startTimestampMs: Int64
        public let clientTransactionVersion: Int16
    }

    /// Decodes a key: the transactional id, or nil for another key version.
    public static func parseKey(_ bytes: [UInt8]) -> String? {
        var r = ProtocolReader(bytes)
        guard r.int16() == 0 else { return nil }
        return r.string()
    }

    /// Decodes a value of version 0 or 1; nil when malformed. Dead and PrepareEpochFence are never written (an expired
    /// id leaves a tombstone; a fence lives in memory only), so a value claiming one is unreadable too: the id is
    /// loaded as absent rather than in a state no request can start from.
    public static func parseValue(_ bytes: [UInt8]) -> Value? {
        var r = ProtocolReader(bytes)
        guard let version = r.int16(), version == 0 || version == 1,
              let producerId = r.int64(), let epoch = r.int16(), let timeout = r.int32(),
              let status = r.int8(), let state = TransactionState(rawValue: status),
              state != .dead, state != .prepareEpochFence else { return nil }
        var partitions: [TopicPartition] = []
        if version == 1 {
            guard let count = r.compactArrayLength() else { return nil }
            for _ in 0..<(count ?? 0) {
                guard let topic = r.compactString(), let n = r.compactArrayLength() else { return nil }
                for _ in 0..<(n ?? 0) {
                    guard let p = r.int32() else { return nil }
                    partitions.append(TopicPartition(topic, Int(p)))
                }
                guard r.taggedFields() != nil else { return nil }
            }
        } else {
            guard let count = r.int32() else { return nil }
            for _ in 0..<max(count, 0) {
                guard let topic = r.string(), let n = r.int32() else { return nil }
                for _ in 0..<max(n, 0) {
                    guard let p = r.int32() else { return nil }
                    partitions.append(TopicPartition(topic, Int(p)))
                }
            }
        }
        guard let updated = r.int64(), let started = r.int64() else { return nil }
        var clientVersion: Int16 = 0
        if version == 1 {
            guard let tags = r.taggedFields() else { return nil }
            if let bytes = tags[2] { var t = ProtocolReader(bytes); clientVersion = t.int16() ?? 0 }
        }
        return Value(producerId: producerId, producerEpoch: epoch, txnTimeoutMs: timeout, state: state, topicPartitions: partitions,
                     lastUpdateTimestampMs: updated, startTimestampMs: started, clientTransactionVersion: clientVersion)
    }
}
