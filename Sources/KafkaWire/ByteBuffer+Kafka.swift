import NIOCore

// Kafka's primitive types on NIO's ByteBuffer: fixed-width big-endian integers, (zigzag) varints, strings, bytes,
// records and arrays in their classic (int16/int32 length, -1 = null) and compact (unsigned varint length + 1,
// 0 = null) forms, and tagged-field sections. Every reader checks a length against the readable bytes before it
// allocates anything, and throws `Wire.DecodingError` rather than trapping.

extension ByteBuffer {
    // MARK: Fixed-width values

    /// A big-endian fixed-width integer, `.truncated` when the bytes end first.
    @inlinable
    public mutating func readKafkaInteger<T: FixedWidthInteger>(as: T.Type = T.self) throws(Wire.DecodingError) -> T {
        guard let v = readInteger(as: T.self) else { throw .truncated }
        return v
    }

    @inlinable public mutating func readKafkaInt8() throws(Wire.DecodingError) -> Int8 { try readKafkaInteger() }
    @inlinable public mutating func readKafkaInt16() throws(Wire.DecodingError) -> Int16 { try readKafkaInteger() }
    @inlinable public mutating func readKafkaUInt16() throws(Wire.DecodingError) -> UInt16 { try readKafkaInteger() }
    @inlinable public mutating func readKafkaInt32() throws(Wire.DecodingError) -> Int32 { try readKafkaInteger() }
    @inlinable public mutating func readKafkaInt64() throws(Wire.DecodingError) -> Int64 { try readKafkaInteger() }

    /// A bool: one byte, anything but 0 is true.
    @inlinable
    public mutating func readKafkaBool() throws(Wire.DecodingError) -> Bool {
        try readKafkaInt8() != 0
    }

    @inlinable
    public mutating func writeKafkaBool(_ value: Bool) {
        writeInteger(value ? 1 : 0, as: UInt8.self)
    }

    /// A float64: the IEEE 754 bits, big-endian.
    @inlinable
    public mutating func readKafkaDouble() throws(Wire.DecodingError) -> Double {
        guard let bits = readInteger(as: UInt64.self) else { throw .truncated }
        return Double(bitPattern: bits)
    }

    @inlinable
    public mutating func writeKafkaDouble(_ value: Double) {
        writeInteger(value.bitPattern)
    }

    @inlinable
    public mutating func readKafkaUuid() throws(Wire.DecodingError) -> Wire.Uuid {
        guard let msb = readInteger(as: UInt64.self), let lsb = readInteger(as: UInt64.self) else { throw .truncated }
        return Wire.Uuid(mostSignificantBits: msb, leastSignificantBits: lsb)
    }

    @inlinable
    public mutating func writeKafkaUuid(_ value: Wire.Uuid) {
        writeInteger(value.mostSignificantBits)
        writeInteger(value.leastSignificantBits)
    }

    // MARK: Varints

    /// An unsigned varint of at most 5 bytes (7 bits a byte, least significant group first).
    public mutating func readUnsignedVarint() throws(Wire.DecodingError) -> UInt32 {
        try readVarintBits()
    }

    public mutating func writeUnsignedVarint(_ value: UInt32) {
        writeVarintBits(value)
    }

    /// An unsigned varlong of at most 10 bytes.
    public mutating func readUnsignedVarlong() throws(Wire.DecodingError) -> UInt64 {
        try readVarintBits()
    }

    public mutating func writeUnsignedVarlong(_ value: UInt64) {
        writeVarintBits(value)
    }

    /// A varint of at most `T.bitWidth / 7 + 1` bytes (bits past `T`'s width are dropped, as Kafka's readers do).
    private mutating func readVarintBits<T: FixedWidthInteger & UnsignedInteger>() throws(Wire.DecodingError) -> T {
        var value: T = 0
        var shift = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else { throw .truncated }
            value |= T(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift >= T.bitWidth { throw .varintTooLong }
        }
    }

