import KafkaModel
import KafkaShell
import KafkaWire
import NIOCore

/// What a listener does with one request frame.
public enum WireOutcome {
    /// Write this response frame (its 4-byte length prefix included), then read the connection's next request.
    case respond(ByteBuffer)
    /// No response (a Produce with `acks=0`): go on with the connection's next request.
    case noResponse
    /// The answer comes later, from `takeReadyResponses()`: hold the connection's next requests until then
    /// (Kafka answers a connection's requests in order).
    case parked
    /// Close the connection (what a Kafka broker does with a frame it cannot read, an unknown API key or version);
    /// `reason` is shown to the learner.
    case close(reason: String)
}

/// The bridge between real clients' frames and the simulated cluster: it decodes a request, sends it to the
/// receiving broker's `KafkaApis` — the same typed requests the simulated clients send — and encodes the answer.
/// Owned by the one event loop that runs the simulation, so it is never called from two threads.
public final class WireRequestHandler {
    public let session: Session
    var cluster: Cluster { session.cluster }
    let allocator = ByteBufferAllocator()

    /// The port each broker listens on, for Metadata's and FindCoordinator's `host:port` (set by the listener
    /// before the first request).
    public var advertisedListeners: [Int: (host: String, port: Int)] = [:]

    struct Connection {
        let broker: Int
        let remote: String
        var clientId = ""
    }
    var connections: [Int: Connection] = [:]
    /// A connection's one request whose answer is not ready yet.
    var parked: [Int: ParkedRequest] = [:]
    var ready: [(connection: Int, response: WireOutcome)] = []
    /// Lines for the learner that are not events (a connection opened, a request refused).
    var notices: [String] = []
    private var eventCursor = 0
    private var clusterIdentity: ObjectIdentifier
    private var liveAnchor: (wallNanoseconds: UInt64, virtualMs: Int64)?

    public init(session: Session) {
        self.session = session
        clusterIdentity = ObjectIdentifier(session.cluster)
        eventCursor = session.cluster.events.count
        session.servesRealClients = true
    }

    /// A client connected to `broker`'s listener from `remote` (e.g. `127.0.0.1:53422`).
    public func connectionOpened(_ connection: Int, broker: Int, remote: String) {
        connections[connection] = Connection(broker: broker, remote: remote)
    }

    /// The connection is gone: a parked request of it is dropped (a group member stays until its session expires,
    /// as in Kafka).
    public func connectionClosed(_ connection: Int) {
        parked[connection] = nil
        ready.removeAll { $0.connection == connection }
        connections[connection] = nil
    }

    /// One request: the frame's bytes after its 4-byte length.
    public func handle(frame: ByteBuffer, connection: Int) -> WireOutcome {
        noticeClusterReplaced()
        var body = frame
        let header: Wire.RequestHeader
        do {
            header = try Wire.RequestHeader.decode(from: &body)
        } catch {
            return refuse(connection, "a request header that cannot be read (\(error))")
        }
        guard var client = connections[connection] else { return .close(reason: "unknown connection") }
        if let id = header.clientId, id != client.clientId {
            client.clientId = id
            connections[connection] = client
        }
        if header.apiKey == Wire.ApiVersionsRequest.apiKey {
            return .respond(apiVersionsResponse(header, body: &body))
        }
        let name = Wire.apiName(header.apiKey) ?? "API \(header.apiKey)"
        guard let range = Self.advertisedVersions[header.apiKey], range.contains(header.apiVersion) else {
            return refuse(connection, "\(name) v\(header.apiVersion), which this broker does not support")
        }
        if header.apiKey == Wire.ProduceRequest.apiKey && header.apiVersion < 3 {
            // Advertised from v0 only so old librdkafka keeps compressing (KAFKA-18659); Kafka closes on v0-2.
            return refuse(connection, "Produce v\(header.apiVersion) (Kafka 4.0 accepts v3 and later)")
        }
        let request = WireRequest(header: header, connection: connection, broker: client.broker,
                                  context: RequestContext(client: .connection(connection), clientId: header.clientId ?? "",
                                                          correlationId: header.correlationId))
        // What this request causes is shown tagged with the client that sent it; what happened before is not.
        let firstEvent = cluster.events.count
        renderEvents(upTo: firstEvent, tag: nil)
        defer { renderEvents(upTo: cluster.events.count, tag: "\(Self.shown(client.clientId)) \(client.remote)") }
        do {
            return try dispatch(request, body: &body)
        } catch let error as Wire.DecodingError {
            return refuse(connection, "a \(name) v\(header.apiVersion) request that cannot be read (\(error))")
        } catch let error as KafkaError {
            // The broker is not running: as a refused connection, the client finds another broker.
            return refuse(connection, "a request for broker \(client.broker), which is not running (\(error.errorName))")
        } catch {
            return refuse(connection, "a \(name) request (\(error))")
        }
    }

