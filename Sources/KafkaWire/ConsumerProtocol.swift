import NIOCore

// The consumer protocol's subscription (JoinGroup metadata) and assignment (SyncGroup assignment) travel as bytes
// inside group messages: an int16 version, then the data. As Kafka's ConsumerProtocol, a version past the newest
// known one is read as the newest (later versions only add fields at the end).

extension Wire.ConsumerProtocolSubscription {
    /// Reads `[int16 version][subscription]`, e.g. a JoinGroup protocol's metadata.
    public static func decodeVersioned(_ bytes: [UInt8]) throws(Wire.DecodingError) -> (version: Int16, subscription: Self) {
        let (version, value) = try decodeVersionPrefixed(Self.self, bytes)
        return (version, value)
    }

    /// `[int16 version][subscription]`.
    public func encodeVersioned(version: Int16) -> [UInt8] {
        encodeVersionPrefixed(self, version: version)
    }
}

extension Wire.ConsumerProtocolAssignment {
    /// Reads `[int16 version][assignment]`, e.g. a SyncGroup member's assignment (empty bytes: no assignment).
    public static func decodeVersioned(_ bytes: [UInt8]) throws(Wire.DecodingError) -> (version: Int16, assignment: Self) {
        let (version, value) = try decodeVersionPrefixed(Self.self, bytes)
        return (version, value)
    }

    /// `[int16 version][assignment]`.
    public func encodeVersioned(version: Int16) -> [UInt8] {
        encodeVersionPrefixed(self, version: version)
    }
}

private func decodeVersionPrefixed<M: Wire.Message>(_ type: M.Type, _ bytes: [UInt8]) throws(Wire.DecodingError) -> (Int16, M) {
    var buffer = ByteBuffer(bytes: bytes)
    let version = try buffer.readKafkaInt16()
    if version < M.versions.lowerBound { throw .unsupportedVersion(apiKey: M.apiKey, version: version) }
    return (version, try M(from: &buffer, version: min(version, M.versions.upperBound)))
}

private func encodeVersionPrefixed<M: Wire.Message>(_ message: M, version: Int16) -> [UInt8] {
    var buffer = ByteBuffer()
    buffer.writeInteger(version)
    message.encode(into: &buffer, version: version)
    return Array(buffer.readableBytesView)
}
