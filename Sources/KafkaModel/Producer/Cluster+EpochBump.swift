// KIP-360 for the idempotent producer: when a batch that already had sequence numbers fails for good (it timed out,
// expired, or was refused), the broker may or may not hold it, and the producer's sequences may now have a gap. The
// Java producer (`TransactionManager.bumpIdempotentEpochAndResetIdIfNeeded`) then bumps its producer epoch and starts
// every partition's sequences at 0 again; the leader accepts sequence 0 of a new epoch and forgets the old epoch's
// batches. An OUT_OF_ORDER_SEQUENCE_NUMBER answer is handled the same way, and the batch retried under the new epoch.

extension Cluster {
    /// A batch failed for good: if it had sequence numbers, the idempotent producer bumps its epoch.
    func batchFailedForGood(_ batchId: Int, producer: inout KafkaProducer) {
        guard producer.batchSequences.removeValue(forKey: batchId) != nil else { return }
        bumpProducerEpoch(&producer)
    }

    /// Bumps the producer epoch and restarts sequences at 0 for every partition. Batches in flight keep the
    /// sequences they were sent with; the others are numbered again when they go out.
    func bumpProducerEpoch(_ producer: inout KafkaProducer) {
        guard let id = producer.producerId else { return }
        producer.producerEpoch += 1
        producer.sequences = [:]
        let inFlight = Set(producer.retrying.values.flatMap { queue in queue.filter(\.inFlight).map(\.batch.id) })
        producer.batchSequences = producer.batchSequences.filter { inFlight.contains($0.key) }
        // The shell's own one-shot producers stay quiet, as for their batches.
        guard producer.reportsBatches else { return }
        emit(.replication(.producerEpochBumped(producer: producer.name, producerId: id, epoch: producer.producerEpoch)))
    }
}
