@testable import KafkaModel

/// What the delivery checker's clients did, as the API answered them: every value sent (unique in a run) with its
/// producer and transaction, and every transaction's outcome. The checker compares the logs and what consumers read
/// with this ledger.
struct DeliveryLedger {
    /// How a transaction ended, as far as the API told.
    enum Outcome: Equatable {
        /// Not ended by its producer (yet): nothing may read its records while it stays so.
        case open
        case committed
        case aborted
        /// A call failed halfway (the coordinator may have completed either way): only "not read while open" holds.
        case unknown
    }

    struct Transaction {
        let producer: String
        var outcome: Outcome = .open
        /// When the producer called commitTransaction (or abortTransaction): before it, nothing may read the records.
        var endCalledMs: Int64?
        var sentRecords = false
    }

    struct Sent {
        let producer: String
        let receipt: SendReceipt
        /// The value's place in its producer's send order.
        let index: Int
        let transaction: Int?
    }

    private(set) var sent: [String: Sent] = [:]
    private(set) var sendCount: [String: Int] = [:]
    var transactions: [Transaction] = []
    /// The open transaction of each transactional producer instance.
    var current: [String: Int] = [:]

    mutating func record(_ value: String, producer: String, receipt: SendReceipt) {
        let index = sendCount[producer, default: 0]
        sendCount[producer] = index + 1
        let transaction = current[producer]
        if let transaction { transactions[transaction].sentRecords = true }
        sent[value] = Sent(producer: producer, receipt: receipt, index: index, transaction: transaction)
    }

    mutating func begin(_ producer: String) {
        current[producer] = transactions.count
        transactions.append(Transaction(producer: producer))
    }

    /// Ends the producer's open transaction with `outcome` (a fenced instance's open transaction was aborted by its
    /// successor's InitProducerId).
    mutating func end(_ producer: String, _ outcome: Outcome) {
        guard let id = current.removeValue(forKey: producer) else { return }
        transactions[id].outcome = outcome
    }

    mutating func endCalled(_ producer: String, atMs: Int64) {
        guard let id = current[producer], transactions[id].endCalledMs == nil else { return }
        transactions[id].endCalledMs = atMs
    }

    /// Why reading `value` at `atMs` under read_committed is wrong, or nil when it may be read.
    func readCommittedViolation(_ value: String, atMs: Int64, startMs: Int64) -> String? {
        guard let s = sent[value], let id = s.transaction else { return nil }
        let transaction = transactions[id]
        if transaction.outcome == .aborted { return "\(value) of \(s.producer)'s aborted transaction \(id)" }
        guard let called = transaction.endCalledMs else { return "\(value) of \(s.producer)'s transaction \(id), never committed" }
        if atMs < called { return "\(value) of \(s.producer)'s transaction \(id) before its commit was called at \(called - startMs) ms" }
        return nil
    }
}
