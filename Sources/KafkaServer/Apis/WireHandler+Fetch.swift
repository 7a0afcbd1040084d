import KafkaModel
import KafkaWire
import NIOCore

extension WireRequestHandler {
    /// Fetch: read below the high watermark (or the last stable offset for read_committed) from the leader. With
    /// nothing to return the request waits up to `fetch.max.wait.ms` for records (Kafka's DelayedFetch).
    func fetch(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.FetchRequest(from: &body, version: request.version)
        var partitions: [FetchRequest.FetchPartition] = []
        for topic in wire.topics {
            for p in topic.partitions {
                var fetch = FetchRequest.FetchPartition(partition: TopicPartition(topic.topic, Int(p.partition)), fetchOffset: p.fetchOffset)
                fetch.partitionMaxBytes = p.partitionMaxBytes
                fetch.currentLeaderEpoch = p.currentLeaderEpoch
                partitions.append(fetch)
            }
        }
        var model = FetchRequest(partitions: partitions, isolationLevel: wire.isolationLevel)
        model.maxWaitMs = wire.maxWaitMs
        model.minBytes = wire.minBytes
        model.maxBytes = wire.maxBytes
        model.returnsBatchBytes = true
        let answer = try cluster.send(model, to: request.broker, from: request.context)
        if Self.isEmpty(answer), wire.maxWaitMs > 0, wire.minBytes > 0 {
            parked[request.connection] = .fetch(request, model, topicIds: [:], deadlineMs: cluster.nowMs + Int64(wire.maxWaitMs))
            return .parked
        }
        return fetchResponse(request, model, answer)
    }

    static func isEmpty(_ answer: FetchResponse) -> Bool {
        answer.responses.allSatisfy { $0.error == nil && $0.batchBytes.isEmpty }
    }

    /// Parked fetches are read again as time passes; one that found records, or whose wait is over, is answered.
    func recheckParkedFetches() {
        for (connection, waiting) in parked {
            guard case .fetch(let request, let model, _, let deadline) = waiting else { continue }
            guard let node = cluster.broker(request.broker), node.isAlive, !cluster.crashedBrokers.contains(request.broker) else {
                parked[connection] = nil
                ready.append((connection, .close(reason: "broker \(request.broker) stopped")))
                continue
            }
            let answer = model.handled(by: cluster.apis(request.broker), context: request.context)
            if !Self.isEmpty(answer) || cluster.nowMs >= deadline {
                parked[connection] = nil
                ready.append((connection, fetchResponse(request, model, answer)))
            }
        }
    }

    func fetchResponse(_ request: WireRequest, _ model: FetchRequest, _ answer: FetchResponse) -> WireOutcome {
        var response = Wire.FetchResponse()
        var topics: [String] = []
        var byTopic: [String: [Wire.FetchResponse.FetchableTopicResponse.PartitionData]] = [:]
        for data in answer.responses {
            var p = Wire.FetchResponse.FetchableTopicResponse.PartitionData()
            p.partitionIndex = Int32(data.partition.partition)
            p.errorCode = data.error?.code ?? 0
            p.highWatermark = data.highWatermark
            p.lastStableOffset = data.lastStableOffset
            p.logStartOffset = data.logStartOffset
            p.abortedTransactions = data.abortedTransactions.map { list in
                list.map { a in
                    var aborted = Wire.FetchResponse.FetchableTopicResponse.PartitionData.AbortedTransaction()
                    aborted.producerId = a.producerId
                    aborted.firstOffset = a.firstOffset
                    return aborted
                }
            }
            p.preferredReadReplica = -1
            // The stored batches, as the leader wrote them.
            var records = allocator.buffer(capacity: data.batchBytes.count)
            records.writeBytes(data.batchBytes)
            p.records = records
            if byTopic[data.partition.topic] == nil { topics.append(data.partition.topic) }
            byTopic[data.partition.topic, default: []].append(p)
        }
        response.responses = topics.map { name in
            var t = Wire.FetchResponse.FetchableTopicResponse()
            t.topic = name
            t.partitions = byTopic[name] ?? []
            return t
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    /// ListOffsets: -1 latest (the high watermark, or the last stable offset for read_committed), -2 earliest,
    /// -3 the record with the largest timestamp, else the first offset at or after a timestamp.
    func listOffsets(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.ListOffsetsRequest(from: &body, version: request.version)
        var wanted: [TopicPartition: Int64] = [:]
        for t in wire.topics { for p in t.partitions { wanted[TopicPartition(t.name, Int(p.partitionIndex))] = p.timestamp } }
        let answer = try cluster.send(ListOffsetsRequest(partitions: wanted, isolationLevel: wire.isolationLevel),
                                      to: request.broker, from: request.context)
        var response = Wire.ListOffsetsResponse()
        response.topics = wire.topics.map { t in
            var topic = Wire.ListOffsetsResponse.ListOffsetsTopicResponse()
            topic.name = t.name
            topic.partitions = t.partitions.map { p in
                let found = answer.partitions[TopicPartition(t.name, Int(p.partitionIndex))]
                var partition = Wire.ListOffsetsResponse.ListOffsetsTopicResponse.ListOffsetsPartitionResponse()
                partition.partitionIndex = p.partitionIndex
                partition.errorCode = found?.error?.code ?? 0
                partition.timestamp = found?.timestamp ?? -1
                partition.offset = found?.offset ?? -1
                partition.leaderEpoch = found?.leaderEpoch ?? -1
                return partition
            }
            return topic
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }
}
