import KafkaModel

/// `consumer start|poll|commit|seek|pause|resume|assign|stop|crash|restart|slow|fault` and `consumers`:
/// consumers as simulated processes on the clock.
enum ConsumerCommands {
    static let all: [Command] = [start, poll, commit, seek, pause, resume, assign, stop, crash, restart, slow, fault, list]

    static let startFlags: [FlagSpec] = [
        FlagSpec("group", short: "g", value: "GROUP", help: "group.id: the consumer group to join (required)"),
        FlagSpec("topic", short: "t", value: "T[,T2…]", help: "topics to subscribe to (required)"),
        FlagSpec("assignor", value: "NAME", help: "partition.assignment.strategy: range, roundrobin, sticky or cooperative-sticky (default range, cooperative-sticky → range, eager)"),
        FlagSpec("auto-commit", help: "enable.auto.commit=true (the default)"),
        FlagSpec("no-auto-commit", help: "enable.auto.commit=false: offsets are committed only when the application commits"),
        FlagSpec("auto-commit-interval", value: "DURATION", help: "auto.commit.interval.ms (default 5s)"),
        FlagSpec("max-poll-records", value: "N", help: "max.poll.records (default 500)"),
        FlagSpec("session-timeout", value: "DURATION", help: "session.timeout.ms (default 45s in Kafka 4.0; 10s before 3.0)"),
        FlagSpec("heartbeat-interval", value: "DURATION", help: "heartbeat.interval.ms (default 3s)"),
        FlagSpec("max-poll-interval", value: "DURATION", help: "max.poll.interval.ms (default 5m)"),
        FlagSpec("poll-every", value: "DURATION", help: "how often the idle application loop polls (default 100ms)"),
        FlagSpec("process-time", value: "DURATION", help: "time the application spends on each record (default 10ms)"),
        FlagSpec("auto-offset-reset", value: "POLICY", help: "auto.offset.reset: earliest, latest (default) or none"),
        FlagSpec("group-instance-id", value: "ID", help: "group.instance.id: a static member"),
        FlagSpec("isolation-level", value: "LEVEL", help: "isolation.level: read_uncommitted (default) or read_committed"),
        FlagSpec("commit-each-poll", value: "WHEN", help: "with --no-auto-commit, the application commits on its own: 'after' processing (at-least-once) or 'before' (at-most-once)"),
        FlagSpec("async-commit", help: "the application's own commits use commitAsync instead of commitSync"),
    ]

    static let start = Command(
        CommandSpec(
            "consumer start", group: .groups, abstract: "Start a consumer process that joins a group and polls on the simulated clock",
            discussion: """
                The consumer's client.id is NAME and its member id NAME-<uuid>. It polls every --poll-every while idle,
                spends --process-time per record, heartbeats every heartbeat.interval.ms and commits as configured.
                Its first poll sends JoinGroup; a new group waits group.initial.rebalance.delay.ms (3s) for more
                members, so 'tick 3s' to see the assignment.
                """,
            flags: startFlags,
            positionals: [PositionalSpec("NAME", help: "the consumer's name (its client.id)")],
            examples: ["consumer start c1 --group orders-app --topic orders",
                       "consumer start c2 -g orders-app -t orders --assignor cooperative-sticky --no-auto-commit --commit-each-poll after"],
            flagCompletion: ["group": .group, "topic": .topic, "assignor": .fixed(["range", "roundrobin", "sticky", "cooperative-sticky"]),
                             "auto-offset-reset": .fixed(["earliest", "latest", "none"]), "commit-each-poll": .fixed(["after", "before"]),
                             "isolation-level": .fixed(["read_uncommitted", "read_committed"])])
    ) { arguments, session throws(ShellError) in
        let name = arguments.positionals[0]
        guard let group = arguments.string("group"), !group.isEmpty else {
            throw .usage("Missing --group GROUP: a subscribing consumer needs a group.id.", command: arguments.spec)
        }
        guard let topicList = arguments.string("topic") else {
            throw .usage("Missing --topic T: the topics to subscribe to.", command: arguments.spec)
        }
        var config = try config(arguments, session)
        config.groupId = group
        config.topics = topicList.split(separator: ",").map(String.init)
        for topic in config.topics { try TopicArguments.requireTopic(topic, session) }
        if session.cluster.consumers[name] != nil {
            throw .failed("A consumer named '\(name)' already exists; pick another name or 'consumer restart \(name)'.")
        }
        try ConsumerArguments.run { () throws(ConsumerError) in try session.cluster.startConsumer(name, config: config) }
        return Output(["Started consumer \(name) in group \(group) (topics: \(config.topics.joined(separator: ", "))); it joins on its first poll."])
    }

