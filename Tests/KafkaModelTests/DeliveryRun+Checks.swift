@testable import KafkaModel

/// The delivery checker's four properties, checked once the schedule settled.
extension DeliveryRun {
    static let context = RequestContext(client: .admin("checker"), clientId: "checker")

    func value(_ record: Record) -> String { String(decoding: record.value ?? [], as: UTF8.self) }

    /// Every record of the partition's leader log, markers left out (aborted and open transactions' records in).
    func leaderRecords(_ tp: TopicPartition) -> [Record] {
        guard let log = try? cluster.leaderLog(tp) else { return [] }
        return (try? log.read(from: log.logStartOffset)) ?? []
    }

    /// A read_committed read of the whole partition, as a consumer from the beginning gets it.
    func readCommitted(_ tp: TopicPartition) -> [Record]? {
        guard let start = try? cluster.clientListOffset(tp, timestamp: ListOffsetsRequest.earliestTimestamp, from: Self.context) else { return nil }
        return try? cluster.clientFetch(tp, from: start, maxRecords: .max, isolationLevel: 1, from: Self.context).records
    }

    mutating func check() {
        let logs = (DeliveryCheckerTests.t + [DeliveryCheckerTests.output]).map { ($0, leaderRecords($0)) }
        for (tp, records) in logs { checkIdempotence(tp, records) }
        checkReadCommitted()
        checkPipeline()
        for (tp, records) in logs where tp.topic == "t" { checkPlainDuplicates(tp, records) }
    }

    /// 1. An idempotent (or transactional) producer's record is written at most once, in its send order.
    mutating func checkIdempotence(_ tp: TopicPartition, _ records: [Record]) {
        var seen: Set<String> = []
        var lastIndex: [String: (Int, String)] = [:]
        for record in records {
            let v = value(record)
            guard let sent = ledger.sent[v], sent.producer != "plain" else { continue }
            if !seen.insert(v).inserted {
                fail("\(tp): \(sent.producer)'s \(v) is written twice (again at \(record.offset))")
            }
            if let (index, before) = lastIndex[sent.producer], index > sent.index {
                fail("\(tp): \(sent.producer)'s \(v) at \(record.offset) comes after \(before), sent later")
            }
            lastIndex[sent.producer] = (sent.index, v)
        }
    }

    /// 2. A read_committed consumer never returns a record of an aborted or still open transaction.
    mutating func checkReadCommitted() {
        for e in cluster.events {
            guard case let .group(.recordConsumed(consumer, tp, offset, _, value)) = e.kind, tp.topic == "t",
                  let why = ledger.readCommittedViolation(String(decoding: value ?? [], as: UTF8.self), atMs: e.timestampMs, startMs: cluster.config.startMs) else { continue }
            fail("consumer \(consumer) read \(why) (\(tp) at \(offset))")
        }
        for tp in DeliveryCheckerTests.t + [DeliveryCheckerTests.output] {
            guard let records = readCommitted(tp) else {
                fail("\(tp) cannot be read after settling")
                continue
            }
            for record in records {
                if let why = ledger.readCommittedViolation(value(record), atMs: cluster.nowMs, startMs: cluster.config.startMs) {
                    fail("a read_committed read of \(tp) returned \(why) at \(record.offset)")
                }
            }
        }
    }

    /// 3. Every input is in the pipeline's committed output exactly once, transformed from the input's value.
    mutating func checkPipeline() {
        let inputs = leaderRecords(DeliveryCheckerTests.input)
        guard let log = try? cluster.leaderLog(DeliveryCheckerTests.input), let output = readCommitted(DeliveryCheckerTests.output) else {
            fail("the pipeline's topics cannot be read after settling")
            return
        }
        let committed = cluster.committedOffsets(DeliveryCheckerTests.pipelineGroup)[DeliveryCheckerTests.input] ?? 0
        guard committed == log.highWatermark else {
            fail("the pipeline committed \(committed) of \(log.highWatermark) inputs after settling")
            return
        }
        var outputs: [Int64: [String]] = [:]
        for record in output {
            let v = value(record)
            guard v.hasPrefix("o"), let eq = v.firstIndex(of: "="), let slash = v.lastIndex(of: "/"),
                  let offset = Int64(v[v.index(after: v.startIndex)..<eq]) else {
                fail("out holds \(v) at \(record.offset), no transform")
                continue
            }
            outputs[offset, default: []].append(String(v[v.index(after: eq)..<slash]))
        }
        for input in inputs where input.offset < log.highWatermark {
            let got = outputs.removeValue(forKey: input.offset) ?? []
            if got != [value(input)] {
                fail("input \(input.offset) (\(value(input))) is in the committed output \(got.count) times: \(got)")
            }
        }
        for offset in outputs.keys.sorted() { fail("the committed output holds input \(offset), which `in` has not") }
    }

    /// 4. A plain producer's duplicate is explained by lost acknowledgements: every extra copy needs an attempt of its
    /// batch that was written but not acknowledged, so failed and retried — a dropped or late answer, a timeout in the
    /// leader's purgatory, a leader that went away. An attempt whose request was dropped (`ProduceLost` with
    /// `response: false`) wrote nothing and explains nothing.
    mutating func checkPlainDuplicates(_ tp: TopicPartition, _ records: [Record]) {
        var copies: [String: Int] = [:]
        for record in records where ledger.sent[value(record)]?.producer == "plain" { copies[value(record), default: 0] += 1 }
        for (v, count) in copies.sorted(by: { $0.key < $1.key }) where count > 1 {
            let batch = ledger.sent[v]!.receipt.batchId
            var retried = 0
            for e in cluster.events {
                switch e.kind {
                case let .produceFailed("plain", partition, failed, _, _, _, retry) where partition == tp && failed == batch && retry != nil:
                    retried += 1
                case let .replication(.produceLost("plain", partition, _, lost, false)) where partition == tp && lost == batch:
                    retried -= 1
                default:
                    break
                }
            }
            if retried < count - 1 {
                fail("\(tp): plain's \(v) is written \(count) times; its batch \(batch) lost only \(retried) acknowledgements")
            }
        }
    }
}
