import Testing
@testable import KafkaModel

private let p0 = TopicPartition("orders", 0), p1 = TopicPartition("orders", 1), p2 = TopicPartition("orders", 2)

private func input(committed: [TopicPartition: Int64] = [p0: 5, p1: 2], now: Int64 = 1_700_000_000_000,
                   lookup: @escaping @Sendable (TopicPartition, Int64) -> Int64? = { _, _ in nil }) -> ResetOffsetsInput {
    ResetOffsetsInput(groupId: "my-group", partitions: [p2, p0, p1],
                      logStartOffsets: [p0: 0, p1: 1, p2: 3], logEndOffsets: [p0: 8, p1: 2, p2: 4],
                      committedOffsets: committed, nowMs: now, offsetForTimestamp: lookup)
}

private func offsets(_ plan: ResetOffsetsPlan) -> [Int64] { plan.offsets.map(\.1) }

@Suite("Reset offsets planning (§5.4)")
struct ResetOffsetsTests {
    @Test func toEarliestAndLatest() throws {
        #expect(offsets(try ResetOffsetsPlanner.plan(.toEarliest, input())) == [0, 1, 3])
        #expect(offsets(try ResetOffsetsPlanner.plan(.toLatest, input())) == [8, 2, 4])
        #expect(try ResetOffsetsPlanner.plan(.toLatest, input()).offsets.map(\.0) == [p0, p1, p2])
    }

    @Test func toOffsetClampsBothWays() throws {
        let plan = try ResetOffsetsPlanner.plan(.toOffset(3), input())
        #expect(offsets(plan) == [3, 2, 3])
        #expect(plan.warnings == [.higherThanLatest(p1, requested: 3, latest: 2)])
        let low = try ResetOffsetsPlanner.plan(.toOffset(0), input())
        #expect(offsets(low) == [0, 1, 3])
        #expect(low.warnings == [.lowerThanEarliest(p1, requested: 0, earliest: 1), .lowerThanEarliest(p2, requested: 0, earliest: 3)])
    }