    /// The config flags shared by `consumer start` and `consumer assign`, validated.
    static func config(_ arguments: ParsedArguments, _ session: Session) throws(ShellError) -> ConsumerConfig {
        var config = ConsumerConfig()
        let spec = arguments.spec
        if let a = arguments.string("assignor") {
            let names = ConsumerPartitionAssignors.all.map(\.name)
            guard names.contains(a) else {
                throw .usage("Unknown assignor '\(a)'.\(Suggestion.didYouMean(a, in: names)) Choose range, roundrobin, sticky or cooperative-sticky.", command: spec)
            }
            config.assignors = [a]
        }
        if arguments.has("auto-commit") && arguments.has("no-auto-commit") {
            throw .usage("Give --auto-commit or --no-auto-commit, not both.", command: spec)
        }
        if arguments.has("no-auto-commit") { config.enableAutoCommit = false }
        if let when = arguments.string("commit-each-poll") {
            guard let value = ConsumerConfig.CommitEachPoll(rawValue: when), value != .never else {
                throw .usage("Invalid value '\(when)' for '--commit-each-poll': expected after or before.", command: spec)
            }
            guard !config.enableAutoCommit || arguments.has("no-auto-commit") else {
                throw .usage("--commit-each-poll is for an application that commits itself: add --no-auto-commit.", command: spec)
            }
            config.commitEachPoll = value
        }
        config.asyncCommits = arguments.has("async-commit")
        if let v = try ConsumerArguments.duration(arguments, "auto-commit-interval", min: 1) { config.autoCommitIntervalMs = v }
        if let v = try arguments.int("max-poll-records", in: 1...Int(Int32.max)) { config.maxPollRecords = v }
        if let v = try ConsumerArguments.duration(arguments, "session-timeout", min: 1) { config.sessionTimeoutMs = v }
        if let v = try ConsumerArguments.duration(arguments, "heartbeat-interval", min: 1) { config.heartbeatIntervalMs = v }
        if let v = try ConsumerArguments.duration(arguments, "max-poll-interval", min: 1) { config.maxPollIntervalMs = v }
        if let v = try ConsumerArguments.duration(arguments, "poll-every", min: 1) { config.pollEveryMs = v }
        if let v = try ConsumerArguments.duration(arguments, "process-time") { config.processTimeMs = v }
        if let r = arguments.string("auto-offset-reset") {
            guard let policy = ConsumerConfig.AutoOffsetReset(rawValue: r) else {
                throw .failed("Invalid value \(r) for configuration auto.offset.reset: Invalid value `\(r)` for configuration auto.offset.reset. The value must be either 'earliest', 'latest', 'none' or of the format 'by_duration:<PnDTnHnMn.nS.>'.")
            }
            config.autoOffsetReset = policy
        }
        if let id = arguments.string("group-instance-id") {
            guard !id.isEmpty else { throw .usage("--group-instance-id needs a non-empty id.", command: spec) }
            config.groupInstanceId = id
        }
        if let level = arguments.string("isolation-level") {
            guard level == "read_uncommitted" || level == "read_committed" else {
                throw .failed("Invalid value \(level) for configuration isolation.level: String must be one of: read_committed, read_uncommitted")
            }
            config.isolationLevel = level
        }
        let min = Int64(ClassicGroup.defaultMinSessionTimeoutMs), max = Int64(ClassicGroup.defaultMaxSessionTimeoutMs)
        guard (min...max).contains(config.sessionTimeoutMs) else {
            throw .failed("The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms=6000 and group.max.session.timeout.ms=1800000). (INVALID_SESSION_TIMEOUT)")
        }
        guard config.heartbeatIntervalMs < config.sessionTimeoutMs else {
            throw .failed("Heartbeat must be set lower than the session timeout (heartbeat.interval.ms=\(config.heartbeatIntervalMs), session.timeout.ms=\(config.sessionTimeoutMs)).")
        }
        return config
    }

