import NIOCore

/// One client connection: its requests are answered strictly in order, one at a time, as a Kafka broker's
/// `Processor` does by muting a connection until the response to its current request has been sent. Clients
/// pipeline requests (librdkafka keeps many in flight) and match answers by order, so a later request is never
/// handled while an earlier one is parked (a Fetch waiting for records, a JoinGroup waiting for the rebalance).
final class KafkaConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Above this many queued requests the connection stops reading, so a client that floods the socket is slowed
    /// by TCP instead of filling the server's memory.
    static let maxQueuedRequests = 16

    private let requestChannel: RequestChannel
    let broker: Int
    private var context: ChannelHandlerContext?
    private(set) var number = 0
    private var remote = "?"
    private var queued = CircularBuffer<ByteBuffer>()
    /// The current request is parked: its answer comes through `resume(with:)`.
    private var parked = false
    /// Inside the loop of `processQueued`, so a resume from within it does not start a second one.
    private var processing = false
    private var closing = false
    /// A read the channel asked for while the queue was full; passed on once the queue drains.
    private var withheldRead = false

    init(requestChannel: RequestChannel, broker: Int) {
        self.requestChannel = requestChannel
        self.broker = broker
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        remote = Self.describe(context.remoteAddress)
        number = requestChannel.open(self, broker: broker, remote: remote)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        queued.removeAll()
        if number > 0 { requestChannel.closed(number) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        queued.append(unwrapInboundIn(data))
        processQueued()
    }

    func read(context: ChannelHandlerContext) {
        if queued.count > Self.maxQueuedRequests {
            withheldRead = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { processQueued() }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let error = error as? KafkaFrameError {
            close(reason: error.description)
        } else {
            // A reset by the peer, a partial frame at hang-up: the connection is over, nothing to tell.
            close(reason: nil)
        }
    }

    /// The answer to the parked request is ready.
    func resume(with outcome: WireOutcome) {
        guard parked, !closing else { return }
        parked = false
        apply(outcome)
        processQueued()
    }

    /// Closes from the server's side (the server stops).
    func shutDown() {
        close(reason: nil)
    }

    // MARK: - Requests in order

    private func processQueued() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        // A client that stops reading its answers stops getting requests handled: its answers would otherwise
        // pile up in memory (a broker likewise handles nothing more until a response has left).
        while !parked, !closing, context?.channel.isWritable == true, let frame = queued.popFirst() {
            apply(requestChannel.handle(frame: frame, connection: number))
            requestChannel.settle()
        }
        if withheldRead, queued.count <= Self.maxQueuedRequests, !closing, let context {
            withheldRead = false
            context.read()
        }
    }

    private func apply(_ outcome: WireOutcome) {
        switch outcome {
        case .respond(let response):
            context?.writeAndFlush(wrapOutboundOut(response), promise: nil)
        case .noResponse:
            break
        case .parked:
            parked = true
        case .close(let reason):
            close(reason: reason)
        }
    }

    private func close(reason: String?) {
        guard !closing else { return }
        closing = true
        queued.removeAll()
        if let reason {
            requestChannel.notice("  ▸ Broker \(broker) closed connection \(number) from \(remote): \(reason)")
        }
        context?.close(promise: nil)
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "?" }
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return WireServer.address(host: ip, port: port)
    }
}
