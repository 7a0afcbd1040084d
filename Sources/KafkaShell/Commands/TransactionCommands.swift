import KafkaModel

/// A transactional producer's calls: `producer init|begin|commit|abort` (the Java client's `initTransactions()`,
/// `beginTransaction()`, `commitTransaction()`, `abortTransaction()`, which are aliases).
enum TransactionCommands {
    static let all: [Command] = [initTransactions, begin, commit, abort, sendOffsets]

    /// The producer must exist; the model answers the Java client's own errors for everything else.
    private static func producerName(_ arguments: ParsedArguments, _ session: Session) throws(ShellError) -> String {
        let name = arguments.positionals[0]
        try ProduceCommands.requireProducer(name, session)
        return name
    }

    /// `producerId 0, epoch 1`
    private static func identity(_ name: String, _ session: Session) -> String {
        let producer = session.cluster.producers[name]!
        return "producerId \(producer.producerId ?? -1), epoch \(producer.producerEpoch)"
    }

    static let initTransactions = Command(
        CommandSpec(
            "producer init", aliases: ["producer initTransactions"], group: .producing,
            abstract: "initTransactions(): get the transactional producer's id and epoch from its transaction coordinator",
            discussion: """
                The producer must have a transactional.id (producer start NAME --transactional-id ID). It finds its
                coordinator with FindCoordinator (the first lookup creates __transaction_state: 50 partitions; the
                coordinator leads partition abs(hashCode(id)) % 50), then sends InitProducerId. A second producer with
                the same id fences the first: its open transaction is aborted and the new producer gets a higher epoch.
                """,
            positionals: [PositionalSpec("NAME", help: "a producer started with --transactional-id")],
            examples: ["producer start p --transactional-id my-txn", "producer init p"],
            positionalCompletion: .producer)
    ) { arguments, session throws(ShellError) in
        let name = try producerName(arguments, session)
        do throws(KafkaError) { try session.cluster.initTransactions(producer: name) } catch { throw ShellError(error) }
        let cluster = session.cluster
        let id = cluster.producers[name]!.config.transactionalId ?? ""
        let coordinator = cluster.transactionCoordinatorBroker(of: id).map { "broker \($0)" } ?? "none"
        return Output(["Producer \(name) initialized transactions for transactional.id \(id): \(identity(name, session)) (coordinator \(coordinator), \(TransactionCoordinator.transactionStateTopic)-\(cluster.transactionStatePartition(of: id)))."])
    }

    static let begin = Command(
        CommandSpec(
            "producer begin", aliases: ["producer beginTransaction"], group: .producing,
            abstract: "beginTransaction(): start a transaction (client-side only; no request)",
            discussion: """
                Records sent through the producer from now on (produce TOPIC VALUE --producer NAME) belong to the
                transaction. The coordinator hears of it only when the first record reaches a partition leader, which
                adds the partition to the transaction (transaction version 2) and starts transaction.timeout.ms.
                """,
            positionals: [PositionalSpec("NAME", help: "an initialized transactional producer")],
            examples: ["producer begin p", "produce orders hello --producer p"],
            positionalCompletion: .producer)
    ) { arguments, session throws(ShellError) in
        let name = try producerName(arguments, session)
        do throws(KafkaError) { try session.cluster.beginTransaction(producer: name) } catch { throw ShellError(error) }
        return Output(["Producer \(name) began a transaction (no request is sent until a record is)."])
    }

    static let commit = endCommand(
        "commit", java: "commitTransaction", abstract: "commitTransaction(): flush, then EndTxn: the coordinator writes COMMIT markers",
        discussion: """
            The waiting batches are sent first. The coordinator writes PrepareCommit to __transaction_state, has
            every partition leader of the transaction append a COMMIT marker (one offset each; the last stable
            offset moves past it, so read_committed consumers see the records), then writes CompleteCommit.
            Transaction version 2 bumps the producer epoch at every commit.
            """)

    static let abort = endCommand(
        "abort", java: "abortTransaction", abstract: "abortTransaction(): EndTxn(abort): the coordinator writes ABORT markers",
        discussion: """
            The records of the transaction stay in the logs, but each partition gets an ABORT marker and an entry
            in its .txnindex: read_committed consumers skip them. Allowed after a failed send (ABORTABLE_ERROR).
            """)