    private mutating func writeVarintBits<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        var v = value
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        writeInteger(UInt8(v))
    }

    /// A zigzag-encoded signed varint (record batches' record fields).
    public mutating func readVarint() throws(Wire.DecodingError) -> Int32 {
        let raw = try readUnsignedVarint()
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func writeVarint(_ value: Int32) {
        writeUnsignedVarint(UInt32(bitPattern: (value << 1) ^ (value >> 31)))
    }

    /// A zigzag-encoded signed varlong.
    public mutating func readVarlong() throws(Wire.DecodingError) -> Int64 {
        let raw = try readUnsignedVarlong()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func writeVarlong(_ value: Int64) {
        writeUnsignedVarlong(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// The number of bytes `writeUnsignedVarint(value)` writes.
    public static func unsignedVarintSize(_ value: UInt32) -> Int {
        var v = value
        var n = 1
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }

    // MARK: Lengths

    /// A string's length: int16 (classic) or unsigned varint minus one (compact); -1 is null. A length past the
    /// readable bytes throws `.truncated`.
    mutating func readKafkaStringLength(compact: Bool) throws(Wire.DecodingError) -> Int {
        let n: Int
        if compact {
            n = Int(try readUnsignedVarint()) - 1
        } else {
            n = Int(try readKafkaInt16())
        }
        if n > readableBytes { throw .truncated }
        return n
    }

    /// A bytes, records or array length: int32 (classic) or unsigned varint minus one (compact); -1 is null.
    /// A length past the readable bytes throws `.truncated` (every element takes at least one byte in practice).
    mutating func readKafkaLength(compact: Bool) throws(Wire.DecodingError) -> Int {
        let n: Int
        if compact {
            let raw = try readUnsignedVarint()
            if raw > UInt32(Int32.max) { throw .tooLarge }
            n = Int(raw) - 1
        } else {
            n = Int(try readKafkaInt32())
        }
        if n > readableBytes { throw .truncated }
        return n
    }

    mutating func writeKafkaLength(_ n: Int, compact: Bool) {
        if compact {
            writeUnsignedVarint(UInt32(truncatingIfNeeded: n + 1))
        } else {
            writeInteger(Int32(truncatingIfNeeded: n))
        }
    }

    // MARK: Strings

    /// A string that must not be null.
    public mutating func readKafkaString(compact: Bool) throws(Wire.DecodingError) -> String {
        let n = try readKafkaStringLength(compact: compact)
        if n < 0 { throw .negativeLength(n) }
        return try readValidatedUTF8(length: n)
    }

    /// A string that may be null (-1, or 0 compact) when `nullable` (the field's nullable versions).
    public mutating func readKafkaNullableString(compact: Bool, nullable: Bool = true) throws(Wire.DecodingError) -> String? {
        let n = try readKafkaStringLength(compact: compact)
        if n == -1 && nullable { return nil }
        if n < 0 { throw .negativeLength(n) }
        return try readValidatedUTF8(length: n)
    }

    private mutating func readValidatedUTF8(length: Int) throws(Wire.DecodingError) -> String {
        guard let view = readSlice(length: length)?.readableBytesView else { throw .truncated }
        let s = String(decoding: view, as: UTF8.self)
        // Decoding repairs invalid UTF-8 with U+FFFD; the repaired string's bytes differ from the input's.
        guard s.utf8.count == length, s.utf8.elementsEqual(view) else { throw .invalidUTF8 }
        return s
    }

    /// Writes a string. A classic string holds at most 32767 bytes: a longer one is cut (Kafka would refuse it).
    public mutating func writeKafkaString(_ value: String, compact: Bool) {
        var utf8 = value.utf8.count
        if compact {
            writeUnsignedVarint(UInt32(truncatingIfNeeded: utf8 + 1))
            writeString(value)
        } else if utf8 <= Int(Int16.max) {
            writeInteger(Int16(utf8))
            writeString(value)
        } else {
            utf8 = Int(Int16.max)
            writeInteger(Int16.max)
            writeBytes(value.utf8.prefix(utf8))
        }
    }

    /// Writes a string or null; a null where the version can't have one (`nullable` false) is written empty.
    public mutating func writeKafkaNullableString(_ value: String?, compact: Bool, nullable: Bool = true) {
        if let value {
            writeKafkaString(value, compact: compact)
        } else if nullable {
            if compact { writeInteger(0, as: UInt8.self) } else { writeInteger(-1, as: Int16.self) }
        } else {
            writeKafkaString("", compact: compact)
        }
    }

    // MARK: Bytes and records

    public mutating func readKafkaBytes(compact: Bool) throws(Wire.DecodingError) -> [UInt8] {
        let n = try readKafkaLength(compact: compact)
        if n < 0 { throw .negativeLength(n) }
        guard let bytes = readBytes(length: n) else { throw .truncated }
        return bytes
    }

    public mutating func readKafkaNullableBytes(compact: Bool, nullable: Bool = true) throws(Wire.DecodingError) -> [UInt8]? {
        let n = try readKafkaLength(compact: compact)
        if n == -1 && nullable { return nil }
        if n < 0 { throw .negativeLength(n) }
        guard let bytes = readBytes(length: n) else { throw .truncated }
        return bytes
    }

    public mutating func writeKafkaBytes(_ value: [UInt8], compact: Bool) {
        writeKafkaLength(value.count, compact: compact)
        writeBytes(value)
    }

    public mutating func writeKafkaNullableBytes(_ value: [UInt8]?, compact: Bool, nullable: Bool = true) {
        if let value {
            writeKafkaBytes(value, compact: compact)
        } else {
            writeKafkaLength(nullable ? -1 : 0, compact: compact)
        }
    }

    /// Records (a run of record batches): a slice of this buffer, not a copy.
    public mutating func readKafkaRecords(compact: Bool, nullable: Bool = true) throws(Wire.DecodingError) -> ByteBuffer? {
        let n = try readKafkaLength(compact: compact)
        if n == -1 && nullable { return nil }
        if n < 0 { throw .negativeLength(n) }
        guard let slice = readSlice(length: n) else { throw .truncated }
        return slice
    }

    public mutating func writeKafkaRecords(_ value: ByteBuffer?, compact: Bool, nullable: Bool = true) {
        if let value {
            writeKafkaLength(value.readableBytes, compact: compact)
            writeImmutableBuffer(value)
        } else {
            writeKafkaLength(nullable ? -1 : 0, compact: compact)
        }
    }

    // MARK: Arrays

    mutating func readKafkaArray<T: KafkaWireElement>(compact: Bool, version: Int16) throws(Wire.DecodingError) -> [T] {
        let n = try readKafkaLength(compact: compact)
        if n < 0 { throw .negativeLength(n) }
        return try readKafkaElements(count: n, compact: compact, version: version)
    }

    mutating func readKafkaNullableArray<T: KafkaWireElement>(compact: Bool, version: Int16, nullable: Bool = true) throws(Wire.DecodingError) -> [T]? {
        let n = try readKafkaLength(compact: compact)
        if n == -1 && nullable { return nil }
        if n < 0 { throw .negativeLength(n) }
        return try readKafkaElements(count: n, compact: compact, version: version)
    }

    private mutating func readKafkaElements<T: KafkaWireElement>(count: Int, compact: Bool, version: Int16) throws(Wire.DecodingError) -> [T] {
        var items: [T] = []
        // count <= readableBytes (readKafkaLength checked), but an element can be much larger in memory than its
        // one byte on the wire: reserve a bounded amount, and let hostile counts fail as the bytes run out.
        items.reserveCapacity(Swift.min(count, 1024))
        for _ in 0..<count {
            items.append(try T(kafkaFrom: &self, version: version, compact: compact))
        }
        return items
    }

    mutating func writeKafkaArray<T: KafkaWireElement>(_ value: [T], compact: Bool, version: Int16) {
        writeKafkaLength(value.count, compact: compact)
        for item in value { item.kafkaEncode(into: &self, version: version, compact: compact) }
    }

    mutating func writeKafkaNullableArray<T: KafkaWireElement>(_ value: [T]?, compact: Bool, version: Int16, nullable: Bool = true) {
        if let value {
            writeKafkaArray(value, compact: compact, version: version)
        } else {
            writeKafkaLength(nullable ? -1 : 0, compact: compact)
        }
    }

    // MARK: Tagged fields

    /// Skips a whole tagged-field section (the fields of tags the reader doesn't know).
    public mutating func skipKafkaTaggedFields() throws(Wire.DecodingError) {
        let count = try readUnsignedVarint()
        for _ in 0..<count {
            _ = try readUnsignedVarint()  // the tag
            _ = try readKafkaTaggedFieldValue()
        }
    }

    /// One tagged field's value (after its tag): its size, then that many bytes, returned as a slice.
    public mutating func readKafkaTaggedFieldValue() throws(Wire.DecodingError) -> ByteBuffer {
        let size = try readUnsignedVarint()
        guard size <= UInt32(readableBytes), let slice = readSlice(length: Int(size)) else { throw .truncated }
        return slice
    }

    /// Writes an empty tagged-field section (one 0 byte).
    @inlinable
    public mutating func writeKafkaEmptyTaggedFields() {
        writeInteger(0, as: UInt8.self)
    }

    /// Writes one tagged field: its tag, its size, then what `body` writes.
    public mutating func writeKafkaTaggedField(tag: UInt32, _ body: (inout ByteBuffer) -> Void) {
        writeUnsignedVarint(tag)
        let sizeAt = writerIndex
        writeInteger(0, as: UInt8.self)  // a one-byte size, moved along if the value needs a longer one
        let start = writerIndex
        body(&self)
        let size = writerIndex - start
        if size < 0x80 {
            setInteger(UInt8(size), at: sizeAt)
        } else {
            // Copy the value out (a slice would share, and so copy, the whole buffer on the next write).
            let value = getBytes(at: start, length: size) ?? []
            moveWriterIndex(to: sizeAt)
            writeUnsignedVarint(UInt32(size))
            writeBytes(value)
        }
    }
}

// Primitives as array elements.
extension KafkaWireElement where Self: FixedWidthInteger {
    init(kafkaFrom buffer: inout ByteBuffer, version: Int16, compact: Bool) throws(Wire.DecodingError) {
        self = try buffer.readKafkaInteger()
    }
    func kafkaEncode(into buffer: inout ByteBuffer, version: Int16, compact: Bool) { buffer.writeInteger(self) }
}

extension Int8: KafkaWireElement {}
extension Int16: KafkaWireElement {}
extension UInt16: KafkaWireElement {}
extension Int32: KafkaWireElement {}
extension Int64: KafkaWireElement {}

extension Bool: KafkaWireElement {
    init(kafkaFrom buffer: inout ByteBuffer, version: Int16, compact: Bool) throws(Wire.DecodingError) { self = try buffer.readKafkaBool() }
    func kafkaEncode(into buffer: inout ByteBuffer, version: Int16, compact: Bool) { buffer.writeKafkaBool(self) }
}

extension Double: KafkaWireElement {
    init(kafkaFrom buffer: inout ByteBuffer, version: Int16, compact: Bool) throws(Wire.DecodingError) { self = try buffer.readKafkaDouble() }
    func kafkaEncode(into buffer: inout ByteBuffer, version: Int16, compact: Bool) { buffer.writeKafkaDouble(self) }
}

extension Wire.Uuid: KafkaWireElement {
    init(kafkaFrom buffer: inout ByteBuffer, version: Int16, compact: Bool) throws(Wire.DecodingError) { self = try buffer.readKafkaUuid() }
    func kafkaEncode(into buffer: inout ByteBuffer, version: Int16, compact: Bool) { buffer.writeKafkaUuid(self) }
}

extension String: KafkaWireElement {
    init(kafkaFrom buffer: inout ByteBuffer, version: Int16, compact: Bool) throws(Wire.DecodingError) {
        self = try buffer.readKafkaString(compact: compact)
    }
    func kafkaEncode(into buffer: inout ByteBuffer, version: Int16, compact: Bool) { buffer.writeKafkaString(self, compact: compact) }
}
