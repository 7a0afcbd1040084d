import NIOCore
import Testing
@testable import KafkaWire

/// Each golden body (kafka-python's encoding of a sample) decodes to the sample and re-encodes byte for byte.
@Test(arguments: goldenBodies.indices)
func goldenBody(_ index: Int) {
    let (type, version, flip, hex) = goldenBodies[index]
    let problem = checkGolden(type, version: version, flip: flip, golden: bytes(hex: hex))
    #expect(problem == nil, "\(type) v\(version)\(flip ? " flipped" : ""): \(problem ?? "")")
}

@Test func goldensCoverEveryMessageAtItsLowestAndHighestVersion() {
    for type in allMessageTypes {
        let versions = Set(goldenBodies.filter { $0.type == type }.map(\.version))
        #expect(versions.contains(type.versions.lowerBound) && versions.contains(type.versions.upperBound), "\(type)")
    }
}

@Test(arguments: allMessageTypes.indices)
func roundTripEveryVersion(_ index: Int) {
    let problems = checkRoundTrips(allMessageTypes[index])
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
}

/// A few decoded values, spelled out.
@Test func spotChecks() throws {
    func golden<M: SampledMessage>(_ type: M.Type, _ version: Int16) throws -> M {
        let hex = try #require(goldenBodies.first { $0.type == type && $0.version == version && !$0.flip }?.hex)
        return try decoded(M.self, bytes(hex: hex), version: version)
    }
    let metadata = try golden(Wire.MetadataResponse.self, 12)
    #expect(metadata.brokers.count == 2)
    #expect(metadata.brokers[1].host == "host-\u{fc}1")
    #expect(metadata.topics[0].partitions.count == 1)
    #expect(metadata.topics[0].topicId != .zero)
    #expect(metadata.topics[0].partitions[0].isrNodes.count == 3)

    let apiVersions = try golden(Wire.ApiVersionsResponse.self, 4)
    #expect(apiVersions.apiKeys.count == 2)
    #expect(apiVersions.supportedFeatures.count == 2)  // tagged fields 0, 1, 2 and 3
    #expect(apiVersions.finalizedFeaturesEpoch != -1)
    #expect(apiVersions.zkMigrationReady)
    let apiVersions0 = try golden(Wire.ApiVersionsResponse.self, 0)
    #expect(apiVersions0.supportedFeatures.isEmpty && apiVersions0.throttleTimeMs == 0)

    let fetch = try golden(Wire.FetchResponse.self, 12)
    let partition = fetch.responses[0].partitions[0]
    #expect(partition.currentLeader != Wire.FetchResponse.FetchableTopicResponse.PartitionData.LeaderIdAndEpoch())
    #expect(partition.snapshotId.epoch != -1 && partition.divergingEpoch.endOffset != -1)

    let produce = try golden(Wire.ProduceRequest.self, 3)
    #expect(produce.topicData.count == 2)
    #expect(produce.topicData[0].partitionData[0].records?.readableBytes == 4)

    let txn = try golden(Wire.AddPartitionsToTxnRequest.self, 3)
    #expect(txn.v3AndBelowTopics[1].partitions.count == 3)
}

@Test func staticDescriptions() {
    #expect(Wire.MetadataResponse.apiKey == 3 && Wire.MetadataRequest.apiKey == 3)
    #expect(Wire.MetadataRequest.versions == 0...12)
    #expect(Wire.MetadataRequest.firstFlexibleVersion == 9)
    #expect(Wire.ConsumerProtocolSubscription.firstFlexibleVersion == nil)
    #expect(Wire.DescribeClusterRequest.firstFlexibleVersion == 0)
    #expect(Wire.generatedVersions.count == 24)
    #expect(Wire.generatedVersions[1] == 4...12)
    #expect(Wire.apiName(3) == "Metadata" && Wire.apiName(999) == nil)
    #expect(Wire.isFlexible(apiKey: 3, version: 9) && !Wire.isFlexible(apiKey: 3, version: 8))
    #expect(Wire.isFlexible(apiKey: 18, version: 7))  // past the generated range: by the schema's flexibleVersions
    #expect(!Wire.isFlexible(apiKey: 999, version: 50))
    #expect(Wire.DecodingError.unsupportedVersion(apiKey: 3, version: 99).description == "unsupported version 99 of Metadata")
}

@Test func unsupportedVersionThrows() {
    var b = ByteBuffer(bytes: [0, 0, 0, 0])
    #expect(throws: Wire.DecodingError.unsupportedVersion(apiKey: 3, version: 13)) {
        try Wire.MetadataRequest(from: &b, version: 13)
    }
}

