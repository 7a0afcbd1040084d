import Testing
@testable import KafkaShell
@testable import KafkaModel

private let p0 = TopicPartition("orders", 0), p1 = TopicPartition("orders", 1), p2 = TopicPartition("orders", 2)

@Suite("kafka-consumer-groups tables and messages (§5.3, §5.4)")
struct ConsumerGroupCommandRendererTests {
    let id = "consumer-my-group-1-3a2f0c9e-1b7d-4c55-9a61-0d2b8f1e4c11"

    @Test func referenceExample() {
        let member = DescribedMember(consumerId: id, host: "/127.0.0.1", clientId: "consumer-my-group-1",
                                     assignment: [TopicPartition("orders", 2), TopicPartition("orders", 0), TopicPartition("orders", 1)])
        let rows = ConsumerGroupDescribe.offsetRows(
            group: "my-group", members: [member],
            committedOffsets: [TopicPartition("orders", 0): 5, TopicPartition("orders", 1): 2],
            logEndOffsets: [TopicPartition("orders", 0): 8, TopicPartition("orders", 1): 2, TopicPartition("orders", 2): 4])
        let out = ConsumerGroupCommandRenderer.describeOffsets(groupId: "my-group", state: .stable, rows: rows)
        let expected = """

        GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                              HOST            CLIENT-ID
        my-group        orders          0          5               8               3               \(id) /127.0.0.1      consumer-my-group-1
        my-group        orders          1          2               2               0               \(id) /127.0.0.1      consumer-my-group-1
        my-group        orders          2          -               4               -               \(id) /127.0.0.1      consumer-my-group-1

        """
        #expect(out.stdout == expected)
        #expect(out.stderr.isEmpty)
    }
    @Test func emptyGroupShowsCommittedOffsetsWithoutOwners() {
        let rows = ConsumerGroupDescribe.offsetRows(group: "g", members: [],
                                                    committedOffsets: [TopicPartition("b", 0): 1, TopicPartition("a", 0): 3],
                                                    logEndOffsets: [TopicPartition("a", 0): 3])
        let out = ConsumerGroupCommandRenderer.describeOffsets(groupId: "g", state: .empty, rows: rows)
        #expect(out.stderr == "\nConsumer group 'g' has no active members.\n")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines[1] == "g               a               0          3               3               0               -               -               -")
        #expect(lines[2].hasPrefix("g               b               0          1               -               -"))
    }
    @Test func stateMessages() {
        #expect(ConsumerGroupCommandRenderer.describeOffsets(groupId: "g", state: .dead, rows: []).stdout
            == "\nError: Consumer group 'g' does not exist.\n")
        #expect(ConsumerGroupCommandRenderer.describeOffsets(groupId: "g", state: .stable, rows: nil).stdout
            == "\nError: The consumer group 'g' does not exist.\n")
        let r = ConsumerGroupCommandRenderer.describeOffsets(groupId: "g", state: .preparingRebalance, rows: [])
        #expect(r.stderr == "\nWarning: Consumer group 'g' is rebalancing.\n")
        #expect(r.stdout.isEmpty)
    }
    @Test func columnsWidenForLongValues() {
        let long = String(repeating: "x", count: 20)
        let row = ConsumerGroupDescribeRow(group: long, topic: "t", partition: 0, currentOffset: 1, logEndOffset: 1,
                                           consumerId: nil, host: nil, clientId: nil)
        let out = ConsumerGroupCommandRenderer.describeOffsets(groupId: long, state: .stable, rows: [row]).stdout
        #expect(out.hasPrefix("\nGROUP" + String(repeating: " ", count: 16) + "TOPIC"))
    }

    @Test func inactiveGroupError() {
        #expect(ConsumerGroupCommandRenderer.error(ResetOffsetsError.groupNotInactive(groupId: "g", state: .stable).description)
            == "\nError: Assignments can only be reset if the group 'g' is inactive, but the current state is Stable.\n")
    }

    @Test func resetWarnings() {
        #expect(ConsumerGroupCommandRenderer.warning(.higherThanLatest(p1, requested: 3, latest: 2))
            == "New offset (3) is higher than latest offset for topic partition orders-1. Value will be set to 2")
        #expect(ConsumerGroupCommandRenderer.warning(.lowerThanEarliest(p2, requested: 0, earliest: 3))
            == "New offset (0) is lower than earliest offset for topic partition orders-2. Value will be set to 3")
        #expect(ConsumerGroupCommandRenderer.warning(.emptyPartitionFallback(p2))
            == "Warn: Partition 2 from topic orders is empty. Falling back to latest known offset.")
    }

    @Test func resetTableLayout() throws {
        let plan = try ResetOffsetsPlanner.plan(.toEarliest, ResetOffsetsInput(
            groupId: "my-group", partitions: [p0, p1, p2], logStartOffsets: [p0: 0, p1: 0, p2: 0],
            logEndOffsets: [p0: 8, p1: 2, p2: 4], committedOffsets: [:], nowMs: 0))
        let expected = """

        GROUP                          TOPIC                          PARTITION  NEW-OFFSET     
        my-group                       orders                         0          0              
        my-group                       orders                         1          0              
        my-group                       orders                         2          0              

        """
        #expect(ConsumerGroupCommandRenderer.resetOffsets([("my-group", plan)]) == expected)
        #expect(ConsumerGroupCommandRenderer.exportCsv([("my-group", plan)]) == "orders,0,0\norders,1,0\norders,2,0\n")
        #expect(ConsumerGroupCommandRenderer.resetOffsets([]) == "\n")
    }
}
