import Foundation

/// Finds lessons: `lessons/<lang>/*.md` in a folder given with `--lessons`, else next to the
/// executable's package (walking up from the binary), else under the working directory.
public struct LessonLibrary: Sendable {
    public let root: String?
    public let lang: String

    public init(root: String?, lang: String) {
        self.root = root
        self.lang = lang
    }

    /// The language from `--lang`, else from `LANG` (`ko_KR.UTF-8` → `ko`), else English.
    public static func language(flag: String?, environment: [String: String]) -> String {
        if let flag, ["en", "ko"].contains(flag) { return flag }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], value.lowercased().hasPrefix("ko") { return "ko" }
        }
        return "en"
    }

    /// The lessons folder to use: the given one, or the first `lessons/` found above the
    /// executable, or `./lessons`.
    public static func locateRoot(given: String?, executablePath: String) -> String? {
        if let given { return given }
        var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("lessons").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue { return candidate }
            directory.deleteLastPathComponent()
        }
        let local = FileManager.default.currentDirectoryPath + "/lessons"
        return FileManager.default.fileExists(atPath: local) ? local : nil
    }

    /// Every lesson in the language's folder (or the folder itself when it holds `.md` files), by file name.
    public func lessons() -> [Lesson] {
        guard let root else { return [] }
        var folder = root + "/" + lang
        if !FileManager.default.fileExists(atPath: folder) { folder = root }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
        return names.compactMap { name in
            let path = folder + "/" + name
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                let document = try? NotebookParser.parse(text, file: path)
            else { return nil }
            return Lesson(document: document, path: path)
        }
    }
}
