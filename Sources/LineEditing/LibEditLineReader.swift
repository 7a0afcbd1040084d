#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CLibEdit

/// libedit-backed reader: history file, Up/Down recall, Ctrl-R search (`em-inc-search-prev`),
/// Tab completion, Ctrl-C abandons the line (returns `.interrupted` and leaves the process alive),
/// Ctrl-D on an empty line returns `.endOfInput`.
///
/// Built on libedit's native API (`el_init`/`el_gets`/`history`). Callbacks find this object
/// through `EL_CLIENTDATA`, so there is no global state. While a line is being edited the
/// terminal's ISIG flag is off and Ctrl-C is an ordinary key bound to an "interrupt" command.
/// Use one instance at a time, from one thread.
public final class LibEditLineReader: LineReader {
    /// `EditLine *`
    private let editLine: OpaquePointer
    /// `History *`
    private let history: OpaquePointer
    private let historyFile: String?
    private let completer: @Sendable (CompletionRequest) -> [String]
    /// Prompt handed to libedit; owned (malloc'd) by this object, replaced on every `readLine`.
    private var promptBuffer: UnsafeMutablePointer<CChar>?
    private var lastPrompt: String?
    fileprivate var interruptRequested = false
    private var lastHistoryEntry: String?
    private var liveOutput: LiveOutput?
    private var wakeDescriptor: Int32 = -1

    /// Creates the editor on standard input/output.
    /// - Parameters:
    ///   - programName: name libedit uses for `~/.editrc` sections.
    ///   - historyFile: file the history is loaded from now and written to by `saveHistory()`;
    ///     missing parent folders are created. `nil` keeps the history in memory only.
    ///   - completer: returns the candidate full words for a completion request.
    public init(
        programName: String,
        historyFile: String?,
        completer: @escaping @Sendable (CompletionRequest) -> [String]
    ) {
        // Without this libedit drops every non-ASCII keystroke (e.g. Korean input).
        kl_set_locale_from_environment()
        self.historyFile = historyFile
        self.completer = completer
        // el_init copies the program name.
        self.editLine = el_init(programName, kl_stdin(), kl_stdout(), kl_stderr())
        self.history = history_init()

        kl_history_setsize(history, 1000)
        kl_history_setunique(history, 1)
        if let historyFile {
            Self.makeParentDirectories(of: historyFile)
            _ = kl_history_load(history, historyFile)
            if let newest = kl_history_newest_copy(history) {
                lastHistoryEntry = String(cString: newest)
                free(newest)
            }
        }

        kl_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        kl_el_set_editor(editLine, "emacs")
        kl_el_set_signal(editLine, 1)  // restore the terminal on fatal signals, follow SIGWINCH
        kl_el_set_hist(editLine, history)
        kl_el_set_prompt_esc(editLine, { el in
            LibEditLineReader.owner(of: el)?.promptBuffer
        }, 1)
        _ = el_source(editLine, nil)  // ~/.editrc, if any; our essential bindings below win

        // Ctrl-C: a key, not a signal, while editing.
        kl_el_setty_edit(editLine, "-isig")
        kl_el_add_fn(editLine, "kafkalab-interrupt", "Abandon the current line", { el, _ in
            LibEditLineReader.owner(of: el)?.interruptRequested = true
            return UInt8(CC_EOF)
        })
        kl_el_add_fn(editLine, "kafkalab-complete", "Complete the current word", { el, _ in
            LibEditLineReader.owner(of: el)?.complete() ?? UInt8(CC_ERROR)
        })
        kl_el_bind(editLine, "^C", "kafkalab-interrupt")
        kl_el_bind(editLine, "^I", "kafkalab-complete")
        kl_el_bind(editLine, "^R", "em-inc-search-prev")
    }

    deinit {
        el_end(editLine)  // also restores the terminal
        history_end(history)
        free(promptBuffer)
    }

