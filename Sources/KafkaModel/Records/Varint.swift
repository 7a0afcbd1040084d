/// Kafka's zigzag variable-length integers (`org.apache.kafka.common.utils.ByteUtils`):
/// `writeVarint`/`writeVarlong` and their readers, as used inside v2 records.
///
/// Zigzag maps n ≥ 0 to 2n and n < 0 to −2n−1, then the value is written in base-128 groups,
/// least significant first, with the high bit of each byte set when more bytes follow.
/// Examples: 0 → `00`, −1 → `01`, 1 → `02`, 150 → `ac02`, −300 → `d704`.
public enum Varint {
    /// Appends `value` as a zigzag varint (at most 5 bytes).
    @inline(__always)
    public static func writeVarint(_ value: Int32, to out: inout [UInt8]) {
        var v = UInt32(bitPattern: (value << 1) ^ (value >> 31))
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Appends `value` as a zigzag varlong (at most 10 bytes).
    @inline(__always)
    public static func writeVarlong(_ value: Int64, to out: inout [UInt8]) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// The zigzag varint encoding of `value`.
    public static func encodeVarint(_ value: Int32) -> [UInt8] {
        var out: [UInt8] = []
        writeVarint(value, to: &out)
        return out
    }

    /// The zigzag varlong encoding of `value`.
    public static func encodeVarlong(_ value: Int64) -> [UInt8] {
        var out: [UInt8] = []
        writeVarlong(value, to: &out)
        return out
    }

    /// Bytes `writeVarint` would use for `value`.
    @inline(__always)
    public static func sizeOfVarint(_ value: Int32) -> Int {
        var v = UInt32(bitPattern: (value << 1) ^ (value >> 31))
        var n = 1
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }

    /// Bytes `writeVarlong` would use for `value`.
    @inline(__always)
    public static func sizeOfVarlong(_ value: Int64) -> Int {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var n = 1
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }

    /// Reads a zigzag varint at `index` (advanced past it). Throws on truncation or on more than 5 bytes.
    @inline(__always)
    public static func readVarint(_ buffer: UnsafeRawBufferPointer, at index: inout Int) throws(RecordBatchError) -> Int32 {
        var raw: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard index < buffer.count else { throw .truncated(what: "varint") }
            let b = buffer[index]
            index += 1
            raw |= UInt32(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
            if shift > 28 { throw .invalidRecord(reason: "Varint is too long, the most significant bit in the 5th byte is set") }
        }
        return Int32(bitPattern: raw >> 1) ^ -Int32(bitPattern: raw & 1)
    }

    /// Reads a zigzag varlong at `index` (advanced past it). Throws on truncation or on more than 10 bytes.
    @inline(__always)
    public static func readVarlong(_ buffer: UnsafeRawBufferPointer, at index: inout Int) throws(RecordBatchError) -> Int64 {
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < buffer.count else { throw .truncated(what: "varlong") }
            let b = buffer[index]
            index += 1
            raw |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
            if shift > 63 { throw .invalidRecord(reason: "Varlong is too long, the most significant bit in the 10th byte is set") }
        }
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// Whether the varint at `index` decodes to a value ≥ 0 (does not advance).
    @inline(__always)
    static func peekNonNegative(_ buffer: UnsafeRawBufferPointer, at index: Int) throws(RecordBatchError) -> Bool {
        var i = index
        return try readVarint(buffer, at: &i) >= 0
    }

    /// Decodes a single zigzag varint that fills `bytes` exactly.
    public static func decodeVarint(_ bytes: [UInt8]) throws(RecordBatchError) -> Int32 {
        var index = 0
        let result: Result<Int32, RecordBatchError> = bytes.withUnsafeBytes { buffer in
            do throws(RecordBatchError) { return .success(try readVarint(buffer, at: &index)) } catch { return .failure(error) }
        }
        let value = try result.get()
        guard index == bytes.count else { throw .invalidRecord(reason: "Trailing bytes after varint") }
        return value
    }

    /// Decodes a single zigzag varlong that fills `bytes` exactly.
    public static func decodeVarlong(_ bytes: [UInt8]) throws(RecordBatchError) -> Int64 {
        var index = 0
        let result: Result<Int64, RecordBatchError> = bytes.withUnsafeBytes { buffer in
            do throws(RecordBatchError) { return .success(try readVarlong(buffer, at: &index)) } catch { return .failure(error) }
        }
        let value = try result.get()
        guard index == bytes.count else { throw .invalidRecord(reason: "Trailing bytes after varlong") }
        return value
    }
}
