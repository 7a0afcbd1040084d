/// What `kafka-dump-log.sh` (Kafka's `kafka.tools.DumpLogSegments`) finds in a `.log`, `.index` or
/// `.timeindex` file's bytes, as values; the shell prints them in the tool's format.
///
/// `.log`: every whole batch with its file position and CRC check, and with `deepIteration` its records;
/// a torn tail is counted, not read. `.index` and `.timeindex`: the entries up to the first zero entry after
/// the first, as Kafka stops at a sparse file's unused slots. `.txnindex`: the aborted transactions. `.snapshot`:
/// the producers of a producer state snapshot.
public enum DumpLogSegments {
    /// What could not be dumped.
    public enum DumpError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The bytes are not a readable log (`CorruptRecordException` in Kafka).
        case corrupt(position: Int, RecordBatchError)
        /// The file name has no `.log`, `.index`, `.timeindex`, `.txnindex` or `.snapshot` suffix after an offset.
        case unknownFile(String)

        public var description: String {
            switch self {
            case let .corrupt(position, error): return "\(error) (at position \(position))"
            case let .unknownFile(name): return "Ignoring unknown file \(name)"
            }
        }
    }

    /// One file read: its path as given, its name and the offset the name carries.
    public struct Dump: Sendable, Equatable {
        /// The path as the caller gave it (Kafka prints it as typed).
        public var path: String
        /// The path's last component.
        public var fileName: String
        /// The offset in the file name (the segment's base offset).
        public var baseOffset: Int64
        /// What the file holds.
        public var contents: Contents
    }

    /// A file's contents by kind.
    public enum Contents: Sendable, Equatable {
        /// The whole batches in file order; `invalidTrailingBytes` after the last one could not be read as a batch.
        case log(batches: [Batch], invalidTrailingBytes: Int)
        /// The offset index's entries (absolute offsets).
        case index([OffsetIndexEntry])
        /// The time index's entries (absolute offsets).
        case timeIndex([TimeIndexEntry])
        /// The aborted-transaction index's whole entries.
        case transactionIndex([AbortedTxn])
        /// A producer state snapshot's producers, or why it could not be read.
        case producerSnapshot(Result<[ProducerStateEntry], ProducerStateSnapshot.ReadError>)
    }

    /// One batch as the tool reports it.
    public struct Batch: Sendable, Equatable {
        public var header: RecordBatchHeader
        /// Byte position of the batch in the file.
        public var position: Int
        /// Whether the stored CRC matches the batch's bytes.
        public var isValid: Bool
        /// The batch's records, nil unless read with `deepIteration`.
        public var records: [DumpedRecord]?
    }

    /// One record with what the tool derives from its batch.
    public struct DumpedRecord: Sendable, Equatable {
        public var record: Record
        /// The record's producer sequence: the batch's base sequence plus its offset delta (wrapping as Kafka's does).
        public var sequence: Int32
        /// In a control batch: what the record marks (nil for a data record or an unrecognised control key).
        public var control: Control?
    }

    /// What a control record marks.
    public enum Control: Sendable, Equatable {
        /// A transaction's commit or abort marker.
        case endTransaction(EndTransactionMarker)
        /// Any other control record type (or a marker whose value could not be read), with its type id.
        case other(ControlRecordType, id: Int16)
    }

    /// Reads one file. `path` is kept as given; its last component names the file.
    public static func dump(path: String, bytes: [UInt8], deepIteration: Bool = false) throws(DumpError) -> Dump {
        let name = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path))
        guard let dot = name.lastIndex(of: "."), let startOffset = Int64(name[..<dot]) else {
            throw .unknownFile(path)
        }
        let contents: Contents
        switch name[dot...] {
        case ".log": contents = try readLog(bytes: bytes, deep: deepIteration)
        case ".index": contents = .index(readIndex(bytes: bytes, baseOffset: startOffset))
        case ".timeindex": contents = .timeIndex(readTimeIndex(bytes: bytes, baseOffset: startOffset))
        case TransactionIndex.suffix: contents = .transactionIndex(TransactionIndex.decode(bytes).entries)
        case ProducerStateSnapshot.suffix:
            do throws(ProducerStateSnapshot.ReadError) { contents = .producerSnapshot(.success(try ProducerStateSnapshot.decode(bytes))) } catch {
                contents = .producerSnapshot(.failure(error))
            }
        default: throw .unknownFile(path)
        }
        return Dump(path: path, fileName: name, baseOffset: startOffset, contents: contents)
    }

    private static func readLog(bytes: [UInt8], deep: Bool) throws(DumpError) -> Contents {
        let result: Result<Contents, DumpError> = bytes.withUnsafeBytes { buffer in
            var batches: [Batch] = []
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
                var batch = Batch(header: header, position: position, isValid: header.isValid(buffer, at: position))
                if deep {
                    var records: [Record] = []
                    do throws(RecordBatchError) {
                        try RecordBatch.withPlainRecords(header: header, buffer: buffer, at: position) { (header, buffer, position) throws(RecordBatchError) in
                            try RecordBatch.decodeRecords(header: header, buffer: buffer, at: position, minOffset: .min,
                                                          limit: .max, into: &records)
                        }
                    } catch { return .failure(.corrupt(position: position, error)) }
                    batch.records = records.map { dumped($0, header: header) }
                }
                batches.append(batch)
                position += header.sizeInBytes
            }
            return .success(.log(batches: batches, invalidTrailingBytes: buffer.count - position))
        }
        return try result.get()
    }

    private static func dumped(_ record: Record, header: RecordBatchHeader) -> DumpedRecord {
        let sequence = RecordBatch.incrementSequence(header.baseSequence, by: Int32(truncatingIfNeeded: record.offset - header.baseOffset))
        var control: Control?
        if header.isControl, let id = ControlRecordType.typeId(ofKey: record.key), let type = ControlRecordType(rawValue: id) {
            if type == .commit || type == .abort, let marker = EndTransactionMarker(record: record) {
                control = .endTransaction(marker)
            } else {
                control = .other(type, id: id)
            }
        }
        return DumpedRecord(record: record, sequence: sequence, control: control)
    }

    private static func readIndex(bytes: [UInt8], baseOffset: Int64) -> [OffsetIndexEntry] {
        bytes.withUnsafeBytes { buffer in
            var entries: [OffsetIndexEntry] = []
            for i in 0..<(buffer.count / OffsetIndexEntry.size) {
                let offset = baseOffset + Int64(buffer.loadBigEndian(at: i * 8, as: Int32.self))
                let position = buffer.loadBigEndian(at: i * 8 + 4, as: Int32.self)
                if offset == baseOffset && i > 0 { break }
                entries.append(OffsetIndexEntry(offset: offset, position: Int(position)))
            }
            return entries
        }
    }

    private static func readTimeIndex(bytes: [UInt8], baseOffset: Int64) -> [TimeIndexEntry] {
        bytes.withUnsafeBytes { buffer in
            var entries: [TimeIndexEntry] = []
            for i in 0..<(buffer.count / TimeIndexEntry.size) {
                let timestamp = buffer.loadBigEndian(at: i * 12, as: Int64.self)
                let offset = baseOffset + Int64(buffer.loadBigEndian(at: i * 12 + 8, as: Int32.self))
                if offset == baseOffset && i > 0 { break }
                entries.append(TimeIndexEntry(timestamp: timestamp, offset: offset))
            }
            return entries
        }
    }
}
