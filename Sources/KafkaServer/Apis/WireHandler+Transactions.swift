import KafkaModel
import KafkaWire
import NIOCore

// The transactional APIs as clients before transaction version 2 speak them (librdkafka, kafka-python, Java before
// 4.0): AddPartitionsToTxn before a partition is first written in a transaction, AddOffsetsToTxn before
// TxnOffsetCommit, EndTxn without an epoch bump. Each goes to the model as the typed request the simulated clients
// use, marked with the transaction version Kafka 4.0 derives from the request version.
extension WireRequestHandler {
    /// The codecs are generated for v0–3. AddOffsetsToTxn, EndTxn and TxnOffsetCommit v4 have v3's layout (v4 only
    /// says the client knows TRANSACTION_ABORTABLE), so v4 is read and written as v3.
    static func transactionCodecVersion(_ version: Int16) -> Int16 { min(version, 3) }

    /// A coordinator error as the request version can carry it: PRODUCER_FENCED (90) is answered INVALID_PRODUCER_EPOCH
    /// (47) below v2 of AddPartitionsToTxn, AddOffsetsToTxn and EndTxn ("older clients could not understand" it).
    static func transactionErrorCode(_ error: TransactionCoordinatorError?, version: Int16) -> Int16 {
        guard let error else { return 0 }
        return error == .producerFenced && version < 2 ? TransactionCoordinatorError.invalidProducerEpoch.rawValue : error.rawValue
    }

    /// AddPartitionsToTxn v0–3 (the client form; v4+ is broker to broker and not advertised): one error per
    /// partition, in the order the client listed them.
    func addPartitionsToTxn(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.AddPartitionsToTxnRequest(from: &body, version: request.version)
        var topics: [String] = []
        var partitions: [String: [Int32]] = [:]
        for t in wire.v3AndBelowTopics {
            if partitions[t.name] == nil { topics.append(t.name) }
            for p in t.partitions where !(partitions[t.name] ?? []).contains(p) { partitions[t.name, default: []].append(p) }
        }
        var model = AddPartitionsToTxnRequest(
            transactionalId: wire.v3AndBelowTransactionalId, producerId: wire.v3AndBelowProducerId,
            producerEpoch: wire.v3AndBelowProducerEpoch,
            partitions: topics.flatMap { name in (partitions[name] ?? []).map { TopicPartition(name, Int($0)) } })
        model.clientTransactionVersion = TransactionVersion.forAddPartitionsToTxn(version: request.version)
        let answer = try cluster.send(model, to: request.broker, from: request.context)
        var response = Wire.AddPartitionsToTxnResponse()
        response.resultsByTopicV3AndBelow = topics.map { name in
            var topic = Wire.AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult()
            topic.name = name
            topic.resultsByPartition = (partitions[name] ?? []).map { p in
                var result = Wire.AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult()
                result.partitionIndex = p
                result.partitionErrorCode = Self.transactionErrorCode(answer.error(for: TopicPartition(name, Int(p))), version: request.version)
                return result
            }
            return topic
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    /// A response that is only an error code (AddOffsetsToTxn, EndTxn before v5).
    private func errorCodeResponse<R: ErrorCodeResponse>(_: R.Type, _ request: WireRequest, _ error: TransactionCoordinatorError?) -> WireOutcome {
        var response = R()
        response.errorCode = Self.transactionErrorCode(error, version: request.version)
        return request.respond(allocator) { response.encode(into: &$0, version: Self.transactionCodecVersion(request.version)) }
    }

    /// AddOffsetsToTxn: the group's `__consumer_offsets` partition joins the transaction.
    func addOffsetsToTxn(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.AddOffsetsToTxnRequest(from: &body, version: Self.transactionCodecVersion(request.version))
        let model = AddOffsetsToTxnRequest(transactionalId: wire.transactionalId, producerId: wire.producerId,
                                           producerEpoch: wire.producerEpoch, groupId: wire.groupId)
        return errorCodeResponse(Wire.AddOffsetsToTxnResponse.self, request, try cluster.send(model, to: request.broker, from: request.context).error)
    }

    /// EndTxn v0–4: transaction version 1 (v5, which bumps the epoch, is not advertised).
    func endTxn(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.EndTxnRequest(from: &body, version: Self.transactionCodecVersion(request.version))
        var model = EndTxnRequest(transactionalId: wire.transactionalId, producerId: wire.producerId, producerEpoch: wire.producerEpoch,
                                  committed: wire.committed)
        model.clientTransactionVersion = TransactionVersion.forEndTxn(version: request.version)
        return errorCodeResponse(Wire.EndTxnResponse.self, request, try cluster.send(model, to: request.broker, from: request.context).error)
    }

    /// TxnOffsetCommit v0–4: the group coordinator verifies that AddOffsetsToTxn added the group's partition, then
    /// writes the offsets as part of the transaction. One error per partition, in the client's order.
    func txnOffsetCommit(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let codec = Self.transactionCodecVersion(request.version)
        let wire = try Wire.TxnOffsetCommitRequest(from: &body, version: codec)
        var offsets: [TopicPartition: Int64] = [:]
        for t in wire.topics {
            for p in t.partitions { offsets[TopicPartition(t.name, Int(p.partitionIndex))] = p.committedOffset }
        }
        var model = TxnOffsetCommitRequest(transactionalId: wire.transactionalId, groupId: wire.groupId, producerId: wire.producerId,
                                           producerEpoch: wire.producerEpoch, offsets: offsets)
        model.transactionSupportedOperation = .forTxnOffsetCommit(version: request.version)
        let answer = try cluster.send(model, to: request.broker, from: request.context)
        let common: Int16 = answer.notCoordinator ? TransactionCoordinatorError.notCoordinator.rawValue : answer.error?.code ?? 0
        var response = Wire.TxnOffsetCommitResponse()
        response.topics = wire.topics.map { t in
            var topic = Wire.TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic()
            topic.name = t.name
            topic.partitions = t.partitions.map { p in
                var partition = Wire.TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic.TxnOffsetCommitResponsePartition()
                partition.partitionIndex = p.partitionIndex
                partition.errorCode = answer.partitionErrors[TopicPartition(t.name, Int(p.partitionIndex))]?.code ?? common
                return partition
            }
            return topic
        }
        return request.respond(allocator) { response.encode(into: &$0, version: codec) }
    }
}

/// The generated responses that carry one error code and nothing else the bridge sets.
protocol ErrorCodeResponse: Wire.Message {
    init()
    var errorCode: Int16 { get set }
}

extension Wire.AddOffsetsToTxnResponse: ErrorCodeResponse {}
extension Wire.EndTxnResponse: ErrorCodeResponse {}
