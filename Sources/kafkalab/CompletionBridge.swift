import KafkaShell
import LineEditing

/// Hands libedit's Tab requests to the session. libedit calls back on the thread that is
/// reading the line, which is the only thread that touches the session.
enum CompletionBridge {
    /// Wraps the non-Sendable session for libedit's `@Sendable` completer.
    final class SessionBox: @unchecked Sendable {
        let session: Session
        init(_ session: Session) { self.session = session }
    }

    static func completer(for session: Session) -> @Sendable (CompletionRequest) -> [String] {
        let box = SessionBox(session)
        return { request in
            box.session.completions(lineBeforeCursor: request.lineBeforeCursor, word: request.word)
        }
    }
}
