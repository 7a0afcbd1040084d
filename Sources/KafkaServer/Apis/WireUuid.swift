import KafkaWire

/// Kafka's topic ids travel as 16 bytes; the model keeps them as `Uuid.toString()` text (URL-safe base64).
enum WireUuid {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8: UInt64] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, UInt64($0)) })

    /// The 16 bytes of a base64 topic id; `.zero` for text that is not one.
    static func uuid(_ text: String) -> Wire.Uuid {
        let chars = Array(text.utf8)
        guard chars.count == 22 else { return .zero }
        var bits: [UInt8] = []
        var accumulator: UInt64 = 0, count = 0
        for c in chars {
            guard let v = values[c] else { return .zero }
            accumulator = accumulator << 6 | v
            count += 6
            if count >= 8 {
                count -= 8
                bits.append(UInt8((accumulator >> UInt64(count)) & 0xFF))
            }
        }
        guard bits.count >= 16 else { return .zero }
        var id = Wire.Uuid.zero
        id.mostSignificantBits = bits[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        id.leastSignificantBits = bits[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        return id
    }
}