/// A null where the version can't have one: encoded empty; a -1 length where the version can't have null throws.
@Test func nullabilityByVersion() throws {
    var request = Wire.MetadataRequest()
    request.topics = nil
    #expect(encoded(request, version: 0) == [0, 0, 0, 0])
    #expect(encoded(request, version: 1) == [0xFF, 0xFF, 0xFF, 0xFF])
    #expect(throws: Wire.DecodingError.negativeLength(-1)) { try decoded(Wire.MetadataRequest.self, [0xFF, 0xFF, 0xFF, 0xFF], version: 0) }
    #expect(try decoded(Wire.MetadataRequest.self, [0xFF, 0xFF, 0xFF, 0xFF], version: 1).topics == nil)
    // A compact null (0) in a flexible version, where it is allowed.
    #expect(try decoded(Wire.MetadataRequest.self, [0, 0, 0, 0, 0], version: 10).topics == nil)
}

/// Unknown tags are skipped, known ones land in their fields, whatever their order on the wire.
@Test func unknownTaggedFieldsAreSkipped() throws {
    let sample = Wire.MetadataRequest.sample(version: 12)
    var body = encoded(sample, version: 12)
    #expect(body.last == 0)
    body.removeLast()
    body += [2, 0x63, 3, 1, 2, 3, 0x80, 0x01, 0]  // tag 99 (3 bytes), tag 128 (empty)
    #expect(try decoded(Wire.MetadataRequest.self, body, version: 12) == sample)

    var response = Wire.ApiVersionsResponse()
    response.zkMigrationReady = true
    var bytes = encoded(response, version: 3)
    // error code, empty compact array, throttle time, then 1 tag: tag 3, size 1, true.
    #expect(bytes == [0, 0, 1, 0, 0, 0, 0, 1, 3, 1, 1])
    bytes = [0, 0, 1, 0, 0, 0, 0, 2, 7, 2, 0xAA, 0xBB, 3, 1, 1]
    #expect(try decoded(Wire.ApiVersionsResponse.self, bytes, version: 3) == response)
}

/// A tagged value longer than 127 bytes gets a multi-byte size.
@Test func longTaggedField() throws {
    var response = Wire.ApiVersionsResponse()
    response.supportedFeatures = (0..<20).map { i in
        var f = Wire.ApiVersionsResponse.SupportedFeatureKey()
        f.name = "feature-\(i)"
        f.maxVersion = Int16(i)
        return f
    }
    let bytes = encoded(response, version: 3)
    #expect(try decoded(Wire.ApiVersionsResponse.self, bytes, version: 3) == response)
}

/// Every strict prefix of every golden body throws.
@Test(arguments: goldenBodies.indices)
func truncatedBodiesThrow(_ index: Int) {
    let (type, version, _, hex) = goldenBodies[index]
    let bad = prefixesThatDecode(type, version: version, golden: bytes(hex: hex))
    #expect(bad.isEmpty, "\(type) v\(version) decoded prefixes of length \(bad)")
}

/// Random bytes and mutated goldens into every request decoder (and the data types): never a trap or a hang.
@Test(arguments: allMessageTypes.indices)
func hostileBytes(_ index: Int) {
    let type = allMessageTypes[index]
    let seeds = goldenBodies.filter { $0.type == type }.map { bytes(hex: $0.hex) }
    let iterations = String(describing: type).hasSuffix("Response") ? 2_000 : 20_000
    _ = fuzz(type, seeds: seeds, iterations: iterations, seed: UInt64(index) &+ 42)
}

/// Huge lengths with few bytes behind them are refused before anything is allocated.
@Test func hugeLengths() {
    // A classic array of Int32.max topics.
    #expect(throws: Wire.DecodingError.truncated) { try decoded(Wire.MetadataRequest.self, [0x7F, 0xFF, 0xFF, 0xFF, 0], version: 1) }
    // A compact array whose length varint is 5 bytes of 0xFF...
    #expect(throws: Wire.DecodingError.varintTooLong) { try decoded(Wire.MetadataRequest.self, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], version: 9) }
    #expect(throws: Wire.DecodingError.tooLarge) { try decoded(Wire.MetadataRequest.self, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], version: 9) }
    // A classic string of 32767 bytes, 3 there.
    #expect(throws: Wire.DecodingError.truncated) { try decoded(Wire.FindCoordinatorRequest.self, [0x7F, 0xFF, 0x61, 0x62, 0x63], version: 0) }
    // Negative lengths other than -1.
    #expect(throws: Wire.DecodingError.negativeLength(-2)) { try decoded(Wire.FindCoordinatorRequest.self, [0xFF, 0xFE], version: 0) }
    #expect(throws: Wire.DecodingError.negativeLength(-5)) { try decoded(Wire.MetadataRequest.self, [0xFF, 0xFF, 0xFF, 0xFB], version: 1) }
    // A tag count of 2^32-1 with nothing behind it.
    var body = encoded(Wire.HeartbeatRequest(), version: 4)
    body.removeLast()
    body += [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
    #expect(throws: Wire.DecodingError.truncated) { try decoded(Wire.HeartbeatRequest.self, body, version: 4) }
}
