@testable import KafkaModel

/// The random steps of a delivery checker schedule, the consume-transform-produce pipeline, and settling.
extension DeliveryRun {
    mutating func execute(steps: Int) -> [String] {
        do { try setUp() } catch { return ["seed \(seed): setup failed: \(error)"] }
        var traced = 0
        for _ in 0..<steps {
            let roll = rng.roll(100)
            let b = rng.roll(DeliveryCheckerTests.brokers)
            step(roll, broker: b)
            if options.trace {
                print("STEP", cluster.nowMs - cluster.config.startMs, roll, b)
                for e in cluster.events[traced...] {
                    if case .clockAdvanced = e.kind { continue }
                    if case .replication(.replicaFetched) = e.kind { continue }
                    print("  ", e.timestampMs - cluster.config.startMs, e.kind)
                }
                traced = cluster.events.count
            }
        }
        settle()
        check()
        return violations
    }

    func alive(_ b: Int) -> Bool { cluster.broker(b)?.isAlive == true }

    mutating func step(_ roll: Int, broker b: Int) {
        let t = DeliveryCheckerTests.t
        do {
            switch roll {
            case 0..<14, 14..<24, 24..<32:
                let name = roll < 14 ? idempotent : roll < 24 ? "plain" : "feed"
                let tp = name == "feed" ? DeliveryCheckerTests.input : t[rng.roll(t.count)]
                for _ in 0..<(1 + rng.roll(3)) { try send(name, tp, nextValue()) }
                if rng.likely(50) { try cluster.flush(producer: name) }
            case 32..<44:
                guard let tx = transactional("tx") else { break }
                if ledger.current[tx] == nil {
                    try cluster.beginTransaction(producer: tx)
                    ledger.begin(tx)
                }
                for _ in 0..<(1 + rng.roll(3)) { try send(tx, t[rng.roll(t.count)], nextValue()) }
                if rng.likely(40) { end(tx, commit: rng.likely(50)) }
            case 44..<50:
                if let tx = instance["tx"], ledger.current[tx] != nil { end(tx, commit: rng.likely(50)) }
            case 50..<52:
                try crashIdempotent()
            case 52..<55:
                // The producer crashes; half the time its successor starts (and fences it) at once.
                crash("tx")
                if rng.likely(50) { _ = transactional("tx") }
            case 55..<64:
                pipelineStep(commit: rng.likely(80))
            case 64..<67:
                pipelineStep(commit: true, crashMidway: true)
            case 67..<71:
                let name = ["pipe", "rc1", "rc2"][rng.roll(3)]
                let consumer = cluster.consumers[name]!
                if consumer.isAlive {
                    try cluster.crashConsumer(name)
                    if name == "pipe" { pipelineMark = cluster.events.count }
                } else {
                    try cluster.restartConsumer(name)
                }
            case 71..<77:
                try cluster.armClientFault(broker: b, loss: rng.likely(60) ? .responses : .requests, count: 1 + rng.roll(2))
            case 77..<80:
                try cluster.setClientAnswerDelay(broker: b, ms: [0, 1_000, 8_000][rng.roll(3)])
            case 80..<85:
                // One broker down at most: every partition keeps a leader and min.insync.replicas=2.
                guard (0..<DeliveryCheckerTests.brokers).allSatisfy(alive) else { break }
                if rng.likely(50) { try cluster.stopBroker(b) } else { _ = try cluster.killBroker(b) }
            case 85..<89:
                for id in 0..<DeliveryCheckerTests.brokers where !alive(id) { try cluster.startBroker(id) }
            default:
                cluster.advance(byMs: [100, 1_000, 3_000, 8_000, 25_000][rng.roll(5)] + Int64(rng.roll(50)))
            }
        } catch {
            // The API refused (a transactional call in the wrong state, a consumer not running): part of the schedule.
            if options.trace { print("  step \(roll) threw \(error)") }
        }
    }

    /// The records the pipeline's consumer returned since the last processed batch, by input offset.
    func consumedInputs() -> [(offset: Int64, value: String)] {
        var byOffset: [Int64: String] = [:]
        for e in cluster.events[pipelineMark...] {
            guard case let .group(.recordConsumed("pipe", tp, offset, _, value)) = e.kind, tp == DeliveryCheckerTests.input else { continue }
            byOffset[offset] = byOffset[offset] ?? String(decoding: value ?? [], as: UTF8.self)
        }
        return byOffset.keys.sorted().map { ($0, byOffset[$0]!) }
    }

