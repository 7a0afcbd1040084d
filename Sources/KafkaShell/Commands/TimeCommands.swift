import KafkaModel

/// `time`, `tick` and `events`: simulated time and what happened on it.
enum TimeCommands {
    static let all: [Command] = [time, tick, events]

    static let time = Command(
        CommandSpec("time", group: .time, abstract: "Show the simulated time",
                    discussion: "Simulated time starts at 2024-01-01T00:00:00Z and moves only with 'tick'.", examples: ["time"])
    ) { _, session throws(ShellError) in
        let cluster = session.cluster
        return Output(["\(Timestamp.iso8601(cluster.nowMs)) (+\(SimulatedDuration.format(cluster.nowMs - cluster.config.startMs)) since start)"])
    }

    static let tick = Command(
        CommandSpec(
            "tick", group: .time, abstract: "Advance simulated time, firing every timer that falls due",
            discussion: "Units: ms, s, m, h, d (combine them: 1h30m). Timers fire in the order they fall due;\nthe events they cause print below, stamped with the time they fired.",
            positionals: [PositionalSpec("DURATION", help: "how far to move the clock, e.g. 500ms, 5s, 2m, 1h, 7d")],
            examples: ["tick 5s", "tick 7d"], positionalCompletion: .fixed(["500ms", "5s", "30s", "1m", "5m", "1h", "1d", "7d"]))
    ) { arguments, session throws(ShellError) in
        let text = arguments.positionals[0]
        let durationMs: Int64
        do throws(SimulatedDuration.ParseError) { durationMs = try SimulatedDuration.parse(text) } catch { throw .failed(error.description) }
        session.cluster.advance(byMs: durationMs)
        var output = Output(["Time is now \(Timestamp.iso8601(session.cluster.nowMs))."])
        if session.servesRealClients {
            output.append(session.lang == "ko"
                ? "참고: 실제 클라이언트에게도 시간이 그만큼 흘렀다. 그동안 하트비트를 보내지 못한 멤버는 session.timeout.ms가 지나 그룹에서 빠지고 다시 참여한다. 이후 시계는 다시 벽시계를 따른다."
                : "Note: real clients were connected: to the cluster they sent nothing during that jump, so group members whose session.timeout.ms passed were removed and will rejoin. The clock follows the wall clock again from here.",
                style: .warning)
        }
        if let stop = session.cluster.takeInterruption() {
            output.append(Self.interruptedLine(stop, lang: session.lang), style: .warning)
        }
        return output
    }

    /// What a learner sees when Ctrl-C stopped the clock early.
    static func interruptedLine(_ stop: (stoppedMs: Int64, targetMs: Int64), lang: String) -> String {
        let left = SimulatedDuration.format(stop.targetMs - stop.stoppedMs)
        return lang == "ko"
            ? "Ctrl-C로 멈췄다: 시계는 \(Timestamp.iso8601(stop.stoppedMs))에 섰다(\(left) 남음). 그때까지의 상태는 모두 그대로다."
            : "Interrupted (Ctrl-C): the clock stopped at \(Timestamp.iso8601(stop.stoppedMs)), \(left) short of the target; everything up to then happened."
    }

    static let events = Command(
        CommandSpec(
            "events", aliases: ["timeline"], group: .time, abstract: "List what happened in the cluster, with simulated timestamps",
            flags: [
                FlagSpec("last", short: "n", value: "N", help: "show only the last N events"),
                FlagSpec("type", value: "TYPE", help: "show only events of this type, e.g. LeaderElected"),
                FlagSpec("internal", help: "list internal topics' ISR changes and elections one by one (by default one line per kind, numbered N+)"),
            ],
            examples: ["events", "events --last 5", "events --type LeaderElected", "events --internal"])
    ) { arguments, session throws(ShellError) in
        var list = session.cluster.events
        if let type = arguments.string("type") {
            let types = Set(list.map(\.kind.name))
            list = list.filter { $0.kind.name.lowercased() == type.lowercased() }
            if list.isEmpty && !types.contains(where: { $0.lowercased() == type.lowercased() }) {
                throw .failed("No events of type '\(type)'.\(Suggestion.didYouMean(type, in: types)) Types so far: \(types.sorted().joined(separator: ", ")).")
            }
        }
        let last = try arguments.int("last", in: 1...Int.max)
        if let last { list = Array(list.suffix(last)) }
        var table = Table(["#", "TIME", "EVENT", "DETAILS"])
        let lines = arguments.has("internal")
            ? list.map { EventFolding.Line(event: $0, details: EventText.details($0.kind), count: 1) }
            : EventFolding.fold(list)
        for line in lines {
            table.add([String(line.event.sequence) + (line.count > 1 ? "+" : ""), Timestamp.iso8601(line.event.timestampMs),
                       line.event.kind.name, line.details])
        }
        var output = Output(table.render())
        let discarded = session.cluster.discardedEventCount
        if discarded > 0 && (last.map { $0 > list.count } ?? true) {
            output.append("(Events 0–\(discarded - 1) were let go to bound memory: kafkalab keeps the last \(session.eventsKept) or so.)", style: .dim)
        }
        return output
    }
}
