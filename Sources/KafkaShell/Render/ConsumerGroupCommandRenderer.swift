import KafkaModel

/// Renders `kafka-consumer-groups.sh` tables exactly as `ConsumerGroupCommand` formats them.
enum ConsumerGroupCommandRenderer {
    static let missing = "-"

    /// `printError`: `"\nError: <msg>"` on stdout, newline-terminated.
    static func error(_ message: String) -> String {
        "\nError: \(message)\n"
    }

    /// `--describe` (`--offsets`). `rows == nil` means Kafka found no group information at all.
    /// `state` is the group's state as described (an unknown group is Dead).
    /// `verbose` inserts LEADER-EPOCH after PARTITION (4.0.0 `printOffsetFormat`:
    /// `"\n%-Gs %-Ts %-10s %-15s %-15s %-15s %-15s %-Cs %-Hs %s"`).
    static func describeOffsets(groupId: String, state: ClassicGroupState, rows: [ConsumerGroupDescribeRow]?,
                                verbose: Bool = false) -> ConsumerGroupCommandOutput {
        var out = ConsumerGroupCommandOutput()
        guard let rows else {
            out.stdout = error("The consumer group '\(groupId)' does not exist.")
            return out
        }
        if let message = stateMessage(groupId, state) {
            // Only the error goes to stdout (`printError`); the notices are Kafka's `System.err` lines.
            if state == .dead { out.stdout = message } else { out.stderr = message }
        }
        guard state != .dead, !rows.isEmpty else { return out }
        var g = 15, t = 15, c = 15, h = 15
        for r in rows {
            g = max(g, JavaString.length(r.group))
            t = max(t, JavaString.length(r.topic ?? missing))
            c = max(c, JavaString.length(r.consumerId ?? missing))
            h = max(h, JavaString.length(r.host ?? missing))
        }
        func line(_ v: [String]) -> String {
            let j = JavaString.leftJustify
            var cells = [j(v[0], g), j(v[1], t), j(v[2], 10)]
            if verbose { cells.append(j(v[9], 15)) }
            cells += [j(v[3], 15), j(v[4], 15), j(v[5], 15), j(v[6], c), j(v[7], h), v[8]]
            return "\n" + cells.joined(separator: " ")
        }
        var text = line(["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID",
                         "LEADER-EPOCH"])
        for r in rows {
            text += line([r.group, r.topic ?? missing, r.partition.map(String.init) ?? missing,
                          r.currentOffset.map(String.init) ?? missing, r.logEndOffset.map(String.init) ?? missing,
                          r.lag.map(String.init) ?? missing, r.consumerId ?? missing, r.host ?? missing, r.clientId ?? missing,
                          r.leaderEpoch.map(String.init) ?? missing])
        }
        out.stdout += text + "\n"
        return out
    }

    /// What `--describe` prints before a group's table when the group is not Stable (nil when it is).
    static func stateMessage(_ groupId: String, _ state: ClassicGroupState) -> String? {
        switch state {
        case .dead: return error("Consumer group '\(groupId)' does not exist.")
        case .empty: return "\nConsumer group '\(groupId)' has no active members.\n"
        case .preparingRebalance, .completingRebalance: return "\nWarning: Consumer group '\(groupId)' is rebalancing.\n"
        case .stable: return nil
        }
    }

    /// Kafka's text for a reset-planning warning (without the log prefix or leading newline).
    static func warning(_ warning: ResetOffsetsWarning) -> String {
        switch warning {
        case let .higherThanLatest(tp, n, h):
            return "New offset (\(n)) is higher than latest offset for topic partition \(tp). Value will be set to \(h)"
        case let .lowerThanEarliest(tp, n, s):
            return "New offset (\(n)) is lower than earliest offset for topic partition \(tp). Value will be set to \(s)"
        case let .emptyPartitionFallback(tp):
            return "Warn: Partition \(tp.partition) from topic \(tp.topic) is empty. Falling back to latest known offset."
        }
    }

    /// `getAssignmentString`: per topic `topic:` + partition numbers sorted as strings and joined with `,`;
    /// the topic strings sorted and joined with `;` (`orders:0,1,10,2;payments:2`).
    static func assignmentString(_ assignment: [TopicPartition]) -> String {
        var byTopic: [String: [String]] = [:]
        for tp in assignment { byTopic[tp.topic, default: []].append(String(tp.partition)) }
        return byTopic.map { topic, ps in topic + ":" + ps.sorted(by: JavaString.lessThan).joined(separator: ",") }
            .sorted(by: JavaString.lessThan).joined(separator: ";")
    }

    /// The `--reset-offsets` result table: format `%n%-30s %-30s %-10s %-15s`, then a newline.
    static func resetOffsets(_ plans: [(groupId: String, plan: ResetOffsetsPlan)]) -> String {
        func line(_ a: String, _ b: String, _ c: String, _ d: String) -> String {
            "\n" + JavaString.leftJustify(a, 30) + " " + JavaString.leftJustify(b, 30) + " "
                + JavaString.leftJustify(c, 10) + " " + JavaString.leftJustify(d, 15)
        }
        var text = ""
        if !plans.isEmpty { text += line("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET") }
        for (group, plan) in plans {
            for (tp, offset) in plan.offsets { text += line(group, tp.topic, String(tp.partition), String(offset)) }
        }
        return text + "\n"
    }

    /// `--export`: CSV rows `topic,partition,offset` for one group, `group,topic,partition,offset` for several.
    static func exportCsv(_ plans: [(groupId: String, plan: ResetOffsetsPlan)]) -> String {
        let single = plans.count == 1
        return plans.flatMap { group, plan in
            plan.offsets.map { tp, o in (single ? "" : "\(group),") + "\(tp.topic),\(tp.partition),\(o)\n" }
        }.joined()
    }
}
