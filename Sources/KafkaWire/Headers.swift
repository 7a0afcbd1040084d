import NIOCore

extension Wire {
    /// A request's header. Version 1 (non-flexible requests): api key, api version, correlation id, client id.
    /// Version 2 (flexible requests) adds a tagged-field section. The client id is a classic (int16-length)
    /// nullable string in both, never a compact one.
    public struct RequestHeader: Sendable, Equatable {
        public var apiKey: Int16
        public var apiVersion: Int16
        public var correlationId: Int32
        public var clientId: String?

        public init(apiKey: Int16, apiVersion: Int16, correlationId: Int32, clientId: String?) {
            self.apiKey = apiKey
            self.apiVersion = apiVersion
            self.correlationId = correlationId
            self.clientId = clientId
        }

        /// The header version of a request: 2 when the request is flexible, else 1.
        public static func headerVersion(apiKey: Int16, apiVersion: Int16) -> Int16 {
            Wire.isFlexible(apiKey: apiKey, version: apiVersion) ? 2 : 1
        }

        /// Reads a header from the start of a request (the frame after its length), leaving the body.
        /// An unknown api key (or an unknown version of a non-flexible API) does not throw: the header is read as
        /// version 1 and the caller decides what to answer. The tagged fields of header v2 are skipped.
        public static func decode(from buffer: inout ByteBuffer) throws(Wire.DecodingError) -> RequestHeader {
            let apiKey = try buffer.readKafkaInt16()
            let apiVersion = try buffer.readKafkaInt16()
            let correlationId = try buffer.readKafkaInt32()
            let clientId = try buffer.readKafkaNullableString(compact: false)
            if headerVersion(apiKey: apiKey, apiVersion: apiVersion) == 2 {
                try buffer.skipKafkaTaggedFields()
            }
            return RequestHeader(apiKey: apiKey, apiVersion: apiVersion, correlationId: correlationId, clientId: clientId)
        }

        /// Writes the header, version 1 or 2 by the request's flexibility (v2: an empty tagged-field section).
        public func encode(into buffer: inout ByteBuffer) {
            buffer.writeInteger(apiKey)
            buffer.writeInteger(apiVersion)
            buffer.writeInteger(correlationId)
            buffer.writeKafkaNullableString(clientId, compact: false)
            if Self.headerVersion(apiKey: apiKey, apiVersion: apiVersion) == 2 {
                buffer.writeKafkaEmptyTaggedFields()
            }
        }
    }

    /// A response's header: the correlation id, then (version 1, flexible responses) a tagged-field section.
    /// ApiVersions responses always use version 0, as a client can't know the version before it has the answer.
    public struct ResponseHeader: Sendable, Equatable {
        public var correlationId: Int32

        public init(correlationId: Int32) {
            self.correlationId = correlationId
        }

        /// The header version of a response: 1 when the response is flexible (except ApiVersions), else 0.
        public static func headerVersion(apiKey: Int16, apiVersion: Int16) -> Int16 {
            apiKey != 18 && Wire.isFlexible(apiKey: apiKey, version: apiVersion) ? 1 : 0
        }

        /// Writes the header of a response to `apiKey` at `apiVersion`.
        public static func encode(correlationId: Int32, apiKey: Int16, apiVersion: Int16, into buffer: inout ByteBuffer) {
            buffer.writeInteger(correlationId)
            if headerVersion(apiKey: apiKey, apiVersion: apiVersion) == 1 {
                buffer.writeKafkaEmptyTaggedFields()
            }
        }

        /// Reads the header of a response to `apiKey` at `apiVersion` (for clients and tests).
        public static func decode(from buffer: inout ByteBuffer, apiKey: Int16, apiVersion: Int16) throws(Wire.DecodingError) -> ResponseHeader {
            let correlationId = try buffer.readKafkaInt32()
            if headerVersion(apiKey: apiKey, apiVersion: apiVersion) == 1 {
                try buffer.skipKafkaTaggedFields()
            }
            return ResponseHeader(correlationId: correlationId)
        }
    }

    /// A whole response frame: `[int32 length][header][body]`, the length filled in once `body` has written.
    public static func encodeResponseFrame(
        correlationId: Int32, apiKey: Int16, apiVersion: Int16, allocator: ByteBufferAllocator,
        body: (inout ByteBuffer) -> Void
    ) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 256)
        buffer.writeInteger(0 as Int32)
        ResponseHeader.encode(correlationId: correlationId, apiKey: apiKey, apiVersion: apiVersion, into: &buffer)
        body(&buffer)
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: buffer.readerIndex)
        return buffer
    }

    /// A whole request frame: `[int32 length][header v1 or v2][body]` (for clients and tests).
    public static func encodeRequestFrame(
        header: RequestHeader, allocator: ByteBufferAllocator, body: (inout ByteBuffer) -> Void
    ) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 256)
        buffer.writeInteger(0 as Int32)
        header.encode(into: &buffer)
        body(&buffer)
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: buffer.readerIndex)
        return buffer
    }
}
