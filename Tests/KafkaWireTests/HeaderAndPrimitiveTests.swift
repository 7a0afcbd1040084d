import NIOCore
import Testing
@testable import KafkaWire

private func frameBytes(_ b: ByteBuffer) -> [UInt8] { Array(b.readableBytesView) }

@Test func apiVersionsResponseHeaderHasNoTagByte() {
    for version: Int16 in [0, 3, 4] {
        let frame = Wire.encodeResponseFrame(correlationId: 7, apiKey: 18, apiVersion: version, allocator: ByteBufferAllocator()) { b in
            b.writeInteger(0xEE as UInt8)
        }
        #expect(frameBytes(frame) == [0, 0, 0, 5, 0, 0, 0, 7, 0xEE], "v\(version)")
    }
}

@Test func flexibleResponseHeaderHasTagByte() throws {
    let flexible = Wire.encodeResponseFrame(correlationId: 0x01020304, apiKey: 3, apiVersion: 9, allocator: ByteBufferAllocator()) { b in
        b.writeInteger(0xEE as UInt8)
    }
    #expect(frameBytes(flexible) == [0, 0, 0, 6, 1, 2, 3, 4, 0, 0xEE])
    let classic = Wire.encodeResponseFrame(correlationId: 0x01020304, apiKey: 3, apiVersion: 8, allocator: ByteBufferAllocator()) { _ in }
    #expect(frameBytes(classic) == [0, 0, 0, 4, 1, 2, 3, 4])
    var b = ByteBuffer(bytes: [1, 2, 3, 4, 1, 5, 1, 0xAA, 0xEE])  // one unknown tag in the header
    #expect(try Wire.ResponseHeader.decode(from: &b, apiKey: 3, apiVersion: 12).correlationId == 0x01020304)
    #expect(b.readableBytesView.first == 0xEE)
}

@Test func requestHeaderV2KeepsAClassicClientId() throws {
    let header = Wire.RequestHeader(apiKey: 3, apiVersion: 12, correlationId: 9, clientId: "rdkafka")
    let frame = Wire.encodeRequestFrame(header: header, allocator: ByteBufferAllocator()) { b in
        Wire.MetadataRequest.sample(version: 12).encode(into: &b, version: 12)
    }
    var b = frame
    let length = try b.readKafkaInt32()
    #expect(Int(length) == b.readableBytes)
    let start: [UInt8] = [0, 3, 0, 12, 0, 0, 0, 9, 0, 7] + Array("rdkafka".utf8) + [0]
    #expect(Array(b.readableBytesView.prefix(start.count)) == start)
    #expect(try Wire.RequestHeader.decode(from: &b) == header)
    #expect(try Wire.MetadataRequest(from: &b, version: 12) == .sample(version: 12))
    #expect(b.readableBytes == 0)
}

@Test func requestHeaderV1AndNullClientId() throws {
    let header = Wire.RequestHeader(apiKey: 3, apiVersion: 8, correlationId: -1, clientId: nil)
    var b = ByteBuffer()
    header.encode(into: &b)
    #expect(frameBytes(b) == [0, 3, 0, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    #expect(try Wire.RequestHeader.decode(from: &b) == header)
}

@Test func requestHeaderSkipsUnknownTaggedFields() throws {
    // ApiVersions v3, client id "c", tags: 1 field, tag 5, 2 bytes; then the body's first byte.
    var b = ByteBuffer(bytes: [0, 18, 0, 3, 0, 0, 0, 1, 0, 1, 0x63, 1, 5, 2, 0xAA, 0xBB, 0x42])
    let header = try Wire.RequestHeader.decode(from: &b)
    #expect(header == Wire.RequestHeader(apiKey: 18, apiVersion: 3, correlationId: 1, clientId: "c"))
    #expect(frameBytes(b) == [0x42])
}

@Test func requestHeaderOfUnknownApiLeavesTheBody() throws {
    var b = ByteBuffer(bytes: [0x03, 0xE7, 0, 9, 0, 0, 0, 1, 0xFF, 0xFF, 0x00, 0x42])
    let header = try Wire.RequestHeader.decode(from: &b)
    #expect(header.apiKey == 999 && header.apiVersion == 9 && header.clientId == nil)
    #expect(frameBytes(b) == [0x00, 0x42])
    // An ApiVersions request past the generated versions is still read as header v2 (flexible from v3 on).
    var newer = ByteBuffer(bytes: [0, 18, 0, 9, 0, 0, 0, 1, 0, 0, 0, 0x42])
    #expect(try Wire.RequestHeader.decode(from: &newer).apiVersion == 9)
    #expect(frameBytes(newer) == [0x42])
}

@Test func truncatedHeadersThrow() {
    let full: [UInt8] = [0, 18, 0, 3, 0, 0, 0, 1, 0, 1, 0x63, 0]
    for cut in 0..<full.count {
        var b = ByteBuffer(bytes: full[0..<cut])
        #expect(throws: Wire.DecodingError.truncated) { try Wire.RequestHeader.decode(from: &b) }
    }
}