    static let poll = Command(
        CommandSpec(
            "consumer poll", group: .groups, abstract: "Make a consumer's application call poll() now",
            discussion: "Consumers poll on their own as time passes; this calls poll() at once (it also finishes the batch in hand).",
            positionals: [PositionalSpec("NAME", help: "the consumer")],
            examples: ["consumer poll c1"], positionalCompletion: .consumer)
    ) { arguments, session throws(ShellError) in
        let c = try ConsumerArguments.consumer(arguments.positionals[0], session)
        guard c.isAlive else { throw .failed(ConsumerError.notRunning(c.name, c.status).description) }
        var count = 0
        try ConsumerArguments.run { () throws(ConsumerError) in count = try session.cluster.pollNow(c.name) }
        if c.memberState != .stable && !c.manualAssignment && c.config.groupId != nil && count == 0 {
            return Output(["\(c.name) poll() returned no records: " + (c.memberState == .joining ? "the group is rebalancing." : "not in the group yet.")])
        }
        return Output(["\(c.name) poll() returned \(count) record\(count == 1 ? "" : "s")."])
    }

    static let commit = Command(
        CommandSpec(
            "consumer commit", group: .groups, abstract: "Commit a consumer's offsets: commitSync(), or commitAsync() with --async",
            discussion: "Without --offsets it commits the positions returned by the last poll (the next offsets to read).",
            flags: [FlagSpec("async", help: "commitAsync(): answered a few ms later, may fail or arrive out of order (see 'consumer fault')"),
                    FlagSpec("offsets", value: "T:P=O,…", help: "commit these offsets instead of the positions")],
            positionals: [PositionalSpec("NAME", help: "the consumer")],
            examples: ["consumer commit c1", "consumer commit c1 --async", "consumer commit c1 --offsets orders:0=5"],
            positionalCompletion: .consumer)
    ) { arguments, session throws(ShellError) in
        let c = try ConsumerArguments.consumer(arguments.positionals[0], session)
        let offsets = try arguments.string("offsets").map { text throws(ShellError) in try ConsumerArguments.offsets(text, session, spec: arguments.spec) }
        if arguments.has("async") {
            try ConsumerArguments.run { () throws(ConsumerError) in _ = try session.cluster.commitAsync(c.name, offsets: offsets) }
            return Output(["\(c.name) commitAsync() sent; the answer comes back as time passes."])
        }
        var done: [TopicPartition: Int64] = [:]
        try ConsumerArguments.run { () throws(ConsumerError) in done = try session.cluster.commitSync(c.name, offsets: offsets) }
        return Output([done.isEmpty ? "\(c.name) commitSync(): nothing new to commit." : "\(c.name) commitSync() committed \(ConsumerEventText.offsets(done))."])
    }

    static let seek = Command(
        CommandSpec(
            "consumer seek", group: .groups, abstract: "Move a consumer's position in a partition: seek, seekToBeginning, seekToEnd",
            positionals: [PositionalSpec("NAME", help: "the consumer"), PositionalSpec("T:P", help: "the partition, e.g. orders:0"),
                          PositionalSpec("OFFSET", help: "an offset, 'beginning' or 'end'")],
            examples: ["consumer seek c1 orders:0 0", "consumer seek c1 orders:1 end"], positionalCompletion: .consumer)
    ) { arguments, session throws(ShellError) in
        let c = try ConsumerArguments.consumer(arguments.positionals[0], session)
        let tp = try ConsumerArguments.partition(arguments.positionals[1], session, spec: arguments.spec)
        let where_ = arguments.positionals[2]
        let offset: Int64?
        switch where_ {
        case "beginning", "end": offset = nil
        default:
            guard let o = Int64(where_) else {
                throw .usage("Invalid offset '\(where_)': a number, 'beginning' or 'end'.", command: arguments.spec)
            }
            offset = o
        }
        try ConsumerArguments.run { () throws(ConsumerError) in try session.cluster.seek(c.name, tp, to: offset, beginning: where_ == "beginning") }
        return Output(["\(c.name) will read \(tp) from offset \(c.positions[tp] ?? 0)."])
    }