    static let sendOffsets = Command(
        CommandSpec(
            "producer send-offsets", aliases: ["producer sendOffsetsToTransaction"], group: .producing,
            abstract: "sendOffsetsToTransaction(): commit a group's offsets as part of the transaction",
            discussion: """
                Consume-transform-produce: the consumer's positions (--consumer C, its group by default) or given offsets
                (--offset TOPIC:PARTITION=OFFSET, repeatable) go to the group coordinator in a TxnOffsetCommit. They are
                written to __consumer_offsets inside the transaction and become the group's committed offsets only when
                the COMMIT marker lands there; an abort drops them.
                """,
            flags: [
                FlagSpec("group", value: "GROUP", help: "the consumer group whose offsets are committed (default: --consumer's group)"),
                FlagSpec("consumer", value: "NAME", help: "commit this consumer's current positions"),
                FlagSpec("offset", value: "T:P=O", repeatable: true, help: "commit this offset (instead of --consumer)"),
            ],
            positionals: [PositionalSpec("NAME", help: "a producer in a transaction")],
            examples: ["producer send-offsets p --consumer c1", "producer send-offsets p --group g --offset in:0=42"],
            positionalCompletion: .producer, flagCompletion: ["consumer": .consumer])
    ) { arguments, session throws(ShellError) in
        let name = try producerName(arguments, session)
        var offsets: [TopicPartition: Int64] = [:]
        var group = arguments.string("group")
        switch (arguments.string("consumer"), arguments.strings("offset").isEmpty) {
        case (let consumerName?, true):
            let consumer = try ConsumerArguments.consumer(consumerName, session)
            offsets = consumer.positions
            group = group ?? consumer.config.groupId
            guard !offsets.isEmpty else {
                throw .failed("Consumer \(consumerName) has no positions yet: let it poll first (tick), or give --offset TOPIC:PARTITION=OFFSET.")
            }
        case (nil, false):
            for text in arguments.strings("offset") {
                offsets.merge(try ConsumerArguments.offsets(text, session, spec: arguments.spec)) { $1 }
            }
        case (_?, false):
            throw .usage("Give --consumer or --offset, not both.", command: arguments.spec)
        case (nil, true):
            throw .usage("Missing the offsets: --consumer NAME or --offset TOPIC:PARTITION=OFFSET.", command: arguments.spec)
        }
        guard let group else { throw .usage("Missing --group GROUP: the group whose offsets the transaction commits.", command: arguments.spec) }
        do throws(KafkaError) {
            try session.cluster.sendOffsetsToTransaction(producer: name, group: group, offsets: offsets)
        } catch { throw ShellError(error) }
        let list = offsets.keys.sorted(by: JavaString.topicPartitionLessThan).map { "\($0)=\(offsets[$0]!)" }.joined(separator: ", ")
        return Output(["Producer \(name) sent offsets \(list) of group \(group) to its transaction (committed with it, dropped if it aborts)."])
    }

    /// `producer commit` and `producer abort`: the same call with another result.
    private static func endCommand(_ verb: String, java: String, abstract: String, discussion: String) -> Command {
        Command(
            CommandSpec("producer \(verb)", aliases: ["producer \(java)"], group: .producing, abstract: abstract, discussion: discussion,
                        positionals: [PositionalSpec("NAME", help: "a producer in a transaction")],
                        examples: ["producer \(verb) p"], positionalCompletion: .producer)
        ) { arguments, session throws(ShellError) in
            try end(arguments, session, commit: verb == "commit")
        }
    }

    private static func end(_ arguments: ParsedArguments, _ session: Session, commit: Bool) throws(ShellError) -> Output {
        let name = try producerName(arguments, session)
        let sent: Bool
        do throws(KafkaError) { sent = try session.cluster.endTransaction(producer: name, commit: commit) } catch { throw ShellError(error) }
        let verb = commit ? "committed" : "aborted"
        guard sent else {
            return Output(["Producer \(name) \(verb) an empty transaction: nothing was sent, so no EndTxn request (\(identity(name, session)))."])
        }
        return Output(["Producer \(name) \(verb) its transaction; it continues with \(identity(name, session))."])
    }
}

extension TransactionCommands {
    /// The `producers` table's TRANSACTION cell: `my-txn IN_TRANSACTION (producerId 0, epoch 0) t-0,t-1`, `-` for a
    /// producer without a transactional id.
    static func summary(_ producer: KafkaProducer) -> String {
        guard let manager = producer.transactionManager else { return "-" }
        var text = "\(manager.transactionalId) \(manager.state.rawValue)"
        if manager.producerId >= 0 { text += " (producerId \(manager.producerId), epoch \(manager.producerEpoch))" }
        if !manager.partitionsInTransaction.isEmpty { text += " " + manager.partitionsInTransaction.map(\.description).joined(separator: ",") }
        return text
    }
}
