/// One broker's request dispatcher (Kafka's `KafkaApis`): it turns each typed request into calls on the broker's
/// `ReplicaManager`, the group coordinator and the controller, and answers with Kafka's error codes. One handler
/// per API lives in that API's request file (`ListOffsetsRequest.swift` holds `handleListOffsetsRequest`).
///
/// A `KafkaApis` is a view of the cluster from one broker; it keeps no state of its own.
public struct KafkaApis {
    unowned let cluster: Cluster
    /// `node.id` of the broker that received the request.
    public let brokerId: Int

    init(cluster: Cluster, brokerId: Int) {
        self.cluster = cluster
        self.brokerId = brokerId
    }
}
