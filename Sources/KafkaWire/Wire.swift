import NIOCore

/// Kafka's wire format: the request and response messages generated from Apache Kafka's JSON schemas
/// (`Generated/`), their headers and frames, and the primitives they are made of (`ByteBuffer+Kafka.swift`).
///
/// A namespace, so the generated `Wire.MetadataRequest` does not clash with the simulated cluster's own types.
public enum Wire {}

extension Wire {
    /// Why bytes could not be decoded. Decoding never traps on hostile input: it throws one of these.
    public enum DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The bytes ended before the value did (or a length points past the end of the bytes).
        case truncated
        /// A negative length where none is allowed (`-1`, null, in a version where the field isn't nullable).
        case negativeLength(Int)
        /// A string whose bytes are not valid UTF-8.
        case invalidUTF8
        /// A version outside the generated range of the message (`apiKey` is -1 for data types).
        case unsupportedVersion(apiKey: Int16, version: Int16)
        /// A length that cannot be right (more than `Int32.max`).
        case tooLarge
        /// A varint longer than 5 bytes (10 for a varlong).
        case varintTooLong

        public var description: String {
            switch self {
            case .truncated: "truncated: the bytes end before the value does"
            case .negativeLength(let n): "negative length \(n) where the field cannot be null"
            case .invalidUTF8: "a string is not valid UTF-8"
            case let .unsupportedVersion(apiKey, version):
                "unsupported version \(version) of \(Wire.apiName(apiKey) ?? "API key \(apiKey)")"
            case .tooLarge: "a length is too large"
            case .varintTooLong: "a varint is longer than its type allows"
            }
        }
    }

    /// Kafka's 128-bit UUID (topic ids, directory ids), as its two big-endian 64-bit halves.
    public struct Uuid: Sendable, Hashable, CustomStringConvertible {
        public var mostSignificantBits: UInt64
        public var leastSignificantBits: UInt64

        /// The all-zero UUID, Kafka's `Uuid.ZERO_UUID` (no topic id).
        public static let zero = Uuid(mostSignificantBits: 0, leastSignificantBits: 0)

        public init(mostSignificantBits: UInt64, leastSignificantBits: UInt64) {
            self.mostSignificantBits = mostSignificantBits
            self.leastSignificantBits = leastSignificantBits
        }

        /// Kafka's text form: the 16 bytes in URL-safe base64 without padding (as `Uuid.toString()`).
        public var description: String {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: mostSignificantBits >> UInt64(shift))) }
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: leastSignificantBits >> UInt64(shift))) }
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                let chunk = bytes[i..<min(i + 3, bytes.count)]
                var n: UInt32 = 0
                for (k, b) in chunk.enumerated() { n |= UInt32(b) << UInt32(16 - 8 * k) }
                let chars = chunk.count + 1
                for k in 0..<chars { out.append(alphabet[Int((n >> UInt32(18 - 6 * k)) & 63)]) }
                i += 3
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// What every generated top-level message (and the two consumer-protocol data types) offers.
    public protocol Message: Sendable, Equatable {
        /// The API key (-1 for the consumer-protocol data types, which are not requests or responses).
        static var apiKey: Int16 { get }
        /// The versions this codec was generated for.
        static var versions: ClosedRange<Int16> { get }
        /// The first version using compact encodings and tagged fields, nil if none does.
        static var firstFlexibleVersion: Int16? { get }
        /// Every field at its schema default.
        init()
        /// Decodes a body (no header, no length) at `version`.
        init(from buffer: inout ByteBuffer, version: Int16) throws(Wire.DecodingError)
        /// Appends the body (no header, no length) at `version`; fields the version lacks are left out.
        func encode(into buffer: inout ByteBuffer, version: Int16)
    }
}

/// What arrays hold: primitives and the generated nested structs (internal: the generated code's plumbing).
protocol KafkaWireElement {
    init(kafkaFrom buffer: inout ByteBuffer, version: Int16, compact: Bool) throws(Wire.DecodingError)
    func kafkaEncode(into buffer: inout ByteBuffer, version: Int16, compact: Bool)
}

/// A generated nested struct: it knows its message's flexible versions, so `compact` is not needed.
protocol KafkaWireStruct: KafkaWireElement {
    init(from buffer: inout ByteBuffer, version: Int16) throws(Wire.DecodingError)
    func encode(into buffer: inout ByteBuffer, version: Int16)
}

extension KafkaWireStruct {
    init(kafkaFrom buffer: inout ByteBuffer, version: Int16, compact: Bool) throws(Wire.DecodingError) {
        try self.init(from: &buffer, version: version)
    }
    func kafkaEncode(into buffer: inout ByteBuffer, version: Int16, compact: Bool) {
        encode(into: &buffer, version: version)
    }
}
