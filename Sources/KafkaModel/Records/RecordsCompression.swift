import CLZ4
import CSnappy
import CZlib
import CZstd

/// The records section of a compressed v2 batch (everything after the 61-byte header, one stream), turned into the
/// plain records bytes and back with the C libraries Kafka's clients use: zlib for gzip, snappy (raw or with the
/// xerial framing Java clients write), LZ4's frame format, zstd. Garbage is an error, never a crash; a section that
/// inflates past `maxDecompressedBytes` is refused as corrupt.
public enum RecordsCompression {
    /// The most plain bytes one batch's records section may inflate to.
    public static let maxDecompressedBytes = 64 << 20

    /// The plain records of a section compressed with `codec` (`.none` returns the bytes unchanged).
    public static func decompress(_ codec: CompressionType, _ input: UnsafeRawBufferPointer,
                                  limit: Int = maxDecompressedBytes) throws(RecordBatchError) -> [UInt8] {
        switch codec {
        case .none: return Array(input)
        case .gzip: return try inflate(input, limit: limit)
        case .snappy: return try unsnappy(input, limit: limit)
        case .lz4: return try unlz4(input, limit: limit)
        case .zstd: return try unzstd(input, limit: limit)
        }
    }

    /// `input` compressed with `codec` as a Java producer would (gzip stream, xerial-framed snappy, LZ4 frame,
    /// zstd frame); for building compressed batches in tests and examples.
    public static func compress(_ codec: CompressionType, _ input: [UInt8]) -> [UInt8] {
        switch codec {
        case .none: return input
        case .gzip: return deflate(input)
        case .snappy: return snappyXerial(input)
        case .lz4:
            var out = [UInt8](repeating: 0, count: LZ4F_compressFrameBound(input.count, nil))
            let n = out.withUnsafeMutableBytes { o in
                input.withUnsafeBytes { LZ4F_compressFrame(o.baseAddress, o.count, $0.baseAddress, $0.count, nil) }
            }
            precondition(LZ4F_isError(n) == 0, "LZ4F_compressFrame failed")
            return Array(out[0..<n])
        case .zstd:
            var out = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
            let n = out.withUnsafeMutableBytes { o in
                input.withUnsafeBytes { ZSTD_compress(o.baseAddress, o.count, $0.baseAddress, $0.count, 3) }
            }
            precondition(ZSTD_isError(n) == 0, "ZSTD_compress failed")
            return Array(out[0..<n])
        }
    }

    private static func failure(_ codec: CompressionType, _ why: String) -> RecordBatchError {
        .invalidRecord(reason: "Failed to decompress the \(codec.name) records of the batch: \(why)")
    }

    private static func tooLarge(_ codec: CompressionType, _ limit: Int) -> RecordBatchError {
        failure(codec, "the records inflate to more than \(limit) bytes")
    }

    private static let chunk = 64 << 10

    // MARK: gzip

