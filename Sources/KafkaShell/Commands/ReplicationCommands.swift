import KafkaModel

/// The faults a learner causes to watch replication (`broker kill`, `broker slow`, `network …`) and `replicas`,
/// which shows every replica of a partition side by side.
enum ReplicationCommands {
    static let all: [Command] = [kill, slow, isolate, heal, latency] + NetworkFaultCommands.all + [replicas]

    static let kill = Command(
        CommandSpec(
            "broker kill", group: .brokers, abstract: "Crash a broker (no controlled shutdown): fenced 9 s later",
            discussion: """
                Unlike 'broker stop' (a controlled shutdown: leaderships move first, nothing is lost), a crash tells
                nobody. The broker stays leader and in every ISR until the controller fences it, when its session runs
                out: broker.session.timeout.ms (9 s) after its last heartbeat (every 2 s), at the next check (every
                1.125 s). Producers waiting on it are disconnected and retry. With --lose-unflushed its replicas also
                lose what was not yet flushed to disk (everything since their last segment roll), as after a power cut.
                """,
            flags: [FlagSpec("lose-unflushed", help: "also lose the records not yet flushed to disk")],
            positionals: [PositionalSpec("ID", help: "the broker's id")],
            examples: ["broker kill 1", "broker kill 0 --lose-unflushed"], positionalCompletion: .broker)
    ) { arguments, session throws(ShellError) in
        let id = try brokerId(arguments)
        let fenceAt: Int64
        do throws(KafkaError) { fenceAt = try session.cluster.killBroker(id, loseUnflushed: arguments.has("lose-unflushed")) } catch {
            throw ShellError(error)
        }
        let wait = fenceAt - session.cluster.nowMs
        guard session.cluster.controllerId != nil else {
            return Output(["Broker \(id) crashed. With no active controller, nobody fences it until the quorum is back."])
        }
        return Output(["Broker \(id) crashed. Its session runs out at \(Timestamp.timeOfDay(fenceAt)), when the controller fences it: tick \(SimulatedDuration.format((wait / 1000 + 1) * 1000))"])
    }

    static let slow = Command(
        CommandSpec(
            "broker slow", group: .brokers, abstract: "Make a broker's followers fetch late: they fall behind and leave the ISR",
            discussion: """
                The broker's replica fetchers wait --fetch-delay before each fetch from their leaders. A follower that has
                not caught up for replica.lag.time.max.ms (30 s) leaves the ISR at the leader's next check (every 15 s);
                acks=all sends wait for it until then. --fetch-delay 0 makes it fast again; it rejoins once caught up.
                """,
            flags: [FlagSpec("fetch-delay", value: "DURATION", help: "the wait before each fetch (0 to undo)")],
            positionals: [PositionalSpec("ID", help: "the broker's id")],
            examples: ["broker slow 2 --fetch-delay 40s", "broker slow 2 --fetch-delay 0"], positionalCompletion: .broker)
    ) { arguments, session throws(ShellError) in
        let id = try brokerId(arguments)
        let delay: Int64?
        if arguments.string("fetch-delay") == "0" { delay = 0 } else { delay = try ConsumerArguments.duration(arguments, "fetch-delay") }
        guard let delay else {
            throw .usage("Missing --fetch-delay: how long the broker waits before each fetch, e.g. --fetch-delay 40s (0 to undo).", command: arguments.spec)
        }
        do throws(KafkaError) { try session.cluster.setFetchDelay(id, delayMs: delay) } catch { throw ShellError(error) }
        return Output([delay == 0 ? "Broker \(id) fetches without delay." : "Broker \(id) now waits \(SimulatedDuration.format(delay)) before each fetch."])
    }

    static let isolate = Command(
        CommandSpec(
            "network isolate", group: .brokers, abstract: "Cut a broker off from the other brokers and the controller",
            discussion: """
                Clients still reach it. A leader cut off this way is a zombie: it still accepts acks=1 writes, which no
                follower can copy, until the controller fences it (its heartbeats stop: about 9 s) and elects another
                leader. After 'network heal' it learns it is no longer leader and truncates what only it had: the
                acknowledged acks=1 records are lost. acks=all writes wait instead, and are retried on the new leader.
                """,
            positionals: [PositionalSpec("ID", help: "the broker's id")], examples: ["network isolate 0"], positionalCompletion: .broker)
    ) { arguments, session throws(ShellError) in
        let id = try brokerId(arguments)
        do throws(KafkaError) { try session.cluster.isolateBroker(id) } catch { throw ShellError(error) }
        return Output(["Broker \(id) is cut off from the other brokers and the controller. Heal it with: network heal \(id)"])
    }

    static let heal = Command(
        CommandSpec(
            "network heal", group: .brokers, abstract: "Reconnect an isolated broker, clear its produce faults (all brokers without an ID)",
            discussion: "Also clears the produce faults armed with 'network drop-requests', 'network drop-responses' and\n'network delay'.",
            positionals: [PositionalSpec("ID", optional: true, help: "the broker's id; all brokers when omitted")],
            examples: ["network heal", "network heal 0"], positionalCompletion: .broker)
    ) { arguments, session throws(ShellError) in
        let id = try arguments.positional(0).map { text throws(ShellError) -> Int in
            guard let id = Int(text) else {
                throw .usage("Invalid broker id '\(text)': expected a number such as 1.", command: arguments.spec)
            }
            return id
        }
        let network = session.cluster.network
        let isolated = id.map { network.isolated.contains($0) } ?? !network.isolated.isEmpty
        let faulty = id.map { network.clientFaults[$0] != nil } ?? !network.clientFaults.isEmpty
        if id == nil && !isolated && !faulty { return Output(["No broker is isolated."]) }
        var output = Output()
        // Validated before anything changes: a broker neither isolated nor faulty is healNetwork's error.
        if isolated || !faulty {
            do throws(KafkaError) { try session.cluster.healNetwork(id) } catch { throw ShellError(error) }
            output.append(id.map { "Broker \($0) is connected again." } ?? "Every broker is connected again.")
        }
        for broker in session.cluster.clearClientFaults(id) {
            output.append("Produce requests to broker \(broker) and their answers get through again.")
        }
        return output
    }

