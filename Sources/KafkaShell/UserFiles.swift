import Foundation
import KafkaModel

/// The folder a session's commands read and write files in: `cmd > FILE`, `cmd >> FILE` and
/// `--from-file FILE`. At the shell it is the working folder; a notebook run or a lesson gets a
/// private scratch folder and cannot name a path outside it (no absolute paths, no `..`, no
/// symbolic links): a notebook someone sends you never touches your files.
public final class UserFiles {
    /// Where relative paths start; nil until a confined session first needs its scratch folder.
    private var rootPath: String?
    /// Paths must stay inside the root.
    public let confined: Bool
    private var ownsRoot = false

    /// The learner's own working folder: any path they type.
    public static func workingFolder() -> UserFiles {
        UserFiles(root: FileManager.default.currentDirectoryPath, confined: false)
    }

    /// A private scratch folder, made on first use and removed with the session.
    public static func scratch() -> UserFiles {
        UserFiles(root: nil, confined: true)
    }

    init(root: String?, confined: Bool) {
        self.rootPath = root
        self.confined = confined
    }

    deinit {
        if ownsRoot, let rootPath { try? FileManager.default.removeItem(atPath: rootPath) }
    }

    /// Why a path was refused: one line naming what is allowed.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    private func root() throws(Refusal) -> String {
        if let rootPath { return rootPath }
        let path = NSTemporaryDirectory() + TemporaryFolders.prefix("files") + UUID().uuidString
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw Refusal(description: "Cannot make a scratch folder for files: \(error.localizedDescription)")
        }
        rootPath = path
        ownsRoot = true
        return path
    }

    /// The full path for `name`, checked against the rules.
    public func resolve(_ name: String) throws(Refusal) -> String {
        guard !name.isEmpty, !name.contains("\0") else { throw Refusal(description: "A file name is needed, e.g. plan.csv.") }
        guard confined else { return name.hasPrefix("/") ? name : try root() + "/" + name }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        guard !name.hasPrefix("/"), !name.hasPrefix("~"), !parts.contains(".."), !parts.isEmpty else {
            throw Refusal(description: "'\(name)': here files live in this notebook's own folder; use a plain name such as plan.csv (no absolute path, no '..').")
        }
        var path = try root()
        for part in parts {
            path += "/" + part
            if let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType, type == .typeSymbolicLink {
                throw Refusal(description: "'\(name)' goes through a symbolic link; files here are plain files in this notebook's own folder.")
            }
        }
        return path
    }

    /// Reads a text file.
    public func read(_ name: String) throws(Refusal) -> String {
        let path = try resolve(name)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Refusal(description: "NoSuchFileException: \(name)")
        }
        return text
    }

    /// Writes (or with `append`, adds to) a text file; never through a link, never into a device.
    public func write(_ text: String, to name: String, append: Bool) throws(Refusal) {
        let path = try resolve(name)
        let manager = FileManager.default
        if let attributes = try? manager.attributesOfItem(atPath: path), let type = attributes[.type] as? FileAttributeType {
            guard type == .typeRegular else {
                throw Refusal(description: "Cannot write to '\(name)': it is not a regular file.")
            }
        }
        if append, let handle = FileHandle(forWritingAtPath: path) {
            defer { try? handle.close() }
            do {
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(text.utf8))
            } catch {
                throw Refusal(description: "Cannot write to '\(name)': \(error.localizedDescription)")
            }
            return
        }
        guard manager.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw Refusal(description: "Cannot write to '\(name)': the folder does not exist or is not writable.")
        }
    }
}

/// `command > FILE` / `command >> FILE` at the end of a line, as in a Unix shell.
enum OutputRedirect {
    struct Target {
        let file: String
        let append: Bool
    }

    /// The command without its redirection, and where its output goes; a `>` inside quotes is text.
    static func split(_ line: String) -> (command: String, target: Target?) {
        var quote: Character?
        var lastRedirect: String.Index?
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == ">" {
                lastRedirect = index
            }
            index = line.index(after: index)
        }
        guard let at = lastRedirect, at > line.startIndex, line[line.index(before: at)] == " " || line[line.index(before: at)] == ">" else {
            return (line, nil)
        }
        var start = at
        var append = false
        if line[line.index(before: at)] == ">" {
            start = line.index(before: at)
            append = true
            guard start > line.startIndex, line[line.index(before: start)] == " " else { return (line, nil) }
        }
        let file = line[line.index(after: at)...].trimmingCharacters(in: .whitespaces)
        guard !file.isEmpty, !file.contains(" "), !file.contains("'"), !file.contains("\"") else { return (line, nil) }
        let command = String(line[..<start]).trimmingCharacters(in: .whitespaces)
        guard !command.isEmpty else { return (line, nil) }
        return (command, Target(file: file, append: append))
    }
}
