import KafkaShell
import LineEditing

/// Hands libedit's Tab requests to the session. libedit calls back on the thread that is
/// reading the line, which is the only thread that touches the session unless `confine` says otherwise.
enum CompletionBridge {
    /// Wraps the non-Sendable session for libedit's `@Sendable` completer.
    final class SessionBox: @unchecked Sendable {
        let session: Session
        let confine: (@escaping () -> Void) -> Void
        init(_ session: Session, confine: @escaping (@escaping () -> Void) -> Void) {
            self.session = session
            self.confine = confine
        }
    }

    /// - Parameter confine: runs work on the session's thread and waits (`kafkalab serve`'s server thread).
    static func completer(for session: Session, confine: @escaping (@escaping () -> Void) -> Void = { $0() })
        -> @Sendable (CompletionRequest) -> [String] {
        let box = SessionBox(session, confine: confine)
        return { request in
            var words: [String] = []
            box.confine { words = box.session.completions(lineBeforeCursor: request.lineBeforeCursor, word: request.word) }
            return words
        }
    }
}