    /// Reads one line, showing `prompt` (ANSI colour escapes allowed). Returns the line without its newline.
    public func readLine(prompt: String) -> LineReadResult {
        setPrompt(prompt)
        interruptRequested = false
        kl_el_bind(editLine, "^C", "kafkalab-interrupt")  // keep it bound even if tty chars were re-read
        var count: Int32 = 0
        liveOutput?.beginEditing()
        let raw = el_gets(editLine, &count)  // libedit owns this buffer: copy, never free
        let savedErrno = errno
        let late = liveOutput?.endEditing() ?? []
        defer {
            // After the line was entered or abandoned, once the cursor is at the start of a fresh line.
            if !late.isEmpty { write(late.map { $0 + "\n" }.joined()) }
        }
        if interruptRequested {
            interruptRequested = false
            write("^C\n")
            return .interrupted
        }
        guard let raw, count > 0 else {
            if count < 0 && savedErrno == EINTR {
                write("\n")
                return .interrupted
            }
            write("\n")  // libedit echoed "^D"; leave the cursor on a fresh line
            return .endOfInput
        }
        var line = String(cString: raw)
        while let last = line.unicodeScalars.last, last == "\n" || last == "\r" {
            line.unicodeScalars.removeLast()
        }
        return .line(line)
    }

    /// From now on, lines printed through `output` while a line is being edited appear above it, and the
    /// prompt and the half-typed line are drawn again below them.
    public func showLiveOutput(_ output: LiveOutput) {
        liveOutput = output
        wakeDescriptor = output.wakeDescriptor()
        guard wakeDescriptor >= 0 else { return }
        kl_el_set_getcfn(editLine) { el, character in
            LibEditLineReader.owner(of: el)?.readCharacter(into: character) ?? -1
        }
    }

    /// Adds a line to the history, skipping blank lines and an immediate repeat of the previous entry.
    public func addHistory(_ line: String) {
        guard line.unicodeScalars.contains(where: { $0 != " " && $0 != "\t" }) else { return }
        guard line != lastHistoryEntry else { return }
        kl_history_enter(history, line)
        lastHistoryEntry = line
    }

    /// Writes the history file in libedit's own format, if a file was given.
    public func saveHistory() {
        guard let historyFile else { return }
        Self.makeParentDirectories(of: historyFile)
        _ = kl_history_save(history, historyFile)
    }

    // MARK: - Callbacks

    fileprivate static func owner(of el: OpaquePointer?) -> LibEditLineReader? {
        guard let el, let data = kl_el_get_clientdata(el) else { return nil }
        return Unmanaged<LibEditLineReader>.fromOpaque(data).takeUnretainedValue()
    }

    /// libedit's character reader, which also wakes for live output.
    fileprivate func readCharacter(into character: UnsafeMutablePointer<wchar_t>?) -> Int32 {
        while true {
            let result = kl_read_char_or_wake(0, wakeDescriptor, character)
            guard result == 2 else { return result }
            if let lines = liveOutput?.takePending() { showAbove(lines) }
        }
    }

    /// Clears the prompt and the line being edited (all the rows it wraps onto above the cursor), prints
    /// `lines`, and lets libedit draw the prompt and the line again below them.
    private func showAbove(_ lines: [String]) {
        guard !lines.isEmpty, let info = el_line(editLine) else { return }
        let start = UnsafeRawPointer(info.pointee.buffer!)
        let length = UnsafeRawPointer(info.pointee.cursor!) - start
        let beforeCursor = String(decoding: UnsafeRawBufferPointer(start: start, count: length), as: UTF8.self)
        let columns = Self.visibleWidth(lastPrompt ?? "") + Self.columns(beforeCursor)
        let rowsAbove = columns / max(Terminal.width, 1)
        var text = rowsAbove > 0 ? "\u{1B}[\(rowsAbove)A" : ""
        text += "\r\u{1B}[J" + lines.map { $0 + "\n" }.joined()
        write(text)
        kl_el_refresh(editLine)
    }

