/// Why a producer sent a batch: the accumulator's `ready` conditions, or the order of a retried partition.
public enum BatchSendReason: Sendable, Equatable {
    /// `linger.ms=0`: every record is sent as soon as it is appended.
    case lingerZero
    /// The batch reached `batch.size` (the producer's setting).
    case batchFull(batchSize: Int)
    /// `flush()` or `close()` sent everything waiting.
    case flush
    /// The batch waited `linger.ms` (the producer's setting).
    case lingerPassed(lingerMs: Int64)
    /// It waited behind a batch of the same partition that was being retried.
    case previousBatchDone
}

/// Why a batch failed on the producer's side, before any broker answered it.
public enum BatchExpiry: Sendable, Equatable {
    /// `delivery.timeout.ms` passed: the batch was `ageMs` old (the Java client's `TimeoutException`).
    case deliveryTimeout(ageMs: Int64)
    /// The producer was closed with the batch still waiting for a retry.
    case producerClosed
    /// `abortTransaction()` found the batch not yet sent (`RecordAccumulator.abortUndrainedBatches`).
    case transactionAborted
}

extension BatchExpiry {
    /// The error the batch's sends complete with, with the Java client's exception text.
    public func error(records: Int, partition: TopicPartition) -> KafkaError {
        switch self {
        case .deliveryTimeout(let age):
            return .requestTimedOut("Expiring \(records) record(s) for \(partition):\(age) ms has passed since batch creation")
        case .producerClosed:
            return .producerClosed("Producer is closed forcefully.")
        case .transactionAborted:
            return .transactionalClient(.init(exceptionClass: "org.apache.kafka.common.errors.TransactionAbortedException",
                                              message: "Failing batch since transaction was aborted"))
        }
    }
}
