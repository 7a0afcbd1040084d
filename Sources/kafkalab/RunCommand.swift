import ArgumentParser
import Foundation
import KafkaShell
import Notebook

/// `kafkalab run FILE.md…`: run notebooks as tests.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run notebooks on fresh clusters; exit 1 with a diff where output differs.")

    @Flag(help: "Rewrite each notebook's expected output with the actual output (prose untouched).")
    var update = false

    @Flag(name: .shortAndLong, help: "Print only failures and the summary.")
    var quiet = false

    @Argument(help: "Notebook files (.md) or folders holding them.")
    var files: [String]

    @OptionGroup var lessonOptions: LessonOptions

    mutating func run() throws {
        var passed = 0, failed = 0
        for path in NotebookFiles.expand(files) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                print("FAIL \(path): cannot read the file")
                failed += 1
                continue
            }
            let document: NotebookDocument
            do {
                document = try NotebookParser.parse(text, file: path)
            } catch {
                print("FAIL \(error)")
                failed += 1
                continue
            }
            let result = NotebookRunner(setup: lessonOptions.setup(keepProgress: false)).run(document, update: update)
            if update, let updated = result.updatedText, updated != text {
                if let problem = NotebookFiles.update(path, from: text, to: updated) {
                    print("FAIL \(path): not updated: \(problem)")
                    failed += 1
                    continue
                }
                print("UPDATED \(path)")
            }
            // --update repairs expected output; failed solutions and checks still fail the run.
            let failures = update ? result.failures.filter { $0.kind != .outputDiffers } : result.failures
            if failures.isEmpty {
                passed += 1
                if !quiet && !(update && result.updatedText != text) { print("PASS \(path) (\(result.commands) commands, \(result.checks) checks)") }
            } else {
                failed += 1
                print("FAIL \(path)")
                for failure in failures {
                    for line in failure.lines { print("  " + VisibleText.escaped(line)) }
                }
            }
        }
        print("notebooks: \(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

/// Expands folders into the `.md` files under them, sorted; rewrites one safely.
enum NotebookFiles {
    /// Writes `updated` over `path` if it still holds `original`; nil on success, else why not.
    /// A link is not replaced by a file, and edits made while the notebook ran are not overwritten.
    static func update(_ path: String, from original: String, to updated: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return "it no longer exists" }
        if info.st_mode & S_IFMT == S_IFLNK { return "it is a symbolic link; --update rewrites only regular files (update the file it points to)" }
        guard info.st_mode & S_IFMT == S_IFREG else { return "it is not a regular file" }
        guard access(path, W_OK) == 0 else { return "it is read-only (permission denied)" }
        guard (try? String(contentsOfFile: path, encoding: .utf8)) == original else {
            return "it was edited while it ran; run it again"
        }
        do {
            try updated.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, info.st_mode & 0o7777)
        } catch {
            return "writing failed (\((error as NSError).localizedFailureReason ?? error.localizedDescription))"
        }
        return nil
    }

    static func expand(_ paths: [String]) -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix(".md") }.sorted()
                result += found.map { (path.hasSuffix("/") ? path : path + "/") + $0 }
            } else {
                result.append(path)
            }
        }
        return result
    }
}
