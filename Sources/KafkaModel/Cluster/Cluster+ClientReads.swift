// Reads by the shell's one-shot consumers (`consume`, `kafka-console-consumer.sh`): the requests a Java consumer
// sends — ListOffsets to find where to start, then Fetch after Fetch — to the leader its metadata names, with the
// consumer's `isolation.level`.

/// What a client read of one partition got: the records in offset order (gaps where markers, aborted or compacted
/// records were), where the consumer goes on, and the partition's offsets from the last Fetch response.
public struct ClientRead: Sendable, Equatable {
    public var records: [Record] = []
    /// The next fetch offset: past the last record, and under read_committed past markers and aborted records too.
    public var nextOffset: Int64
    public var highWatermark: Int64 = -1
    /// -1 until a Fetch was answered.
    public var lastStableOffset: Int64 = -1
}

extension Cluster {
    /// ListOffsets for one partition at `timestamp` (`ListOffsetsRequest.latestTimestamp` answers the high watermark,
    /// or the last stable offset with `isolationLevel` 1), sent to the partition's leader.
    public func clientListOffset(_ partition: TopicPartition, timestamp: Int64, isolationLevel: Int8 = 0,
                                 from context: RequestContext) throws(KafkaError) -> Int64 {
        let leader = try clientLeader(partition)
        let request = ListOffsetsRequest(partitions: [partition: timestamp], isolationLevel: isolationLevel)
        let answer = try send(request, to: leader, from: context).partitions[partition]!
        if let error = answer.error { throw error }
        return answer.offset
    }

    /// Fetches from `offset` on until `maxRecords` records or nothing more to read below the bound the isolation level
    /// sets (the high watermark; read_committed: the last stable offset, aborted records and markers dropped).
    public func clientFetch(_ partition: TopicPartition, from offset: Int64, maxRecords: Int, isolationLevel: Int8 = 0,
                            from context: RequestContext) throws(KafkaError) -> ClientRead {
        let leader = try clientLeader(partition)
        var read = ClientRead(nextOffset: offset)
        while read.records.count < maxRecords {
            let request = FetchRequest(partitions: [.init(partition: partition, fetchOffset: read.nextOffset)],
                                       maxRecords: maxRecords - read.records.count, isolationLevel: isolationLevel)
            let data = try send(request, to: leader, from: context).responses[0]
            if let error = data.error { throw error }
            read.highWatermark = data.highWatermark
            read.lastStableOffset = data.lastStableOffset
            read.records += data.records
            // read_committed: the broker's filter says where to go on; read_uncommitted: past the last record.
            let next = data.nextFetchOffset ?? data.records.last.map { $0.offset + 1 } ?? read.nextOffset
            guard next > read.nextOffset else { break }
            read.nextOffset = next
            if next >= (isolationLevel == 1 ? data.lastStableOffset : data.highWatermark) { break }
        }
        return read
    }
}