    private static func inflate(_ input: UnsafeRawBufferPointer, limit: Int) throws(RecordBatchError) -> [UInt8] {
        var stream = z_stream()
        guard kl_inflate_init2(&stream, 15 + 32) == Z_OK else { throw failure(.gzip, "inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: chunk)
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while true {
            let (status, produced) = scratch.withUnsafeMutableBytes { s -> (Int32, Int) in
                stream.next_out = s.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(s.count)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                return (status, s.count - Int(stream.avail_out))
            }
            out.append(contentsOf: scratch[0..<produced])
            if out.count > limit { throw tooLarge(.gzip, limit) }
            if status == Z_STREAM_END { return out }
            guard status == Z_OK else {
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw failure(.gzip, message)
            }
            if produced == 0 && stream.avail_in == 0 { throw failure(.gzip, "the stream ends early") }
        }
    }

    private static func deflate(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        precondition(kl_deflate_init2(&stream, Z_DEFAULT_COMPRESSION, 15 + 16) == Z_OK, "deflateInit2 failed")
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        var input = input
        let n = input.withUnsafeMutableBytes { i in
            out.withUnsafeMutableBytes { o -> Int in
                stream.next_in = i.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(i.count)
                stream.next_out = o.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(o.count)
                precondition(CZlib.deflate(&stream, Z_FINISH) == Z_STREAM_END, "deflate failed")
                return o.count - Int(stream.avail_out)
            }
        }
        return Array(out[0..<n])
    }

    // MARK: snappy

    /// The xerial snappy-java stream header: magic, then int32 version 1 and int32 compatible version 1.
    private static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]

    private static func unsnappy(_ input: UnsafeRawBufferPointer, limit: Int) throws(RecordBatchError) -> [UInt8] {
        guard input.count >= 16, input.prefix(8).elementsEqual(xerialMagic) else {
            var out: [UInt8] = []
            try unsnappyBlock(input, into: &out, limit: limit)
            return out
        }
        var out: [UInt8] = []
        var index = 16
        while index < input.count {
            guard input.count - index >= 4 else { throw failure(.snappy, "a block length is cut off") }
            let length = Int(input.loadBigEndian(at: index, as: Int32.self))
            index += 4
            guard length >= 0, length <= input.count - index else {
                throw failure(.snappy, "a block of \(length) bytes runs past the data")
            }
            try unsnappyBlock(UnsafeRawBufferPointer(rebasing: input[index..<(index + length)]), into: &out, limit: limit)
            index += length
        }
        return out
    }

    private static func unsnappyBlock(_ block: UnsafeRawBufferPointer, into out: inout [UInt8],
                                      limit: Int) throws(RecordBatchError) {
        guard let base = block.baseAddress?.assumingMemoryBound(to: CChar.self), block.count > 0 else {
            throw failure(.snappy, "an empty block")
        }
        var length = 0
        guard snappy_uncompressed_length(base, block.count, &length) == SNAPPY_OK else {
            throw failure(.snappy, "not a snappy block")
        }
        guard length <= limit - out.count else { throw tooLarge(.snappy, limit) }
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: length))
        let status = out.withUnsafeMutableBytes { o in
            snappy_uncompress(base, block.count, o.baseAddress!.advanced(by: start).assumingMemoryBound(to: CChar.self),
                              &length)
        }
        guard status == SNAPPY_OK, start + length == out.count else { throw failure(.snappy, "a corrupt block") }
    }

    private static func snappyXerial(_ input: [UInt8]) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: snappy_max_compressed_length(input.count))
        var length = block.count
        let status = block.withUnsafeMutableBytes { o in
            input.withUnsafeBytes {
                snappy_compress($0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count,
                                o.baseAddress!.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        precondition(status == SNAPPY_OK, "snappy_compress failed")
        var out = xerialMagic + [0, 0, 0, 1, 0, 0, 0, 1]
        withUnsafeBytes(of: Int32(length).bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: block[0..<length])
        return out
    }

    // MARK: lz4

    private static func unlz4(_ input: UnsafeRawBufferPointer, limit: Int) throws(RecordBatchError) -> [UInt8] {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, kl_lz4f_version())) == 0, let context else {
            throw failure(.lz4, "LZ4F_createDecompressionContext failed")
        }
        defer { LZ4F_freeDecompressionContext(context) }
        var out: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: chunk)
        var index = 0
        while true {
            var consumed = input.count - index
            var produced = scratch.count
            let hint = scratch.withUnsafeMutableBytes { s in
                LZ4F_decompress(context, s.baseAddress, &produced, input.baseAddress?.advanced(by: index), &consumed, nil)
            }
            if LZ4F_isError(hint) != 0 {
                throw failure(.lz4, String(cString: LZ4F_getErrorName(hint)))
            }
            index += consumed
            out.append(contentsOf: scratch[0..<produced])
            if out.count > limit { throw tooLarge(.lz4, limit) }
            if hint == 0 { return out }
            if consumed == 0 && produced == 0 { throw failure(.lz4, "the frame ends early") }
        }
    }

    // MARK: zstd

    private static func unzstd(_ input: UnsafeRawBufferPointer, limit: Int) throws(RecordBatchError) -> [UInt8] {
        guard let stream = ZSTD_createDStream() else { throw failure(.zstd, "ZSTD_createDStream failed") }
        defer { ZSTD_freeDStream(stream) }
        var out: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: chunk)
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var last = 0
        while true {
            var produced = 0
            let result = scratch.withUnsafeMutableBytes { s in
                var sink = ZSTD_outBuffer(dst: s.baseAddress, size: s.count, pos: 0)
                defer { produced = sink.pos }
                return ZSTD_decompressStream(stream, &sink, &source)
            }
            if ZSTD_isError(result) != 0 { throw failure(.zstd, String(cString: ZSTD_getErrorName(result))) }
            out.append(contentsOf: scratch[0..<produced])
            if out.count > limit { throw tooLarge(.zstd, limit) }
            last = result
            if source.pos == source.size && produced < scratch.count {
                // Everything read and the output not full: a finished frame, or a cut one.
                guard last == 0 else { throw failure(.zstd, "the frame ends early") }
                return out
            }
        }
    }
}

