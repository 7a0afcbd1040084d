#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CLibEdit

/// The outcome of one `LineReader.readLine(prompt:)` call.
public enum LineReadResult: Equatable, Sendable {
    /// A complete line, without its trailing newline.
    case line(String)
    /// The user pressed Ctrl-C: the half-typed line was abandoned, the process goes on.
    case interrupted
    /// End of input: Ctrl-D on an empty line, or the end of a pipe or file.
    case endOfInput
}

/// A source of input lines: an interactive line editor or a plain pipe/file reader.
public protocol LineReader: AnyObject {
    /// Reads one line, showing `prompt` when interactive. Returns the line without its newline.
    func readLine(prompt: String) -> LineReadResult
    /// Adds a line to the history (no-op for plain readers).
    func addHistory(_ line: String)
    /// Writes the history file, if any (no-op for plain readers).
    func saveHistory()
}

/// What the completer is asked: the whole line up to the cursor, and the word being completed
/// (the text after the last unquoted space).
public struct CompletionRequest: Sendable, Equatable {
    /// Everything on the line before the cursor.
    public let lineBeforeCursor: String
    /// The word under completion: the text after the last space that is not inside quotes.
    public let word: String

    /// Builds a request; `word` is derived from `lineBeforeCursor` when not given.
    public init(lineBeforeCursor: String, word: String? = nil) {
        self.lineBeforeCursor = lineBeforeCursor
        self.word = word ?? CompletionRequest.currentWord(of: lineBeforeCursor)
    }

    /// The text after the last space that is outside single or double quotes.
    public static func currentWord(of line: String) -> String {
        var quote: Character? = nil
        var start = line.startIndex
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == " " || c == "\t" {
                start = line.index(after: index)
            }
            index = line.index(after: index)
        }
        return String(line[start...])
    }
}

/// Small helpers about the controlling terminal.
public enum Terminal {
    /// Whether `fd` refers to a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

    /// Columns of the terminal on standard output (falls back to `$COLUMNS`, then 80).
    public static var width: Int {
        let columns = Int(kl_terminal_columns(1))
        if columns > 0 { return columns }
        if let env = getenv("COLUMNS"), let value = Int(String(cString: env)), value > 0 { return value }
        return 80
    }
}

/// Reads lines from a pipe or file (no prompt, no editing).
public final class PlainLineReader: LineReader {
    private let fileHandle: Int32
    private var buffer: [UInt8] = []
    private var reachedEnd = false

    /// Reads from the file descriptor `fileHandle` (standard input by default); it is not closed.
    public init(fileHandle: Int32 = 0) {
        self.fileHandle = fileHandle
    }

    /// Returns the next line without its `\n` (and a `\r` before it); the prompt is ignored.
    public func readLine(prompt: String) -> LineReadResult {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var lineBytes = buffer[..<newline]
                if lineBytes.last == UInt8(ascii: "\r") { lineBytes = lineBytes.dropLast() }
                let line = String(decoding: lineBytes, as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            if reachedEnd {
                if buffer.isEmpty { return .endOfInput }
                let line = String(decoding: buffer, as: UTF8.self)
                buffer.removeAll()
                return .line(line)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(fileHandle, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                reachedEnd = true
            }
        }
    }

    /// Plain readers keep no history.
    public func addHistory(_ line: String) {}

    /// Plain readers keep no history.
    public func saveHistory() {}
}
