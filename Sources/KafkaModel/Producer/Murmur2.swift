/// Kafka's 32-bit MurmurHash2 variant (`org.apache.kafka.common.utils.Utils.murmur2`), the hash behind
/// the default partitioner for keyed records.
///
/// Seed `0x9747b28c`, m `0x5bd1e995`, r 24; little-endian 4-byte blocks, unsigned bytes, wrapping
/// 32-bit arithmetic, logical shifts.
public enum Murmur2 {
    /// Kafka's `Utils.murmur2(bytes)`, as a signed Java `int`.
    public static func hash(_ bytes: some Collection<UInt8>) -> Int32 {
        if let h = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return h }
        return Array(bytes).withUnsafeBytes { hash($0) }
    }

    /// `hash` over raw bytes.
    public static func hash(_ data: UnsafeRawBufferPointer) -> Int32 {
        let m: UInt32 = 0x5BD1_E995
        let r: UInt32 = 24
        let length = data.count
        var h: UInt32 = 0x9747_B28C ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        for i in 0..<blocks {
            let j = i * 4
            var k = UInt32(data[j]) | UInt32(data[j + 1]) << 8 | UInt32(data[j + 2]) << 16 | UInt32(data[j + 3]) << 24
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }
        let t = length & ~3
        switch length % 4 {
        case 3:
            h ^= UInt32(data[t + 2]) << 16
            h ^= UInt32(data[t + 1]) << 8
            h ^= UInt32(data[t])
            h = h &* m
        case 2:
            h ^= UInt32(data[t + 1]) << 8
            h ^= UInt32(data[t])
            h = h &* m
        case 1:
            h ^= UInt32(data[t])
            h = h &* m
        default:
            break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }
}

/// Kafka's `Utils.toPositive`: clears the sign bit (`x & 0x7fffffff`), so −1 → 2147483647 and
/// `Int32.min` → 0. Not `abs`.
public func toPositive(_ number: Int32) -> Int32 {
    number & 0x7FFF_FFFF
}

/// Kafka's `BuiltInPartitioner.partitionForKey`: `toPositive(murmur2(keyBytes)) % numPartitions`,
/// over all partitions of the topic (available or not). An empty key is hashed like any other.
public func partitionForKey(_ keyBytes: some Collection<UInt8>, numPartitions: Int) -> Int {
    precondition(numPartitions > 0, "a topic has at least one partition")
    return Int(toPositive(Murmur2.hash(keyBytes))) % numPartitions
}

/// Kafka's way of drawing a random partition index: `Utils.toPositive(random.nextInt())`.
func nextPositiveInt(using generator: inout some RandomNumberGenerator) -> Int {
    Int(toPositive(Int32(truncatingIfNeeded: generator.next())))
}
