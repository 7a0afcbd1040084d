import KafkaModel

/// Presentation only: the lines a list of events prints as, with repetitive runs folded into one line.
/// The cluster's event log keeps every event; `events --internal` lists them unfolded.
///
/// - Internal topics (`__consumer_offsets`, …): ISR changes and leader elections of one kind, at one moment,
///   for the same reason, fold into `IsrShrunk __consumer_offsets: 34 partitions (broker 1 left)`.
/// - A producer's retries of one partition: the first failed attempt prints, the later ones fold into one line
///   at the time of the last (`attempts 2–57 failed the same way`).
/// - Many appends to one partition under one command (`produce t x --count 1000000`): the first two print,
///   the rest fold into one line at the last (`RecordsAppended t-0 offsets 2419..999999 (997581 records in
///   853 more batches)`), and so do the producer's `BatchCreated`/`BatchSent` lines for that partition.
public enum EventFolding {
    /// One printed line: the event it stands for (its time and name) and its details.
    public struct Line: Sendable {
        public let event: ClusterEvent
        public let details: String
        /// How many events the line stands for.
        public let count: Int
    }

    public static func fold(_ events: [ClusterEvent]) -> [Line] {
        // Internal-topic groups: key → indices.
        var groups: [String: [Int]] = [:]
        var retryRuns: [String: [Int]] = [:]
        for (index, event) in events.enumerated() {
            if let key = internalKey(event) { groups[key, default: []].append(index) }
            if case let .produceFailed(producer, partition, batch, _, _, _, retry) = event.kind, retry != nil {
                retryRuns["\(producer)|\(partition)|\(batch)", default: []].append(index)
            }
        }
        var replaced: [Int: Line] = [:]
        var hidden = Set<Int>()
        foldAppends(events, &replaced, &hidden)
        foldReplication(events, &replaced, &hidden)
        for indices in groups.values where indices.count > 1 {
            let first = events[indices[0]]
            replaced[indices[0]] = Line(event: first, details: internalDetails(indices.map { events[$0] }), count: indices.count)
            hidden.formUnion(indices.dropFirst())
        }
        for indices in retryRuns.values where indices.count > 2 {
            let folded = Array(indices.dropFirst())
            guard case let .produceFailed(producer, partition, batch, records, firstAttempt, error, _) = events[folded[0]].kind,
                  case let .produceFailed(_, _, _, _, lastAttempt, _, retry) = events[folded.last!].kind else { continue }
            let details = "\(producer) → \(partition): batch \(batch) (\(records) record\(records == 1 ? "" : "s")), attempts \(firstAttempt)–\(lastAttempt) failed too (\(error.errorName))"
                + (retry.map { "; retrying in \($0) ms" } ?? "")
            replaced[folded.last!] = Line(event: events[folded.last!], details: details, count: folded.count)
            hidden.formUnion(folded.dropLast())
        }
        var lines: [Line] = []
        for (index, event) in events.enumerated() where !hidden.contains(index) {
            lines.append(replaced[index] ?? Line(event: event, details: EventText.details(event.kind), count: 1))
        }
        return lines
    }

    /// More than this many appends to one partition in one list fold (the first two stay).
    static let appendsShown = 10

    private static func foldAppends(_ events: [ClusterEvent], _ replaced: inout [Int: Line], _ hidden: inout Set<Int>) {
        var appends: [TopicPartition: [Int]] = [:]
        var batchLines: [TopicPartition: [Int]] = [:]
        for (index, event) in events.enumerated() {
            switch event.kind {
            case let .recordsAppended(partition, _, _, _, _): appends[partition, default: []].append(index)
            case let .batchCreated(_, partition, _), let .batchSent(_, partition, _, _, _): batchLines[partition, default: []].append(index)
            default: break
            }
        }
        for (partition, indices) in appends where indices.count > appendsShown {
            let folded = Array(indices.dropFirst(2))
            var first = Int64.max, last = Int64.min, records = 0, bytes = 0
            for index in folded {
                guard case let .recordsAppended(_, f, l, count, size) = events[index].kind else { continue }
                first = min(first, f)
                last = max(last, l)
                records += count
                bytes += size
            }
            let details = "\(partition) offsets \(first)..\(last) (\(records) records in \(folded.count) more batches, \(bytes) bytes)"
            replaced[folded.last!] = Line(event: events[folded.last!], details: details, count: folded.count)
            hidden.formUnion(folded.dropLast())
            // The producer's batch lines for this partition fold with them: the first few stay.
            if let lines = batchLines[partition], lines.count > 4 { hidden.formUnion(lines.dropFirst(4)) }
        }
    }