    /// One decoded request and where it came from.
    struct WireRequest {
        let header: Wire.RequestHeader
        let connection: Int
        let broker: Int
        let context: RequestContext
        var version: Int16 { header.apiVersion }

        /// A response frame for this request.
        func respond(_ allocator: ByteBufferAllocator, _ body: (inout ByteBuffer) -> Void) -> WireOutcome {
            .respond(Wire.encodeResponseFrame(correlationId: header.correlationId, apiKey: header.apiKey,
                                              apiVersion: header.apiVersion, allocator: allocator, body: body))
        }
    }

    private func dispatch(_ request: WireRequest, body: inout ByteBuffer) throws -> WireOutcome {
        switch request.header.apiKey {
        case Wire.MetadataRequest.apiKey: return try metadata(request, &body)
        case Wire.ProduceRequest.apiKey: return try produce(request, &body)
        case Wire.FetchRequest.apiKey: return try fetch(request, &body)
        case Wire.ListOffsetsRequest.apiKey: return try listOffsets(request, &body)
        case Wire.FindCoordinatorRequest.apiKey: return try findCoordinator(request, &body)
        case Wire.JoinGroupRequest.apiKey: return try joinGroup(request, &body)
        case Wire.SyncGroupRequest.apiKey: return try syncGroup(request, &body)
        case Wire.HeartbeatRequest.apiKey: return try heartbeat(request, &body)
        case Wire.LeaveGroupRequest.apiKey: return try leaveGroup(request, &body)
        case Wire.OffsetCommitRequest.apiKey: return try offsetCommit(request, &body)
        case Wire.OffsetFetchRequest.apiKey: return try offsetFetch(request, &body)
        case Wire.DescribeGroupsRequest.apiKey: return try describeGroups(request, &body)
        case Wire.ListGroupsRequest.apiKey: return try listGroups(request, &body)
        case Wire.InitProducerIdRequest.apiKey: return try initProducerId(request, &body)
        case Wire.AddPartitionsToTxnRequest.apiKey: return try addPartitionsToTxn(request, &body)
        case Wire.AddOffsetsToTxnRequest.apiKey: return try addOffsetsToTxn(request, &body)
        case Wire.EndTxnRequest.apiKey: return try endTxn(request, &body)
        case Wire.TxnOffsetCommitRequest.apiKey: return try txnOffsetCommit(request, &body)
        case Wire.CreateTopicsRequest.apiKey: return try createTopics(request, &body)
        case Wire.DeleteTopicsRequest.apiKey: return try deleteTopics(request, &body)
        case Wire.OffsetForLeaderEpochRequest.apiKey: return try offsetForLeaderEpoch(request, &body)
        case Wire.DescribeClusterRequest.apiKey: return try describeCluster(request, &body)
        case Wire.DescribeConfigsRequest.apiKey: return try describeConfigs(request, &body)
        default: return refuse(request.connection, "API key \(request.header.apiKey)")
        }
    }

    /// Kafka closes a connection whose request it cannot serve; the learner sees why.
    func refuse(_ connection: Int, _ what: String) -> WireOutcome {
        let who = connections[connection].map { c in "\(Self.shown(c.clientId)) at \(c.remote)" } ?? "a client"
        let reason = "Broker closed the connection of \(who): it sent \(what)."
        // The listener prints the reason as it closes the connection.
        return .close(reason: reason)
    }

    /// A client's `client.id` as the learner sees it: any bytes a client chose, so control characters and line breaks
    /// are shown escaped (a line break could fake a line of output) and a long one is cut.
    static func shown(_ clientId: String) -> String {
        guard !clientId.isEmpty else { return "client" }
        let visible = VisibleText.escaped(clientId).replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t")
        return visible.count > 64 ? String(visible.prefix(64)) + "…" : visible
    }

