/// Faults the learner arms on the produce path between clients and one broker (`network drop-responses`,
/// `network drop-requests`), so that a lost acknowledgement — and the duplicate or the dedupe it leads to — can be
/// provoked on purpose. Without any armed, client requests are answered in the same simulated instant.
public struct ClientFaults: Sendable, Equatable {
    /// Produce requests still to be lost on their way to the broker (nothing is appended).
    public internal(set) var dropRequests = 0
    /// Produce responses still to be lost on their way back (the broker appended the batch; the producer never hears).
    public internal(set) var dropResponses = 0
    /// How long the broker's answers to produce requests take to reach the producer (`network delay`); an answer
    /// slower than the producer's `request.timeout.ms` is one it never waits for.
    public internal(set) var answerDelayMs: Int64 = 0

    public init(dropRequests: Int = 0, dropResponses: Int = 0, answerDelayMs: Int64 = 0) {
        self.dropRequests = dropRequests
        self.dropResponses = dropResponses
        self.answerDelayMs = answerDelayMs
    }

    /// Whether no fault is armed.
    public var isEmpty: Bool { dropRequests == 0 && dropResponses == 0 && answerDelayMs == 0 }

    /// How `brokers` and the state tree show the armed faults, e.g. "drops next 2 produce responses".
    public var summary: String {
        var parts: [String] = []
        if dropRequests > 0 { parts.append("drops next \(dropRequests) produce request\(dropRequests == 1 ? "" : "s")") }
        if dropResponses > 0 { parts.append("drops next \(dropResponses) produce response\(dropResponses == 1 ? "" : "s")") }
        if answerDelayMs > 0 { parts.append("answers produce requests after \(SimulatedDuration.format(answerDelayMs))") }
        return parts.joined(separator: ", ")
    }
}

/// What a fault did to one produce request.
enum ProduceLoss: Sendable, Equatable {
    /// Lost before the broker: nothing appended.
    case request
    /// The broker handled it; its answer was lost.
    case response
}

extension Cluster {
    /// `network drop-requests|drop-responses BROKER --count N`: the next `count` produce requests to (or responses
    /// from) the broker are lost. Counts add up with what is already armed.
    public func armClientFault(broker id: Int, loss: ProduceLossKind, count: Int) throws(KafkaError) {
        guard broker(id) != nil else {
            throw .brokerNotAvailable("Broker \(id) does not exist. Brokers: \(brokers.map { String($0.id) }.joined(separator: ", ")).")
        }
        guard (1...1000).contains(count) else { throw .invalidRequest("The count must be between 1 and 1000.") }
        var faults = network.clientFaults[id] ?? ClientFaults()
        switch loss {
        case .requests: faults.dropRequests += count
        case .responses: faults.dropResponses += count
        }
        network.clientFaults[id] = faults
        emit(.replication(.clientFaultsChanged(broker: id, faults: faults)))
    }

    /// `network delay BROKER DURATION`: the broker's answers to produce requests take `ms` to reach the producer
    /// (0 clears the delay).
    public func setClientAnswerDelay(broker id: Int, ms: Int64) throws(KafkaError) {
        guard broker(id) != nil else {
            throw .brokerNotAvailable("Broker \(id) does not exist. Brokers: \(brokers.map { String($0.id) }.joined(separator: ", ")).")
        }
        guard ms >= 0, ms <= 600_000 else { throw .invalidRequest("The delay must be between 0ms and 10m.") }
        var faults = network.clientFaults[id] ?? ClientFaults()
        faults.answerDelayMs = ms
        network.clientFaults[id] = faults.isEmpty ? nil : faults
        emit(.replication(.clientFaultsChanged(broker: id, faults: faults)))
    }

    /// Clears the produce-path faults armed for one broker, or for all; returns the brokers that had some.
    @discardableResult
    public func clearClientFaults(_ id: Int? = nil) -> [Int] {
        let cleared = network.clientFaults.keys.filter { id == nil || $0 == id }.sorted()
        for b in cleared {
            network.clientFaults[b] = nil
            emit(.replication(.clientFaultsChanged(broker: b, faults: ClientFaults())))
        }
        return cleared
    }

    /// Takes one armed fault for a produce request to `broker`, if any: a lost request first, then a lost response;
    /// an answer delayed past `request.timeout.ms` counts as lost (the delay stays armed). An `acks=0` request
    /// (`expectsAnswer` false) gets no answer to lose.
    func takeProduceLoss(broker id: Int, requestTimeoutMs: Int64, expectsAnswer: Bool = true) -> ProduceLoss? {
        guard var faults = network.clientFaults[id] else { return nil }
        let loss: ProduceLoss
        if faults.dropRequests > 0 {
            faults.dropRequests -= 1
            loss = .request
        } else if !expectsAnswer {
            return nil
        } else if faults.dropResponses > 0 {
            faults.dropResponses -= 1
            loss = .response
        } else {
            return faults.answerDelayMs >= requestTimeoutMs ? .response : nil
        }
        network.clientFaults[id] = faults.isEmpty ? nil : faults
        return loss
    }
}

/// Which side of a produce request `armClientFault` loses.
public enum ProduceLossKind: Sendable, Equatable {
    case requests, responses
}

/// A broker's answer to a produce request on its slow way back to the producer (`network delay`).
struct AnswerInTransit: Sendable, Equatable {
    let context: RequestContext
    let response: ProduceResponse
    let broker: Int
    let delayMs: Int64
}

extension Cluster {
    /// The answer delay armed for `broker`, if any.
    func clientAnswerDelay(_ broker: Int) -> Int64? {
        network.clientFaults[broker].flatMap { $0.answerDelayMs > 0 ? $0.answerDelayMs : nil }
    }

    /// Sends an answer on its way back; it reaches the producer `delayMs` from now.
    func answerLater(_ response: ProduceResponse, to context: RequestContext, from broker: Int, delayMs: Int64) {
        let id = network.nextAnswerId
        network.nextAnswerId += 1
        network.answersInTransit[id] = AnswerInTransit(context: context, response: response, broker: broker, delayMs: delayMs)
        scheduler.schedule(at: nowMs + delayMs, .produceAnswerArrives(id: id))
    }

    /// A delayed answer reaches its producer.
    func produceAnswerArrived(_ id: Int) {
        guard let transit = network.answersInTransit.removeValue(forKey: id) else { return }
        if case .producer(let name) = transit.context.client, let answer = transit.response.responses.first {
            emit(.replication(.produceAnswerArrived(producer: name, partition: answer.partition, broker: transit.broker,
                                                    batch: Int(transit.context.correlationId), delayMs: transit.delayMs)))
        }
        deliver(.produce(transit.response), to: transit.context)
    }
}
