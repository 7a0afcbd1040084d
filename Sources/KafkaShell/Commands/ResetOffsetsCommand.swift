import Foundation
import KafkaModel

/// `kafka-consumer-groups.sh --reset-offsets`: the eight scenarios, scopes, dry run vs execute.
enum ResetOffsetsCommand {
    static let dryRunWarning = "WARN: No action will be performed as the --execute option is missing. In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting."

    /// `--topic t` / `--topic t:0,1` as partitions; unknown topics are Kafka's error.
    static func scope(_ topicArgs: [String], _ session: Session) throws(ShellError) -> [TopicPartition] {
        var out: [TopicPartition] = []
        for arg in topicArgs {
            let parts = arg.split(separator: ":", maxSplits: 1).map(String.init)
            let topic = parts.first ?? ""
            guard let t = session.cluster.topics[topic] else {
                throw .toolFailure(["", "Error: Executing consumer group command failed due to org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition."])
            }
            if parts.count == 2 {
                for p in parts[1].split(separator: ",") {
                    guard let n = Int(p), n >= 0 else { throw .toolFailure(["Error: Invalid partition '\(p)' in --topic \(arg): write TOPIC:0,1,2"]) }
                    out.append(TopicPartition(topic, n))
                }
            } else {
                out += (0..<t.partitions.count).map { TopicPartition(topic, $0) }
            }
        }
        return out
    }

