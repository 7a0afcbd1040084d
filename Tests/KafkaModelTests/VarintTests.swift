import Testing
@testable import KafkaModel

@Suite struct VarintTests {
    static let vectors: [(Int32, String)] = [
        (0, "00"), (-1, "01"), (1, "02"), (-2, "03"), (2, "04"), (63, "7e"), (-64, "7f"), (64, "8001"),
        (150, "ac02"), (300, "d804"), (-300, "d704"), (2147483647, "feffffff0f"), (-2147483648, "ffffffff0f"),
    ]

    @Test func varintVectors() throws {
        for (value, bytes) in Self.vectors {
            #expect(Varint.encodeVarint(value) == hex(bytes), "\(value)")
            #expect(try Varint.decodeVarint(hex(bytes)) == value)
            #expect(Varint.sizeOfVarint(value) == hex(bytes).count)
            #expect(Varint.encodeVarlong(Int64(value)) == hex(bytes))
            #expect(try Varint.decodeVarlong(hex(bytes)) == Int64(value))
        }
    }

    @Test func varlongExtremes() throws {
        for value in [Int64.max, Int64.min, 1 << 40, -(1 << 40)] {
            let bytes = Varint.encodeVarlong(value)
            #expect(try Varint.decodeVarlong(bytes) == value)
            #expect(Varint.sizeOfVarlong(value) == bytes.count)
        }
        #expect(Varint.encodeVarlong(Int64.min).count == 10)
    }

    @Test func truncatedAndOverlongInputThrow() {
        #expect(throws: RecordBatchError.self) { try Varint.decodeVarint([0x80]) }
        #expect(throws: RecordBatchError.self) { try Varint.decodeVarint([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) }
    }
}
