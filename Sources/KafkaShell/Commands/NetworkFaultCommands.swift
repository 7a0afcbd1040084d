import KafkaModel

/// Faults on the produce path between clients and a broker (`network drop-responses`, `network drop-requests`,
/// `network delay`):
/// they make a producer time out and retry, so a lost acknowledgement — a duplicate without idempotence, a deduped
/// retry with it — can be provoked on purpose. `network heal` clears them.
enum NetworkFaultCommands {
    static let all: [Command] = [dropResponses, dropRequests, delay]

    static let dropResponses = Command(
        CommandSpec(
            "network drop-responses", group: .brokers, abstract: "Lose the answers to the next produce requests to a broker",
            discussion: """
                The broker appends the batch, but its answer never reaches the producer. The producer hears nothing for
                request.timeout.ms (30 s), disconnects ("Disconnecting from node 1 due to request timeout."), fails the
                attempt with REQUEST_TIMED_OUT and retries. Without idempotence the retry is appended again: a
                duplicate. With it (the default) the leader recognises the retry's producer id, epoch and sequences and
                answers with the original offsets. Only produce requests are affected; 'network heal' clears the fault.
                """,
            flags: [FlagSpec("count", short: "n", value: "N", help: "how many answers to lose (default 1)")],
            positionals: [PositionalSpec("BROKER", help: "the broker's id")],
            examples: ["network drop-responses 0", "network drop-responses 1 --count 3"], positionalCompletion: .broker)
    ) { arguments, session throws(ShellError) in
        try arm(arguments, session, .responses)
    }

    static let dropRequests = Command(
        CommandSpec(
            "network drop-requests", group: .brokers, abstract: "Lose the next produce requests on their way to a broker",
            discussion: """
                The request never reaches the broker: nothing is appended. The producer sees the same as for a lost
                answer (a request timeout after request.timeout.ms, then a retry), which is why it cannot tell whether
                its batch was written. Only produce requests are affected; 'network heal' clears the fault.
                """,
            flags: [FlagSpec("count", short: "n", value: "N", help: "how many requests to lose (default 1)")],
            positionals: [PositionalSpec("BROKER", help: "the broker's id")],
            examples: ["network drop-requests 0", "network drop-requests 1 --count 2"], positionalCompletion: .broker)
    ) { arguments, session throws(ShellError) in
        try arm(arguments, session, .requests)
    }

    static let delay = Command(
        CommandSpec(
            "network delay", group: .brokers, abstract: "Slow down a broker's answers to produce requests",
            discussion: """
                The broker appends at once, but its answer takes DURATION to reach the producer; the batch stays in
                flight meanwhile (max.in.flight.requests.per.connection counts it). An answer slower than the producer's
                request.timeout.ms (30 s) is never waited for: the producer disconnects and retries, as after a lost
                answer. DURATION 0 (or 'network heal') clears the delay. Only produce answers are affected.
                """,
            positionals: [PositionalSpec("BROKER", help: "the broker's id"),
                          PositionalSpec("DURATION", help: "how long an answer takes, e.g. 2s (0 to clear, at most 10m)")],
            examples: ["network delay 0 2s", "network delay 0 45s", "network delay 0 0"], positionalCompletion: .broker)
    ) { arguments, session throws(ShellError) in
        let id = try ReplicationCommands.brokerId(arguments)
        let text = arguments.positionals[1]
        var ms: Int64 = 0
        if text != "0" {
            do throws(SimulatedDuration.ParseError) { ms = try SimulatedDuration.parse(text) } catch {
                throw .usage("Invalid delay '\(text)': \(error.description)", command: arguments.spec)
            }
        }
        do throws(KafkaError) { try session.cluster.setClientAnswerDelay(broker: id, ms: ms) } catch { throw ShellError(error) }
        return Output([ms == 0 ? "Broker \(id) answers produce requests at once again."
                       : "Broker \(id)'s answers to produce requests now take \(SimulatedDuration.format(ms)). Clear with: network delay \(id) 0"])
    }

    private static func arm(_ arguments: ParsedArguments, _ session: Session, _ kind: ProduceLossKind) throws(ShellError) -> Output {
        let id = try ReplicationCommands.brokerId(arguments)
        let count = try arguments.int("count", in: 1...1000) ?? 1
        do throws(KafkaError) { try session.cluster.armClientFault(broker: id, loss: kind, count: count) } catch {
            throw ShellError(error)
        }
        let faults = session.cluster.network.clientFaults[id]!
        return Output(["Broker \(id) \(faults.summary). Clear with: network heal \(id)"])
    }

    /// The lines `brokers` adds under its table for brokers with armed faults.
    static func summaryLines(_ cluster: Cluster) -> [String] {
        cluster.network.clientFaults.keys.sorted().map { "Broker \($0) \(cluster.network.clientFaults[$0]!.summary) (network heal \($0) clears it)." }
    }
}
