/// The consumer's side of a fetch (Kafka's `CompletedFetch.nextFetchedRecord`), as a pure function of the fetched
/// batches: records below the fetch offset are skipped, control records never reach the application, and under
/// read_committed the batches of aborted transactions are dropped. Offsets keep their gaps (markers, aborted and
/// compacted records).
public enum CompletedFetch {
    /// The records the application gets from `batches` fetched at `fetchOffset`, at most `maxRecords`, and the
    /// consumer's next fetch offset.
    ///
    /// Under read_committed, `abortedTransactions` (from the fetch response) are taken in first-offset order: once a
    /// batch's last offset reaches an aborted transaction's first offset, that producer counts as aborted, and its
    /// transactional batches are skipped until its ABORT marker.
    public static func records(_ batches: [RecordBatch], fetchOffset: Int64, abortedTransactions: [AbortedTransaction]?,
                               readCommitted: Bool, maxRecords: Int = .max) -> (records: [Record], nextOffset: Int64) {
        var pending = (abortedTransactions ?? []).sorted { $0.firstOffset < $1.firstOffset }[...]
        var abortedProducers: Set<Int64> = []
        var next = fetchOffset
        var out: [Record] = []
        for batch in batches {
            if readCommitted && batch.producerId >= 0 {
                while let first = pending.first, first.firstOffset <= batch.lastOffset {
                    abortedProducers.insert(first.producerId)
                    pending.removeFirst()
                }
                if containsAbortMarker(batch) {
                    abortedProducers.remove(batch.producerId)
                } else if batch.isTransactional && abortedProducers.contains(batch.producerId) {
                    next = batch.nextOffset
                    continue
                }
            }
            for record in batch.records where record.offset >= next {
                if out.count == maxRecords { return (out, next) }
                next = record.offset + 1
                if !batch.isControl { out.append(record) }
            }
            // A v2 batch keeps its last offset even when the cleaner removed its last records.
            if out.count < maxRecords { next = max(next, batch.nextOffset) }
        }
        return (out, next)
    }

    /// Whether a control batch's first record is an ABORT marker (`containsAbortMarker`).
    static func containsAbortMarker(_ batch: RecordBatch) -> Bool {
        guard batch.isControl, let record = batch.records.first else { return false }
        return ControlRecordType.typeId(ofKey: record.key) == ControlRecordType.abort.rawValue
    }
}
