import KafkaModel
import KafkaShell
import KafkaWire
import NIOCore
import Testing
@testable import KafkaServer

/// The listener fuzz shows the server keeps serving, but a connection is closed at its first refused frame, so most of
/// its frames never reach the decoder. This one hands every frame straight to the bridge, as a listener would after
/// framing, so each of them is decoded: none may crash it, leave it answering wrongly, or hang it.
@Suite struct WireBridgeFuzzTests {
    @Test func everyHostileFrameIsDecodedAndTheBridgeStillAnswers() throws {
        let seed: UInt64 = 0x5EED_B41D
        let session = Session(options: SessionOptions(brokers: 3))
        let handler = WireRequestHandler(session: session)
        for (index, broker) in session.cluster.brokers.map(\.id).enumerated() {
            handler.advertisedListeners[broker] = ("127.0.0.1", 29092 + index)
        }
        handler.pump(wallNanoseconds: 0)
        _ = session.execute("topic create watched -p 3 -r 3")
        var rng = SeededGenerator(seed: seed)
        var fuzzer = FrameFuzzer(corpus: FuzzCorpus.build())
        var stats = FuzzStats()
        var connection = 1
        var brokers = session.cluster.brokers.map(\.id).makeIterator()
        handler.connectionOpened(connection, broker: session.cluster.brokers[0].id, remote: "127.0.0.1:1")
        var decoded = 0, closed = 0, answered = 0
        var wall: UInt64 = 0
        while decoded < 100_000 {
            for (bytes, _) in fuzzer.batch(&rng, stats: &stats) {
                // Lengths a listener refuses never reach the bridge.
                guard bytes.count >= 4 else { continue }
                let length = Int32(bigEndian: bytes[0..<4].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
                guard length >= 0, Int(length) == bytes.count - 4 else { continue }
                var frame = ByteBuffer(bytes: bytes[4...])
                frame.moveReaderIndex(to: 0)
                decoded += 1
                switch handler.handle(frame: frame, connection: connection) {
                case .close:
                    closed += 1
                    handler.connectionClosed(connection)
                    connection += 1
                    if brokers.next() == nil { brokers = session.cluster.brokers.map(\.id).makeIterator() }
                    handler.connectionOpened(connection, broker: session.cluster.brokers[connection % 3].id, remote: "127.0.0.1:\(connection)")
                case .respond: answered += 1
                case .parked, .noResponse: break
                }
                if decoded % 1000 == 0 {
                    wall += 20_000_000
                    handler.pump(wallNanoseconds: wall)
                    _ = handler.takeReadyResponses()
                    _ = handler.takeEventLines()
                }
                if decoded % 10_000 == 0 {
                    let probe = WireTestClient(handler, connection: 1_000_000 + decoded, broker: session.cluster.brokers[0].id)
                    let outcome = probe.send(apiKey: 3, version: 12) { var r = Wire.MetadataRequest(); r.topics = nil; r.encode(into: &$0, version: 12) }
                    var body = try probe.body(outcome, apiKey: 3, version: 12)
                    let metadata = try Wire.MetadataResponse(from: &body, version: 12)
                    #expect(metadata.topics.first { $0.name == "watched" }?.partitions.count == 3, "seed \(seed), after \(decoded) frames")
                }
            }
        }
        #expect(decoded >= 100_000)
        #expect(closed > 10_000, "most hostile frames are refused: \(closed) of \(decoded)")
        #expect(answered > 1_000)
        #expect(!session.execute("topics").failed)
    }
}
