import NIOCore

/// Splits a connection's bytes into Kafka request frames: a big-endian int32 size, then that many bytes.
/// Emits each frame's body (without its size) as a slice of the read buffer.
struct KafkaFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// Kafka's `socket.request.max.bytes` default: a broker closes a connection that announces a bigger request
    /// (or a negative size, which is what a non-Kafka client such as a browser or a TLS hello usually sends).
    static let maxFrameSize = 104_857_600

    let maxFrameSize: Int
    /// Room is made for a frame's announced size up to this many bytes (more comes as it arrives).
    static let reservedFrameBytes = 4 << 20

    init(maxFrameSize: Int = KafkaFrameDecoder.maxFrameSize) {
        self.maxFrameSize = maxFrameSize
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
        guard size >= 0, Int(size) <= maxFrameSize else {
            throw KafkaFrameError.invalidSize(Int(size), limit: maxFrameSize)
        }
        guard buffer.readableBytes >= 4 + Int(size) else {
            // The rest of a large frame (a producer's megabyte batch) arrives in many reads: room for all of it now
            // saves copying what came so far again each time the buffer doubles. Only up to a bound, as the size is
            // the client's word.
            let missing = min(4 + Int(size), Self.reservedFrameBytes) - buffer.readableBytes
            if missing > buffer.writableBytes { buffer.reserveCapacity(minimumWritableBytes: missing) }
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(size))!))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A client that hangs up half-way through a request leaves a partial frame: nobody is waiting for its
        // answer, so it is dropped quietly rather than reported as an error.
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}

/// Why a connection's byte stream could not be split into frames.
enum KafkaFrameError: Error, CustomStringConvertible {
    case invalidSize(Int, limit: Int)

    var description: String {
        switch self {
        case .invalidSize(let size, _) where size < 0:
            return "the client announced a request of \(size) bytes (not a Kafka client, or a TLS/SASL client on a plaintext listener?)"
        case .invalidSize(let size, let limit):
            return "the client announced a request of \(size) bytes, more than socket.request.max.bytes (\(limit))"
        }
    }
}
