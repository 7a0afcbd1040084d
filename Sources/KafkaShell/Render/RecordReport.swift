import KafkaModel

/// How records are shown: key and value as UTF-8 text, `null` for none, and the line that tells
/// where a produced record went and why (`user-1 → murmur2 1404122828 → partition 2 of 3 → offset 0`).
enum RecordReport {
    static func text(_ bytes: [UInt8]?) -> String {
        bytes.map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// `user-1 → murmur2 1404122828 → partition 2 of 3`.
    static func route(key: [UInt8]?, _ receipt: SendReceipt) -> String {
        let target = "partition \(receipt.partition.partition) of \(receipt.partitionCount)"
        switch receipt.choice {
        case .explicit:
            return "\(key.map { text($0) + " → " } ?? "")\(target) (given with --partition)"
        case .key(let hash):
            let positive = toPositive(hash)
            let hashText = hash < 0 ? "murmur2 \(hash) → toPositive \(positive)" : "murmur2 \(hash)"
            return "\(text(key)) → \(hashText) → \(target)"
        case .noKey(let partitioner):
            let who = key == nil ? "no key" : "key ignored"
            switch partitioner {
            case .builtIn: return "(\(who)) → sticky \(target)"
            case .roundRobin: return "(\(who)) → round-robin \(target)"
            }
        }
    }

    /// The route and what became of the record: its offset, still waiting, or the broker's error.
    static func line(key: [UInt8]?, _ receipt: SendReceipt, producer: KafkaProducer?, outcome: Result<Int64, KafkaError>?) -> String {
        let route = self.route(key: key, receipt)
        switch outcome {
        case nil where producer?.retrying[receipt.partition]?.contains(where: { $0.batch.id == receipt.batchId }) == true:
            return "\(route) → batch \(receipt.batchId) failed, waiting for a retry"
        case nil:
            let linger = producer.map { "linger.ms=\($0.config.lingerMs)" } ?? "linger.ms"
            return "\(route) → waiting in batch \(receipt.batchId) (\(linger))"
        case .success(let offset) where offset < 0:
            return "\(route) → sent (acks=0: no offset comes back)"
        case .success(let offset):
            return "\(route) → offset \(offset)"
        case .failure(let error):
            return "\(route) → \(error.errorName): \(error.message)"
        }
    }
}
