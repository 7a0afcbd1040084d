import KafkaModel
import KafkaWire
import NIOCore

extension WireRequestHandler {
    /// Produce: each partition's v2 batch is checked (magic, CRC) and appended by the leader through the same
    /// `ProduceRequest` the simulated producers send. `acks=all` partitions wait for the high watermark; the
    /// response leaves when every partition of the request has its answer, as Kafka's DelayedProduce does.
    func produce(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.ProduceRequest(from: &body, version: request.version)
        var order: [TopicPartition] = []
        var answers: [TopicPartition: ProduceResponse.PartitionResponse] = [:]
        var data: [ProduceRequest.PartitionProduceData] = []
        for topic in wire.topicData {
            for p in topic.partitionData {
                let tp = TopicPartition(topic.name, Int(p.index))
                order.append(tp)
                do throws(KafkaError) {
                    let (bytes, header) = try Self.clientBatch(p.records, partition: tp)
                    let producer = header.producerId >= 0
                        ? ProducerIdentity(producerId: header.producerId, producerEpoch: header.producerEpoch, baseSequence: header.baseSequence)
                        : nil
                    data.append(.init(partition: tp, clientBatch: bytes, recordCount: Int(header.recordsCount), producer: producer))
                } catch {
                    if case .invalidRecord(let why) = error { notices.append("[wire] Produce to \(tp) refused: \(why)") }
                    answers[tp] = .init(partition: tp, error: error)
                }
            }
        }
        var model = ProduceRequest(acks: wire.acks, timeoutMs: wire.timeoutMs, partitionData: data)
        model.transactionalId = wire.transactionalId
        // v ≤ 11 comes from a client before transaction version 2: its partitions are verified, not added.
        model.transactionSupportedOperation = .forProduce(version: request.version)
        if !data.isEmpty {
            let answer = try cluster.send(model, to: request.broker, from: request.context)
            for a in answer.responses { answers[a.partition] = a }
        }
        if wire.acks == 0 { return .noResponse }
        guard order.allSatisfy({ answers[$0] != nil }) else {
            parked[request.connection] = .produce(request, order: order, answers: answers)
            finishReplicationRounds()
            return .parked
        }
        return produceResponse(request, order: order, answers: answers)
    }

    func produceResponse(_ request: WireRequest, order: [TopicPartition],
                         answers: [TopicPartition: ProduceResponse.PartitionResponse]) -> WireOutcome {
        var response = Wire.ProduceResponse()
        var topics: [String] = []
        var byTopic: [String: [Wire.ProduceResponse.TopicProduceResponse.PartitionProduceResponse]] = [:]
        for tp in order {
            let answer = answers[tp] ?? .init(partition: tp, error: .unknownTopicOrPartition("This server does not host this topic-partition."))
            var p = Wire.ProduceResponse.TopicProduceResponse.PartitionProduceResponse()
            p.index = Int32(tp.partition)
            p.errorCode = answer.error?.code ?? 0
            p.errorMessage = answer.error?.message
            p.baseOffset = answer.baseOffset
            p.logAppendTimeMs = answer.logAppendTimeMs
            p.logStartOffset = answer.logStartOffset
            if byTopic[tp.topic] == nil { topics.append(tp.topic) }
            byTopic[tp.topic, default: []].append(p)
        }
        response.responses = topics.map { name in
            var t = Wire.ProduceResponse.TopicProduceResponse()
            t.name = name
            t.partitionResponses = byTopic[name] ?? []
            return t
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    /// The one v2 batch a client sends per partition, checked as Kafka's `LogValidator` checks an uncompressed v2
    /// batch: magic 2, a length that matches, one batch, at least one record, and the client's CRC. Its records stay
    /// bytes. A compressed batch (gzip, snappy, lz4, zstd) is kept as sent once its records decompress and decode.
    static func clientBatch(_ records: ByteBuffer?, partition: TopicPartition) throws(KafkaError) -> (bytes: [UInt8], header: RecordBatchHeader) {
        guard let records, records.readableBytes >= RecordBatch.recordBatchOverhead else {
            throw .invalidRecord("The produce request for \(partition) holds no record batch.")
        }
        let bytes = Array(records.readableBytesView)
        guard bytes[16] == 2 else {
            throw .invalidRecord("Record batch magic \(bytes[16]) is not supported: Kafka 4.0 accepts only v2 batches (magic 2).")
        }
        let codec = bytes[22] & 0x07
        guard codec <= 4 else {
            throw .corruptMessage("Record batch for \(partition) is corrupt: unknown compression type id \(codec)")
        }
        let read: Result<RecordBatchHeader, RecordBatchError> = bytes.withUnsafeBytes { raw in
            do throws(RecordBatchError) { return .success(try RecordBatchHeader.read(raw)) } catch { return .failure(error) }
        }
        guard case .success(let header) = read else {
            throw .corruptMessage("Record batch for \(partition) is corrupt: \(read)")
        }
        guard header.sizeInBytes == bytes.count else {
            throw .invalidRecord("A produce request must hold exactly one record batch per partition.")
        }
        guard header.recordsCount > 0, header.lastOffsetDelta == header.recordsCount - 1, !header.isControl else {
            throw .invalidRecord("The record batch for \(partition) holds \(header.recordsCount) records with last offset delta \(header.lastOffsetDelta).")
        }
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
        guard crc == header.crc else {
            throw .corruptMessage("Record is corrupt (stored crc = \(header.crc), computed crc = \(crc))")
        }
        if header.compressionType != .none {
            // Stored as sent, so its records must decompress and decode now (Kafka's LogValidator reads them too).
            do throws(RecordBatchError) { _ = try RecordBatch(bytes: bytes) } catch {
                throw .corruptMessage("Record batch for \(partition) is corrupt: \(error)")
            }
        }
        return (bytes, header)
    }
}
