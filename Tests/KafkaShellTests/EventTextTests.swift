import Testing
@testable import KafkaShell
@testable import KafkaModel

/// The words for typed event reasons: the model carries values, the shell says them as before.
@Suite struct EventTextTests {
    private let tp = TopicPartition("t", 0)

    @Test func rebalanceAndRemovalReasons() {
        let reason = RebalanceReason.removingMember(memberId: "m2", reason: .sessionTimeout)
        #expect(ConsumerEventText.details(.rebalanceStarted(group: "g", reason: reason)) == "g: Removing member m2 on heartbeat expiration")
        #expect(ConsumerEventText.details(.memberRemoved(group: "g", memberId: "m2", reason: .fencedByStaticMember(newMemberId: "m3")))
            == "g: m2 (fenced by static member m3)")
        #expect(ConsumerEventText.details(.rejoining(consumer: "c1", reason: .requestFailed(.syncGroup, .rebalanceInProgress)))
            == "c1 rejoins the group (SyncGroup: REBALANCE_IN_PROGRESS)")
    }

    @Test func unprocessedOffsetsOfACrash() {
        let event = ConsumerEvent.consumerCrashed(consumer: "c1", unprocessed: [TopicPartition("t", 10): 4...4, TopicPartition("t", 2): 3...7])
        #expect(ConsumerEventText.details(event) == "c1 vanished: no commit, no LeaveGroup; never finished processing t-2@3..7, t-10@4")
    }

    @Test func recordBytesAreShownAsUTF8() {
        let event = ConsumerEvent.recordConsumed(consumer: "c1", partition: tp, offset: 5, key: nil, value: Array("café".utf8))
        #expect(ConsumerEventText.details(event) == "c1 ← t-0@5 key=null value=café")
    }

    @Test func logAndProducerReasons() {
        #expect(EventText.details(.segmentRolled(partition: tp, baseOffset: 6, reason: .segmentBytes))
            == "t-0 new active segment 00000000000000000006.log (segment.bytes)")
        #expect(EventText.details(.segmentDeleted(partition: tp, baseOffset: 0, reason: .logStartOffset))
            == "t-0 segment 00000000000000000000.log deleted (log start offset)")
        #expect(EventText.details(.batchExpired(producer: "p", partition: tp, records: 2, reason: .deliveryTimeout(ageMs: 120_000)))
            == "p: Expiring 2 record(s) for t-0:120000 ms has passed since batch creation")
        #expect(EventText.details(.batchExpired(producer: "p", partition: tp, records: 1, reason: .producerClosed))
            == "p: 1 record(s) for t-0: Producer is closed forcefully.")
    }
}
