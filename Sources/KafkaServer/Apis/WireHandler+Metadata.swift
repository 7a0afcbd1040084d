import KafkaModel
import KafkaWire
import NIOCore

extension WireRequestHandler {
    /// Where a broker listens, as the client must reach it: the listener's port, not the model's `localhost:9092`.
    func listener(of broker: Int) -> (host: String, port: Int32) {
        if let l = advertisedListeners[broker] { return (l.host, Int32(l.port)) }
        let node = cluster.broker(broker)
        return (node?.host ?? "localhost", Int32(node?.port ?? 9092))
    }

    func metadata(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.MetadataRequest(from: &body, version: request.version)
        // v0: an empty list means every topic; v1+: null does.
        let names: [String]? = wire.topics.flatMap { topics in
            request.version == 0 && topics.isEmpty ? nil : topics.compactMap(\.name)
        }
        var model = MetadataRequest(topics: names)
        model.allowAutoTopicCreation = wire.allowAutoTopicCreation
        let answer = try cluster.send(model, to: request.broker, from: request.context)
        var response = Wire.MetadataResponse()
        response.brokers = answer.brokers.map { b in
            var broker = Wire.MetadataResponse.MetadataResponseBroker()
            broker.nodeId = b.nodeId
            (broker.host, broker.port) = listener(of: Int(b.nodeId))
            broker.rack = b.rack
            return broker
        }
        response.clusterId = answer.clusterId
        // librdkafka's admin client waits for a live controller; KRaft brokers name a live broker.
        response.controllerId = answer.controllerId >= 0 ? answer.controllerId : (answer.brokers.first?.nodeId ?? -1)
        response.topics = answer.topics.map { t in
            var topic = Wire.MetadataResponse.MetadataResponseTopic()
            topic.errorCode = t.error?.code ?? 0
            topic.name = t.name
            topic.topicId = WireUuid.uuid(t.topicId)
            topic.isInternal = t.isInternal
            topic.partitions = t.partitions.map { p in
                var partition = Wire.MetadataResponse.MetadataResponseTopic.MetadataResponsePartition()
                partition.errorCode = p.error?.code ?? 0
                partition.partitionIndex = p.partitionIndex
                partition.leaderId = p.leaderId
                partition.leaderEpoch = p.leaderEpoch
                partition.replicaNodes = p.replicaNodes
                partition.isrNodes = p.isrNodes
                partition.offlineReplicas = p.offlineReplicas
                return partition
            }
            topic.topicAuthorizedOperations = Int32.min
            return topic
        }
        response.clusterAuthorizedOperations = Int32.min
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    /// Kafka's `ReplicationControlManager.MAX_PARTITIONS_PER_BATCH`: a request asking for more partitions in all is
    /// refused whole before anything is created (a single frame could otherwise keep the loop creating a billion logs).
    static let maxPartitionsPerCreateTopics = 10_000

    /// CreateTopics: each topic through the controller, as `kafka-topics.sh --create` does.
    func createTopics(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.CreateTopicsRequest(from: &body, version: request.version)
        var response = Wire.CreateTopicsResponse()
        // As `validateTotalNumberOfPartitions`: a topic with assignments counts them, -1 counts the default.
        let requested = wire.topics.reduce(0) { total, t in
            total + (!t.assignments.isEmpty ? t.assignments.count
                     : t.numPartitions == -1 ? cluster.config.numPartitions : max(0, Int(t.numPartitions)))
        }
        if requested > Self.maxPartitionsPerCreateTopics {
            response.topics = wire.topics.map { t in
                var result = Wire.CreateTopicsResponse.CreatableTopicResult()
                result.name = t.name
                result.errorCode = 44   // POLICY_VIOLATION
                result.errorMessage = "Excessively large number of partitions per request."
                return result
            }
            return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
        }
        response.topics = wire.topics.map { t in
            var result = Wire.CreateTopicsResponse.CreatableTopicResult()
            result.name = t.name
            let configs = Dictionary(t.configs.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, b in b })
            do throws(KafkaError) {
                guard t.assignments.isEmpty else {
                    throw .invalidRequest("Manual partition assignment is not supported by kafkalab; give a partition count and replication factor.")
                }
                try cluster.createTopic(t.name, partitions: t.numPartitions == -1 ? nil : Int(t.numPartitions),
                                        replicationFactor: t.replicationFactor == -1 ? nil : Int(t.replicationFactor),
                                        configs: configs, validateOnly: wire.validateOnly)
                let created = cluster.topics[t.name]
                result.topicId = WireUuid.uuid(created?.topicId ?? "")
                result.numPartitions = Int32(created?.partitions.count ?? Int(t.numPartitions))
                result.replicationFactor = Int16(created?.partitions.first?.replicas.count ?? Int(t.replicationFactor))
                result.configs = []
            } catch {
                result.errorCode = error.code
                result.errorMessage = error.message
            }
            return result
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    func deleteTopics(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.DeleteTopicsRequest(from: &body, version: request.version)
        let names = wire.topicNames + wire.topics.compactMap(\.name)
        var response = Wire.DeleteTopicsResponse()
        response.responses = names.map { name in
            var result = Wire.DeleteTopicsResponse.DeletableTopicResult()
            result.name = name
            do throws(KafkaError) {
                try cluster.deleteTopic(name)
            } catch {
                result.errorCode = error.code
                result.errorMessage = error.message
            }
            return result
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    func initProducerId(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.InitProducerIdRequest(from: &body, version: request.version)
        var model = InitProducerIdRequest()
        model.transactionalId = wire.transactionalId
        model.transactionTimeoutMs = wire.transactionTimeoutMs
        model.producerId = wire.producerId
        model.producerEpoch = wire.producerEpoch
        let answer = try cluster.send(model, to: request.broker, from: request.context)
        var response = Wire.InitProducerIdResponse()
        // PRODUCER_FENCED is answered INVALID_PRODUCER_EPOCH below v4, which older clients understand.
        let fenced = answer.transactionError == .producerFenced && request.version < 4
        response.errorCode = answer.error?.code ?? (fenced ? TransactionCoordinatorError.invalidProducerEpoch.rawValue : answer.transactionError?.rawValue) ?? 0
        response.producerId = answer.producerId
        response.producerEpoch = answer.producerEpoch
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }
}