    /// Columns a prompt takes: its characters less its ANSI escape sequences and libedit's markers.
    static func visibleWidth(_ prompt: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in prompt.unicodeScalars {
            if inEscape {
                if scalar.value >= 0x40 && scalar.value <= 0x7E && scalar != "[" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else if scalar != "\u{01}" && scalar != "\u{02}" {
                width += max(0, Int(kl_wcwidth(wchar_t(scalar.value))))
            }
        }
        return width
    }

    /// Terminal columns `text` takes (a Korean syllable takes two).
    static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + max(0, Int(kl_wcwidth(wchar_t($1.value)))) }
    }

    /// Tab: one candidate is inserted with a space; several extend the word to their common
    /// prefix, or are listed when the prefix adds nothing. No candidates: beep (never file names).
    fileprivate func complete() -> UInt8 {
        guard let info = el_line(editLine) else { return UInt8(CC_ERROR) }
        let start = UnsafeRawPointer(info.pointee.buffer!)
        let length = UnsafeRawPointer(info.pointee.cursor!) - start
        let before = String(decoding: UnsafeRawBufferPointer(start: start, count: length), as: UTF8.self)
        let request = CompletionRequest(lineBeforeCursor: before)

        var seen = Set<String>()
        let candidates = completer(request).filter { !$0.isEmpty && seen.insert($0).inserted }
        if candidates.isEmpty { return UInt8(CC_ERROR) }
        if candidates.count == 1 {
            return replaceWord(request.word, with: candidates[0] + " ")
        }
        let prefix = Self.commonPrefix(candidates)
        if prefix.unicodeScalars.count > request.word.unicodeScalars.count && prefix.hasPrefix(request.word) {
            return replaceWord(request.word, with: prefix)
        }
        let out = kl_el_get_outfile(editLine)
        fputs("\n" + Self.columns(candidates, width: Terminal.width), out)
        fflush(out)
        return UInt8(CC_REDISPLAY)
    }

    private func replaceWord(_ word: String, with text: String) -> UInt8 {
        let scalars = Int32(word.unicodeScalars.count)  // libedit counts wide characters
        if scalars > 0 { el_deletestr(editLine, scalars) }
        if el_insertstr(editLine, text) != 0 { return UInt8(CC_ERROR) }
        return UInt8(CC_REFRESH)
    }

    // MARK: - Helpers

    private func setPrompt(_ prompt: String) {
        guard prompt != lastPrompt || promptBuffer == nil else { return }
        free(promptBuffer)
        promptBuffer = strdup(Self.escapePrompt(prompt))
        lastPrompt = prompt
    }

    private func write(_ text: String) {
        let out = kl_el_get_outfile(editLine)
        fputs(text, out)
        fflush(out)
    }

    /// Wraps every ANSI escape sequence in `\u{1}…\u{1}` (libedit's EL_PROMPT_ESC with delimiter 1)
    /// so it takes no columns. A prompt already using readline's `\u{1}…\u{2}` markers is converted.
    static func escapePrompt(_ prompt: String) -> String {
        var out = String.UnicodeScalarView()
        if prompt.unicodeScalars.contains("\u{01}") {
            for s in prompt.unicodeScalars { out.append(s == "\u{02}" ? "\u{01}" : s) }
            return String(out)
        }
        var scalars = prompt.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            guard s == "\u{1B}" else { out.append(s); continue }
            out.append("\u{01}"); out.append(s)
            if let next = scalars.next() {
                out.append(next)
                if next == "[" {  // CSI: parameters, then a final byte in @...~
                    while let c = scalars.next() {
                        out.append(c)
                        if c.value >= 0x40 && c.value <= 0x7E { break }
                    }
                } else if next == "]" {  // OSC: until BEL or ESC \
                    while let c = scalars.next() {
                        out.append(c)
                        if c == "\u{07}" { break }
                        if c == "\u{1B}" { if let t = scalars.next() { out.append(t) }; break }
                    }
                }
            }
            out.append("\u{01}")
        }
        return String(out)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map({ Array($0.unicodeScalars) }) else { return "" }
        for word in words.dropFirst() {
            let scalars = Array(word.unicodeScalars)
            var n = 0
            while n < prefix.count && n < scalars.count && prefix[n] == scalars[n] { n += 1 }
            prefix.removeLast(prefix.count - n)
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: prefix)
        return String(view)
    }

    static func columns(_ words: [String], width: Int) -> String {
        let cell = (words.map { $0.count }.max() ?? 0) + 2
        let perRow = max(1, width / max(cell, 1))
        var text = ""
        for (i, word) in words.enumerated() {
            let last = i % perRow == perRow - 1 || i == words.count - 1
            text += last ? word + "\n" : word + String(repeating: " ", count: cell - word.count)
        }
        return text
    }

    private static func makeParentDirectories(of path: String) {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        var current = path.hasPrefix("/") ? "" : "."
        if components.first == "" { components = components.dropFirst() }
        for component in components where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST { return }
        }
    }
}
