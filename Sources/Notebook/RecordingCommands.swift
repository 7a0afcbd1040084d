import KafkaShell

/// `record start FILE.md` and `record stop`.
enum RecordingCommands {
    static let key = "recorder"

    static func install(into session: Session) {
        session.install([start, stop])
        session.observers.append { [weak session] executed in
            guard let session, let recorder = session.attachments[key] as? Recorder,
                executed.kind != .command || !Recorder.skips(executed.line, in: session)
            else { return }
            recorder.record(executed, session: session)
        }
    }

    static let start = Command(
        CommandSpec(
            "record start", group: .recording, abstract: "Record this session to a notebook, command by command",
            discussion: "Each command and its output is written as it happens, so a crash loses nothing.\nCommands run before 'record start' come first, so the file replays from a fresh cluster.\nReplay it with 'kafkalab replay FILE.md', check it with 'kafkalab run FILE.md'.",
            flags: [FlagSpec("force", help: "overwrite the file if it exists")],
            positionals: [PositionalSpec("FILE", help: "the notebook to write, e.g. session.md")],
            examples: ["record start my-session.md"], positionalCompletion: .file)
    ) { arguments, session throws(ShellError) in
        guard !session.notebookInControl else {
            throw .failed("A notebook cannot start a recording: 'record start' runs only when you type it yourself (kafkalab run, replay and lesson examples refuse it).")
        }
        if let current = session.attachments[key] as? Recorder {
            throw .failed("Already recording to '\(current.path)'. Type 'record stop' first.")
        }
        let path = arguments.positionals[0]
        do throws(Recorder.RecordError) {
            let recorder = try Recorder(path: path, session: session, force: arguments.has("force"))
            session.attachments[key] = recorder
            let earlier = recorder.commandCount
            return Output(["Recording to \(path)" + (earlier > 0 ? " (with the \(earlier) command\(earlier == 1 ? "" : "s") run so far)." : ".") + " Type 'record stop' to finish."])
        } catch {
            throw .failed(error.description)
        }
    }

    static let stop = Command(
        CommandSpec("record stop", group: .recording, abstract: "Stop recording", examples: ["record stop"])
    ) { _, session throws(ShellError) in
        guard let recorder = session.attachments[key] as? Recorder else {
            throw .failed("Not recording. Start with: record start FILE.md")
        }
        recorder.close()
        session.attachments[key] = nil
        if let problem = recorder.writeError {
            return Output.failure("Recording stopped, but writing to \(recorder.path) failed (\(problem)): the file holds only the first \(recorder.commandCount) command\(recorder.commandCount == 1 ? "" : "s").")
        }
        return Output(["Recorded \(recorder.commandCount) command\(recorder.commandCount == 1 ? "" : "s") to \(recorder.path). Replay: kafkalab replay \(recorder.path)"])
    }
}
