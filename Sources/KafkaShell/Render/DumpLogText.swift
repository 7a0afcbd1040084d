import KafkaModel

/// `kafka-dump-log.sh`'s lines for a file the model read (`DumpLogSegments`), byte for byte as Kafka prints them:
/// `Dumping <path>`, then for a `.log` `Log starting offset: N`, one line per batch, one `| offset: …` line per
/// record when the records were read, with ` key: …`/` payload: …` (UTF-8) under `--print-data-log`, and
/// `Found N invalid bytes at the end of <name>` for a torn tail; `offset: O position: P` per `.index` entry
/// (or `<path> is empty.`); `timestamp: T offset: O` per `.timeindex` entry; one line per aborted transaction of a
/// `.txnindex` and per producer of a `.snapshot`.
enum DumpLogText {
    static func lines(_ dump: DumpLogSegments.Dump, printDataLog: Bool) -> [String] {
        var lines = ["Dumping \(dump.path)"]
        switch dump.contents {
        case let .log(batches, invalidTrailingBytes):
            lines.append("Log starting offset: \(dump.baseOffset)")
            for batch in batches {
                lines.append(batchLine(batch))
                for record in batch.records ?? [] {
                    lines.append(recordLine(record, header: batch.header, printData: printDataLog))
                }
            }
            if invalidTrailingBytes > 0 {
                lines.append("Found \(invalidTrailingBytes) invalid bytes at the end of \(dump.fileName)")
            }
        case .index(let entries):
            if entries.isEmpty { lines.append("\(dump.path) is empty.") }
            lines += entries.map { "offset: \($0.offset) position: \($0.position)" }
        case .timeIndex(let entries):
            lines += entries.map { "timestamp: \($0.timestamp) offset: \($0.offset)" }
        case .transactionIndex(let entries):
            lines += entries.map {
                "version: \($0.version) producerId: \($0.producerId) firstOffset: \($0.firstOffset) lastOffset: \($0.lastOffset) lastStableOffset: \($0.lastStableOffset)"
            }
        case .producerSnapshot(.success(let entries)):
            lines += entries.map(snapshotLine)
        case .producerSnapshot(.failure(let error)):
            // Kafka prints the CorruptSnapshotException's message to stderr and goes on.
            lines.append(error.description)
        }
        return lines
    }

    /// `dumpProducerIdSnapshot`'s line: the entry, then its (only) batch if it has one; without one the line ends
    /// with the space Kafka leaves.
    private static func snapshotLine(_ entry: ProducerStateEntry) -> String {
        var line = "producerId: \(entry.producerId) producerEpoch: \(entry.producerEpoch) coordinatorEpoch: \(entry.coordinatorEpoch)"
            + " currentTxnFirstOffset: " + (entry.currentTxnFirstOffset.map { "OptionalLong[\($0)]" } ?? "OptionalLong.empty")
            + " lastTimestamp: \(entry.lastTimestamp) "
        if let batch = entry.batches.first {
            line += "firstSequence: \(batch.firstSequence) lastSequence: \(batch.lastSequence) lastOffset: \(batch.lastOffset)"
                + " offsetDelta: \(batch.offsetDelta) timestamp: \(batch.timestamp)"
        }
        return line
    }

    private static func batchLine(_ batch: DumpLogSegments.Batch) -> String {
        let header = batch.header
        return "baseOffset: \(header.baseOffset) lastOffset: \(header.lastOffset) count: \(header.recordsCount)"
            + " baseSequence: \(header.baseSequence) lastSequence: \(header.lastSequence)"
            + " producerId: \(header.producerId) producerEpoch: \(header.producerEpoch)"
            + " partitionLeaderEpoch: \(header.partitionLeaderEpoch) isTransactional: \(header.isTransactional)"
            + " isControl: \(header.isControl) deleteHorizonMs: "
            + (header.deleteHorizonMs.map { "OptionalLong[\($0)]" } ?? "OptionalLong.empty")
            + " position: \(batch.position) \(header.timestampType): \(header.maxTimestamp)"
            + " size: \(header.sizeInBytes) magic: \(header.magic)"
            + " compresscodec: \(header.compressionType.name) crc: \(header.crc) isvalid: \(batch.isValid)"
    }

    private static func recordLine(_ dumped: DumpLogSegments.DumpedRecord, header: RecordBatchHeader, printData: Bool) -> String {
        let record = dumped.record
        var line = "| offset: \(record.offset) \(header.timestampType): \(record.timestamp)"
            + " keySize: \(record.key.map { $0.count } ?? -1) valueSize: \(record.value.map { $0.count } ?? -1)"
            + " sequence: \(dumped.sequence) headerKeys: [\(record.headers.map(\.key).joined(separator: ","))]"
        switch dumped.control {
        case .endTransaction(let marker):
            line += " endTxnMarker: \(marker.controlType) coordinatorEpoch: \(marker.coordinatorEpoch)"
        case let .other(type, id):
            line += " controlType: \(type)(\(id))"
        case nil:
            // Kafka prints a control batch's keys and values only through its markers, never as data.
            guard printData, !header.isControl else { break }
            if let key = record.key { line += " key: " + String(decoding: key, as: UTF8.self) }
            if let value = record.value { line += " payload: " + String(decoding: value, as: UTF8.self) }
        }
        return line
    }
}
