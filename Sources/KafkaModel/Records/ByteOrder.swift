// Big-endian helpers for the batch header (internal).

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func storeBigEndian<T: FixedWidthInteger>(_ value: T, at index: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: index, as: T.self) }
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always)
    func loadBigEndian<T: FixedWidthInteger>(at index: Int, as type: T.Type) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: index, as: T.self))
    }
}

/// A cursor that writes batch bytes straight into preallocated raw memory (internal). The caller sizes
/// the memory first; every write is unchecked, so the computed size must be exact or larger.
struct RawByteWriter {
    var pointer: UnsafeMutableRawPointer

    @inline(__always)
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        pointer.storeBytes(of: value, as: UInt8.self)
        pointer += 1
    }

    @inline(__always)
    mutating func bigEndian<T: FixedWidthInteger>(_ value: T) {
        pointer.storeBytes(of: value.bigEndian, as: T.self)
        pointer += MemoryLayout<T>.size
    }

    /// Zigzag varint, as `Varint.writeVarint`.
    @inline(__always)
    mutating func varint(_ value: Int32) {
        var v = UInt32(bitPattern: (value << 1) ^ (value >> 31))
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        byte(UInt8(v))
    }

    /// Zigzag varlong, as `Varint.writeVarlong`.
    @inline(__always)
    mutating func varlong(_ value: Int64) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        byte(UInt8(v))
    }

    @inline(__always)
    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        pointer.copyMemory(from: base, byteCount: source.count)
        pointer += source.count
    }

    @inline(__always)
    mutating func bytes(_ source: [UInt8]) {
        source.withUnsafeBytes { bytes($0) }
    }

    /// Length-prefixed nullable bytes (−1 for nil), as a record key, value or header value.
    @inline(__always)
    mutating func nullableBytes(_ source: [UInt8]?) {
        if let source {
            varint(Int32(source.count))
            bytes(source)
        } else {
            byte(1)  // zigzag(−1)
        }
    }
}
