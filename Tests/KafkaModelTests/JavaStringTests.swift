import Testing
@testable import KafkaModel

struct GroupVector: Sendable, CustomStringConvertible {
    let id: String
    let hash: Int32
    let p50: Int
    let p3: Int
    var description: String { id.isEmpty ? "(empty)" : id }
}

let groupVectors: [GroupVector] = [
    .init(id: "hello-group", hash: -2143371836, p50: 36, p3: 2),
    .init(id: "order-service", hash: 562889526, p50: 26, p3: 0),
    .init(id: "my-group", hash: -1906497762, p50: 12, p3: 0),
    .init(id: "g1", hash: 3242, p50: 42, p3: 2),
    .init(id: "test-group", hash: 627841412, p50: 12, p3: 2),
    .init(id: "console-consumer-12345", hash: 158455506, p50: 6, p3: 0),
    .init(id: "", hash: 0, p50: 0, p3: 0),
    .init(id: "group", hash: 98629247, p50: 47, p3: 2),
    .init(id: "payments", hash: 1382682413, p50: 13, p3: 2),
    .init(id: "한글그룹", hash: 1671419173, p50: 23, p3: 1),
    .init(id: "polygenelubricants", hash: Int32.min, p50: 0, p3: 0),
]

@Suite("Java string semantics and coordinator partition (§4.1)")
struct JavaStringTests {
    @Test(arguments: groupVectors)
    func hashAndPartition(_ v: GroupVector) {
        #expect(JavaString.hashCode(v.id) == v.hash)
        #expect(GroupCoordinatorPartition.partitionFor(groupId: v.id, offsetsTopicPartitionCount: 50) == v.p50)
        #expect(GroupCoordinatorPartition.partitionFor(groupId: v.id) == v.p50)
        #expect(GroupCoordinatorPartition.partitionFor(groupId: v.id, offsetsTopicPartitionCount: 3) == v.p3)
    }

    @Test func utilsAbs() {
        #expect(KafkaUtils.abs(Int32.min) == 0)
        #expect(KafkaUtils.abs(-5) == 5)
        #expect(KafkaUtils.abs(7) == 7)
    }

    @Test func compareToUsesUTF16Units() {
        #expect(JavaString.lessThan("consumer-10", "consumer-2"))
        #expect(JavaString.lessThan("consumer-2", "consumer-9"))
        #expect(JavaString.lessThan("ab", "abc"))
        #expect(JavaString.compare("abc", "abc") == 0)
        #expect(JavaString.compare("b", "a") == 1)
        // U+1F600 is the surrogate pair D83D DE00; U+FF21 is the single unit FF21 — Java puts the emoji first,
        // Swift (scalar order) would not.
        #expect(JavaString.lessThan("\u{1F600}", "\u{FF21}"))
        #expect(!("\u{1F600}" < "\u{FF21}"))
        #expect(JavaString.length("\u{1F600}") == 2)
    }

    @Test func topicPartitionHashMatchesJava() {
        // new TopicPartition("t", 0).hashCode() == 31 * (31 + 0) + "t".hashCode() == 961 + 116
        #expect(JavaString.topicPartitionHashCode(TopicPartition("t", 0)) == 1077)
    }

    @Test func hashMapIterationOrder() {
        // "c1".."c4" hash to 3118..3121 → buckets 14, 15, 0, 1 in a 16-bucket table
        #expect(JavaHashOrder.stringKeyOrder(["c1", "c2", "c3", "c4"]) == ["c3", "c4", "c1", "c2"])
    }
}
