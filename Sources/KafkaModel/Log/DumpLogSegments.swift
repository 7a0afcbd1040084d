/// `kafka-dump-log.sh` (Kafka's `kafka.tools.DumpLogSegments`) over a file's bytes: returns the text the
/// tool prints on stdout for a `.log`, `.index` or `.timeindex` file.
///
/// `.log`: `Dumping <path>`, `Log starting offset: N`, one line per batch, and with `deepIteration`
/// (implied by `printDataLog`) one `| offset: …` line per record, with ` key: …`/` payload: …` (UTF-8)
/// when `printDataLog`. A torn tail ends with `Found N invalid bytes at the end of <name>`.
/// `.index`: `offset: O position: P` per entry (or `<path> is empty.`); `.timeindex`:
/// `timestamp: T offset: O`; both stop at a zero entry after the first, as Kafka does for sparse files.
public enum DumpLogSegments {
    /// What could not be dumped.
    public enum DumpError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The bytes are not a readable log (`CorruptRecordException` in Kafka).
        case corrupt(position: Int, RecordBatchError)
        /// The file name has no `.log`, `.index` or `.timeindex` suffix with a 20-digit offset.
        case unknownFile(String)

        public var description: String {
            switch self {
            case let .corrupt(position, error): return "\(error) (at position \(position))"
            case let .unknownFile(name): return "Ignoring unknown file \(name)"
            }
        }
    }

    /// Dumps one file. `path` is printed as given; its last component names the file.
    public static func dump(path: String, bytes: [UInt8], deepIteration: Bool = false,
                            printDataLog: Bool = false) throws(DumpError) -> String {
        let name = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path))
        guard let dot = name.lastIndex(of: "."), let startOffset = Int64(name[..<dot]) else {
            throw .unknownFile(path)
        }
        var out = "Dumping \(path)\n"
        switch name[dot...] {
        case ".log":
            out += "Log starting offset: \(startOffset)\n"
            try dumpLog(name: name, bytes: bytes, deep: deepIteration || printDataLog, printData: printDataLog, into: &out)
        case ".index":
            dumpIndex(path: path, bytes: bytes, baseOffset: startOffset, into: &out)
        case ".timeindex":
            dumpTimeIndex(bytes: bytes, baseOffset: startOffset, into: &out)
        default:
            throw .unknownFile(path)
        }
        return out
    }

    private static func dumpLog(name: String, bytes: [UInt8], deep: Bool, printData: Bool,
                                into out: inout String) throws(DumpError) {
        let result: Result<String, DumpError> = bytes.withUnsafeBytes { buffer in
            var text = ""
            var position = 0
            while buffer.count - position >= 17 {
                let header: RecordBatchHeader
                do throws(RecordBatchError) {
                    header = try RecordBatchHeader.read(buffer, at: position)
                } catch {
                    if case .truncated = error { break }
                    return .failure(.corrupt(position: position, error))
                }
                guard buffer.count - position >= header.sizeInBytes else { break }
                let valid = header.isValid(buffer, at: position)
                text += "baseOffset: \(header.baseOffset) lastOffset: \(header.lastOffset) count: \(header.recordsCount)"
                    + " baseSequence: \(header.baseSequence) lastSequence: \(header.lastSequence)"
                    + " producerId: \(header.producerId) producerEpoch: \(header.producerEpoch)"
                    + " partitionLeaderEpoch: \(header.partitionLeaderEpoch) isTransactional: \(header.isTransactional)"
                    + " isControl: \(header.isControl) deleteHorizonMs: "
                    + (header.deleteHorizonMs.map { "OptionalLong[\($0)]" } ?? "OptionalLong.empty")
                    + " position: \(position) \(header.timestampType): \(header.maxTimestamp)"
                    + " size: \(header.sizeInBytes) magic: \(header.magic)"
                    + " compresscodec: \(header.compressionType.name) crc: \(header.crc) isvalid: \(valid)\n"
                if deep {
                    var records: [Record] = []
                    do throws(RecordBatchError) {
                        guard header.compressionType == .none else { throw .unsupportedCompression(header.compressionType) }
                        try RecordBatch.decodeRecords(header: header, buffer: buffer, at: position, minOffset: .min,
                                                      limit: .max, into: &records)
                    } catch { return .failure(.corrupt(position: position, error)) }
                    for record in records {
                        text += recordLine(record, header: header, printData: printData)
                    }
                }
                position += header.sizeInBytes
            }
            if position < buffer.count {
                text += "Found \(buffer.count - position) invalid bytes at the end of \(name)\n"
            }
            return .success(text)
        }
        out += try result.get()
    }

    private static func recordLine(_ record: Record, header: RecordBatchHeader, printData: Bool) -> String {
        let sequence = RecordBatch.incrementSequence(header.baseSequence, by: Int32(truncatingIfNeeded: record.offset - header.baseOffset))
        var line = "| offset: \(record.offset) \(header.timestampType): \(record.timestamp)"
            + " keySize: \(record.key.map { $0.count } ?? -1) valueSize: \(record.value.map { $0.count } ?? -1)"
            + " sequence: \(sequence) headerKeys: [\(record.headers.map(\.key).joined(separator: ","))]"
        if header.isControl {
            if let id = ControlRecordType.typeId(ofKey: record.key), let type = ControlRecordType(rawValue: id) {
                if type == .commit || type == .abort, let marker = EndTransactionMarker(record: record) {
                    line += " endTxnMarker: \(marker.controlType) coordinatorEpoch: \(marker.coordinatorEpoch)"
                } else {
                    line += " controlType: \(type)(\(id))"
                }
            }
        } else if printData {
            if let key = record.key { line += " key: " + String(decoding: key, as: UTF8.self) }
            if let value = record.value { line += " payload: " + String(decoding: value, as: UTF8.self) }
        }
        return line + "\n"
    }

    private static func dumpIndex(path: String, bytes: [UInt8], baseOffset: Int64, into out: inout String) {
        let entries = bytes.count / OffsetIndexEntry.size
        if entries == 0 {
            out += "\(path) is empty.\n"
            return
        }
        bytes.withUnsafeBytes { buffer in
            for i in 0..<entries {
                let offset = baseOffset + Int64(buffer.loadBigEndian(at: i * 8, as: Int32.self))
                let position = buffer.loadBigEndian(at: i * 8 + 4, as: Int32.self)
                if offset == baseOffset && i > 0 { return }
                out += "offset: \(offset) position: \(position)\n"
            }
        }
    }

    private static func dumpTimeIndex(bytes: [UInt8], baseOffset: Int64, into out: inout String) {
        let entries = bytes.count / TimeIndexEntry.size
        bytes.withUnsafeBytes { buffer in
            for i in 0..<entries {
                let timestamp = buffer.loadBigEndian(at: i * 12, as: Int64.self)
                let offset = baseOffset + Int64(buffer.loadBigEndian(at: i * 12 + 8, as: Int32.self))
                if offset == baseOffset && i > 0 { return }
                out += "timestamp: \(timestamp) offset: \(offset)\n"
            }
        }
    }
}
