/// Faults the learner arms on the produce path between clients and one broker (`network drop-responses`,
/// `network drop-requests`), so that a lost acknowledgement — and the duplicate or the dedupe it leads to — can be
/// provoked on purpose. Without any armed, client requests are answered in the same simulated instant.
public struct ClientFaults: Sendable, Equatable {
    /// Produce requests still to be lost on their way to the broker (nothing is appended).
    public internal(set) var dropRequests = 0
    /// Produce responses still to be lost on their way back (the broker appended the batch; the producer never hears).
    public internal(set) var dropResponses = 0

    public init(dropRequests: Int = 0, dropResponses: Int = 0) {
        self.dropRequests = dropRequests
        self.dropResponses = dropResponses
    }

    /// Whether no fault is armed.
    public var isEmpty: Bool { dropRequests == 0 && dropResponses == 0 }

    /// How `brokers` and the state tree show the armed faults, e.g. "drops next 2 produce responses".
    public var summary: String {
        var parts: [String] = []
        if dropRequests > 0 { parts.append("drops next \(dropRequests) produce request\(dropRequests == 1 ? "" : "s")") }
        if dropResponses > 0 { parts.append("drops next \(dropResponses) produce response\(dropResponses == 1 ? "" : "s")") }
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

    /// Takes one armed fault for a produce request to `broker`, if any: a lost request first, then a lost response.
    func takeProduceLoss(broker id: Int) -> ProduceLoss? {
        guard var faults = network.clientFaults[id] else { return nil }
        let loss: ProduceLoss
        if faults.dropRequests > 0 {
            faults.dropRequests -= 1
            loss = .request
        } else {
            faults.dropResponses -= 1
            loss = .response
        }
        network.clientFaults[id] = faults.isEmpty ? nil : faults
        return loss
    }
}

/// Which side of a produce request `armClientFault` loses.
public enum ProduceLossKind: Sendable, Equatable {
    case requests, responses
}