    /// Answers to parked requests that are ready, oldest first.
    public func takeReadyResponses() -> [(connection: Int, response: WireOutcome)] {
        collectDeferredResponses()
        defer { ready = [] }
        return ready
    }

    /// Moves the live clock to the wall clock (`wallNanoseconds` from a monotonic source), runs what fell due, and
    /// re-checks parked requests (a Fetch waiting for records, an `acks=all` Produce waiting for the followers).
    public func pump(wallNanoseconds: UInt64) {
        noticeClusterReplaced()
        guard let anchor = liveAnchor, wallNanoseconds >= anchor.wallNanoseconds else {
            liveAnchor = (wallNanoseconds, cluster.nowMs)
            return
        }
        var target = anchor.virtualMs + Int64((wallNanoseconds - anchor.wallNanoseconds) / 1_000_000)
        if target > cluster.nowMs {
            cluster.advance(byMs: target - cluster.nowMs, reportsClock: false)
        } else if cluster.nowMs - target > Self.maxLeadMs {
            // The learner moved time ahead (`tick`): live time goes on from there.
            liveAnchor = (wallNanoseconds, cluster.nowMs)
            target = cluster.nowMs
        }
        liveTargetMs = target
        collectDeferredResponses()
        finishReplicationRounds()
        recheckParkedFetches()
    }

    /// Where the wall clock put the live clock at the last pump.
    private var liveTargetMs: Int64?

    /// An acks=all answer needs the followers' next fetch round trips, a few simulated milliseconds: they run at once,
    /// a little ahead of the wall clock, which then catches up. A client waits for the replication it asked for, not
    /// also for the pump's pace.
    func finishReplicationRounds() {
        guard let target = liveTargetMs else { return }
        while awaitsReplication && cluster.nowMs - target < Self.maxLeadMs {
            cluster.advance(byMs: 1, reportsClock: false)
            collectDeferredResponses()
        }
    }

    /// How far the live clock may run ahead of the wall clock to finish replication rounds: a client pipelining
    /// acks=all requests needs a couple of simulated milliseconds per request, and may get them before the wall clock
    /// does (timers fire at most this much early, far below any timeout a client sets).
    static let maxLeadMs: Int64 = 20

    /// The learner-visible lines for what happened since the last call (events caused by real clients and by the
    /// live clock), ready to print above the prompt.
    public func takeEventLines() -> [String] {
        noticeClusterReplaced()
        renderEvents(upTo: cluster.events.count, tag: nil)
        let lines = notices
        notices = []
        // Nothing else trims the event log while only real clients run.
        if cluster.events.count > session.eventsKept + session.eventsKept / 4 {
            cluster.discardEvents(keepingLast: session.eventsKept)
            eventCursor = cluster.events.count
        }
        return lines
    }

    /// Renders the events not yet shown, up to `end`, into `notices`; `tag` names the client that caused them.
    private func renderEvents(upTo end: Int, tag: String?) {
        let events = cluster.events
        if eventCursor > events.count { eventCursor = events.count }
        let end = min(end, events.count)
        guard eventCursor < end else { return }
        var output = Output()
        output.events = Array(events[eventCursor..<end])
        eventCursor = end
        let lines = session.renderer.render(output, commandStartMs: cluster.nowMs)
        notices += tag.map { tag in lines.map { "[\(tag)] " + $0 } } ?? lines
    }

    /// Whether an `acks=all` Produce waits for the followers.
    public var awaitsReplication: Bool {
        parked.values.contains { if case .produce = $0 { return true } else { return false } }
    }

    /// The shell ran a command: its events were printed under it, not again above the prompt.
    public func commandRan() {
        noticeClusterReplaced()
        eventCursor = cluster.events.count
    }

    /// A lesson start or `reset` replaces the cluster: parked requests belong to the old one.
    private func noticeClusterReplaced() {
        guard ObjectIdentifier(session.cluster) != clusterIdentity else { return }
        clusterIdentity = ObjectIdentifier(session.cluster)
        eventCursor = cluster.events.count
        liveAnchor = nil
        liveTargetMs = nil
        for connection in parked.keys.sorted() {
            ready.append((connection, .close(reason: "the cluster was replaced")))
        }
        parked = [:]
    }
}