    /// One consume-transform-produce transaction: each consumed input's transform to `out`, the consumer's next
    /// offsets sent with sendOffsetsToTransaction, then commit (or abort and rewind to the committed offsets, as an
    /// application does). `crashMidway`: the producer and the consumer crash before the commit.
    mutating func pipelineStep(commit: Bool, crashMidway: Bool = false) {
        guard cluster.consumers["pipe"]!.isAlive, let px = transactional("px") else { return }
        let inputs = consumedInputs()
        if options.trace {
            let pipe = cluster.consumers["pipe"]!
            print("  pipeline \(px) at \(cluster.nowMs - cluster.config.startMs): inputs \(inputs.map(\.offset)), consumer \(pipe.memberState) \(pipe.assignment) \(pipe.positions)")
        }
        let taken = cluster.events.count
        guard let last = inputs.last else { return }
        do {
            try cluster.beginTransaction(producer: px)
            ledger.begin(px)
            for (offset, value) in inputs { try send(px, DeliveryCheckerTests.output, "o\(offset)=\(value)/\(nextValue())") }
            try cluster.sendOffsetsToTransaction(producer: px, group: DeliveryCheckerTests.pipelineGroup,
                                                 offsets: [DeliveryCheckerTests.input: last.offset + 1])
        } catch {
            if options.trace { print("  pipeline threw \(error)") }
            end(px, commit: false)
            rewindPipeline()
            return
        }
        if crashMidway {
            crash("px")
            try? cluster.crashConsumer("pipe")
            pipelineMark = cluster.events.count
            return
        }
        end(px, commit: commit)
        if commit, ledger.transactions.last?.outcome == .committed {
            pipelineMark = taken
        } else {
            rewindPipeline()
        }
    }

    /// After an abort the application seeks back to the group's committed offset.
    mutating func rewindPipeline() {
        pipelineMark = cluster.events.count
        let tp = DeliveryCheckerTests.input
        guard let consumer = cluster.consumers["pipe"], consumer.isAlive, consumer.assignment.contains(tp) else { return }
        let committed = cluster.committedOffsets(DeliveryCheckerTests.pipelineGroup)[tp]
        try? cluster.seek("pipe", tp, to: committed, beginning: committed == nil)
    }

    /// Heals every fault, starts every broker and consumer, finishes the open transaction and lets the pipeline
    /// process every input.
    mutating func settle() {
        _ = cluster.clearClientFaults()
        for b in 0..<DeliveryCheckerTests.brokers {
            try? cluster.setClientAnswerDelay(broker: b, ms: 0)
            if !alive(b) { try? cluster.startBroker(b) }
        }
        for name in ["pipe"] + Self.readers where cluster.consumers[name]?.isAlive == false {
            try? cluster.restartConsumer(name)
            if name == "pipe" { pipelineMark = cluster.events.count }
        }
        for name in [idempotent, "plain", "feed"] { try? cluster.flush(producer: name) }
        if let tx = instance["tx"], ledger.current[tx] != nil { end(tx, commit: true) }
        // Past request.timeout.ms (5 s) and a retry backoff: every lost answer's batch was retried.
        cluster.advance(byMs: 6_000)
        // Then only as long as something is still on its way: a batch, or inputs the pipeline has not committed.
        for _ in 0..<50 {
            let end = (try? cluster.log(DeliveryCheckerTests.input).highWatermark) ?? 0
            // A crashed instance's batches do not count: they retry until fenced or timed out, as a zombie's.
            let sending = ([idempotent, "plain", "feed"] + instance.values).contains { cluster.hasUnfinishedBatches(producer: $0) }
            if !sending, cluster.committedOffsets(DeliveryCheckerTests.pipelineGroup)[DeliveryCheckerTests.input] ?? 0 >= end { break }
            cluster.advance(byMs: 3_000)
            pipelineStep(commit: true)
        }
        cluster.advance(byMs: 1_000)
    }
}