    static func run(_ arguments: ParsedArguments, _ session: Session, _ groups: [String]) throws(ShellError) -> Output {
        let chosen = KafkaConsumerGroupsTool.scenarios.filter { arguments.has($0) }
        guard chosen.count == 1 else {
            throw .toolFailure(["Option [reset-offsets] takes one of these options: " + KafkaConsumerGroupsTool.scenarios.map { "[\($0)]" }.joined(separator: ", ")])
        }
        if arguments.has("dry-run") && arguments.has("execute") {
            throw .toolFailure(["Option [reset-offsets] only accepts one of [execute] and [dry-run]"])
        }
        let scenarioName = chosen[0]
        if scenarioName != "from-file" && !arguments.has("all-topics") && arguments.strings("topic").isEmpty {
            throw .toolFailure(["Option [reset-offsets] must have one of these scopes: [all-topics], [topic]"])
        }
        let scenario: OffsetResetScenario
        switch scenarioName {
        case "to-earliest": scenario = .toEarliest
        case "to-latest": scenario = .toLatest
        case "to-current": scenario = .toCurrent
        case "to-offset":
            guard let n = Int64(arguments.string("to-offset")!) else { throw .toolFailure(["Error: --to-offset expects a number, got '\(arguments.string("to-offset")!)'"]) }
            scenario = .toOffset(n)
        case "shift-by":
            guard let n = Int64(arguments.string("shift-by")!) else { throw .toolFailure(["Error: --shift-by expects a number, got '\(arguments.string("shift-by")!)'"]) }
            scenario = .shiftBy(n)
        case "to-datetime": scenario = .toDatetime(arguments.string("to-datetime")!)
        case "by-duration": scenario = .byDuration(arguments.string("by-duration")!)
        default:
            let path = arguments.string("from-file")!
            let csv: String
            do throws(UserFiles.Refusal) { csv = try session.files.read(path) } catch {
                if error.description.hasPrefix("NoSuchFileException") {
                    throw .toolFailure(["", "Error: Executing consumer group command failed due to java.nio.file.NoSuchFileException: \(path)"])
                }
                throw .failed(error.description)
            }
            scenario = .fromFile(csv)
        }
        let cluster = session.cluster
        var stderr: [String] = []
        if !arguments.has("dry-run") && !arguments.has("execute") { stderr.append(dryRunWarning) }
        var plans: [(groupId: String, plan: ResetOffsetsPlan)] = []
        var fallbacks = ""
        let admin = GroupAdminClient(cluster: cluster)
        for id in groups {
            let state = admin.describe(id).groupState
            do throws(ResetOffsetsError) {
                try ResetOffsetsPlanner.checkGroupInactive(groupId: id, state: state)
            } catch {
                throw .toolFailure(stderr + ["", "Error: \(error.description)"])
            }
            let committed = admin.committedOffsets(id).mapValues(\.committedOffset)
            let partitions = arguments.has("all-topics") ? Array(committed.keys) : try scope(arguments.strings("topic"), session)
            var starts: [TopicPartition: Int64] = [:], ends: [TopicPartition: Int64] = [:]
            let known = Set(partitions).union(committed.keys)
            var listed = known
            if case .fromFile = scenario { listed.formUnion(cluster.logManager.logs.keys) }
            // ListOffsets goes to each partition's leader.
            var leaderless: [TopicPartition: KafkaError] = [:]
            for tp in listed {
                do throws(KafkaError) {
                    let offsets = try cluster.listOffsets(tp)
                    starts[tp] = offsets.logStartOffset
                    ends[tp] = offsets.highWatermark
                } catch .unknownTopicOrPartition {
                    continue
                } catch {
                    leaderless[tp] = error
                }
            }
            // Every scenario lists the offsets of the partitions it resets (--to-current only of those without a
            // committed offset). Kafka 4.0's admin client retries a partition without a leader until the timeout
            // and the command fails (Kafka 4.1 fails at once naming the partitions, KAFKA-19500).
            let needed = partitions.filter { tp in
                if case .toCurrent = scenario { return committed[tp] == nil }
                return true
            }
            let stuck = needed.filter { leaderless[$0] != nil }.sorted(by: JavaString.topicPartitionLessThan)
            if !stuck.isEmpty {
                throw .toolFailure(stderr + ["", "Error: \(KafkaConsumerGroupsTool.listOffsetsTimeout)"]
                                   + stuck.map { "[kafkalab] \(ConsumeCommands.unavailableLine(leaderless[$0]!))" })
            }
            let byTime = offsetsByTimestamp(cluster, known)
            let input = ResetOffsetsInput(groupId: id, partitions: partitions, logStartOffsets: starts, logEndOffsets: ends,
                                          committedOffsets: committed, nowMs: cluster.nowMs, singleGroupQuery: groups.count == 1,
                                          offsetForTimestamp: { tp, ts in byTime[tp]?.first { $0.timestamp >= ts }?.offset })
            let plan: ResetOffsetsPlan
            do throws(ResetOffsetsError) { plan = try ResetOffsetsPlanner.plan(scenario, input) } catch {
                // 4.0.0 `run()`: `catch (IllegalArgumentException e) { CommandLineUtils.printUsageAndExit(opts.parser, e.getMessage()); }`
                // — the message, then the option help (kafkalab prints its usage line there).
                if case .noCommittedOffsetToShift = error {
                    throw .toolFailure(stderr + [error.description, "Usage: \(KafkaConsumerGroupsTool.spec.usage)"])
                }
                // Anything else: `printError("Executing consumer group command failed due to " + e.getMessage(), …)`.
                throw .toolFailure(stderr + ["", "Error: Executing consumer group command failed due to \(exceptionName(error)): \(error.description)"])
            }
            for w in plan.warnings {
                let text = ConsumerGroupCommandRenderer.warning(w)
                if case .emptyPartitionFallback = w { fallbacks += "\n\(text)" } else {
                    stderr.append("[\(log4jTime(cluster.nowMs))] WARN \(text) (org.apache.kafka.tools.consumer.group.ConsumerGroupCommand)")
                }
            }
            plans.append((id, plan))
        }
        if arguments.has("execute") {
            for (id, plan) in plans {
                do throws(ResetOffsetsError) {
                    try cluster.resetOffsets(id, Dictionary(plan.offsets.map { ($0.0, $0.1) }, uniquingKeysWith: { _, b in b }))
                } catch {
                    throw .toolFailure(stderr + ["", "Error: \(error.description)"])
                }
            }
        }
        // The warnings go to standard error, as Kafka's do: `--export > plan.csv` writes only the CSV.
        var output = Output(stderr, style: .standardError)
        var lines = KafkaConsumerGroupsTool.text(fallbacks.isEmpty ? "" : fallbacks + "\n")
        if arguments.has("export") {
            lines += KafkaConsumerGroupsTool.text(ConsumerGroupCommandRenderer.exportCsv(plans))
        } else {
            lines += KafkaConsumerGroupsTool.text(ConsumerGroupCommandRenderer.resetOffsets(plans))
        }
        output.append(lines: lines)
        return output
    }

    private static func offsetsByTimestamp(_ cluster: Cluster, _ partitions: Set<TopicPartition>) -> [TopicPartition: [Record]] {
        var out: [TopicPartition: [Record]] = [:]
        for tp in partitions {
            // ListOffsets by timestamp, answered by the leader from the records below the high watermark.
            if let start = try? cluster.listOffsets(tp).logStartOffset, let records = try? cluster.fetch(tp, from: start) {
                out[tp] = records
            }
        }
        return out
    }

    static func exceptionName(_ error: ResetOffsetsError) -> String {
        switch error {
        case .unparseableDate, .timestampWithoutT: return "java.text.ParseException"
        case .unparseableDuration: return "java.time.format.DateTimeParseException"
        case .durationOutOfRange: return "java.time.DateTimeException"
        default: return "java.lang.IllegalArgumentException"
        }
    }

    /// log4j's `yyyy-MM-dd HH:mm:ss,SSS`.
    static func log4jTime(_ ms: Int64) -> String {
        let iso = Timestamp.iso8601(ms)
        return iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: ".", with: ",").replacingOccurrences(of: "Z", with: "")
    }
}
