import Testing
@testable import KafkaModel

@Suite struct Murmur2Tests {
    @Test func kafkaUtilsTestVectors() {
        #expect(Murmur2.hash(Array("21".utf8)) == -973932308)
        #expect(Murmur2.hash(Array("foobar".utf8)) == -790332482)
        #expect(Murmur2.hash(Array("a-little-bit-long-string".utf8)) == -985981536)
        #expect(Murmur2.hash(Array("a-little-bit-longer-string".utf8)) == -1486304829)
        #expect(Murmur2.hash(Array("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8".utf8)) == -58897971)
        #expect(Murmur2.hash([UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "c")]) == 479470107)
    }

    // key, murmur2, toPositive, p%3, p%6, p%50 (reference §1.4)
    static let vectors: [(String, Int32, Int32, Int, Int, Int)] = [
        ("", 275646681, 275646681, 0, 3, 31), ("a", -1563381124, 584102524, 1, 4, 24),
        ("ab", 316155434, 316155434, 2, 2, 34), ("abc", 479470107, 479470107, 0, 3, 7),
        ("21", -973932308, 1173551340, 0, 0, 40), ("foobar", -790332482, 1357151166, 0, 0, 16),
        ("key", -1079937367, 1067546281, 1, 1, 31), ("key1", 28543940, 28543940, 2, 2, 40),
        ("key2", 1674751211, 1674751211, 2, 5, 11), ("key3", -1745673403, 401810245, 1, 1, 45),
        ("user-1", 1404122828, 1404122828, 2, 2, 28), ("user-2", -324981792, 1822501856, 2, 2, 6),
        ("user-42", 1459644460, 1459644460, 1, 4, 10), ("order-42", 501153024, 501153024, 0, 0, 24),
        ("order-1001", 297523878, 297523878, 0, 0, 28), ("hello", 2132663229, 2132663229, 0, 3, 29),
        ("kafka", -798503068, 1348980580, 1, 4, 30), ("test", 716234879, 716234879, 2, 5, 29),
        ("0", 971027396, 971027396, 2, 2, 46), ("1", -1993445489, 154038159, 0, 3, 9),
        ("2", 648968168, 648968168, 2, 2, 18), ("10", 1164287326, 1164287326, 1, 4, 26),
        ("100", 627947253, 627947253, 0, 3, 3), ("customer-7", -1283830537, 863653111, 1, 1, 11),
        ("한글키", -1813263813, 334219835, 2, 5, 35), ("日本語", 1431860170, 1431860170, 1, 4, 20),
        ("émoji-🎉", -1942016674, 205466974, 1, 4, 24),
        ("a-little-bit-long-string", -985981536, 1161502112, 2, 2, 12),
        ("a-little-bit-longer-string", -1486304829, 661178819, 2, 5, 19),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971, 2088585677, 2, 5, 27),
    ]

    @Test func computedVectors() {
        for (key, hash, positive, p3, p6, p50) in Self.vectors {
            let bytes = Array(key.utf8)
            #expect(Murmur2.hash(bytes) == hash, "murmur2(\(key))")
            #expect(toPositive(Murmur2.hash(bytes)) == positive, "toPositive(\(key))")
            #expect(partitionForKey(bytes, numPartitions: 3) == p3, "\(key) % 3")
            #expect(partitionForKey(bytes, numPartitions: 6) == p6, "\(key) % 6")
            #expect(partitionForKey(bytes, numPartitions: 50) == p50, "\(key) % 50")
        }
    }

    @Test func utf8BytesAreWhatIsHashed() {
        #expect(Array("한글키".utf8) == [0xed, 0x95, 0x9c, 0xea, 0xb8, 0x80, 0xed, 0x82, 0xa4])
        #expect(Array("émoji-🎉".utf8).count == 11)
    }

    @Test func toPositiveMasksSignBitOnly() {
        #expect(toPositive(-1) == 2147483647)
        #expect(toPositive(Int32.min) == 0)
        #expect(toPositive(5) == 5)
    }
}
