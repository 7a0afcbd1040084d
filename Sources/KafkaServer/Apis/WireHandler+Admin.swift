import KafkaModel
import KafkaWire
import NIOCore

extension WireRequestHandler {
    /// OffsetForLeaderEpoch: a consumer validating its position after a leader change (KIP-320).
    func offsetForLeaderEpoch(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.OffsetForLeaderEpochRequest(from: &body, version: request.version)
        let asked = wire.topics.flatMap { t in
            t.partitions.map { (partition: TopicPartition(t.topic, Int($0.partition)), leaderEpoch: $0.leaderEpoch,
                                currentLeaderEpoch: $0.currentLeaderEpoch) }
        }
        let answer = try cluster.send(OffsetForLeaderEpochRequest(partitions: asked), to: request.broker, from: request.context)
        var response = Wire.OffsetForLeaderEpochResponse()
        var index = 0
        response.topics = wire.topics.map { t in
            var topic = Wire.OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult()
            topic.topic = t.topic
            topic.partitions = t.partitions.map { _ in
                let found = answer.partitions[index]
                index += 1
                var p = Wire.OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult.EpochEndOffset()
                p.partition = Int32(found.partition.partition)
                p.errorCode = found.error?.code ?? 0
                p.leaderEpoch = found.leaderEpoch
                p.endOffset = found.endOffset
                return p
            }
            return topic
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    /// DescribeCluster: the running brokers at their listeners, and the controller (a live broker, as in Metadata).
    func describeCluster(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        _ = try Wire.DescribeClusterRequest(from: &body, version: request.version)
        let metadata = try cluster.send(MetadataRequest(topics: []), to: request.broker, from: request.context)
        var response = Wire.DescribeClusterResponse()
        response.clusterId = metadata.clusterId
        response.controllerId = metadata.controllerId >= 0 ? metadata.controllerId : (metadata.brokers.first?.nodeId ?? -1)
        response.brokers = metadata.brokers.map { b in
            var broker = Wire.DescribeClusterResponse.DescribeClusterBroker()
            broker.brokerId = b.nodeId
            (broker.host, broker.port) = listener(of: Int(b.nodeId))
            broker.rack = b.rack
            return broker
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }

    /// DescribeConfigs for topics (resource type 2): every topic config with its value and whether it was set on the
    /// topic (DYNAMIC_TOPIC_CONFIG) or is the default (DEFAULT_CONFIG). Brokers (type 4) are answered with no configs.
    func describeConfigs(_ request: WireRequest, _ body: inout ByteBuffer) throws -> WireOutcome {
        let wire = try Wire.DescribeConfigsRequest(from: &body, version: request.version)
        var response = Wire.DescribeConfigsResponse()
        response.results = wire.resources.map { resource in
            var result = Wire.DescribeConfigsResponse.DescribeConfigsResult()
            result.resourceType = resource.resourceType
            result.resourceName = resource.resourceName
            result.errorMessage = nil
            switch resource.resourceType {
            case 2:
                guard let topic = cluster.topics[resource.resourceName] else {
                    result.errorCode = 3
                    result.errorMessage = "Topic \(resource.resourceName) does not exist."
                    return result
                }
                let names = resource.configurationKeys ?? TopicConfigDefinitions.all.map(\.name).sorted()
                result.configs = names.compactMap { name in
                    guard let definition = TopicConfigDefinitions.definition(name) else { return nil }
                    var config = Wire.DescribeConfigsResponse.DescribeConfigsResult.DescribeConfigsResourceResult()
                    config.name = name
                    config.value = topic.configOverrides[name] ?? definition.defaultValue
                    config.configSource = topic.configOverrides[name] == nil ? 5 : 1
                    config.documentation = wire.includeDocumentation ? definition.doc : nil
                    return config
                }
            case 4:
                result.configs = []
            default:
                result.errorCode = 42
                result.errorMessage = "kafkalab describes topic and broker configs only (resource type \(resource.resourceType))."
            }
            return result
        }
        return request.respond(allocator) { response.encode(into: &$0, version: request.version) }
    }
}
