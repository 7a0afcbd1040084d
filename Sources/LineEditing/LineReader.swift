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
    /// A line whose bytes are not valid UTF-8, with the offset of the first bad byte.
    case invalid(byteOffset: Int)
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
    /// From now on SIGINT (Ctrl-C while a command runs) only raises a flag that `interruptRaised`
    /// reports: the running command stops at its next safe point instead of the process dying.
    public static func catchInterrupts() { kl_install_interrupt_flag() }

    /// Whether Ctrl-C was pressed since the last `clearInterrupt()`.
    public static var interruptRaised: Bool { kl_peek_interrupt() != 0 }

    /// Forgets an earlier Ctrl-C (before a new command starts).
    public static func clearInterrupt() { _ = kl_take_interrupt() }

    /// Makes standard output line-buffered even on a pipe, so each line leaves at once.
    public static func lineBufferStandardOutput() { kl_line_buffer_stdout() }

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

/// Reads lines from a pipe or file (no prompt, no editing). Each line is returned as soon as its
/// newline arrives (kafkalab can run as a co-process), and a long line is scanned once, not once
/// per chunk read.
public final class PlainLineReader: LineReader {
    private let fileHandle: Int32
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` starts, and how far it was already searched for a newline.
    private var start = 0
    private var scanned = 0
    private var reachedEnd = false

    /// Reads from the file descriptor `fileHandle` (standard input by default); it is not closed.
    public init(fileHandle: Int32 = 0) {
        self.fileHandle = fileHandle
    }

    /// Returns the next line without its `\n` (and a `\r` before it); the prompt is ignored.
    /// A line that is not valid UTF-8 comes back as `.invalid`, never silently altered.
    public func readLine(prompt: String) -> LineReadResult {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let result = Self.decode(buffer[start..<end])
                start = newline + 1
                scanned = start
                compact()
                return result
            }
            scanned = buffer.count
            if reachedEnd {
                if start == buffer.count { return .endOfInput }
                let result = Self.decode(buffer[start...])
                start = buffer.count
                scanned = start
                return result
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
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

    private static func decode(_ bytes: ArraySlice<UInt8>) -> LineReadResult {
        if let text = String(validating: bytes, as: UTF8.self) { return .line(text) }
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
        return .invalid(byteOffset: offset)
    }

    /// Drops consumed bytes once they are the larger part of the buffer (amortised O(1) per byte).
    private func compact() {
        guard start > 65536 && start * 2 > buffer.count else { return }
        buffer.removeSubrange(..<start)
        scanned -= start
        start = 0
    }

    /// Plain readers keep no history.
    public func addHistory(_ line: String) {}

    /// Plain readers keep no history.
    public func saveHistory() {}
}
