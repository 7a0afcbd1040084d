/// What an idempotent producer writes into each batch header: its producer id and epoch
/// (from `InitProducerId`) and the sequence number of the batch's first record in that partition.
/// The broker uses them to drop duplicate retries; `kafka-dump-log.sh` prints them.
public struct ProducerIdentity: Sendable, Equatable {
    public let producerId: Int64
    public let producerEpoch: Int16
    public let baseSequence: Int32

    public init(producerId: Int64, producerEpoch: Int16, baseSequence: Int32) {
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
    }
}