@Test func varints() throws {
    var b = ByteBuffer()
    b.writeUnsignedVarint(300)
    #expect(frameBytes(b) == [0xAC, 0x02])
    #expect(try b.readUnsignedVarint() == 300)
    let ints: [Int32] = [0, -1, 1, 63, -64, 64, Int32.max, Int32.min]
    for v in ints {
        b.writeVarint(v)
        #expect(try b.readVarint() == v)
    }
    let longs: [Int64] = [0, -1, 1, Int64.max, Int64.min, 1 << 40]
    for v in longs {
        b.writeVarlong(v)
        #expect(try b.readVarlong() == v)
    }
    b.writeVarint(-1)
    #expect(frameBytes(b) == [0x01])  // zigzag
    b.clear()
    b.writeUnsignedVarint(UInt32.max)
    #expect(frameBytes(b) == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
    #expect(ByteBuffer.unsignedVarintSize(UInt32.max) == 5 && ByteBuffer.unsignedVarintSize(127) == 1)
    #expect(try b.readUnsignedVarint() == UInt32.max)
    var long = ByteBuffer(bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
    #expect(throws: Wire.DecodingError.varintTooLong) { try long.readUnsignedVarint() }
    var longer = ByteBuffer(bytes: Array(repeating: 0xFF, count: 10) + [0x01])
    #expect(throws: Wire.DecodingError.varintTooLong) { try longer.readUnsignedVarlong() }
    var cut = ByteBuffer(bytes: [0x80])
    #expect(throws: Wire.DecodingError.truncated) { try cut.readUnsignedVarint() }
}

@Test func strings() throws {
    var b = ByteBuffer()
    b.writeKafkaString("h\u{e9}", compact: false)
    b.writeKafkaString("h\u{e9}", compact: true)
    b.writeKafkaNullableString(nil, compact: false)
    b.writeKafkaNullableString(nil, compact: true)
    b.writeKafkaNullableString(nil, compact: true, nullable: false)
    #expect(frameBytes(b) == [0, 3, 0x68, 0xC3, 0xA9, 4, 0x68, 0xC3, 0xA9, 0xFF, 0xFF, 0, 1])
    #expect(try b.readKafkaString(compact: false) == "h\u{e9}")
    #expect(try b.readKafkaNullableString(compact: true) == "h\u{e9}")
    #expect(try b.readKafkaNullableString(compact: false) == nil)
    #expect(throws: Wire.DecodingError.negativeLength(-1)) { try b.readKafkaString(compact: true) }
    #expect(try b.readKafkaString(compact: true) == "")
    var bad = ByteBuffer(bytes: [0, 2, 0xC3, 0x28])
    #expect(throws: Wire.DecodingError.invalidUTF8) { try bad.readKafkaString(compact: false) }
    var bad4 = ByteBuffer(bytes: [0, 3, 0xF0, 0x9F, 0x98])  // a cut 4-byte sequence: repaired to 3 bytes too
    #expect(throws: Wire.DecodingError.invalidUTF8) { try bad4.readKafkaString(compact: false) }
}

@Test func uuidText() {
    #expect(Wire.Uuid.zero.description == "AAAAAAAAAAAAAAAAAAAAAA")
    let id = Wire.Uuid(mostSignificantBits: 0xFFFF_FFFF_FFFF_FFFF, leastSignificantBits: 1)
    #expect(id.description == "__________8AAAAAAAAAAQ")
}

@Test func recordsAreSlicesOfTheFrame() throws {
    var request = Wire.ProduceRequest.sample(version: 9)
    var bytes = ByteBuffer()
    request.encode(into: &bytes, version: 9)
    request = try Wire.ProduceRequest(from: &bytes, version: 9)
    let records = try #require(request.topicData[0].partitionData[0].records)
    #expect(records.readableBytes == 4)
    // A slice shares the frame's storage: its bytes are where the frame's are.
    let inFrame = bytes.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
    let inRecords = records.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
    #expect(inRecords < inFrame && inFrame - inRecords < 4096)
}

@Test func consumerProtocolVersionPrefix() throws {
    let subscription = Wire.ConsumerProtocolSubscription.sample(version: 3)
    let bytes = subscription.encodeVersioned(version: 3)
    #expect(bytes.prefix(2) == [0, 3])
    let decoded = try Wire.ConsumerProtocolSubscription.decodeVersioned(bytes)
    #expect(decoded.version == 3 && decoded.subscription == subscription)
    // A newer version is read as the newest known; a trailing field it adds is left alone.
    let newer = [0, 9] + Array(bytes.dropFirst(2)) + [0xAB]
    #expect(try Wire.ConsumerProtocolSubscription.decodeVersioned(newer).subscription == subscription)
    #expect(throws: Wire.DecodingError.unsupportedVersion(apiKey: -1, version: -1)) {
        try Wire.ConsumerProtocolAssignment.decodeVersioned([0xFF, 0xFF])
    }
    let assignment = Wire.ConsumerProtocolAssignment.sample(version: 0)
    #expect(try Wire.ConsumerProtocolAssignment.decodeVersioned(assignment.encodeVersioned(version: 0)).assignment == assignment)
}

/// Whole frames from kafka-python: v1 and v2 request headers, v0 and v1 response headers, ApiVersions' v0 always.
@Test func goldenWholeFrames() {
    for (type, version, hex) in goldenFrames {
        let problem = checkGoldenFrame(type, version: version, golden: bytes(hex: hex))
        #expect(problem == nil, "\(type) v\(version): \(problem ?? "")")
    }
}