    static func pauseResume(_ name: String, resume: Bool) -> Command {
        Command(
            CommandSpec(
                name, group: .groups, abstract: resume ? "Resume fetching paused partitions" : "Stop fetching some partitions (still assigned, still heartbeating)",
                positionals: [PositionalSpec("NAME", help: "the consumer"),
                              PositionalSpec("T:P", optional: true, variadic: true, help: "partitions; all when omitted")],
                examples: ["\(name) c1", "\(name) c1 orders:0"], positionalCompletion: .consumer)
        ) { arguments, session throws(ShellError) in
            let c = try ConsumerArguments.consumer(arguments.positionals[0], session)
            var partitions: [TopicPartition] = []
            for text in arguments.positionals.dropFirst() { partitions.append(try ConsumerArguments.partition(text, session, spec: arguments.spec)) }
            try ConsumerArguments.run { () throws(ConsumerError) in
                if resume { try session.cluster.resume(c.name, partitions) } else { try session.cluster.pause(c.name, partitions) }
            }
            let paused = c.paused.sorted(by: JavaString.topicPartitionLessThan)
            return Output(["\(c.name) paused: \(ConsumerArguments.list(paused))."])
        }
    }

    static let pause = pauseResume("consumer pause", resume: false)
    static let resume = pauseResume("consumer resume", resume: true)

    static let assign = Command(
        CommandSpec(
            "consumer assign", group: .groups, abstract: "Start (or re-assign) a consumer reading chosen partitions, with no group management",
            discussion: "assign() takes partitions directly: no JoinGroup, no rebalance. With --group it can still commit offsets.",
            flags: [FlagSpec("group", short: "g", value: "GROUP", help: "group.id, only for committing offsets")]
                + startFlags.filter { ["auto-commit", "no-auto-commit", "auto-commit-interval", "max-poll-records", "poll-every", "process-time", "auto-offset-reset", "commit-each-poll"].contains($0.name) },
            positionals: [PositionalSpec("NAME", help: "the consumer"), PositionalSpec("T:P", variadic: true, help: "partitions, e.g. orders:0 orders:2")],
            examples: ["consumer assign audit orders:0 orders:1 --auto-offset-reset earliest"], positionalCompletion: .consumer)
    ) { arguments, session throws(ShellError) in
        let name = arguments.positionals[0]
        var partitions: [TopicPartition] = []
        for text in arguments.positionals.dropFirst() { partitions.append(try ConsumerArguments.partition(text, session, spec: arguments.spec)) }
        guard !partitions.isEmpty else { throw .usage("Missing T:P: the partitions to assign.", command: arguments.spec) }
        var config = try config(arguments, session)
        config.groupId = arguments.string("group")
        if config.groupId == nil { config.enableAutoCommit = false }
        try ConsumerArguments.run { () throws(ConsumerError) in try session.cluster.assignConsumer(name, partitions: partitions, config: config) }
        return Output(["\(name) reads \(ConsumerArguments.list(partitions.sorted(by: JavaString.topicPartitionLessThan))) (no group management)."])
    }

    static func lifecycle(_ name: String, _ abstract: String, _ discussion: String, _ act: @escaping @Sendable (Cluster, String) throws(ConsumerError) -> Void,
                          _ done: @escaping @Sendable (String) -> String) -> Command {
        Command(
            CommandSpec(name, group: .groups, abstract: abstract, discussion: discussion,
                        positionals: [PositionalSpec("NAME", help: "the consumer")],
                        examples: ["\(name) c1"], positionalCompletion: .consumer)
        ) { arguments, session throws(ShellError) in
            let c = try ConsumerArguments.consumer(arguments.positionals[0], session)
            try ConsumerArguments.run { () throws(ConsumerError) in try act(session.cluster, c.name) }
            return Output([done(c.name)])
        }
    }

    static let stop = lifecycle(
        "consumer stop", "Shut a consumer down safely: wakeup, commit, LeaveGroup, close",
        "The safe shutdown: wakeup() breaks poll(), the batch in hand is finished, offsets are committed\n(auto-commit, or the application's own commit), then a dynamic member sends LeaveGroup so the group\nrebalances at once. Static members do not send LeaveGroup.",
        { cluster, name throws(ConsumerError) in try cluster.stopConsumer(name) }, { "Stopped consumer \($0)." })
    static let crash = lifecycle(
        "consumer crash", "Kill a consumer: no commit, no LeaveGroup",
        "The coordinator notices only when session.timeout.ms passes without a heartbeat (45s by default in Kafka 4.0).",
        { cluster, name throws(ConsumerError) in try cluster.crashConsumer(name) }, { "Consumer \($0) crashed." })
    static let restart = lifecycle(
        "consumer restart", "Start a stopped or crashed consumer again with the same config",
        "A new process: it reads from the committed offsets. A static member (--group-instance-id) gets its old assignment back without a rebalance.",
        { cluster, name throws(ConsumerError) in try cluster.restartConsumer(name) }, { "Restarted consumer \($0)." })

