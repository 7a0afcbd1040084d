/// Writes Kafka's protocol primitive types (`org.apache.kafka.common.protocol.types`), big-endian, as message
/// schemas use them: in record keys and values of internal topics and, later, on the wire.
public struct ProtocolWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func int8(_ v: Int8) { bytes.append(UInt8(bitPattern: v)) }
    public mutating func int16(_ v: Int16) { bytes += [UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)] }
    public mutating func int32(_ v: Int32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> Int32(shift))) }
    }
    public mutating func int64(_ v: Int64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> Int64(shift))) }
    }
    /// UNSIGNED_VARINT: 7 bits per byte, low bits first.
    public mutating func unsignedVarint(_ v: UInt32) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
    /// STRING: int16 length, then UTF-8 bytes.
    public mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        int16(Int16(utf8.count))
        bytes += utf8
    }
    /// NULLABLE_STRING: as STRING, or length -1 for null.
    public mutating func nullableString(_ s: String?) {
        if let s { string(s) } else { int16(-1) }
    }
    /// NULLABLE_BYTES: int32 length (-1 for null), then the bytes.
    public mutating func nullableBytes(_ b: [UInt8]?) {
        guard let b else { return int32(-1) }
        int32(Int32(b.count))
        bytes += b
    }
    /// COMPACT_STRING: unsigned varint length + 1, then UTF-8 bytes.
    public mutating func compactString(_ s: String) {
        let utf8 = Array(s.utf8)
        unsignedVarint(UInt32(utf8.count + 1))
        bytes += utf8
    }
    /// COMPACT_ARRAY's length: n + 1, or 0 for null.
    public mutating func compactArrayLength(_ count: Int?) { unsignedVarint(count.map { UInt32($0 + 1) } ?? 0) }
    /// A flexible version's tagged fields: (tag, encoded field) in increasing tag order.
    public mutating func taggedFields(_ fields: [(tag: UInt32, bytes: [UInt8])]) {
        unsignedVarint(UInt32(fields.count))
        for field in fields {
            unsignedVarint(field.tag)
            unsignedVarint(UInt32(field.bytes.count))
            bytes += field.bytes
        }
    }
}

/// Reads what `ProtocolWriter` writes; every read returns nil past the end or on a malformed length.
public struct ProtocolReader: Sendable {
    private let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { position == bytes.count }

    private mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, position + n <= bytes.count else { return nil }
        defer { position += n }
        return bytes[position..<position + n]
    }
    private mutating func bigEndian(_ n: Int) -> UInt64? {
        take(n)?.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    public mutating func int8() -> Int8? { take(1).map { Int8(bitPattern: $0.first!) } }
    public mutating func int16() -> Int16? { bigEndian(2).map { Int16(truncatingIfNeeded: $0) } }
    public mutating func int32() -> Int32? { bigEndian(4).map { Int32(truncatingIfNeeded: $0) } }
    public mutating func int64() -> Int64? { bigEndian(8).map { Int64(bitPattern: $0) } }
    public mutating func unsignedVarint() -> UInt32? {
        var value: UInt32 = 0
        for shift in stride(from: 0, through: 28, by: 7) {
            guard let byte = take(1)?.first else { return nil }
            value |= UInt32(byte & 0x7F) << UInt32(shift)
            if byte & 0x80 == 0 { return value }
        }
        return nil
    }
    public mutating func string() -> String? {
        guard let length = int16(), length >= 0, let utf8 = take(Int(length)) else { return nil }
        return String(decoding: utf8, as: UTF8.self)
    }
    public mutating func compactString() -> String? {
        guard let length = unsignedVarint(), length >= 1, let utf8 = take(Int(length) - 1) else { return nil }
        return String(decoding: utf8, as: UTF8.self)
    }
    /// A COMPACT_ARRAY's length: `.some(nil)` for null, nil when malformed.
    public mutating func compactArrayLength() -> Int?? {
        guard let n = unsignedVarint() else { return nil }
        return .some(n == 0 ? nil : Int(n) - 1)
    }
    /// Tagged fields by tag (unknown ones are kept as bytes, as Kafka keeps them).
    public mutating func taggedFields() -> [UInt32: [UInt8]]? {
        guard let count = unsignedVarint() else { return nil }
        var fields: [UInt32: [UInt8]] = [:]
        for _ in 0..<count {
            guard let tag = unsignedVarint(), let size = unsignedVarint(), let data = take(Int(size)) else { return nil }
            fields[tag] = Array(data)
        }
        return fields
    }
}
