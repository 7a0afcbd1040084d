import KafkaModel

/// `kafka-consumer-groups.sh` with Kafka's flags, output formats and messages (`ConsumerGroupCommand`).
enum KafkaConsumerGroupsTool {
    static let all: [Command] = [tool]

    static let scenarios = ["to-earliest", "to-latest", "to-offset", "shift-by", "to-current", "to-datetime", "by-duration", "from-file"]

    static let spec = CommandSpec(
        "kafka-consumer-groups.sh", aliases: ["bin/kafka-consumer-groups.sh", "kafka-consumer-groups", "./bin/kafka-consumer-groups.sh"],
        group: .kafkaTools, abstract: "Kafka's consumer group tool: list, describe, delete groups and reset their offsets",
        discussion: "Exactly one action: --list, --describe, --delete, --delete-offsets or --reset-offsets.\n--reset-offsets is a dry run unless --execute is given, and needs the group to be inactive (Empty or Dead).",
        flags: [
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "REQUIRED: the cluster to connect to"),
            FlagSpec("list", help: "list all consumer groups"),
            FlagSpec("describe", help: "describe groups: offsets and lag (default), --members or --state"),
            FlagSpec("delete", help: "delete inactive groups and their offsets"),
            FlagSpec("delete-offsets", help: "delete a group's committed offsets of --topic"),
            FlagSpec("reset-offsets", help: "reset a group's committed offsets (dry run unless --execute)"),
            FlagSpec("group", value: "GROUP", repeatable: true, help: "the consumer group"),
            FlagSpec("all-groups", help: "apply to all groups"),
            FlagSpec("topic", value: "TOPIC[:P,P]", repeatable: true, help: "the topic (and partitions) in scope"),
            FlagSpec("all-topics", help: "every topic the group has committed offsets for"),
            FlagSpec("members", help: "with --describe: the members"),
            FlagSpec("verbose", help: "with --describe --members: the assignment of each member"),
            FlagSpec("state", help: "with --describe or --list: the group state"),
            FlagSpec("offsets", help: "with --describe: offsets and lag (the default)"),
            FlagSpec("to-earliest", help: "reset to the log start offset"),
            FlagSpec("to-latest", help: "reset to the high watermark"),
            FlagSpec("to-offset", value: "N", help: "reset to offset N (clamped to the log)"),
            FlagSpec("shift-by", value: "N", help: "move the committed offset by N (negative goes back; clamped)"),
            FlagSpec("to-current", help: "reset to the committed offset (latest where there is none)"),
            FlagSpec("to-datetime", value: "YYYY-MM-DDTHH:mm:SS.sss", help: "reset to the first offset at or after this time"),
            FlagSpec("by-duration", value: "PnDTnHnMnS", help: "reset to the first offset at or after now − duration, e.g. PT1H"),
            FlagSpec("from-file", value: "FILE", help: "reset to the offsets of a CSV file: topic,partition,offset"),
            FlagSpec("dry-run", help: "only show the new offsets (the default)"),
            FlagSpec("execute", help: "commit the new offsets"),
            FlagSpec("export", help: "print the plan as CSV (for --from-file)"),
            FlagSpec("timeout", value: "MS", help: "accepted for compatibility"),
            FlagSpec("command-config", value: "FILE", help: "accepted for compatibility"),
        ],
        positionals: [PositionalSpec("STATE", optional: true, variadic: true, help: "with --list --state: only groups in these states")],
        examples: [
            "kafka-consumer-groups.sh --bootstrap-server localhost:9092 --list",
            "kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group orders-app",
            "kafka-consumer-groups.sh --bootstrap-server localhost:9092 --group orders-app --reset-offsets --to-earliest --topic orders --execute",
        ],
        flagCompletion: ["group": .group, "topic": .topic, "bootstrap-server": .fixed(["localhost:9092"])],
        optionParser: .joptsimple(report: .uncaught, known: ["bootstrap-server", "group", "topic", "all-topics", "list", "describe", "all-groups", "delete", "timeout", "command-config", "reset-offsets", "delete-offsets", "dry-run", "execute", "export", "to-offset", "from-file", "to-datetime", "by-duration", "to-earliest", "to-latest", "to-current", "shift-by", "members", "verbose", "offsets", "state", "type", "validate-regex", "help", "version"]))

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        do throws(ShellError) {
            return try run(arguments, session)
        } catch {
            // Kafka's tools print several lines (some empty) before failing: keep them as lines.
            guard case .toolFailure(let lines) = error else { throw error }
            var output = Output(lines)
            output.failed = true
            return output
        }
    }

    static func run(_ arguments: ParsedArguments, _ session: Session) throws(ShellError) -> Output {
        let actions = ["list", "describe", "delete", "delete-offsets", "reset-offsets"].filter { arguments.has($0) }
        guard actions.count == 1 else {
            throw .toolFailure(["Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets"])
        }
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-consumer-groups.sh")
        let cluster = session.cluster
        let groups = arguments.has("all-groups") ? GroupAdminClient(cluster: cluster).listGroups().map(\.groupId) : arguments.strings("group")
        if actions[0] != "list" && groups.isEmpty && !arguments.has("all-groups") {
            throw .toolFailure(["Option [\(actions[0])] takes one of these options: [all-groups], [group]"])
        }
        // 4.0.0 `ConsumerGroupCommandOptions.checkArgs`.
        if actions[0] == "describe" {
            if ["members", "offsets", "state"].filter({ arguments.has($0) }).count > 1 {
                throw .toolFailure(["Option [describe] takes at most one of these options: [members], [offsets], [state]"])
            }
            if arguments.has("state") && !arguments.positionals.isEmpty {
                throw .toolFailure(["Option [describe] does not take a value for [state]"])
            }
        }
        if actions[0] == "delete" && arguments.has("topic") {
            throw .toolFailure(["The consumer does not support topic-specific offset deletion from a consumer group."])
        }
        switch actions[0] {
        case "list": return list(arguments, cluster)
        case "describe": return describe(arguments, cluster, groups)
        case "delete": return delete(cluster, groups)
        case "delete-offsets": return try deleteOffsets(arguments, session, groups)
        default: return try ResetOffsetsCommand.run(arguments, session, groups)
        }
    }

    static func text(_ s: String) -> [String] {
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// `--list`; with `--state` the table of `printGroupInfo`: `"%-Ws"` + `" %-20s"` per extra column, each line
    /// ending with `%n`, W = max over the shown groups of max(15, id length) + 10 (25 with no group).
    static func list(_ arguments: ParsedArguments, _ cluster: Cluster) -> Output {
        let listed = GroupAdminClient(cluster: cluster).listGroups()
        guard arguments.has("state") else { return Output(listed.map(\.groupId)) }
        let filter = Set(arguments.positionals.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } })
        let shown = listed.filter { filter.isEmpty || filter.contains($0.state.rawValue.lowercased()) }
        let width = (shown.map { max(15, JavaString.length($0.groupId)) }.max() ?? 15) + 10
        func line(_ group: String, _ state: String) -> String { JavaString.leftJustify(group, width) + " " + JavaString.leftJustify(state, 20) }
        return Output([line("GROUP", "STATE")] + shown.map { line($0.groupId, $0.state.rawValue) })
    }

    /// 4.0.0 describes every group first (`describeConsumerGroups`: `e.getValue().get()` per group); a group the
    /// coordinator does not know fails with `GroupIdNotFoundException` (KAFKA-17550), which `run()` prints as
    /// `printError("Executing consumer group command failed due to " + e.getMessage(), …)` before any table.
    static func describe(_ arguments: ParsedArguments, _ cluster: Cluster, _ groups: [String]) -> Output {
        let admin = GroupAdminClient(cluster: cluster)
        var descriptions: [String: DescribeGroupsResponse.DescribedGroup] = [:]
        for id in groups where descriptions[id] == nil { descriptions[id] = admin.describe(id) }
        if let missing = groups.first(where: { descriptions[$0]!.groupState == .dead }) {
            var output = Output(["", "Error: Executing consumer group command failed due to org.apache.kafka.common.errors.GroupIdNotFoundException: Group \(missing) not found."])
            output.failed = true
            return output
        }
        let verbose = arguments.has("verbose")
        var out = ""
        // The tool collects the groups into a TreeMap: printed in group id order.
        for id in Set(groups).sorted(by: JavaString.lessThan) {
            let group = descriptions[id]!
            let state = group.groupState
            let members = group.members
            if arguments.has("members") {
                out += describeMembers(id, state, members, verbose: verbose)
            } else if arguments.has("state") {
                out += describeState(group, cluster, verbose: verbose)
            } else {
                let described = members.map { DescribedMember(consumerId: $0.memberId, host: $0.clientHost, clientId: $0.clientId, assignment: $0.assignment) }
                var ends: [TopicPartition: Int64] = [:]
                let fetched = admin.committedOffsets(id)
                let committed = fetched.mapValues(\.committedOffset)
                var leaderless: [KafkaError] = []
                for tp in Set(committed.keys).union(members.flatMap(\.assignment)).sorted(by: JavaString.topicPartitionLessThan) {
                    do throws(KafkaError) { ends[tp] = try cluster.listOffsets(tp).highWatermark } catch { leaderless.append(error) }
                }
                if !leaderless.isEmpty {
                    // Kafka 4.0's admin client retries ListOffsets for a partition without a leader until --timeout
                    // (5000 ms) and the command fails; Kafka 4.1 prints '-' for its LOG-END-OFFSET and LAG (KAFKA-19435).
                    out += ConsumerGroupCommandRenderer.error(listOffsetsTimeout)
                    for error in leaderless { out += "[kafkalab] \(ConsumeCommands.unavailableLine(error))\n" }
                    break
                }
                let rows = ConsumerGroupDescribe.offsetRows(group: id, members: described, committedOffsets: committed, logEndOffsets: ends,
                                                            leaderEpochs: fetched.compactMapValues { $0.committedLeaderEpoch < 0 ? nil : $0.committedLeaderEpoch })
                let result = ConsumerGroupCommandRenderer.describeOffsets(groupId: id, state: state, rows: rows, verbose: verbose)
                out += result.stderr + result.stdout
            }
        }
        return Output(text(out))
    }

    /// What Kafka 4.0's `kafka-consumer-groups.sh` prints when ListOffsets finds no leader before `--timeout`.
    static let listOffsetsTimeout = "Executing consumer group command failed due to java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listOffsets(api=METADATA)"

    /// `printMembers`: `--verbose` appends `"%-15s %-As %-15s %-Bs"` = CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH
    /// TARGET-ASSIGNMENT (A, B = max(20, longest assignment string)). A classic group (DescribeGroups) reports no
    /// member epoch, no target epoch and no target assignment: `-`.
    static func describeMembers(_ id: String, _ state: ClassicGroupState, _ members: [ClassicGroupMember], verbose: Bool) -> String {
        var out = ConsumerGroupCommandRenderer.stateMessage(id, state) ?? ""
        if state == .dead { return out }
        let j = JavaString.leftJustify
        let withInstance = members.contains { $0.groupInstanceId != nil }
        let g = max(15, JavaString.length(id))
        let c = max(15, members.map { JavaString.length($0.memberId) }.max() ?? 0)
        let i = max(17, members.map { JavaString.length($0.groupInstanceId ?? "") }.max() ?? 0)
        let h = max(15, members.map { JavaString.length($0.clientHost) }.max() ?? 0)
        let cl = max(15, members.map { JavaString.length($0.clientId) }.max() ?? 0)
        let current = members.map { $0.assignment.isEmpty ? missing : ConsumerGroupCommandRenderer.assignmentString($0.assignment) }
        let a = max(20, current.map(JavaString.length).max() ?? 0), b = 20
        func row(_ v: [String], _ tail: [String]) -> String {
            var s = "\n" + j(v[0], g) + " " + j(v[1], c) + " "
            if withInstance { s += j(v[2], i) + " " }
            s += j(v[3], h) + " " + j(v[4], cl) + " " + j(v[5], 15) + " "
            if verbose { s += j(tail[0], 15) + " " + j(tail[1], a) + " " + j(tail[2], 15) + " " + j(tail[3], b) }
            return s
        }
        out += row(["GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS"],
                   ["CURRENT-EPOCH", "CURRENT-ASSIGNMENT", "TARGET-EPOCH", "TARGET-ASSIGNMENT"])
        for (m, assignment) in zip(members, current) {
            out += row([id, m.memberId, m.groupInstanceId ?? "", m.clientHost, m.clientId, String(m.assignment.count)],
                       [missing, assignment, missing, missing])
        }
        return out + "\n"
    }

    static let missing = ConsumerGroupCommandRenderer.missing

    /// `printStates`: `"\n%-Gs %-Ks %-20s %-20s %s"`, with `--verbose` `"\n%-Gs %-Ks %-20s %-20s %-15s %-25s %s"`
    /// (GROUP-EPOCH, TARGET-ASSIGNMENT-EPOCH: `-` for a classic group). A classic group reports its protocol only
    /// while Stable (`GroupMetadataManager.describeGroups`); an empty strategy prints `-`.
    static func describeState(_ group: DescribeGroupsResponse.DescribedGroup, _ cluster: Cluster, verbose: Bool) -> String {
        let id = group.groupId, state = group.groupState
        var out = ConsumerGroupCommandRenderer.stateMessage(id, state) ?? ""
        if state == .dead { return out }
        let coordinatorId = cluster.coordinator(of: id) ?? -1
        let listener = cluster.broker(coordinatorId)?.listener ?? "localhost:9092"
        let coordinator = "\(listener)  (\(coordinatorId))"
        let g = max(15, JavaString.length(id)), c = max(25, JavaString.length(coordinator))
        let j = JavaString.leftJustify
        func row(_ v: [String]) -> String {
            "\n" + j(v[0], g) + " " + j(v[1], c) + " " + j(v[2], 20) + " " + j(v[3], 20) + " "
                + (verbose ? j(v[4], 15) + " " + j(v[5], 25) + " " : "") + v[6]
        }
        let strategy = group.protocolData
        out += row(["GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "GROUP-EPOCH", "TARGET-ASSIGNMENT-EPOCH", "#MEMBERS"])
        out += row([id, coordinator, strategy.isEmpty ? missing : strategy, state.rawValue, missing, missing, String(group.members.count)])
        return out + "\n"
    }

    /// `deleteGroups`: success → "Deletion of requested consumer groups ('a, b') was successful." (one pair of
    /// quotes around the joined ids); any failure → `printError("Deletion of some consumer groups failed:")`, one
    /// `"* Group 'G' could not be deleted due to: " + cause` line per group (the cause's `toString()`), then, if some
    /// succeeded, `"\nThese consumer groups were deleted successfully: '" + ids joined by "'" + "', '"` (sic).
    static func delete(_ cluster: Cluster, _ groups: [String]) -> Output {
        var ok: [String] = [], failed: [(String, GroupAdminError)] = []
        for id in groups {
            do throws(GroupAdminError) { try cluster.deleteGroup(id); ok.append(id) } catch { failed.append((id, error)) }
        }
        var lines: [String] = []
        if failed.isEmpty {
            lines.append("Deletion of requested consumer groups ('" + ok.joined(separator: ", ") + "') was successful.")
        } else {
            lines += ["", "Error: Deletion of some consumer groups failed:"]
            for (id, error) in failed {
                lines.append("* Group '\(id)' could not be deleted due to: \(error.description)")
            }
            if !ok.isEmpty { lines += ["", "These consumer groups were deleted successfully: '" + ok.joined(separator: "'") + "', '"] }
        }
        var output = Output(lines)
        output.failed = !failed.isEmpty
        return output
    }

    static func deleteOffsets(_ arguments: ParsedArguments, _ session: Session, _ groups: [String]) throws(ShellError) -> Output {
        guard groups.count == 1 else { throw .toolFailure(["Option [delete-offsets] takes exactly one group: --group GROUP"]) }
        let id = groups[0]
        let topicArgs = arguments.strings("topic")
        guard !topicArgs.isEmpty else { throw .toolFailure(["Option [delete-offsets] takes the following options: [topic], [group]"]) }
        let partitions = try ResetOffsetsCommand.scope(topicArgs, session)
        // 4.0.0 `deleteOffsets()`: the top-level error picks the first line; the table follows in every case, rows
        // sorted by `topic + partition` as one string, STATUS "Error: " + the ExecutionException's message (the
        // cause's `toString()`). A group-level error fails every partition's future with the same exception.
        var result: [TopicPartition: GroupAdminError?]
        var out: String
        do throws(GroupAdminError) {
            result = try session.cluster.deleteOffsets(id, partitions)
            out = result.values.contains { $0 != nil } ? "\nError: Encounter some partition level error, see the follow-up details:\n" :
                "Request succeed for deleting offsets with topic \(topicArgs.joined(separator: ", ")) group \(id)\n"
        } catch {
            result = Dictionary(partitions.map { ($0, Optional(error)) }, uniquingKeysWith: { a, _ in a })
            out = error == .groupIdNotFound ? "\nError: '\(id)' does not exist.\n" : "\nError: Encounter some unknown error: \(error)\n"
        }
        let anyError = result.values.contains { $0 != nil }
        let j = JavaString.leftJustify
        out += "\n" + j("TOPIC", 30) + " " + j("PARTITION", 15) + " " + j("STATUS", 15)
        for tp in result.keys.sorted(by: { JavaString.lessThan($0.topic + String($0.partition), $1.topic + String($1.partition)) }) {
            let status = result[tp]!.map { "Error: " + $0.description } ?? "Successful"
            out += "\n" + j(tp.topic, 30) + " " + j(String(tp.partition), 15) + " " + j(status, 15)
        }
        var output = Output(text(out + "\n"))
        output.failed = anyError
        return output
    }
}
