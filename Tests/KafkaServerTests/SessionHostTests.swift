#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KafkaServer
import KafkaShell
import NIOConcurrencyHelpers
import Testing

/// The shell's host: the session stays on the caller's thread until `listen`, moves to the server's loop after
/// the line that listened, and comes back after the line with `listen stop`.
@Suite struct SessionHostTests {
    static func host() -> (SessionHost, Session, NIOLockedValueBox<[String]>) {
        let session = Session(options: SessionOptions(brokers: 2))
        let lines = NIOLockedValueBox<[String]>([])
        let host = SessionHost(session: session, onEventLines: { new in lines.withLockedValue { $0 += new } })
        host.perform { _ in host.installListenCommand() }
        return (host, session, lines)
    }

    /// Where the work ran: the caller's thread, or another.
    static func runsHere(_ host: SessionHost) -> Bool {
        let caller = pthread_self()
        return host.perform { _ in pthread_equal(pthread_self(), caller) != 0 }
    }

    @Test func switchesThreadsOnlyAfterTheLineThatListened() throws {
        let (host, session, _) = Self.host()
        defer { host.shutDown() }
        #expect(Self.runsHere(host))
        #expect(host.server == nil)

        // The listen command and the rest of its line still run on the caller's thread.
        let caller = pthread_self()
        let (lines, sameThreadAfter) = host.perform { session -> ([String], Bool) in
            let output = session.executeAndRender("listen 0").lines
            return (output, pthread_equal(pthread_self(), caller) != 0)
        }
        #expect(sameThreadAfter)
        #expect(lines.contains { $0.hasPrefix("Broker 0 listening on 127.0.0.1:") })
        #expect(lines.contains { $0.hasPrefix("Broker 1 listening on 127.0.0.1:") })
        #expect(lines.contains { $0.hasPrefix("bootstrap.servers=127.0.0.1:") })
        #expect(lines.contains { $0.contains("wall clock") })

        // From the next line on, the server's loop owns the session.
        #expect(!Self.runsHere(host))
        #expect(host.perform { $0.servesRealClients })
        // The clients' programs need the cores: no pages are allocated ahead of log files while serving.
        #expect(host.perform { !$0.cluster.logManager.fileBudget.allocatesPagesAhead })
        let port = try #require(host.server?.listeners.first?.port)
        let client = try TestClient(port: port)
        // ApiVersions v0, correlation id 1, null client id: answered.
        try client.write([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0xff, 0xff])
        #expect(try client.readFrame() != nil)

        let again = host.perform { $0.executeAndRender("listen").lines }
        #expect(again.first == "Already listening (type 'listen stop' first to listen elsewhere):")

        let stopped = host.perform { $0.executeAndRender("listen stop") }
        #expect(!stopped.output.failed)
        #expect(stopped.lines.first?.hasPrefix("Stopped listening on 127.0.0.1:") == true)
        #expect(stopped.lines.first?.contains("closed the listeners and 1 client connection.") == true)
        // Back on the caller's thread, with the simulated clock; the port refuses.
        #expect(Self.runsHere(host))
        #expect(host.server == nil)
        #expect(!session.servesRealClients)
        #expect(session.cluster.logManager.fileBudget.allocatesPagesAhead)
        #expect(throws: (any Error).self) { try TestClient(port: port) }
    }

    @Test func listenAndStopOnOneLineNeverServes() {
        let (host, session, _) = Self.host()
        let result = host.perform { $0.executeAndRender("listen 0; listen stop") }
        #expect(!result.output.failed)
        #expect(result.lines.contains { $0.contains("before any client connected") })
        #expect(Self.runsHere(host))
        #expect(host.server == nil)
        #expect(!session.servesRealClients)
    }

    @Test func badInputNamesWhatIsAllowed() {
        let (host, _, _) = Self.host()
        for line in ["listen 70000", "listen 65535", "listen nine"] {
            let result = host.perform { $0.executeAndRender(line) }
            #expect(result.output.failed)
            #expect(result.lines.count == 1)
            #expect(result.lines.first?.contains("expected 0 (free ports), a port from 1 to 65534") == true)
            #expect(result.lines.first?.contains("e.g. listen 9092") == true)
        }
        let stop = host.perform { $0.executeAndRender("listen stop") }
        #expect(stop.output.failed)
        #expect(stop.lines == ["error: Not listening. Start with: listen [PORT] (e.g. listen 9092, or listen 0 for free ports)"])
        #expect(host.server == nil)
    }

    @Test func aNotebookCannotListen() {
        let (host, session, _) = Self.host()
        session.notebookInControl = true
        let result = host.perform { $0.executeAndRender("listen 0") }
        #expect(result.output.failed)
        #expect(result.lines.first?.contains("A notebook cannot listen") == true)
        #expect(host.server == nil)
        #expect(!session.servesRealClients)
    }

    @Test func aTakenPortIsAFailedCommandThatKeepsTheSessionHere() throws {
        let (host, session, _) = Self.host()
        let first = host.perform { $0.executeAndRender("listen 0").lines }
        let port = try #require(host.server?.listeners.first?.port)
        #expect(first.count == 4)
        // A second shell asking for the same ports.
        let (other, otherSession, _) = Self.host()
        let taken = other.perform { $0.executeAndRender("listen \(port)") }
        #expect(taken.output.failed)
        #expect(taken.lines.first?.contains("the port is in use") == true)
        #expect(taken.lines.first?.contains("'listen 0'") == true)
        #expect(other.server == nil)
        #expect(!otherSession.servesRealClients)
        #expect(Self.runsHere(other))
        host.shutDown()
        #expect(host.server == nil)
        #expect(!session.servesRealClients)
    }
}
