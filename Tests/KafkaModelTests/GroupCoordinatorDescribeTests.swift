import Testing
@testable import KafkaModel

@Suite("kafka-consumer-groups --describe rows (§5.3)")
struct GroupCoordinatorDescribeTests {
    @Test func membersOrderedByAssignmentSizeDescending() {
        let small = DescribedMember(consumerId: "a", host: "/h", clientId: "c", assignment: [TopicPartition("t", 0)])
        let big = DescribedMember(consumerId: "b", host: "/h", clientId: "c", assignment: [TopicPartition("t", 2), TopicPartition("t", 1)])
        let idle = DescribedMember(consumerId: "z", host: "/h", clientId: "c", assignment: [])
        let rows = ConsumerGroupDescribe.offsetRows(group: "g", members: [small, idle, big], committedOffsets: [:], logEndOffsets: [:])
        #expect(rows.map(\.consumerId) == ["b", "b", "a"])
        #expect(rows.map(\.partition) == [1, 2, 0])
    }
}
