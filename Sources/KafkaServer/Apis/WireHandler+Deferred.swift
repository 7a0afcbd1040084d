import KafkaModel
import KafkaWire

extension WireRequestHandler {
    /// Takes the cluster's later answers for connections (DelayedProduce, parked JoinGroup/SyncGroup) and turns the
    /// ones that complete a parked request into response frames.
    func collectDeferredResponses() {
        for deferred in cluster.drainConnectionResponses() {
            guard let waiting = parked[deferred.connection] else { continue }
            switch (waiting, deferred.response) {
            case (.produce(let request, let order, var answers), .produce(let produce))
                where request.header.correlationId == deferred.correlationId:
                for answer in produce.responses { answers[answer.partition] = answer }
                if order.allSatisfy({ answers[$0] != nil }) {
                    parked[deferred.connection] = nil
                    ready.append((deferred.connection, produceResponse(request, order: order, answers: answers)))
                } else {
                    parked[deferred.connection] = .produce(request, order: order, answers: answers)
                }
            case (.group(let request), .group(let group)) where request.header.correlationId == deferred.correlationId:
                parked[deferred.connection] = nil
                switch group {
                case .joinGroup(let groupId, let join): ready.append((deferred.connection, joinGroupResponse(request, groupId: groupId, join)))
                case .syncGroup(_, _, let sync): ready.append((deferred.connection, syncGroupResponse(request, sync)))
                }
            default:
                continue
            }
        }
    }
}