    /// Replication, folded: a partition's follower copies fold into the high-watermark line they led to
    /// (`HighWatermarkAdvanced orders-0 0 → 1 on leader 1 … (copied by brokers 2, 3)`); internal topics' copies and
    /// high watermarks are not shown at all (`events --internal` lists them).
    private static func foldReplication(_ events: [ClusterEvent], _ replaced: inout [Int: Line], _ hidden: inout Set<Int>) {
        var pending: [TopicPartition: [Int]] = [:]
        for (index, event) in events.enumerated() {
            guard case .replication(let replication) = event.kind, let partition = replication.partition else { continue }
            if TopicName.isInternal(partition.topic) {
                if case .replicaTruncated = replication { continue }
                hidden.insert(index)
                continue
            }
            switch replication {
            case .replicaFetched:
                pending[partition, default: []].append(index)
            case .highWatermarkAdvanced:
                guard let copies = pending.removeValue(forKey: partition), !copies.isEmpty else { continue }
                var followers: [Int] = []
                for i in copies {
                    if case let .replication(.replicaFetched(_, follower, _, _, _, _)) = events[i].kind, !followers.contains(follower) {
                        followers.append(follower)
                    }
                }
                hidden.formUnion(copies)
                let who = followers.count == 1 ? "broker \(followers[0])" : "brokers \(followers.map(String.init).joined(separator: ", "))"
                replaced[index] = Line(event: event, details: String(EventText.details(event.kind).dropLast(0)) + ", copied by \(who)", count: copies.count + 1)
            default:
                continue
            }
        }
        // Copies that moved no high watermark: many of one partition fold as appends do.
        for (_, indices) in pending where indices.count > appendsShown {
            let folded = Array(indices.dropFirst(2))
            var first = Int64.max, last = Int64.min, records = 0
            for index in folded {
                guard case let .replication(.replicaFetched(_, _, _, f, l, count)) = events[index].kind else { continue }
                first = min(first, f)
                last = max(last, l)
                records += count
            }
            guard case let .replication(.replicaFetched(partition, _, _, _, _, _)) = events[folded.last!].kind else { continue }
            replaced[folded.last!] = Line(event: events[folded.last!],
                                          details: "\(partition) followers copied offsets \(first)..\(last) (\(records) records in \(folded.count) more fetches)",
                                          count: folded.count)
            hidden.formUnion(folded.dropLast())
        }
    }

    /// Internal topics' partition-level metadata changes, grouped by kind, topic, moment and cause.
    private static func internalKey(_ event: ClusterEvent) -> String? {
        switch event.kind {
        case let .isrShrunk(partition, _, removed) where TopicName.isInternal(partition.topic):
            return "IsrShrunk|\(partition.topic)|\(event.timestampMs)|\(removed)"
        case let .isrExpanded(partition, _, added) where TopicName.isInternal(partition.topic):
            return "IsrExpanded|\(partition.topic)|\(event.timestampMs)|\(added)"
        case let .leaderElected(partition, _, _, reason) where TopicName.isInternal(partition.topic):
            return "LeaderElected|\(partition.topic)|\(event.timestampMs)|\(reason)"
        default:
            return nil
        }
    }

    private static func internalDetails(_ events: [ClusterEvent]) -> String {
        let count = events.count
        switch events[0].kind {
        case let .isrShrunk(partition, _, removed):
            return "\(partition.topic): \(count) partitions (broker \(removed) left)"
        case let .isrExpanded(partition, _, added):
            return "\(partition.topic): \(count) partitions (broker \(added) caught up)"
        case let .leaderElected(partition, _, _, reason):
            var leaders: [Int?] = []
            for case let .leaderElected(_, leader, _, _) in events.map(\.kind) where !leaders.contains(leader) { leaders.append(leader) }
            let ids = leaders.compactMap { $0 }.sorted().map(String.init)
            var who = ids.count == 1 ? "leader → broker \(ids[0])" : "leaders → brokers \(ids.joined(separator: ", "))"
            if leaders.contains(nil) { who = ids.isEmpty ? "leader → none" : who + " or none" }
            return "\(partition.topic): \(count) partitions, \(who) (\(EventText.words(reason)))"
        default:
            return EventText.details(events[0].kind)
        }
    }
}
