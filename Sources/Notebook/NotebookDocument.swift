/// A parsed notebook: front matter, then prose and fenced blocks in file order.
///
/// The same format is a lesson, a recording and a test (see docs/NOTEBOOK.md).
public struct NotebookDocument: Sendable {
    /// `key: value` pairs from the front matter, in file order.
    public var frontMatter: [(String, String)]
    public var blocks: [Block]
    /// The file's lines, kept so `--update` can rewrite expected output and leave the prose alone.
    public let sourceLines: [String]

    /// One part of a notebook.
    public enum Block: Sendable {
        case prose(lines: [String], line: Int)
        case transcript(Transcript)
        case check(expressions: [(text: String, line: Int)], line: Int)
        case solution(commands: [(text: String, line: Int)], line: Int)
        case hint(lines: [String], line: Int)
    }

    /// A ` ```kafka ` block: commands with their input and expected output.
    public struct Transcript: Sendable {
        /// 1-based line of the opening fence.
        public let line: Int
        /// Line range of the block's content (between the fences), 0-based into `sourceLines`.
        public let contentRange: Range<Int>
        public var items: [Item]
    }

    /// One command of a transcript.
    public struct Item: Sendable, Equatable {
        /// The command as run (continuation lines joined).
        public var command: String
        /// The command as written, one entry per physical line (continuations keep their `\`).
        public var commandLines: [String]
        /// `>` lines right after the command: input for console tools.
        public var input: [String]
        /// Expected output lines; a line `...` matches any run of lines.
        public var expected: [String]
        /// 1-based line of the `kafka> ` line.
        public var line: Int
    }

    public func value(_ key: String) -> String? {
        frontMatter.first { $0.0 == key }?.1
    }
}

/// Why a notebook could not be read: the message and the 1-based line.
public struct NotebookParseError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}
