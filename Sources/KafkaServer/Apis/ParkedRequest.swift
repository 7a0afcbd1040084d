import KafkaModel
import KafkaWire

/// A connection's request whose answer comes later.
enum ParkedRequest {
    /// An `acks=all` Produce: the partitions answered so far; the rest wait in the leaders' DelayedProduce.
    case produce(WireRequestHandler.WireRequest, order: [TopicPartition], answers: [TopicPartition: ProduceResponse.PartitionResponse])
    /// A Fetch that found fewer than `fetch.min.bytes`: it waits for records until `maxWaitMs` (Kafka's DelayedFetch).
    case fetch(WireRequestHandler.WireRequest, FetchRequest, topicIds: [String: Wire.Uuid], deadlineMs: Int64)
    /// A JoinGroup or SyncGroup the coordinator holds until the rebalance gets there.
    case group(WireRequestHandler.WireRequest)
}
