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
