/// InitProducerId (API key 22): an idempotent (or transactional) producer's id and epoch (`InitProducerIdRequest`).
/// The controller hands ids out in blocks to brokers; kafkalab's cluster counts them from 0, whichever broker asks.
public struct InitProducerIdRequest: KafkaApiRequest {
    public static let apiKey = ApiKey.initProducerId
    /// `transactional_id`: nil for an idempotent producer.
    public var transactionalId: String? = nil
    /// `transaction_timeout_ms`: -1 without a transactional id.
    public var transactionTimeoutMs: Int32 = -1
    /// `producer_id` and `producer_epoch`: -1 for a new producer (a restarted transactional one sends its old ones).
    public var producerId: Int64 = -1
    public var producerEpoch: Int16 = -1

    public init() {}

    public func handled(by apis: KafkaApis, context: RequestContext) -> InitProducerIdResponse {
        apis.handleInitProducerIdRequest(self, context: context)
    }
}

/// The producer's id and epoch, or an error.
public struct InitProducerIdResponse: Sendable, Equatable {
    public var error: KafkaError?
    /// The transaction coordinator's error for a transactional id (NOT_COORDINATOR, CONCURRENT_TRANSACTIONS…).
    public var transactionError: TransactionCoordinatorError?
    public var producerId: Int64 = -1
    public var producerEpoch: Int16 = -1
}

extension KafkaApis {
    /// `KafkaApis.handleInitProducerIdRequest` without a transactional id: a fresh producer id, epoch 0
    /// (`ProducerIdManager.generateProducerId`).
    func handleInitProducerIdRequest(_ request: InitProducerIdRequest, context: RequestContext) -> InitProducerIdResponse {
        // A producer id without an epoch, or an epoch without a producer id, is malformed.
        if (request.producerId == -1) != (request.producerEpoch == -1) {
            return InitProducerIdResponse(error: .invalidRequest("InitProducerId needs both a producer id and an epoch, or neither."))
        }
        if let transactionalId = request.transactionalId {
            return handleTransactionalInitProducerId(request, transactionalId: transactionalId)
        }
        let id = cluster.nextProducerId
        cluster.nextProducerId += 1
        return InitProducerIdResponse(producerId: id, producerEpoch: 0)
    }
}
