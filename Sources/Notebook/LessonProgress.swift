import Foundation

/// How far the learner got in each lesson, kept as plain JSON
/// (`$XDG_STATE_HOME/kafkalab/progress.json`) or only in memory (notebook runs, tests).
public final class LessonProgress {
    /// One lesson's progress.
    public struct Entry: Codable, Equatable, Sendable {
        public var step: Int
        public var passedSteps: [Int]
        public var done: Bool
    }

    private struct File: Codable {
        var lessons: [String: Entry]
    }

    public private(set) var entries: [String: Entry] = [:]
    /// Where progress is saved; nil keeps it in memory.
    public let path: String?
    /// The last save error, shown once by the lesson commands.
    public private(set) var saveError: String?

    public init(path: String?) {
        self.path = path
        if let path, let data = FileManager.default.contents(atPath: path),
            let file = try? JSONDecoder().decode(File.self, from: data)
        {
            entries = file.lessons
        }
    }

    /// `$XDG_STATE_HOME/kafkalab/progress.json`, else `~/.local/state/kafkalab/progress.json`.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/kafkalab/progress.json" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/kafkalab/progress.json"
    }

    public func entry(_ id: String) -> Entry? { entries[id] }

    public func update(_ id: String, _ change: (inout Entry) -> Void) {
        var entry = entries[id] ?? Entry(step: 0, passedSteps: [], done: false)
        change(&entry)
        entries[id] = entry
        save()
    }

    public func reset(_ id: String) {
        entries[id] = nil
        save()
    }

    private func save() {
        guard let path else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try encoder.encode(File(lessons: entries)).write(to: URL(fileURLWithPath: path), options: .atomic)
            saveError = nil
        } catch {
            saveError = "Could not save progress to \(path): \(error.localizedDescription)"
        }
    }
}
