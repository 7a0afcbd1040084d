/// Who sent a request: where a response that comes later (an `acks=all` produce, a held fetch, a JoinGroup
/// parked until the rebalance) is delivered, and the `client.id` a broker logs.
public enum RequestClient: Sendable, Hashable {
    /// A simulated producer, by name.
    case producer(String)
    /// A simulated consumer, by name.
    case consumer(String)
    /// An admin client: one of Kafka's tools run in the shell.
    case admin(String)
    /// A real client's connection to a listener (the wire-protocol server), by connection number.
    case connection(Int)
}

/// The header fields a broker reads before the body (`RequestHeader`): which client, and its `client.id`.
public struct RequestContext: Sendable, Hashable {
    public let client: RequestClient
    /// The client's `client.id` (the Java clients' `producer-1`, `consumer-group-1`, `adminclient-1`).
    public let clientId: String
    /// `correlation_id`: the client matches a response to its request by it (a response delivered later carries it).
    public let correlationId: Int32

    public init(client: RequestClient, clientId: String, correlationId: Int32 = 0) {
        self.client = client
        self.clientId = clientId
        self.correlationId = correlationId
    }
}

/// A typed Kafka request: its body's fields, named as in Kafka's message schemas, and the response type a
/// broker answers it with. Clients reach brokers only through these (`Cluster.send(_:to:from:)`), and a
/// wire-protocol server decodes frames into the same values, so both take one path through `KafkaApis`.
public protocol KafkaApiRequest: Sendable {
    associatedtype Response: Sendable
    static var apiKey: ApiKey { get }
    /// Hands the request to the broker's dispatcher method for its API.
    func handled(by apis: KafkaApis, context: RequestContext) -> Response
}
