/// The one random generator of a simulated cluster: SplitMix64, seeded.
///
/// Every random choice (topic ids, member ids, sticky partitions) draws from it, so a
/// run is reproducible from its seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Sixteen random bytes, as Kafka's `Uuid.randomUuid()` draws them.
    public mutating func nextUuidBytes() -> [UInt8] {
        let high = next(), low = next()
        return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }
}
