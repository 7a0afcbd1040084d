import Testing
@testable import KafkaShell
@testable import KafkaModel

/// `consume` and `kafka-console-consumer.sh` with read_committed read through Fetch with isolation 1: they stop at the
/// last stable offset, never show aborted records or markers, and their offsets keep the gaps.
@Suite struct ReadCommittedReadersTests {
    let tp = TopicPartition("t", 0)

    /// Offsets 0 a (plain), 1 b and 2 c (committed at 3), 4 x (aborted at 5), 6 d (plain), 7 open (still open):
    /// last stable offset 7, high watermark 8. Written on the leader's log as the coordinator will (RF 1).
    func session() throws -> Session {
        let session = Session()
        #expect(!session.execute("topic create t -p 1 -r 1").failed)
        let cluster = session.cluster
        let log = try cluster.log(tp)
        func records(_ values: String...) -> [Record] {
            values.map { Record(timestamp: cluster.nowMs, key: nil, value: Array($0.utf8)) }
        }
        func producer(_ id: Int64, sequence: Int32 = 0) -> ProducerIdentity {
            ProducerIdentity(producerId: id, producerEpoch: 0, baseSequence: sequence)
        }
        _ = try log.appendAsLeader(records: records("a"), producer: producer(50), isTransactional: false, nowMs: cluster.nowMs)
        _ = try log.appendAsLeader(records: records("b", "c"), producer: producer(7), isTransactional: true, nowMs: cluster.nowMs)
        _ = try log.appendEndTxnMarker(producerId: 7, epoch: 1, coordinatorEpoch: 0, type: .commit, nowMs: cluster.nowMs)
        _ = try log.appendAsLeader(records: records("x"), producer: producer(8), isTransactional: true, nowMs: cluster.nowMs)
        _ = try log.appendEndTxnMarker(producerId: 8, epoch: 1, coordinatorEpoch: 0, type: .abort, nowMs: cluster.nowMs)
        _ = try log.appendAsLeader(records: records("d"), producer: producer(50, sequence: 1), isTransactional: false, nowMs: cluster.nowMs)
        _ = try log.appendAsLeader(records: records("open"), producer: producer(9), isTransactional: true, nowMs: cluster.nowMs)
        log.setHighWatermark(log.logEndOffset)
        #expect(log.lastStableOffset == 7 && log.highWatermark == 8)
        return session
    }

    @Test func consumeReadCommittedStopsAtTheLastStableOffset() throws {
        let session = try session()
        let committed = session.execute("consume t --isolation-level read_committed")
        #expect(committed.texts == [
            "PARTITION  OFFSET  TIMESTAMP     KEY   VALUE",
            "0          0       00:00:00.000  null  a",
            "0          1       00:00:00.000  null  b",
            "0          2       00:00:00.000  null  c",
            "0          6       00:00:00.000  null  d",
            "4 records.",
            "Partition 0 stops at its last stable offset 7 (high watermark 8): a transaction is still open.",
        ])
        // read_uncommitted reads to the high watermark: the aborted x and the open transaction's record too.
        #expect(session.execute("consume t").texts == [
            "PARTITION  OFFSET  TIMESTAMP     KEY   VALUE",
            "0          0       00:00:00.000  null  a",
            "0          1       00:00:00.000  null  b",
            "0          2       00:00:00.000  null  c",
            "0          4       00:00:00.000  null  x",
            "0          6       00:00:00.000  null  d",
            "0          7       00:00:00.000  null  open",
            "6 records.",
        ])
    }

    @Test func consoleConsumerReadCommittedFromTheFlagOrTheConsumerProperty() throws {
        let session = try session()
        let expected = ["Offset:0\ta", "Offset:1\tb", "Offset:2\tc", "Offset:6\td", "Processed a total of 4 messages"]
        for option in ["--isolation-level read_committed", "--consumer-property isolation.level=read_committed",
                       "--consumer-property isolation.level=read_uncommitted --isolation-level read_committed"] {
            let output = session.execute("kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --from-beginning \(option) --property print.offset=true")
            #expect(output.texts == expected, "\(option)")
        }
        // --isolation-level wins over the property; read_uncommitted shows the aborted and the open records.
        let uncommitted = session.execute("kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --from-beginning --consumer-property isolation.level=read_committed --isolation-level read_uncommitted")
        #expect(uncommitted.texts == ["a", "b", "c", "x", "d", "open", "Processed a total of 6 messages"])
        // Without --from-beginning it starts at the end: ListOffsets(latest) with read_committed answers the last
        // stable offset, so the open transaction's record shows once it commits.
        let fromEnd = "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --partition 0 --offset latest --isolation-level read_committed"
        #expect(session.execute(fromEnd).texts == ["Processed a total of 0 messages"])
        let log = try session.cluster.log(tp)
        _ = try log.appendEndTxnMarker(producerId: 9, epoch: 1, coordinatorEpoch: 0, type: .commit, nowMs: session.cluster.nowMs)
        log.setHighWatermark(log.logEndOffset)
        #expect(session.execute("kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --partition 0 --offset 7 --isolation-level read_committed --property print.offset=true").texts ==
                ["Offset:7\topen", "Processed a total of 1 messages"])
        #expect(session.execute(fromEnd).texts == ["Processed a total of 0 messages"])
    }

    @Test func aGroupCommitsPastTheMarkersItSkipped() throws {
        let session = try session()
        let output = session.execute("kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g --from-beginning --isolation-level read_committed")
        #expect(output.texts == ["a", "b", "c", "d", "Processed a total of 4 messages"])
        // The position is the last stable offset: past the ABORT marker at 5 and the plain record at 6.
        #expect(session.cluster.committedOffsets("g")[tp] == 7)
    }

    @Test func maxStopsMidTransactionAndBadLevelsAreRefused() throws {
        let session = try session()
        #expect(session.execute("consume t --isolation-level read_committed --max 2").texts == [
            "PARTITION  OFFSET  TIMESTAMP     KEY   VALUE",
            "0          0       00:00:00.000  null  a",
            "0          1       00:00:00.000  null  b",
            "2 records.",
        ])
        #expect(session.execute("consume t --partition 0 --from 3 --isolation-level read_committed").texts == [
            "PARTITION  OFFSET  TIMESTAMP     KEY   VALUE",
            "0          6       00:00:00.000  null  d",
            "1 record.",
            "Partition 0 stops at its last stable offset 7 (high watermark 8): a transaction is still open.",
        ])
        #expect(session.execute("consume t --partition 0 --from 7 --isolation-level read_committed").texts == [
            "No records to read.",
            "Partition 0 stops at its last stable offset 7 (high watermark 8): a transaction is still open.",
        ])
        let events = session.cluster.events.count
        let bad = session.execute("consume t --isolation-level committed")
        #expect(bad.failed)
        #expect(bad.texts == ["error: Invalid value 'committed' for '--isolation-level': expected read_uncommitted or read_committed. Usage: consume TOPIC [--partition P] [--from beginning|end|N] [--max N] [--isolation-level LEVEL]"])
        let badProperty = session.execute("kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g2 --consumer-property isolation.level=x")
        #expect(badProperty.failed)
        #expect(badProperty.texts == ["org.apache.kafka.common.config.ConfigException: Invalid value x for configuration isolation.level: String must be one of: read_committed, read_uncommitted"])
        #expect(session.cluster.committedOffsets("g2").isEmpty)
        #expect(session.cluster.events.count == events)
    }
}