extension RecordBatch {
    /// Calls `body` with the batch at `position` as an uncompressed batch: itself when it is, else a copy of its
    /// 61-byte header (length adjusted, codec bits cleared) followed by its decompressed records.
    @discardableResult
    static func withPlainRecords<R>(header: RecordBatchHeader, buffer: UnsafeRawBufferPointer, at position: Int,
                                    _ body: (RecordBatchHeader, UnsafeRawBufferPointer, Int) throws(RecordBatchError) -> R)
        throws(RecordBatchError) -> R {
        guard header.compressionType != .none else { return try body(header, buffer, position) }
        let plain = try plainBatch(header: header, buffer: buffer, at: position)
        var plainHeader = header
        plainHeader.batchLength = Int32(plain.count - logOverhead)
        plainHeader.attributes &= ~0x07
        let result: Result<R, RecordBatchError> = plain.withUnsafeBytes { bytes in
            do throws(RecordBatchError) { return .success(try body(plainHeader, bytes, 0)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The compressed batch at `position` as plain bytes: its header (length adjusted, codec bits cleared), then its
    /// decompressed records. The CRC is left as stored (it covers the compressed bytes).
    static func plainBatch(header: RecordBatchHeader, buffer: UnsafeRawBufferPointer, at position: Int) throws(RecordBatchError) -> [UInt8] {
        guard header.hasKnownCompression else { throw .invalidRecord(reason: "Unknown compression type id \(header.attributes & 0x07)") }
        let section = UnsafeRawBufferPointer(rebasing: buffer[(position + recordBatchOverhead)..<(position + header.sizeInBytes)])
        let records = try RecordsCompression.decompress(header.compressionType, section)
        guard records.count <= Int(Int32.max) - recordBatchOverhead else { throw .invalidRecord(reason: "The records are too large") }
        var plain = Array(buffer[position..<(position + recordBatchOverhead)])
        plain.append(contentsOf: records)
        let length = Int32(plain.count - logOverhead).bigEndian
        withUnsafeBytes(of: length) { plain.replaceSubrange(8..<12, with: $0) }
        plain[22] &= ~0x07
        return plain
    }

    /// This batch encoded, then its records section compressed with `codec` as a client sends it (attributes,
    /// length and CRC updated).
    public func encodedCompressed(_ codec: CompressionType) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        guard codec != .none else { return bytes }
        let records = RecordsCompression.compress(codec, Array(bytes[RecordBatch.recordBatchOverhead...]))
        bytes.replaceSubrange(RecordBatch.recordBatchOverhead..., with: records)
        withUnsafeBytes(of: Int32(bytes.count - RecordBatch.logOverhead).bigEndian) { bytes.replaceSubrange(8..<12, with: $0) }
        bytes[22] = (bytes[22] & ~0x07) | UInt8(codec.rawValue)
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
        withUnsafeBytes(of: crc.bigEndian) { bytes.replaceSubrange(17..<21, with: $0) }
        return bytes
    }
}