    static let slow = Command(
        CommandSpec(
            "consumer slow", group: .groups, abstract: "Change how long a consumer spends on each record",
            discussion: "When processing one poll's records takes longer than max.poll.interval.ms (5m), the heartbeat thread\nleaves the group; the consumer rejoins on its next poll and its commit fails.",
            flags: [FlagSpec("process-time", value: "DURATION", help: "time per record, e.g. 6m")],
            positionals: [PositionalSpec("NAME", help: "the consumer")],
            examples: ["consumer slow c1 --process-time 6m"], positionalCompletion: .consumer)
    ) { arguments, session throws(ShellError) in
        let c = try ConsumerArguments.consumer(arguments.positionals[0], session)
        guard let ms = try ConsumerArguments.duration(arguments, "process-time") else {
            throw .usage("Missing --process-time DURATION.", command: arguments.spec)
        }
        try ConsumerArguments.run { () throws(ConsumerError) in try session.cluster.setProcessTime(c.name, ms: ms) }
        return Output(["\(c.name) now spends \(SimulatedDuration.format(ms)) per record."])
    }

    static let fault = Command(
        CommandSpec(
            "consumer fault", group: .groups, abstract: "Arm a fault on a consumer's next commitAsync()",
            discussion: "commit-fail: the commit fails with a retriable error. commit-reorder: the commit is answered late,\nafter the next one, and overwrites it with an older offset. none: disarm.",
            positionals: [PositionalSpec("NAME", help: "the consumer"), PositionalSpec("FAULT", help: "commit-fail, commit-reorder or none")],
            examples: ["consumer fault c1 commit-reorder"], positionalCompletion: .consumer)
    ) { arguments, session throws(ShellError) in
        let c = try ConsumerArguments.consumer(arguments.positionals[0], session)
        let text = arguments.positionals[1]
        let value = KafkaConsumer.AsyncCommitFault(rawValue: text)
        guard value != nil || text == "none" else {
            throw .usage("Unknown fault '\(text)': commit-fail, commit-reorder or none.", command: arguments.spec)
        }
        try ConsumerArguments.run { () throws(ConsumerError) in try session.cluster.armAsyncCommitFault(c.name, value) }
        return Output([value.map { "\(c.name)'s next commitAsync() will \($0 == .fail ? "fail" : "be answered late")." } ?? "\(c.name) has no fault armed."])
    }

    static let list = Command(
        CommandSpec(
            "consumers", group: .groups, abstract: "List consumers: state, generation, assignment, position, committed offset and lag",
            examples: ["consumers"])
    ) { _, session throws(ShellError) in
        let cluster = session.cluster
        guard !cluster.consumers.isEmpty else { return Output(["No consumers yet. Start one: consumer start c1 --group G --topic T"]) }
        var table = Table(["CONSUMER", "STATUS", "GROUP", "GEN", "PARTITION", "POSITION", "COMMITTED", "LAG"])
        for name in cluster.consumerNames {
            let c = cluster.consumers[name]!
            let status = c.isAlive ? (c.manualAssignment ? "assigned" : c.memberState.rawValue) : c.status.rawValue
            let head = [name, status, c.config.groupId ?? "-", c.generation >= 0 ? String(c.generation) : "-"]
            if c.assignment.isEmpty {
                table.add(head + ["-", "-", "-", "-"])
                continue
            }
            let committed = c.config.groupId.map { cluster.committedOffsets($0) } ?? [:]
            for (i, tp) in c.assignment.enumerated() {
                let paused = (c.paused.contains(tp) ? " (paused)" : "") + (c.waitingForLeader[tp] != nil ? " (no leader)" : "")
                var lag = "-"
                if let done = committed[tp], let hw = cluster.highWatermark(tp) { lag = String(max(0, hw - done)) }
                table.add((i == 0 ? head : ["", "", "", ""]) + [
                    tp.description + paused, c.positions[tp].map(String.init) ?? "-", committed[tp].map(String.init) ?? "-", lag,
                ])
            }
        }
        return Output(table.render())
    }
}
