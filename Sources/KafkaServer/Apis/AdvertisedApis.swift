import KafkaWire
import NIOCore

extension WireRequestHandler {
    /// The versions each broker advertises in ApiVersions: where kafkalab implements the semantics. Produce is
    /// advertised from v0 although v0–2 are refused, as Kafka 4.0 does, because librdkafka before 2.8 checks
    /// compression support against Produce v0 (KAFKA-18659). The transactional APIs stop before transaction version 2
    /// (no AddPartitionsToTxn v4+, which is broker to broker; no EndTxn or TxnOffsetCommit v5; no Produce v12), and
    /// ApiVersions finalizes no `transaction.version`, so every client runs transactions as version 1: it adds its
    /// partitions with AddPartitionsToTxn and keeps its epoch (a 4.0 Java client would otherwise switch to version 2).
    static let advertisedVersions: [Int16: ClosedRange<Int16>] = [
        0: 0...11,   // Produce
        1: 4...12,   // Fetch
        2: 1...7,    // ListOffsets
        3: 0...12,   // Metadata
        8: 2...9,    // OffsetCommit
        9: 1...9,    // OffsetFetch
        10: 0...6,   // FindCoordinator
        11: 0...9,   // JoinGroup
        12: 0...4,   // Heartbeat
        13: 0...5,   // LeaveGroup
        14: 0...5,   // SyncGroup
        15: 0...5,   // DescribeGroups
        16: 0...5,   // ListGroups
        18: 0...4,   // ApiVersions
        19: 2...7,   // CreateTopics
        20: 1...6,   // DeleteTopics
        22: 0...5,   // InitProducerId
        23: 2...4,   // OffsetForLeaderEpoch
        24: 0...3,   // AddPartitionsToTxn (the client form)
        25: 0...4,   // AddOffsetsToTxn
        26: 0...4,   // EndTxn
        28: 0...4,   // TxnOffsetCommit
        32: 1...4,   // DescribeConfigs
        60: 0...1,   // DescribeCluster
    ]

    /// ApiVersions. A version this broker does not know is answered with a v0 body and UNSUPPORTED_VERSION (35)
    /// listing every API, so the client can retry with one it shares (KIP-511).
    func apiVersionsResponse(_ header: Wire.RequestHeader, body: inout ByteBuffer) -> ByteBuffer {
        var response = Wire.ApiVersionsResponse()
        response.apiKeys = Self.advertisedVersions.keys.sorted().map { key in
            var entry = Wire.ApiVersionsResponse.ApiVersion()
            entry.apiKey = key
            entry.minVersion = Self.advertisedVersions[key]!.lowerBound
            entry.maxVersion = Self.advertisedVersions[key]!.upperBound
            return entry
        }
        var version = header.apiVersion
        if !Wire.ApiVersionsResponse.versions.contains(version) {
            response.errorCode = 35
            version = 0
        } else {
            // The body (client software name and version) is read only to be sure it is well formed.
            _ = try? Wire.ApiVersionsRequest(from: &body, version: version)
        }
        return Wire.encodeResponseFrame(correlationId: header.correlationId, apiKey: header.apiKey, apiVersion: version,
                                        allocator: allocator) { response.encode(into: &$0, version: version) }
    }
}
