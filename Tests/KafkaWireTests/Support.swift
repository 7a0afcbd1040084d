import NIOCore
@testable import KafkaWire

/// A generated message with a deterministic, fully populated sample per version (GeneratedSamples.swift).
protocol SampledMessage: Wire.Message {
    /// `flip`: the nullable fields that are null in the plain sample have values, and the others are null.
    static func sample(version: Int16, flip: Bool) -> Self
}

extension SampledMessage {
    static func sample(version: Int16) -> Self { sample(version: version, flip: false) }
}

/// SplitMix64: a small seeded generator, so the random inputs are the same at every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(hex.utf8.count / 2)
    var high: UInt8? = nil
    for c in hex.utf8 {
        let v: UInt8 = c <= 57 ? c - 48 : c - 87
        if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
    }
    return out
}

func buffer(_ bytes: [UInt8]) -> ByteBuffer {
    ByteBuffer(bytes: bytes)
}

func encoded<M: Wire.Message>(_ message: M, version: Int16) -> [UInt8] {
    var b = ByteBuffer()
    message.encode(into: &b, version: version)
    return Array(b.readableBytesView)
}

/// Decodes `bytes` as an `M` at `version`, requiring every byte to be used.
func decoded<M: Wire.Message>(_ type: M.Type, _ bytes: [UInt8], version: Int16) throws -> M {
    var b = ByteBuffer(bytes: bytes)
    let m = try M(from: &b, version: version)
    if b.readableBytes != 0 { throw LeftOver(count: b.readableBytes) }
    return m
}

struct LeftOver: Error { let count: Int }

/// What one message type does with its golden body at a version: nil when all is well, else what went wrong.
func checkGolden<M: SampledMessage>(_ type: M.Type, version: Int16, flip: Bool, golden: [UInt8]) -> String? {
    let sample = M.sample(version: version, flip: flip)
    let mine = encoded(sample, version: version)
    if mine != golden { return "encoding the sample differs from kafka-python's bytes" }
    do {
        let m = try decoded(M.self, golden, version: version)
        if m != sample { return "decoding the golden doesn't give the sample" }
        if encoded(m, version: version) != golden { return "re-encoding the decoded golden differs" }
    } catch {
        return "decoding the golden threw \(error)"
    }
    return nil
}

/// Round trips of the default and the sample instance at every version: nil when all is well.
func checkRoundTrips<M: SampledMessage>(_ type: M.Type) -> [String] {
    var problems: [String] = []
    for version in M.versions {
        for (what, message) in [("default", M()), ("sample", M.sample(version: version)), ("flipped", M.sample(version: version, flip: true))] {
            let bytes = encoded(message, version: version)
            do {
                let back = try decoded(M.self, bytes, version: version)
                if back != message { problems.append("\(M.self) v\(version) \(what): decoded value differs") }
                if encoded(back, version: version) != bytes { problems.append("\(M.self) v\(version) \(what): re-encoded bytes differ") }
            } catch {
                problems.append("\(M.self) v\(version) \(what): \(error)")
            }
        }
    }
    return problems
}

/// Every strict prefix of `golden` must fail to decode (and not trap): the cut lengths that decoded anyway.
func prefixesThatDecode<M: Wire.Message>(_ type: M.Type, version: Int16, golden: [UInt8]) -> [Int] {
    var bad: [Int] = []
    for cut in 0..<golden.count {
        var b = ByteBuffer(bytes: golden[0..<cut])
        if (try? M(from: &b, version: version)) != nil { bad.append(cut) }
    }
    return bad
}

/// Feeds random and mutated bytes to `M`'s decoder: it must throw or decode, and whatever decodes must encode.
func fuzz<M: Wire.Message>(_ type: M.Type, seeds: [[UInt8]], iterations: Int, seed: UInt64) -> Int {
    var rng = SeededGenerator(seed: seed)
    var decodedCount = 0
    for i in 0..<iterations {
        var input: [UInt8]
        if i % 2 == 0 || seeds.isEmpty {
            input = (0..<Int.random(in: 0...48, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        } else {
            input = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
            for _ in 0...Int.random(in: 0...3, using: &rng) where !input.isEmpty {
                input[Int.random(in: 0..<input.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        }
        let version = Int16.random(in: M.versions, using: &rng)
        var b = ByteBuffer(bytes: input)
        if let m = try? M(from: &b, version: version) {
            decodedCount += 1
            var out = ByteBuffer()
            m.encode(into: &out, version: version)
        }
    }
    return decodedCount
}

/// A whole frame of kafka-python's (correlation id 7, client id "kafkalab"): nil when the codec reads it as the
/// sample and writes the same bytes, else what went wrong.
func checkGoldenFrame<M: SampledMessage>(_ type: M.Type, version: Int16, golden: [UInt8]) -> String? {
    let sample = M.sample(version: version)
    let isRequest = String(describing: M.self).hasSuffix("Request")
    let header = Wire.RequestHeader(apiKey: M.apiKey, apiVersion: version, correlationId: 7, clientId: "kafkalab")
    let mine = isRequest
        ? Wire.encodeRequestFrame(header: header, allocator: ByteBufferAllocator()) { sample.encode(into: &$0, version: version) }
        : Wire.encodeResponseFrame(correlationId: 7, apiKey: M.apiKey, apiVersion: version, allocator: ByteBufferAllocator()) {
            sample.encode(into: &$0, version: version)
        }
    if Array(mine.readableBytesView) != golden { return "the frame differs from kafka-python's" }
    var b = ByteBuffer(bytes: golden)
    do {
        guard try b.readKafkaInt32() == b.readableBytes else { return "wrong length" }
        if isRequest {
            if try Wire.RequestHeader.decode(from: &b) != header { return "request header differs" }
        } else {
            if try Wire.ResponseHeader.decode(from: &b, apiKey: M.apiKey, apiVersion: version).correlationId != 7 {
                return "response header differs"
            }
        }
        if try M(from: &b, version: version) != sample || b.readableBytes != 0 { return "body differs" }
    } catch {
        return "decoding threw \(error)"
    }
    return nil
}