    @Test func shiftBy() throws {
        let plan = try ResetOffsetsPlanner.plan(.shiftBy(-3), input(committed: [p0: 5, p1: 2, p2: 4]))
        #expect(offsets(plan) == [2, 1, 3])
        #expect(plan.warnings.count == 2)
        #expect(offsets(try ResetOffsetsPlanner.plan(.shiftBy(10), input(committed: [p0: 5, p1: 2, p2: 4]))) == [8, 2, 4])
        #expect(throws: ResetOffsetsError.noCommittedOffsetToShift(p2)) {
            _ = try ResetOffsetsPlanner.plan(.shiftBy(1), input())
        }
        #expect(ResetOffsetsError.noCommittedOffsetToShift(p2).description
            == "Cannot shift offset for partition orders-2 since there is no current committed offset")
    }

    @Test func toCurrentFallsBackToLatest() throws {
        let plan = try ResetOffsetsPlanner.plan(.toCurrent, input())
        #expect(offsets(plan) == [5, 2, 4])
        #expect(plan.warnings.isEmpty)
    }

    @Test func toDatetimeWithEmptyPartitionFallback() throws {
        let ts = try KafkaDateTime.parse("2020-11-10T16:51:38.198+08:00")
        #expect(ts == 1_604_998_298_198)
        let plan = try ResetOffsetsPlanner.plan(.toDatetime("2020-11-10T16:51:38.198+08:00"), input { tp, t in
            t == ts && tp.partition != 2 ? Int64(tp.partition) : nil
        })
        #expect(offsets(plan) == [0, 1, 4])
        #expect(plan.warnings == [.emptyPartitionFallback(p2)])
    }

    @Test func datetimeFormats() throws {
        let utc: Int64 = 1_605_027_098_198   // 2020-11-10T16:51:38.198Z
        #expect(try KafkaDateTime.parse("2020-11-10T16:51:38.198") == utc)
        #expect(try KafkaDateTime.parse("2020-11-10T16:51:38.198Z") == utc)
        #expect(try KafkaDateTime.parse("2020-11-10T16:51:38.198+08") == utc - 8 * 3_600_000)
        #expect(try KafkaDateTime.parse("2020-11-10T16:51:38.198+0800") == utc - 8 * 3_600_000)
        #expect(try KafkaDateTime.parse("2020-11-10T16:51:38.198-05:30") == utc + 5 * 3_600_000 + 30 * 60_000)
        #expect(try KafkaDateTime.parse("1970-01-01T00:00:00.000") == 0)
        #expect(try KafkaDateTime.parse("1970-01-01T00:00:00.5") == 5)   // SimpleDateFormat: S counts milliseconds
        #expect(try KafkaDateTime.parse("1969-13-01T00:00:00.000") == 0)  // lenient month roll-over
    }

    @Test func malformedDatetime() {
        #expect(throws: ResetOffsetsError.timestampWithoutT("2020-11-10 16:51:38.198")) {
            _ = try KafkaDateTime.parse("2020-11-10 16:51:38.198")
        }
        #expect(ResetOffsetsError.timestampWithoutT("x").description
            == "Error parsing timestamp. It does not contain a 'T' according to ISO8601 format")
        #expect(throws: ResetOffsetsError.unparseableDate("2020-11-10T16:51:38Z")) {
            _ = try KafkaDateTime.parse("2020-11-10T16:51:38")   // milliseconds are required
        }
        #expect(ResetOffsetsError.unparseableDate("a").description == "Unparseable date: \"a\"")
    }

    @Test func byDuration() throws {
        let now: Int64 = 1_700_000_000_000
        let recorder = TimestampRecorder()
        _ = try ResetOffsetsPlanner.plan(.byDuration("PT1H"), input(now: now) { _, ts in recorder.record(ts); return 0 })
        #expect(recorder.values == [now - 3_600_000, now - 3_600_000, now - 3_600_000])
        #expect(try JavaDuration.parse("P7D") == JavaDuration(seconds: 604_800, nanos: 0))
        #expect(try JavaDuration.parse("PT1H30M") == JavaDuration(seconds: 5400, nanos: 0))
        #expect(try JavaDuration.parse("pt0.5s") == JavaDuration(seconds: 0, nanos: 500_000_000))
        #expect(try JavaDuration.parse("P2DT3H4M") == JavaDuration(seconds: 2 * 86_400 + 3 * 3600 + 240, nanos: 0))
        #expect(try JavaDuration.parse("-PT6H") == JavaDuration(seconds: -21_600, nanos: 0))
        #expect(try JavaDuration.parse("PT-0.5S") == JavaDuration(seconds: -1, nanos: 500_000_000))
        #expect(try JavaDuration.parse("PT0.0005S").subtracted(fromEpochMs: 1000) == 999)   // floor like toEpochMilli
        // Beyond Instant.MIN: Java throws DateTimeException; kafkalab must not trap on overflow.
        #expect(try JavaDuration.parse("P999999999999D").subtracted(fromEpochMs: 1_704_067_200_000) == nil)
        #expect(try JavaDuration.parse("-P999999999999D").subtracted(fromEpochMs: 1_704_067_200_000) == nil)
        #expect(try JavaDuration.parse("PT2562047788015215H").subtracted(fromEpochMs: 0) == nil)
        for bad in ["P", "PT", "1H", "P1H", "P1W", "P1M", "PT1H1D", "P1DT", "PT1.5H", ""] {
            #expect(throws: ResetOffsetsError.unparseableDuration(bad)) { _ = try JavaDuration.parse(bad) }
        }
        #expect(ResetOffsetsError.unparseableDuration("x").description == "Text cannot be parsed to a Duration")
    }

    @Test func fromFileClampsAndFormats() throws {
        let csv = "orders,0,100\norders,1,1\norders,2,-4\n"
        let plan = try ResetOffsetsPlanner.plan(.fromFile(csv), input())
        #expect(offsets(plan) == [8, 1, 3])
        #expect(plan.warnings.count == 2)
        let multi = "my-group,orders,0,6\nother,orders,1,1\n"
        var i = input(); i.singleGroupQuery = false
        #expect(offsets(try ResetOffsetsPlanner.plan(.fromFile(multi), i)) == [6])
        #expect(offsets(try ResetOffsetsPlanner.plan(.fromFile(multi), input())) == [6])   // 4 columns: group format
        #expect(throws: ResetOffsetsError.noResetPlanForGroup("my-group")) {
            _ = try ResetOffsetsPlanner.plan(.fromFile("other,orders,1,1"), input())
        }
        #expect(throws: ResetOffsetsError.malformedResetPlanLine("orders,x,1")) {
            _ = try ResetOffsetsPlanner.plan(.fromFile("orders,0,1\norders,x,1"), input())
        }
    }

    @Test func groupMustBeInactive() throws {
        try ResetOffsetsPlanner.checkGroupInactive(groupId: "g", state: .empty)
        try ResetOffsetsPlanner.checkGroupInactive(groupId: "g", state: .dead)
        #expect(throws: ResetOffsetsError.groupNotInactive(groupId: "g", state: .stable)) {
            try ResetOffsetsPlanner.checkGroupInactive(groupId: "g", state: .stable)
        }
    }
}

/// Collects timestamps passed to the lookup closure.
final class TimestampRecorder: @unchecked Sendable {
    private(set) var values: [Int64] = []
    func record(_ v: Int64) { values.append(v) }
}
