#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import KafkaServer
import KafkaShell
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Real sockets on 127.0.0.1, free ports, a fake bridge: the listeners' ordering, framing and clock.
@Suite struct WireServerTests {
    /// A server for `brokers` with the fake bridge; the live clock only moves at requests unless `pumpEvery` says.
    static func serve(brokers: [Int] = [1], clock: @escaping @Sendable () -> UInt64 = { 7 },
                      pumpEvery: TimeAmount = .hours(1)) throws -> (WireServer, FakeRequestHandler, [Int: Int], NIOLockedValueBox<[String]>) {
        let handler = FakeRequestHandler()
        let lines = NIOLockedValueBox<[String]>([])
        let server = WireServer(session: Session(options: SessionOptions(brokers: brokers.count)), handler: handler,
                                wallClock: clock, pumpInterval: pumpEvery,
                                onEventLines: { new in lines.withLockedValue { $0 += new } })
        let ports = try server.start(firstPort: 0, brokerIds: brokers)
        return (server, handler, ports, lines)
    }

    /// Polls `condition` for up to five seconds.
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            usleep(5000)
        }
        return condition()
    }

    @Test func answersInOrderAndHoldsRequestsBehindAParkedOne() throws {
        let (server, handler, ports, _) = try Self.serve()
        defer { server.stop() }
        let client = try TestClient(port: ports[1]!)
        try client.write(TestClient.frame("R1") + TestClient.frame("P2") + TestClient.frame("N3") + TestClient.frame("R4"))
        #expect(try client.readFrame() == "R1")
        #expect(client.staysSilent(milliseconds: 100))
        // The requests behind the parked one have not reached the bridge.
        #expect(handler.records.withLockedValue { $0.handled.map(\.body) } == ["R1", "P2"])

        let connection = handler.records.withLockedValue { $0.opened[0].connection }
        server.perform { _ in handler.release(connection) }
        #expect(try client.readFrame() == "P2")
        #expect(try client.readFrame() == "R4")
        #expect(handler.records.withLockedValue { $0.handled.map(\.body) } == ["R1", "P2", "N3", "R4"])
    }

    @Test func keepsOrderWhenAParkedRequestHoldsManyBehindIt() throws {
        let (server, handler, ports, _) = try Self.serve()
        defer { server.stop() }
        let client = try TestClient(port: ports[1]!)
        // Megabytes of requests behind a parked one: more than the queue holds and than one read takes, so the
        // connection stops reading (the writer blocks on a full socket) and must start again after the release.
        let padding = String(repeating: ".", count: 4000)
        var bytes = TestClient.frame("P0")
        for n in 1...500 { bytes += TestClient.frame("R\(n)" + padding) }
        let writer = DispatchQueue(label: "writer")
        let written = DispatchSemaphore(value: 0)
        let request = bytes
        writer.async {
            try? client.write(request)
            written.signal()
        }
        #expect(Self.eventually { handler.records.withLockedValue { $0.parked.count == 1 } })
        #expect(client.staysSilent(milliseconds: 50))
        server.perform { _ in handler.release(1) }
        for n in 0...500 {
            let expected = n == 0 ? "P0" : "R\(n)" + padding
            let got = try client.readFrame()
            #expect(got == expected)
            if got != expected { break }
        }
        #expect(written.wait(timeout: .now() + 5) == .success)
    }

    @Test func stopsHandlingRequestsForAClientThatDoesNotReadItsAnswers() throws {
        let (server, handler, ports, _) = try Self.serve()
        defer { server.stop() }
        let client = try TestClient(port: ports[1]!)
        let padding = String(repeating: ".", count: 100_000)
        var bytes: [UInt8] = []
        for n in 1...300 { bytes += TestClient.frame("R\(n)" + padding) }
        let request = bytes
        let written = DispatchSemaphore(value: 0)
        DispatchQueue(label: "writer").async {
            try? client.write(request)
            written.signal()
        }
        // Thirty megabytes of answers do not fit in the socket buffers: handling pauses until the client reads.
        #expect(Self.eventually { handler.records.withLockedValue { $0.handled.count > 0 } })
        usleep(200_000)
        #expect(handler.records.withLockedValue { $0.handled.count } < 300)
        for n in 1...300 {
            let got = try client.readFrame()
            #expect(got == "R\(n)" + padding)
            if got != "R\(n)" + padding { break }
        }
        #expect(written.wait(timeout: .now() + 5) == .success)
    }

    @Test(arguments: [Int32(104_857_601), Int32.max, -1])
    func closesAConnectionThatAnnouncesABadSize(size: Int32) throws {
        let (server, handler, ports, lines) = try Self.serve()
        defer { server.stop() }
        let bad = try TestClient(port: ports[1]!)
        try bad.write(withUnsafeBytes(of: size.bigEndian, Array.init) + [0, 0, 0, 0])
        #expect(bad.closedByServer())
        #expect(Self.eventually { handler.records.withLockedValue { $0.closed } == [1] })
        #expect(Self.eventually { lines.withLockedValue { $0.contains { $0.contains("connection 1") && $0.contains("\(size) bytes") } } })
        #expect(handler.records.withLockedValue { $0.handled.isEmpty })

        let good = try TestClient(port: ports[1]!)
        try good.sendFrame("R after")
        #expect(try good.readFrame() == "R after")
    }

    @Test func acceptsTheLargestAllowedSize() throws {
        let (server, _, ports, _) = try Self.serve()
        defer { server.stop() }
        let client = try TestClient(port: ports[1]!)
        // The announced size alone is fine; the connection waits for the body.
        try client.write(withUnsafeBytes(of: Int32(104_857_600).bigEndian, Array.init))
        #expect(client.staysSilent(milliseconds: 100))
    }

    @Test("Large requests arriving in many small pieces reach the bridge whole: 1.5 MB, and 5 MB (past the room made ahead)")
    func reassemblesLargeFramesFromManyReads() throws {
        let (server, handler, ports, _) = try Self.serve()
        defer { server.stop() }
        let client = try TestClient(port: ports[1]!)
        for (index, size) in [1_500_000, 5_000_000].enumerated() {
            let body = "R" + String((0..<size).map { Character(UnicodeScalar(UInt8(97 + ($0 * 7 + index) % 26))) })
            let frame = TestClient.frame(body)
            var sent = 0
            while sent < frame.count {
                let end = min(frame.count, sent + 40_000)
                try client.write(Array(frame[sent..<end]))
                sent = end
                if sent % 400_000 == 0 { usleep(1000) }
            }
            #expect(try client.readFrame() == body)
        }
        #expect(handler.records.withLockedValue { $0.handled.map(\.body.count) } == [1_500_001, 5_000_001])
    }

    @Test func closesWhenTheBridgeSaysSo() throws {
        let (server, handler, ports, lines) = try Self.serve()
        defer { server.stop() }
        let client = try TestClient(port: ports[1]!)
        try client.write(TestClient.frame("C") + TestClient.frame("R never"))
        #expect(client.closedByServer())
        #expect(Self.eventually { lines.withLockedValue { $0.contains { $0.contains("the fake was told to close") } } })
        #expect(handler.records.withLockedValue { $0.handled.map(\.body) } == ["C"])
    }

    @Test func survivesAClientThatLeavesHalfWayThroughAFrame() throws {
        let (server, handler, ports, lines) = try Self.serve()
        defer { server.stop() }
        do {
            let client = try TestClient(port: ports[1]!)
            try client.write(withUnsafeBytes(of: Int32(100).bigEndian, Array.init) + Array("R half".utf8))
        }
        #expect(Self.eventually { handler.records.withLockedValue { $0.closed } == [1] })
        let client = try TestClient(port: ports[1]!)
        try client.sendFrame("R whole")
        #expect(try client.readFrame() == "R whole")
        #expect(handler.records.withLockedValue { $0.handled.map(\.body) } == ["R whole"])
        #expect(lines.withLockedValue { $0.isEmpty })
    }

    @Test func forgetsAParkedRequestOfAClosedConnection() throws {
        let (server, handler, ports, _) = try Self.serve()
        defer { server.stop() }
        do {
            let client = try TestClient(port: ports[1]!)
            try client.sendFrame("P gone")
            #expect(Self.eventually { handler.records.withLockedValue { $0.parked.count == 1 } })
        }
        #expect(Self.eventually { handler.records.withLockedValue { $0.closed } == [1] })
        server.perform { _ in handler.release(1) }
        let client = try TestClient(port: ports[1]!)
        try client.sendFrame("R next")
        #expect(try client.readFrame() == "R next")
    }

    @Test func deliversTheBridgesEventLinesAfterEachRequest() throws {
        let (server, _, ports, lines) = try Self.serve()
        defer { server.stop() }
        let client = try TestClient(port: ports[1]!)
        try client.sendFrame("E1")
        #expect(try client.readFrame() == "E1")
        #expect(Self.eventually { lines.withLockedValue { $0 } == ["event for E1"] })
    }

    @Test func pumpsTheInjectedClockBeforeEachRequest() throws {
        let ticks = NIOLockedValueBox<UInt64>(1000)
        let (server, handler, ports, _) = try Self.serve(clock: { ticks.withLockedValue { $0 += 1; return $0 } })
        defer { server.stop() }
        let client = try TestClient(port: ports[1]!)
        try client.sendFrame("R1")
        #expect(try client.readFrame() == "R1")
        try client.sendFrame("R2")
        #expect(try client.readFrame() == "R2")
        #expect(handler.records.withLockedValue { $0.pumps } == [1001, 1002])
    }

    @Test func pumpsOnItsOwnWhileNoRequestArrives() throws {
        let (server, handler, _, _) = try Self.serve(clock: { 99 }, pumpEvery: .milliseconds(1))
        defer { server.stop() }
        #expect(Self.eventually { handler.records.withLockedValue { $0.pumps.count >= 5 } })
        #expect(handler.records.withLockedValue { $0.pumps.allSatisfy { $0 == 99 } })
    }

    @Test func listensForEveryBrokerOnItsOwnPort() throws {
        let (server, handler, ports, _) = try Self.serve(brokers: [1, 2, 3])
        defer { server.stop() }
        #expect(ports.keys.sorted() == [1, 2, 3])
        #expect(Set(ports.values).count == 3 && ports.values.allSatisfy { $0 > 0 })
        #expect(server.bootstrap == [1, 2, 3].map { "127.0.0.1:\(ports[$0]!)" }.joined(separator: ","))
        let advertised = handler.advertisedListeners
        #expect(advertised.keys.sorted() == [1, 2, 3])
        #expect(advertised.allSatisfy { $0.value.host == "127.0.0.1" && $0.value.port == ports[$0.key] })

        let toBroker2 = try TestClient(port: ports[2]!)
        try toBroker2.sendFrame("R")
        #expect(try toBroker2.readFrame() == "R")
        let opened = handler.records.withLockedValue { $0.opened }
        #expect(opened.count == 1 && opened[0].connection == 1 && opened[0].broker == 2)
        #expect(opened.first?.remote.hasPrefix("127.0.0.1:") == true)
    }

    @Test func numbersConnectionsFromOne() throws {
        let (server, handler, ports, _) = try Self.serve(brokers: [1, 2])
        defer { server.stop() }
        let first = try TestClient(port: ports[1]!)
        try first.sendFrame("R")
        _ = try first.readFrame()
        let second = try TestClient(port: ports[2]!)
        try second.sendFrame("R")
        _ = try second.readFrame()
        #expect(handler.records.withLockedValue { $0.opened.map(\.connection) } == [1, 2])
    }

    @Test func listensOnIPv6LoopbackWithBracketedAddresses() throws {
        let handler = FakeRequestHandler()
        let server = WireServer(session: Session(options: SessionOptions(brokers: 1)), handler: handler)
        defer { server.stop() }
        guard let ports = try? server.start(host: "::1", firstPort: 0, brokerIds: [1]) else { return }  // no IPv6 here
        #expect(server.bootstrap == "[::1]:\(ports[1]!)")
        #expect(handler.advertisedListeners[1]?.host == "::1")
    }

    @Test func namesTheBusyPortAndSuggestsAnother() throws {
        let (server, _, ports, _) = try Self.serve()
        defer { server.stop() }
        let second = WireServer(session: Session(options: SessionOptions(brokers: 1)), handler: FakeRequestHandler())
        defer { second.stop() }
        #expect {
            try second.start(firstPort: ports[1]!, brokerIds: [1])
        } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:\(ports[1]!)") && text.contains("--port")
        }
    }

    @Test func stopClosesListenersAndConnections() throws {
        let (server, handler, ports, _) = try Self.serve(brokers: [1, 2])
        let client = try TestClient(port: ports[1]!)
        try client.sendFrame("P held")
        #expect(Self.eventually { handler.records.withLockedValue { $0.parked.count == 1 } })
        server.stop()
        #expect(client.closedByServer())
        #expect(handler.records.withLockedValue { $0.closed } == [1])
        #expect(throws: (any Error).self) { try TestClient(port: ports[2]!) }
        server.stop()
    }

    @Test func aStoppedBrokersPortRefusesConnectionsUntilItStartsAgain() throws {
        let handler = FakeRequestHandler()
        let session = Session(options: SessionOptions(brokers: 3))
        let ids = session.cluster.brokers.map(\.id)
        let server = WireServer(session: session, handler: handler)
        defer { server.stop() }
        let ports = try server.start(firstPort: 0, brokerIds: ids)
        let stopped = ids[1]
        let client = try TestClient(port: ports[stopped]!)
        try client.sendFrame("R before")
        #expect(try client.readFrame() == "R before")

        #expect(!server.execute("broker stop \(stopped)").output.failed)
        #expect(!server.isListening(broker: stopped) && server.isListening(broker: ids[0]))
        #expect(client.closedByServer())
        #expect(throws: (any Error).self) { try TestClient(port: ports[stopped]!) }
        let other = try TestClient(port: ports[ids[0]]!)
        try other.sendFrame("R still")
        #expect(try other.readFrame() == "R still")

        #expect(!server.execute("broker start \(stopped)").output.failed)
        #expect(Self.eventually { (try? TestClient(port: ports[stopped]!)) != nil })
        let back = try TestClient(port: ports[stopped]!)
        try back.sendFrame("R after")
        #expect(try back.readFrame() == "R after")
    }

    @Test func runsShellCommandsOnTheServersThread() throws {
        let (server, _, _, _) = try Self.serve()
        defer { server.stop() }
        let created = server.execute("topic create orders -p 3")
        #expect(!created.output.failed)
        #expect(server.perform { _ in server.eventLoop.inEventLoop })
        server.stop()
        // After stop the session is the caller's alone.
        #expect(!server.execute("topic create more -p 1").output.failed)
    }
}
