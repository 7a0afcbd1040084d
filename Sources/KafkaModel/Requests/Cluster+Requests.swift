// Clients sit beside the brokers: a client's request reaches a running broker and is answered in the same
// simulated instant (only broker-to-broker messages pay `network latency`). A request to a stopped or crashed
// broker fails as a refused connection does, which the client treats as NETWORK_EXCEPTION and retries.

extension Cluster {
    /// The request dispatcher of a broker.
    public func apis(_ broker: Int) -> KafkaApis { KafkaApis(cluster: self, brokerId: broker) }

    /// Sends a client's request to a broker and returns its response.
    ///
    /// - Throws: `NETWORK_EXCEPTION` when the broker is not running (the connection cannot be established).
    public func send<R: KafkaApiRequest>(_ request: R, to broker: Int, from context: RequestContext) throws(KafkaError) -> R.Response {
        guard let node = self.broker(broker), node.isAlive, !crashedBrokers.contains(broker) else {
            throw .networkException(Self.connectionRefused(broker: broker, listener: self.broker(broker)?.listener))
        }
        requestCounts[broker, default: [:]][R.apiKey, default: 0] += 1
        return request.handled(by: apis(broker), context: context)
    }

    /// Hands a response that comes after its request (Kafka's `RequestChannel.sendResponse` from a purgatory) to the
    /// client that sent the request: a simulated client handles it at once; a connection's waits in
    /// `pendingConnectionResponses` for the wire-protocol server to write it.
    func deliver(_ response: DeferredResponse, to context: RequestContext) {
        switch (context.client, response) {
        case (.producer(let name), .produce(let produce)):
            for answer in produce.responses {
                produceAnswered(producer: name, partition: answer.partition, correlationId: context.correlationId,
                                answer.error.map { .failure($0) } ?? .success(answer.baseOffset))
            }
        case (.connection(let connection), _):
            pendingConnectionResponses.append(ConnectionResponse(connection: connection, correlationId: context.correlationId,
                                                                 response: response))
        case (.consumer, _), (.admin, _), (.producer, .group):
            // Consumers' parked group answers travel by `deliverParkedResponses`; admin clients send no request a
            // purgatory answers.
            break
        }
    }

    /// Takes the responses waiting for wire-protocol connections, oldest first.
    public func drainConnectionResponses() -> [ConnectionResponse] {
        defer { pendingConnectionResponses = [] }
        return pendingConnectionResponses
    }

    /// The Java client's text for a node it cannot connect to (`NetworkClient`).
    static func connectionRefused(broker: Int, listener: String?) -> String {
        let address = listener.map { l in l.replacingOccurrences(of: "localhost:", with: "localhost/127.0.0.1:") } ?? "unknown"
        return "Connection to node \(broker) (\(address)) could not be established. Node may not be available."
    }
}