    static let latency = Command(
        CommandSpec(
            "network latency", group: .brokers, abstract: "Set how long a message between brokers takes (default 1ms)",
            discussion: "Replica fetches and their answers each take this long, so an acks=all send waits about two\nround trips. Clients' requests are answered at once.",
            positionals: [PositionalSpec("DURATION", help: "one-way latency, e.g. 5ms (0 to 60s)")], examples: ["network latency 5ms"])
    ) { arguments, session throws(ShellError) in
        let text = arguments.positionals[0]
        var ms: Int64 = 0
        if text != "0" {
            do throws(SimulatedDuration.ParseError) { ms = try SimulatedDuration.parse(text) } catch {
                throw .usage("Invalid latency '\(text)': \(error.description)", command: arguments.spec)
            }
        }
        do throws(KafkaError) { try session.cluster.setNetworkLatency(ms) } catch { throw ShellError(error) }
        return Output(["Messages between brokers now take \(SimulatedDuration.format(ms)) each way."])
    }

    static let replicas = Command(
        CommandSpec(
            "replicas", group: .brokers, abstract: "Every replica of a partition side by side: log end, high watermark, lag, ISR",
            discussion: """
                LOG-END is where the replica's log ends; HW is the high watermark it knows (consumers read only below
                the leader's). LAG is how far it is behind the leader's log end. CAUGHT-UP is when the leader last saw it
                have everything (replica.lag.time.max.ms = 30 s after that, it leaves the ISR). The bars compare log ends.
                """,
            positionals: [PositionalSpec("TOPIC[-P]", help: "a topic, or one partition such as orders-0")],
            examples: ["replicas orders", "replicas orders-0"], positionalCompletion: .topic)
    ) { arguments, session throws(ShellError) in
        let cluster = session.cluster
        let text = arguments.positionals[0]
        var partitions: [TopicPartition] = []
        if let topic = cluster.topics[text] {
            partitions = topic.partitions.indices.map { TopicPartition(text, $0) }
        } else if !text.contains(where: { $0 == "-" || $0 == ":" }) {
            try TopicArguments.requireTopic(text, session)
        } else {
            partitions = [try ConsumerArguments.partition(text, session, spec: arguments.spec)]
        }
        var output = Output()
        for (n, tp) in partitions.enumerated() {
            if n > 0 { output.append("") }
            output.lines += ReplicaView.lines(cluster, tp).map { Output.Line($0) }
        }
        return output
    }

    /// The ID positional as a broker id, or a usage error.
    static func brokerId(_ arguments: ParsedArguments) throws(ShellError) -> Int {
        guard let id = Int(arguments.positionals[0]) else {
            throw .usage("Invalid broker id '\(arguments.positionals[0])': expected a number such as 1.", command: arguments.spec)
        }
        return id
    }
}

/// The `replicas` table of one partition.
enum ReplicaView {
    static let barWidth = 20

    static func lines(_ cluster: Cluster, _ tp: TopicPartition) -> [String] {
        guard let state = cluster.topics[tp.topic]?.partitions[tp.partition] else { return [] }
        let leaderReplica = state.leader.flatMap { cluster.replica(tp, on: $0) }
        let leaderEnd = leaderReplica?.log.logEndOffset
        var head = "\(tp): leader \(state.leader.map(String.init) ?? "none"), epoch \(state.leaderEpoch), ISR [\(state.isr.map(String.init).joined(separator: ","))]"
        if let leaderReplica { head += ", high watermark \(leaderReplica.log.highWatermark)" }
        let replicas = cluster.replicas(of: tp)
        let widest = max(replicas.map(\.log.logEndOffset).max() ?? 0, 1)
        var table = Table(["BROKER", "ROLE", "LOG-END", "HW", "LAG", "IN-SYNC", "CAUGHT-UP", "LOG"])
        for replica in replicas {
            let id = replica.brokerId
            let broker = cluster.broker(id)
            // A replica that still believes it leads while the controller named another is a zombie leader.
            var role = state.leader == id ? "leader" : replica.isLeader ? "zombie leader" : "follower"
            if broker?.isAlive != true { role += cluster.crashedBrokers.contains(id) ? " (crashed)" : " (stopped)" }
            else if cluster.network.isolated.contains(id) { role += " (isolated)" }
            let end = replica.log.logEndOffset
            let lag = leaderEnd.map { String(max($0 - end, 0)) } ?? "-"
            var caughtUp = "-"
            if state.leader != id, let follower = leaderReplica?.followers[id], follower.lastCaughtUpTimeMs > 0 {
                caughtUp = Timestamp.timeOfDay(follower.lastCaughtUpTimeMs)
            }
            let filled = Int((Double(end) / Double(widest) * Double(barWidth)).rounded())
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
            table.add([String(id), role, String(end), String(replica.log.highWatermark), lag,
                       state.isr.contains(id) ? "yes" : "no", caughtUp, bar])
        }
        return [head] + table.render().map { $0.trimmingCharacters(in: " ") }
    }
}
