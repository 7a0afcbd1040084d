// Retention: `UnifiedLog.deleteOldSegments` and the log start offset.

extension UnifiedLog {
    /// One retention pass (`UnifiedLog.deleteOldSegments`), as the broker runs every
    /// `log.retention.check.interval.ms`. With `cleanup.policy` including `delete`: segments entirely below
    /// the log start offset, then `retention.bytes`, then `retention.ms`; with `compact` only the first.
    /// Whole segments only, oldest first, stopping at the first that does not qualify; never a segment
    /// with offsets at or above the high watermark; an empty active segment is never deleted. If every
    /// segment qualifies, a new empty active segment is rolled first. Raises the log start offset.
    @discardableResult
    public func deleteOldSegments(nowMs: Int64) throws(LogError) -> [LogEvent] {
        var events = try deleteSegments(reason: .logStartOffset, nowMs: nowMs) { segment, next, _ in
            guard let next else { return false }
            return next.baseOffset <= self.logStartOffset
        }
        guard config.cleanupPolicy.delete else { return events }
        if config.retentionBytes >= 0 && Int64(size) >= config.retentionBytes {
            var diff = Int64(size) - config.retentionBytes
            events += try deleteSegments(reason: .retentionBytes, nowMs: nowMs) { segment, _, _ in
                if diff - Int64(segment.size) >= 0 {
                    diff -= Int64(segment.size)
                    return true
                }
                return false
            }
        }
        if config.retentionMs >= 0 {
            let retentionMs = config.retentionMs
            events += try deleteSegments(reason: .retentionMs, nowMs: nowMs) { segment, _, now in
                now - segment.largestTimestamp > retentionMs
            }
        }
        return events
    }

    /// Kafka's `deletableSegments` + `deleteSegments` for one predicate.
    private func deleteSegments(reason: SegmentDeletionReason, nowMs: Int64,
                                _ predicate: (LogSegment, LogSegment?, Int64) -> Bool) throws(LogError) -> [LogEvent] {
        var deletable = 0
        while deletable < segments.count {
            let segment = segments[deletable]
            let next: LogSegment? = deletable + 1 < segments.count ? segments[deletable + 1] : nil
            let isLastAndEmpty = next == nil && segment.isEmpty
            let upperBound = next?.baseOffset ?? logEndOffset
            guard upperBound <= highWatermark, !isLastAndEmpty, predicate(segment, next, nowMs) else { break }
            deletable += 1
        }
        guard deletable > 0 else { return [] }
        var events: [LogEvent] = []
        try CrashPoint.during(.retention) { () throws(LogError) in
            if deletable == segments.count {
                events += try rollSegment(newBaseOffset: logEndOffset, reason: .retention, nowMs: nowMs)
            }
            // Oldest first, each `.log` renamed `.deleted` before any is removed: a crash leaves a contiguous log.
            let doomed = Array(segments[0..<deletable])
            try retire(doomed, finish: false)
            segments.removeFirst(deletable)
            removeDeleted(doomed)
            // Kafka's `deleteProducerSnapshots`: each deleted segment's snapshot goes with it.
            let bases = Set(doomed.map(\.baseOffset))
            deleteProducerSnapshots { bases.contains($0) }
            for segment in doomed { events.append(.segmentDeleted(baseOffset: segment.baseOffset, reason: reason)) }
        }
        events += maybeIncrementLogStartOffset(to: segments[0].baseOffset)
        return events
    }

    func maybeIncrementLogStartOffset(to offset: Int64) -> [LogEvent] {
        guard offset > logStartOffset else { return [] }
        let old = logStartOffset
        logStartOffset = offset
        if cleanerCheckpoint < offset { cleanerCheckpoint = offset }
        if highWatermark < offset { highWatermark = offset }
        return [.logStartOffsetIncremented(from: old, to: offset)]
    }

    /// Moves the log start offset forward (`kafka-delete-records.sh`, `DeleteRecords`): records below it
    /// become unreadable at once; whole segments below it go at the next `deleteOldSegments`.
    /// Throws `OFFSET_OUT_OF_RANGE` beyond the high watermark.
    @discardableResult
    public func deleteRecords(before offset: Int64) throws(LogError) -> [LogEvent] {
        guard offset <= highWatermark else {
            throw .offsetOutOfRange(topicPartition: topicPartition, offset: offset, logStartOffset: logStartOffset,
                                    logEndOffset: highWatermark)
        }
        return maybeIncrementLogStartOffset(to: offset)
    }
}
