import ArgumentParser
import KafkaShell
import LineEditing
import Notebook

/// `kafkalab lesson list|start ID|reset [ID]`: lesson mode from the command line.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "List lessons, or start one and stay in the shell (same as 'lesson …' inside it).")

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var lessonOptions: LessonOptions

    @Argument(parsing: .captureForPassthrough, help: "list | start ID [--from-start] | reset [ID]")
    var words: [String] = ["list"]

    mutating func run() throws {
        let session = Workbench.makeSession(options: Interactive.options(cluster.sessionOptions), setup: lessonOptions.setup())
        let line = (["lesson"] + words).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
        let (lines, output) = session.executeAndRender(line)
        for text in lines { print(text) }
        if output.failed { throw ExitCode(1) }
        if words.first == "start" {
            let liveOutput = LiveOutput()
            let host = Interactive.makeHost(for: session, liveOutput: liveOutput)
            throw ExitCode(Interactive.run(session, host: host, liveOutput: liveOutput))
        }
    }
}
