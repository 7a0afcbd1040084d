import KafkaModel
import KafkaShell
import KafkaWire
import NIOCore
@testable import KafkaServer

/// A client that speaks to a `WireRequestHandler` the way a socket would, without one: it encodes request frames
/// with the generated codec and decodes the answers.
final class WireTestClient {
    let handler: WireRequestHandler
    let connection: Int
    var correlationId: Int32 = 0
    let clientId: String
    let allocator = ByteBufferAllocator()

    init(_ handler: WireRequestHandler, connection: Int, broker: Int, clientId: String = "test-client") {
        self.handler = handler
        self.connection = connection
        self.clientId = clientId
        handler.connectionOpened(connection, broker: broker, remote: "127.0.0.1:\(50000 + connection)")
    }

    /// Sends one request; returns what the handler did with it.
    func send(apiKey: Int16, version: Int16, _ body: (inout ByteBuffer) -> Void) -> WireOutcome {
        correlationId += 1
        let header = Wire.RequestHeader(apiKey: apiKey, apiVersion: version, correlationId: correlationId, clientId: clientId)
        var frame = Wire.encodeRequestFrame(header: header, allocator: allocator, body: body)
        frame.moveReaderIndex(forwardBy: 4)
        return handler.handle(frame: frame, connection: connection)
    }

    /// The body of a response frame, after its length, correlation id and (flexible, not ApiVersions) tag byte.
    func body(_ outcome: WireOutcome, apiKey: Int16, version: Int16) throws -> ByteBuffer {
        guard case .respond(var frame) = outcome else { throw TestFailure("expected a response, got \(outcome)") }
        let length = frame.readInteger(as: Int32.self)
        guard Int(length ?? -1) == frame.readableBytes else { throw TestFailure("frame length \(length ?? -1) != \(frame.readableBytes)") }
        let correlation = frame.readInteger(as: Int32.self)
        guard correlation == correlationId else { throw TestFailure("correlation id \(correlation ?? -1), expected \(correlationId)") }
        if apiKey != 18 && Wire.isFlexible(apiKey: apiKey, version: version) {
            guard frame.readInteger(as: UInt8.self) == 0 else { throw TestFailure("expected an empty tag section") }
        }
        return frame
    }

    /// The next answer the handler has ready for this connection.
    func ready() -> WireOutcome? {
        handler.takeReadyResponses().first { $0.connection == connection }?.response
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
