import ArgumentParser
import Foundation
import KafkaServer
import KafkaShell
import LineEditing
import Notebook

/// `kafkalab [shell]`: the interactive shell, or a script on standard input, or `-c`.
struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell", abstract: "Start the kafkalab shell (the default).")

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var lessonOptions: LessonOptions

    @Option(name: .customShort("c"), help: "Run these commands (separated by ';') and exit.")
    var commands: String?

    @Option(name: .customLong("init"), help: "Run these commands (separated by ';') first, then continue.")
    var initCommands: String?

    @Option(name: .customLong("data-dir"), help: "Keep the cluster's segment files and metadata in DIR across runs (default: a fresh temporary folder).")
    var dataDir: String?

    mutating func run() throws {
        let session = try Interactive.makeSession(cluster: cluster, lessons: lessonOptions, dataDir: dataDir)
        for line in session.startupReport { print(line) }

        // `listen` may hand the session to a server's thread: from here it is reached only through `host`.
        let liveOutput = LiveOutput()
        let host = Interactive.makeHost(for: session, liveOutput: liveOutput)
        if let initCommands {
            for line in host.perform({ $0.executeAndRender(initCommands).lines }) { print(line) }
        }
        if let commands {
            var remaining = [commands][...]
            let driver = ShellDriver(session: session, interactive: false, read: { _ in
                remaining.popFirst().map { .line($0) } ?? .endOfInput
            }, write: { print($0) }, confine: { host.confine($0) })
            let status = driver.run()
            host.shutDown()
            throw ExitCode(status)
        }
        throw ExitCode(Interactive.run(session, host: host, liveOutput: liveOutput))
    }
}
