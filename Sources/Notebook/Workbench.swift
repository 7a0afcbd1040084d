import Foundation
import KafkaShell

/// Builds sessions with everything the notebook layer adds: lessons and recording.
public enum Workbench {
    /// Where lessons come from and where progress goes.
    public struct Setup: Sendable {
        public var lessonsRoot: String?
        public var lang: String
        /// nil keeps progress in memory (notebook runs and tests).
        public var progressPath: String?

        public init(lessonsRoot: String?, lang: String, progressPath: String?) {
            self.lessonsRoot = lessonsRoot
            self.lang = lang
            self.progressPath = progressPath
        }
    }

    public static func makeSession(options: SessionOptions, setup: Setup) -> Session {
        let session = Session(options: options)
        install(into: session, setup: setup)
        return session
    }

    public static func install(into session: Session, setup: Setup) {
        session.lang = setup.lang
        let library = LessonLibrary(root: setup.lessonsRoot, lang: setup.lang)
        LessonEngine(library: library, progress: LessonProgress(path: setup.progressPath)).install(into: session)
        RecordingCommands.install(into: session)
        session.completionSources["lesson"] = { _ in library.lessons().map(\.id) }
        session.completionSources["file"] = { word in
            let directory = word.contains("/") ? String(word[..<word.lastIndex(of: "/")!]) : "."
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { $0.hasSuffix(".md") }.map { directory == "." ? $0 : directory + "/" + $0 }
        }
    }
}
