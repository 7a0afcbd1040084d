/// Kafka's `ConsumerGroupCommand.prepareOffsetsToReset` and `checkOffsetsRange`, as a pure function.
public enum ResetOffsetsPlanner {
    /// Kafka resets offsets only for inactive groups: Empty or Dead (an unknown group is described as Dead).
    public static func checkGroupInactive(groupId: String, state: ClassicGroupState) throws(ResetOffsetsError) {
        guard state == .empty || state == .dead else { throw .groupNotInactive(groupId: groupId, state: state) }
    }

    /// Plans the new offsets for `scenario`.
    public static func plan(_ scenario: OffsetResetScenario, _ input: ResetOffsetsInput) throws(ResetOffsetsError) -> ResetOffsetsPlan {
        let scope = input.partitions.sorted(by: JavaString.topicPartitionLessThan)
        var warnings: [ResetOffsetsWarning] = []
        var result: [(TopicPartition, Int64)] = []

        func latest(_ tp: TopicPartition) throws(ResetOffsetsError) -> Int64 {
            guard let v = input.logEndOffsets[tp] else { throw .noEndingOffset(tp) }
            return v
        }
        func checked(_ requested: [(TopicPartition, Int64)]) throws(ResetOffsetsError) -> [(TopicPartition, Int64)] {
            var out: [(TopicPartition, Int64)] = []
            for (tp, offset) in requested {
                let end = try latest(tp)
                if offset > end {
                    warnings.append(.higherThanLatest(tp, requested: offset, latest: end))
                    out.append((tp, end))
                } else if let start = input.logStartOffsets[tp], offset < start {
                    warnings.append(.lowerThanEarliest(tp, requested: offset, earliest: start))
                    out.append((tp, start))
                } else {
                    out.append((tp, offset))
                }
            }
            return out
        }
        func byTimestamp(_ ts: Int64) throws(ResetOffsetsError) -> [(TopicPartition, Int64)] {
            var out: [(TopicPartition, Int64)] = []
            for tp in scope {
                if let o = input.offsetForTimestamp(tp, ts) {
                    out.append((tp, o))
                } else {
                    warnings.append(.emptyPartitionFallback(tp))
                    out.append((tp, try latest(tp)))
                }
            }
            return out
        }

        switch scenario {
        case .toEarliest:
            for tp in scope {
                guard let s = input.logStartOffsets[tp] else { throw .noStartingOffset(tp) }
                result.append((tp, s))
            }
        case .toLatest:
            for tp in scope { result.append((tp, try latest(tp))) }
        case .toOffset(let n):
            result = try checked(scope.map { ($0, n) })
        case .shiftBy(let n):
            var requested: [(TopicPartition, Int64)] = []
            for tp in scope {
                guard let current = input.committedOffsets[tp] else { throw .noCommittedOffsetToShift(tp) }
                requested.append((tp, current &+ n))
            }
            result = try checked(requested)
        case .toCurrent:
            for tp in scope {
                if let c = input.committedOffsets[tp] { result.append((tp, c)) } else { result.append((tp, try latest(tp))) }
            }
        case .toDatetime(let text):
            result = try byTimestamp(try KafkaDateTime.parse(text))
        case .toTimestampMs(let ts):
            result = try byTimestamp(ts)
        case .byDuration(let text):
            let d = try JavaDuration.parse(text)
            guard let timestamp = d.subtracted(fromEpochMs: input.nowMs) else { throw .durationOutOfRange(text) }
            result = try byTimestamp(timestamp)
        case .fromFile(let csv):
            let plan = try parseResetPlan(csv, singleGroupQuery: input.singleGroupQuery, groupId: input.groupId)
            guard let forGroup = plan[input.groupId] else { throw .noResetPlanForGroup(input.groupId) }
            result = try checked(forGroup.sorted { JavaString.topicPartitionLessThan($0.key, $1.key) }.map { ($0.key, $0.value) })
        }
        return ResetOffsetsPlan(offsets: result, warnings: warnings)
    }

    /// Kafka's `parseResetPlan`: the 3-column format when the first line parses as `topic,partition,offset` and a
    /// single group is queried, otherwise `group,topic,partition,offset` on every line. Later rows win.
    public static func parseResetPlan(_ csv: String, singleGroupQuery: Bool, groupId: String) throws(ResetOffsetsError)
        -> [String: [TopicPartition: Int64]] {
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        func fields(_ line: String, _ n: Int) -> [String]? {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == n, Int32(f[n - 2]) != nil, Int64(f[n - 1]) != nil else { return nil }
            return f
        }
        let oldFormat = lines.first.flatMap { fields($0, 3) } != nil
        var plan: [String: [TopicPartition: Int64]] = [:]
        for line in lines {
            if singleGroupQuery && oldFormat {
                guard let f = fields(line, 3) else { throw .malformedResetPlanLine(line) }
                plan[groupId, default: [:]][TopicPartition(f[0], Int(f[1])!)] = Int64(f[2])!
            } else {
                guard let f = fields(line, 4) else { throw .malformedResetPlanLine(line) }
                plan[f[0], default: [:]][TopicPartition(f[1], Int(f[2])!)] = Int64(f[3])!
            }
        }
        return plan
    }
}
