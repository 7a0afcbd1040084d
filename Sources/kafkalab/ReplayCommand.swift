import ArgumentParser
import Foundation
import KafkaShell
import Notebook

/// `kafkalab replay FILE.md`: step through a recording on a fresh cluster, then stay at the prompt.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run a recorded notebook one command at a time (Enter: next, q: stop), then continue in the shell.")

    @OptionGroup var lessonOptions: LessonOptions

    @Argument(help: "The recording (.md).")
    var file: String

    mutating func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("Cannot read '\(file)'.")
        }
        let document: NotebookDocument
        do { document = try NotebookParser.parse(text, file: file) } catch { throw ValidationError("\(error)") }
        let session = Workbench.makeSession(
            options: Interactive.options(NotebookRunner.options(for: document)), setup: lessonOptions.setup())
        // A replayed notebook writes files only into a scratch folder of its own.
        session.files = .scratch()
        let reader = Interactive.makeReader(for: session)
        ReplayDriver(document: document, session: session).run(waitForKey: { prompt in
            switch reader.readLine(prompt: prompt) {
            case .line(let line): return line
            case .interrupted: return "q"
            case .endOfInput: return nil
            case .invalid: return ""
            }
        }, write: { print($0) })
        throw ExitCode(Interactive.run(session, reader: reader))
    }
}
