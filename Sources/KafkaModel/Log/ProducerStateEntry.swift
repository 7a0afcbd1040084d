/// One batch a producer wrote (Kafka's `BatchMetadata`): its sequence range, offsets and max timestamp.
public struct ProducerBatchMetadata: Sendable, Hashable {
    public let firstSequence: Int32
    public let lastSequence: Int32
    public let firstOffset: Int64
    public let lastOffset: Int64
    /// The batch's max timestamp.
    public let timestamp: Int64

    /// `lastOffset − firstOffset` (what a snapshot stores instead of the first offset).
    public var offsetDelta: Int32 { Int32(truncatingIfNeeded: lastOffset - firstOffset) }
}

/// What a partition remembers of one producer id (Kafka's `ProducerStateEntry`): its epoch, the epoch of the last
/// transaction coordinator that wrote it a marker, its last batches (at most 5, for duplicate detection), and the
/// first offset of its open transaction, if any.
public struct ProducerStateEntry: Sendable, Hashable {
    /// `NUM_BATCHES_TO_RETAIN`.
    public static let batchesRetained = 5

    public let producerId: Int64
    public internal(set) var producerEpoch: Int16 = -1
    /// −1 until a marker was written.
    public internal(set) var coordinatorEpoch: Int32 = -1
    public internal(set) var lastTimestamp: Int64 = -1
    /// The first offset of the producer's ongoing transaction (`currentTxnFirstOffset`).
    public internal(set) var currentTxnFirstOffset: Int64?
    /// The last batches, oldest first.
    public internal(set) var batches: [ProducerBatchMetadata] = []

    public init(producerId: Int64) { self.producerId = producerId }

    init(producerId: Int64, producerEpoch: Int16, coordinatorEpoch: Int32, lastTimestamp: Int64,
         currentTxnFirstOffset: Int64?, batches: [ProducerBatchMetadata]) {
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.coordinatorEpoch = coordinatorEpoch
        self.lastTimestamp = lastTimestamp
        self.currentTxnFirstOffset = currentTxnFirstOffset
        self.batches = batches
    }

    /// A new epoch forgets the old epoch's batches (`maybeUpdateProducerEpoch`).
    mutating func maybeUpdateProducerEpoch(_ epoch: Int16) {
        guard epoch != producerEpoch else { return }
        batches.removeAll()
        producerEpoch = epoch
    }

    /// A data batch was appended (`ProducerAppendInfo.appendDataBatch`); returns true when it began a transaction.
    mutating func appendDataBatch(_ header: RecordBatchHeader) -> Bool {
        maybeUpdateProducerEpoch(header.producerEpoch)
        if batches.count == Self.batchesRetained { batches.removeFirst() }
        batches.append(ProducerBatchMetadata(firstSequence: header.baseSequence, lastSequence: header.lastSequence,
                                             firstOffset: header.baseOffset, lastOffset: header.lastOffset,
                                             timestamp: header.maxTimestamp))
        lastTimestamp = header.maxTimestamp
        guard header.isTransactional, currentTxnFirstOffset == nil else { return false }
        currentTxnFirstOffset = header.baseOffset
        return true
    }

    /// A marker was appended (`appendEndTxnMarker` then `update`): the transaction, if any, is over.
    mutating func appendEndTxnMarker(epoch: Int16, coordinatorEpoch: Int32, timestamp: Int64) {
        maybeUpdateProducerEpoch(epoch)
        self.coordinatorEpoch = coordinatorEpoch
        currentTxnFirstOffset = nil
        lastTimestamp = timestamp
    }

    /// The retained batch with exactly this sequence range in the current epoch (`findDuplicateBatch`).
    func duplicate(epoch: Int16, firstSequence: Int32, lastSequence: Int32) -> ProducerBatchMetadata? {
        guard epoch == producerEpoch else { return nil }
        return batches.first { $0.firstSequence == firstSequence && $0.lastSequence == lastSequence }
    }
}

/// A transaction on a partition that began at `firstOffset` (Kafka's `TxnMetadata`); `lastOffset` is its marker's
/// offset once it completed.
struct TxnMetadata: Sendable, Hashable {
    let producerId: Int64
    let firstOffset: Int64
    var lastOffset: Int64?
}

/// A transaction its marker just ended (Kafka's `CompletedTxn`).
struct CompletedTxn: Sendable, Hashable {
    let producerId: Int64
    let firstOffset: Int64
    /// The marker's offset.
    let lastOffset: Int64
    let isAborted: Bool
}
