import Foundation
import KafkaShell

/// Records a session as a notebook while it happens: each command and its output is
/// appended to a ` ```kafka ` block and written out at once, with the closing fence always
/// in place, so a crash loses nothing already recorded and the file always runs.
public final class Recorder {
    public let path: String
    private let handle: FileHandle
    private static let closingFence = "```\n"
    public private(set) var commandCount = 0

    /// Why recording could not start.
    public enum RecordError: Error, CustomStringConvertible {
        case exists(String)
        case unwritable(String, String)

        public var description: String {
            switch self {
            case .exists(let path): return "'\(path)' already exists. Choose another name, or add --force to overwrite it."
            case .unwritable(let path, let reason): return "Cannot record to '\(path)': \(reason). Choose a folder you can write to."
            }
        }
    }

    /// Creates the notebook with its front matter; the commands run so far (replayed on a
    /// scratch cluster for their output) come first, so the recording replays from a fresh cluster.
    public init(path: String, session: Session, force: Bool) throws(RecordError) {
        self.path = path
        let manager = FileManager.default
        guard path.hasSuffix(".md") else {
            throw .unwritable(path, "a recording is a Markdown notebook, so its name must end in .md")
        }
        var info = stat()
        let exists = lstat(path, &info) == 0
        if exists {
            let type = info.st_mode & S_IFMT
            // Never through a link, never into a device: only a plain file is ever written.
            if type == S_IFLNK { throw .unwritable(path, "it is a symbolic link; record to a plain file") }
            if type != S_IFREG { throw .unwritable(path, "it is not a regular file") }
            if !force { throw .exists(path) }
            guard Self.isRecording(path) else {
                throw .unwritable(path, "it is not a notebook kafkalab recorded, and --force only replaces those")
            }
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .unwritable(path, "the folder '\(directory)' does not exist")
            }
        }
        var text = """
            ---
            id: \(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
            title: Recorded session
            kafkalab: \(KafkaLabInfo.version)
            brokers: \(session.options.brokers)
            \(session.options.brokerIds.map { "broker-ids: " + $0.map(String.init).joined(separator: ",") + "\n" } ?? "")\(session.options.controllers.map { "controllers: \($0)\n" } ?? "")seed: \(session.options.seed)
            ---

            # Recorded session

            Replay it with `kafkalab replay \((path as NSString).lastPathComponent)`; check it with `kafkalab run \((path as NSString).lastPathComponent)`.
            \(session.servesRealClients ? Self.liveNote : "")
            ```kafka

            """
        let earlier = session.history.filter { !Recorder.skips($0.line, in: session) }
        if !earlier.isEmpty {
            let scratch = Session(options: session.options)
            for (line, input) in earlier {
                text += Self.entry(line: line, input: input, lines: scratch.plainRender(line, input: input))
            }
        }
        text += Self.closingFence
        // O_NOFOLLOW and O_EXCL: a link or a file slipped in since the checks above is not followed or replaced.
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (exists ? O_TRUNC : O_EXCL), 0o644)
        guard descriptor >= 0 else {
            throw .unwritable(path, "the file cannot be created (permission denied or not a folder)")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
        } catch {
            throw .unwritable(path, "writing failed (\(error.localizedDescription))")
        }
        self.handle = handle
        commandCount = earlier.count
    }

    /// A file kafkalab recorded: its front matter names the kafkalab version that wrote it.
    static func isRecording(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 512)) ?? Data(), as: UTF8.self)
        return head.hasPrefix("---\n") && head.contains("\nkafkalab: ")
    }

    /// Why the last write failed (a full disk, a file truncated underneath); nil while all went well.
    public private(set) var writeError: String?

    /// A recording made under `kafkalab serve` says so: real clients' requests and the live clock are not in it.
    static let liveNote = """

        Recorded while `kafkalab serve` served real clients: the clock followed the wall clock, and what the clients
        sent is not part of this notebook, so a replay runs the shell's commands without them and outputs that
        depended on them or on the time may differ.

        """

    /// Lesson, recording and `listen` commands are not part of a recording: they steer kafkalab, not the cluster
    /// (a notebook never listens: it replays deterministically).
    static func skips(_ line: String, in session: Session) -> Bool {
        guard let group = session.commandGroup(of: line) else { return false }
        return group == .lessons || group == .recording || group == .serving
    }

    static func entry(line: String, input: [String], lines: [String]) -> String {
        var text = NotebookParser.prompt + line + "\n"
        for item in input { text += ">" + item + "\n" }
        for output in lines { text += output + "\n" }
        return text
    }

    /// A command reading `>` lines at the terminal, held until its input ends so that it is
    /// written as a transcript writes it: the command, its input lines, then all it printed.
    private var pending: (line: String, input: [String], lines: [String])?

    /// Records one event of the session.
    func record(_ executed: Session.ExecutedCommand, session: Session) {
        switch executed.kind {
        case .command where session.inputMode != nil:
            pending = (executed.line, executed.input, executed.plainLines)
        case .command:
            append(Self.entry(line: executed.line, input: executed.input, lines: executed.plainLines))
        case .inputLine:
            pending?.input.append(executed.line)
            pending?.lines += executed.plainLines
            if session.inputMode == nil, let held = pending {
                // The command stopped reading (a malformed line ends a console producer): it is complete.
                pending = nil
                append(Self.entry(line: held.line, input: held.input, lines: held.lines))
            }
        case .inputEnd:
            guard let held = pending else { return }
            pending = nil
            append(Self.entry(line: held.line, input: held.input, lines: held.lines + executed.plainLines))
        }
    }

    /// Appends one entry: the closing fence is overwritten and written again after it.
    private func append(_ entry: String) {
        guard writeError == nil else { return }
        do {
            let end = try handle.seekToEnd()
            let fence = UInt64(Self.closingFence.utf8.count)
            guard end >= fence else {
                writeError = "the file was truncated while recording"
                return
            }
            try handle.seek(toOffset: end - fence)
            try handle.write(contentsOf: Data((entry + Self.closingFence).utf8))
            try handle.synchronize()
            commandCount += 1
        } catch {
            // A full disk must not stop the learner's session; the file keeps what it had, and
            // 'record stop' says so.
            writeError = error.localizedDescription
        }
    }

    func close() {
        try? handle.close()
    }
}

extension Session {
    /// Runs a command and returns its output as plain text (no colour), events included.
    func plainRender(_ line: String, input: [String]) -> [String] {
        executeAndRenderBoth(line, input: input).plainLines
    }
}
