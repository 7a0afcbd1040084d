// A produce request a `network drop-requests|drop-responses` fault lost: the producer hears nothing, so it waits
// `request.timeout.ms`, disconnects ("Disconnecting from node 1 due to request timeout.") and fails the batch with
// REQUEST_TIMED_OUT "Disconnected from node 1 due to timeout" (the Java client's `Sender.handleProduceResponse`),
// which it retries. Whether the retry duplicates the batch is the broker's business: a plain producer's retry is
// appended again; an idempotent producer's carries the same sequence numbers and is answered with the first offsets.

extension Cluster {
    /// The outcome of a lost produce request. `response`: false when the request never reached the broker, true
    /// when the broker's immediate answer was lost, nil when the lost answer is still in the leader's purgatory
    /// (its `ProduceLost` event comes when it goes out).
    func lost(_ batch: ProducerBatch, identity: ProducerIdentity?, broker: Int, response: Bool?, attempts: Int,
              producer: inout KafkaProducer) -> Attempt {
        let count = batch.records.count
        // The sequence numbers were given to the batch when it went out; a retry carries the same ones.
        if let identity, producer.batchSequences[batch.id] == nil {
            producer.batchSequences[batch.id] = identity.baseSequence
            producer.sequences[batch.partition] = RecordBatch.incrementSequence(identity.baseSequence, by: Int32(count))
        }
        if let response {
            emit(.replication(.produceLost(producer: producer.name, partition: batch.partition, broker: broker,
                                           batch: batch.id, response: response)))
        }
        let config = producer.config
        if config.acks == .none {
            // acks=0 waits for no answer: the producer counts the batch as sent, and it is silently gone.
            producer.results[batch.id] = .success(-1)
            producer.completedMs[batch.id] = nowMs
            producer.sentBatches += 1
            producer.sentRecords += count
            return .succeeded
        }
        let failedAt = nowMs + config.requestTimeoutMs
        let error = KafkaError.requestTimedOut("Disconnected from node \(broker) due to timeout")
        let backoff = config.retryBackoff(attempts: attempts)
        let canRetry = attempts < config.retries && failedAt - batch.createdMs < config.deliveryTimeoutMs
        var failure = RetryingBatch.PendingFailure(atMs: failedAt, attempt: attempts + 1, records: count, error: error,
                                                   retryInMs: canRetry ? backoff : nil)
        failure.disconnectedFrom = broker
        // Without a retry the batch still waits out the timeout; the retry timer fails it then.
        return .retry(backoffMs: config.requestTimeoutMs + (canRetry ? backoff : 0), pendingFailure: failure)
    }
}
