import KafkaModel

/// Words for transaction events.
enum TransactionEventText {
    /// `in-0=42, in-1=7`, in partition order.
    static func list(_ offsets: [TopicPartition: Int64]) -> String {
        offsets.keys.sorted(by: JavaString.topicPartitionLessThan).map { "\($0)=\(offsets[$0]!)" }.joined(separator: ", ")
    }

    static func details(_ event: TransactionEvent) -> String {
        switch event {
        case let .stateChanged(id, from, to, producerId, epoch, partitions, coordinator, logPartition):
            let joined = partitions.isEmpty ? "" : "; partitions \(partitions.map(\.description).joined(separator: ","))"
            return "\(id): \(from.map(\.description) ?? "new") → \(to) (producerId \(producerId), epoch \(epoch)\(joined); written to \(TransactionCoordinator.transactionStateTopic)-\(logPartition) on coordinator broker \(coordinator))"
        case let .markerWritten(id, partition, result, offset, producerId, epoch, coordinatorEpoch):
            let whose = id.isEmpty ? "an admin's WriteTxnMarkers" : id
            return "\(partition) \(result) marker at offset \(offset) for \(whose) (producerId \(producerId), epoch \(epoch), coordinator epoch \(coordinatorEpoch))"
        case let .lastStableOffsetMoved(partition, from, to):
            return "\(partition) \(from) → \(to) (read_committed consumers may read up to it)"
        case let .coordinatorAborting(id, producerId, epoch, reason):
            switch reason {
            case .timedOut(let timeout):
                return "\(id) (producerId \(producerId), epoch \(epoch)): transaction.timeout.ms=\(timeout) passed since its first partition joined; the coordinator fences the producer and aborts"
            case .fenced:
                return "\(id) (producerId \(producerId), epoch \(epoch)): a new producer initialized the same transactional id; its ongoing transaction is aborted and the old producer fenced"
            }
        case let .verificationFailed(id, partition, producerId, epoch, error):
            let why = error == .transactionAbortable || error == .invalidTxnState
                ? "the transaction does not hold the partition (no AddPartitionsToTxn for it)"
                : "the coordinator refused the producer"
            return "\(partition): \(id) (producerId \(producerId), epoch \(epoch)) — \(why); the write is refused with \(error.errorName)"
        case let .offsetsPending(group, id, offsets):
            return "\(group): \(list(offsets)) sent to transaction \(id); pending until it commits"
        case let .offsetsCompleted(group, offsets, result):
            return "\(group): \(list(offsets)) " + (result == .commit ? "committed with the transaction" : "dropped: the transaction aborted")
        case let .coordinatorMoved(partition, from, to, ids):
            let who = to.map { "broker \($0)" } ?? "none"
            return "\(TransactionCoordinator.transactionStateTopic)-\(partition) coordinator: \(from.map { "broker \($0)" } ?? "none") → \(who)" + (ids.isEmpty ? " (its transactional ids are unavailable until a leader is elected)" : ", loaded from the log: \(ids.joined(separator: ", "))")
        }
    }
}
