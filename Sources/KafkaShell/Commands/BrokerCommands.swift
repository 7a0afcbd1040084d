import KafkaModel

/// `brokers`, `broker stop|start` and `elect-leaders`: the brokers and the controller.
enum BrokerCommands {
    static let all: [Command] = [list, stop, start, electLeaders]

    static let list = Command(
        CommandSpec("brokers", group: .brokers, abstract: "List brokers: alive or stopped, the controller, what each leads",
                    examples: ["brokers"])
    ) { _, session throws(ShellError) in
        let cluster = session.cluster
        var table = Table(["BROKER", "LISTENER", "STATE", "ROLE", "LEADERS", "REPLICAS"])
        for broker in cluster.brokers {
            var leaders = 0, replicas = 0
            for topic in cluster.topics.values {
                for state in topic.partitions {
                    if state.leader == broker.id { leaders += 1 }
                    if state.replicas.contains(broker.id) { replicas += 1 }
                }
            }
            let state = broker.isAlive ? (cluster.fencedBrokers.contains(broker.id) ? "running, fenced" : "running") : "stopped"
            table.add([String(broker.id), broker.listener, state,
                       cluster.controllerId == broker.id ? "controller" : "-", String(leaders), String(replicas)])
        }
        var output = Output(table.render().map { $0.trimmingCharacters(in: " ") })
        for line in NetworkFaultCommands.summaryLines(cluster) { output.append(line, style: .warning) }
        if let frozen = cluster.metadataFrozenReason {
            output.append(frozen + " Leaders, ISRs and topics stay as they are until a majority runs again.", style: .warning)
        }
        return output
    }

    static let stop = Command(
        CommandSpec(
            "broker stop", group: .brokers, abstract: "Stop a broker: its leaderships move to other in-sync replicas",
            discussion: """
                Every node is a combined broker and KRaft controller voter. The active controller fences the stopped
                broker, drops it from every ISR and moves its leaderships; if it was the controller, another running
                node takes over. With fewer than a majority of the nodes running there is no controller: metadata
                is frozen (no fencing, ISR change or election; topic changes are refused) until a majority runs again.
                """,
            positionals: [PositionalSpec("ID", help: "the broker's id")], examples: ["broker stop 1"], positionalCompletion: .broker)
    ) { arguments, session throws(ShellError) in
        let id = try brokerId(arguments)
        do throws(KafkaError) { try session.cluster.stopBroker(id) } catch { throw ShellError(error) }
        return Output(["Broker \(id) stopped."])
    }

    static let start = Command(
        CommandSpec(
            "broker start", group: .brokers, abstract: "Start a stopped broker again; it rejoins the ISR of its partitions",
            positionals: [PositionalSpec("ID", help: "the broker's id")], examples: ["broker start 1"], positionalCompletion: .broker)
    ) { arguments, session throws(ShellError) in
        let id = try brokerId(arguments)
        do throws(KafkaError) { try session.cluster.startBroker(id) } catch { throw ShellError(error) }
        var output = Output(["Broker \(id) started."])
        if let frozen = session.cluster.metadataFrozenReason {
            let fenced = session.cluster.fencedBrokers.contains(id) ? " The broker runs, but no controller can unfence it yet." : ""
            output.append(frozen + fenced, style: .warning)
        }
        return output
    }

    static let electLeaders = Command(
        CommandSpec(
            "elect-leaders", group: .brokers, abstract: "Move leadership back to each partition's preferred (first) replica",
            discussion: "The controller also does this by itself every leader.imbalance.check.interval.seconds (300 s,\nauto.leader.rebalance.enable=true): it elects the preferred replica of every partition led by another\nbroker, at most 1000 per check. (Kafka 4.0's KRaft controller has no leader.imbalance.per.broker.percentage.)",
            examples: ["elect-leaders"])
    ) { _, session throws(ShellError) in
        if let frozen = session.cluster.metadataFrozenReason { throw .failed(frozen + " " + session.cluster.quorumRestoreHint) }
        let moved = session.cluster.electPreferredLeaders()
        return Output([moved == 0 ? "Every partition is already led by its preferred replica (or it is not available)." : "Elected the preferred leader for \(moved) partition\(moved == 1 ? "" : "s")."])
    }

    private static func brokerId(_ arguments: ParsedArguments) throws(ShellError) -> Int {
        guard let id = Int(arguments.positionals[0]) else {
            throw .usage("Invalid broker id '\(arguments.positionals[0])': expected a number such as 1.", command: arguments.spec)
        }
        return id
    }
}
