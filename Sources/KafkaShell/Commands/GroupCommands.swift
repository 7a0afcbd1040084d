import KafkaModel

/// `groups` and `lag [GROUP]`: kafkalab's short views of consumer groups.
enum GroupCommands {
    static let all: [Command] = [groups, lag]

    static let groups = Command(
        CommandSpec(
            "groups", group: .groups, abstract: "List consumer groups: state, generation, assignor, members, coordinator",
            examples: ["groups"])
    ) { _, session throws(ShellError) in
        let cluster = session.cluster
        let ids = cluster.groupIds
        guard !ids.isEmpty else { return Output(["No consumer groups yet. Start a consumer: consumer start c1 --group G --topic T"]) }
        var table = Table(["GROUP", "STATE", "GEN", "ASSIGNOR", "MEMBERS", "COORDINATOR", "OFFSETS-PARTITION", "LAG"])
        for id in ids {
            let group = cluster.groupCoordinator.groups[id]
            let lag = cluster.lag(of: id).compactMap(\.lag).reduce(0, +)
            table.add([id, cluster.groupState(id).rawValue, group.map { String($0.generationId) } ?? "-",
                       group?.protocolName ?? "-", String(group?.members.count ?? 0),
                       cluster.coordinator(of: id).map { "broker \($0)" } ?? "-",
                       "__consumer_offsets-\(cluster.offsetsPartition(of: id))", String(lag)])
        }
        return Output(table.render())
    }

    static let lag = Command(
        CommandSpec(
            "lag", group: .groups, abstract: "Show each partition's lag (high watermark − committed offset) as bars",
            discussion: "Lag counts records the group has not committed yet. A partition with no committed offset shows '-'.",
            positionals: [PositionalSpec("GROUP", optional: true, help: "the group; all groups when omitted")],
            examples: ["lag", "lag orders-app"], positionalCompletion: .group)
    ) { arguments, session throws(ShellError) in
        let cluster = session.cluster
        let ids: [String]
        if let id = arguments.positional(0) {
            guard cluster.groupState(id) != .dead else { throw unknownGroup(id, session) }
            ids = [id]
        } else {
            ids = cluster.groupIds
            if ids.isEmpty { return Output(["No consumer groups yet. Start a consumer: consumer start c1 --group G --topic T"]) }
        }
        var output = Output()
        for (n, id) in ids.enumerated() {
            if n > 0 { output.append("") }
            let rows = cluster.lag(of: id)
            let total = rows.compactMap(\.lag).reduce(0, +)
            output.append("\(id) (\(cluster.groupState(id).rawValue)): total lag \(total)", style: .heading)
            let maxLag = max(1, rows.compactMap(\.lag).max() ?? 1)
            let owners = ownerNames(cluster, id)
            var table = Table(["PARTITION", "COMMITTED", "HIGH-WATERMARK", "LAG", "", "OWNER"])
            for r in rows {
                let bar = r.lag.map { String(repeating: "█", count: Int(($0 * 20 + maxLag - 1) / maxLag)) } ?? ""
                table.add([r.partition.description, r.committed.map(String.init) ?? "-", r.highWatermark.map(String.init) ?? "-",
                           r.lag.map(String.init) ?? "-", bar, owners[r.partition] ?? "-"])
            }
            output.append(lines: table.render())
            // A partition without a leader cannot list its offsets: its high watermark and lag are unknown.
            for r in rows where r.highWatermark == nil {
                do throws(KafkaError) { _ = try cluster.listOffsets(r.partition) } catch {
                    output.append("warning: \(ConsumeCommands.unavailableLine(error))", style: .warning)
                }
            }
        }
        return output
    }

    static func ownerNames(_ cluster: Cluster, _ groupId: String) -> [TopicPartition: String] {
        var owners: [TopicPartition: String] = [:]
        for m in cluster.groupCoordinator.groups[groupId]?.members ?? [] {
            for tp in m.assignment { owners[tp] = m.clientId }
        }
        return owners
    }

    static func unknownGroup(_ id: String, _ session: Session) -> ShellError {
        let ids = session.cluster.groupIds
        return .failed("Unknown group '\(id)'.\(Suggestion.didYouMean(id, in: ids)) " + (ids.isEmpty ? "No groups yet." : "(groups: \(ids.joined(separator: ", ")))") + " (GROUP_ID_NOT_FOUND)")
    }
}
