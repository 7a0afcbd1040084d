/// One broker of the simulated cluster.
public struct Broker: Sendable, Equatable {
    /// `node.id`.
    public let id: Int
    /// The host its listener binds.
    public let host: String
    /// The port its `PLAINTEXT` listener binds.
    public let port: Int
    /// False while the broker is stopped; a stopped broker is fenced and leads nothing.
    public internal(set) var isAlive: Bool = true

    /// `localhost:9092`.
    public var listener: String { "\(host):\(port)" }
}
