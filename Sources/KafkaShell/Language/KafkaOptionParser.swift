/// How a command resolves `--name` words that are not exactly one of its flags.
///
/// Kafka 4.0.0's tools use two parsers:
/// - joptsimple 5.0.4 through `CommandDefaultOptions` (`server-common/.../util/CommandDefaultOptions.java`:
///   `this(args, false)` → `new OptionParser(allowCommandOptionAbbreviation)`), so only exact names are accepted; an
///   unknown one is `joptsimple.UnrecognizedOptionException: <name> is not a recognized option`, reported differently
///   by each tool (`JoptReport`). No tool in 4.0.0 passes `true`.
/// - argparse4j 0.7.0 (`kafka-producer-perf-test.sh`, `ProducerPerformance.argParser()`): `resolveNextFlag` takes an
///   exact name, else the single flag the word is a prefix of (`TextHelper.findPrefix`); several →
///   `"ambiguous option: %s could match %s"` (sorted, joined with ", "); none → `"unrecognized arguments: '%s'"`.
///   `handleError` prints the usage, then `"%s: error: %s%n"` wrapped to 75 columns, then "Did you mean:" candidates.
public enum KafkaOptionParser: Sendable {
    /// kafkalab's own commands: exact names, kafkalab's error with a suggestion.
    case kafkalab
    /// joptsimple without abbreviations. `known`: every option name the 4.0.0 tool accepts (kafkalab may simulate fewer).
    case joptsimple(report: JoptReport, known: [String])
    /// argparse4j with unique-prefix matching. `flags`: the parser's flags in definition order (`-h`/`--help` first),
    /// `usage`: what `printUsage` writes.
    case argparse4j(prog: String, flags: [String], usage: [String])

    /// Where a tool's `OptionException` ends up.
    public enum JoptReport: Sendable {
        /// `TopicCommand.mainNoExit`: `System.err.println(e.getMessage())`, then `Utils.stackTrace(e)`.
        case messageAndStackTrace
        /// Thrown out of `main` (`ConsumerGroupCommandOptions.fromArgs`, `DumpLogSegmentsOptions`): the JVM's
        /// `Exception in thread "main" …` line.
        case uncaught
        /// `ConfigCommand.main`: `case e: OptionException => System.err.println(e.getMessage)`.
        case message
        /// `CommandLineUtils.printUsageAndExit(parser, e.getMessage())` (console consumer/producer, consumer perf test).
        case messageAndUsage
        /// The message after a prefix: `GetOffsetShell` wraps it in a `TerseException`, printed as `Error occurred: …`.
        case prefixed(String)
    }

    /// The flag `name` (dashes removed) stands for, or the tool's error.
    func resolve(_ name: String, typed: String, spec: CommandSpec) throws(ShellError) -> FlagSpec {
        if let exact = spec.flags.first(where: { $0.name == name }) { return exact }
        switch self {
        case .kafkalab:
            throw ShellError.unknownFlag(typed, command: spec)
        case .joptsimple(let report, let known):
            if known.contains(name) {
                throw ShellError.toolFailure(["[kafkalab] \(typed) is a Kafka 4.0 option of \(spec.displayName) that kafkalab does not simulate. See 'help \(spec.displayName)'."])
            }
            let message = "\(name) is not a recognized option"
            var lines: [String]
            switch report {
            // The stack trace that follows (`joptsimple.UnrecognizedOptionException: …` and its `at` lines) is left out.
            case .messageAndStackTrace: lines = [message]
            case .uncaught: lines = ["Exception in thread \"main\" joptsimple.UnrecognizedOptionException: \(message)"]
            case .message: lines = [message]
            case .messageAndUsage: lines = [message, "Usage: \(spec.usage)"]
            case .prefixed(let prefix): lines = [prefix + message]
            }
            let hint = Suggestion.didYouMean("--\(name)", in: spec.flags.map { "--\($0.name)" })
            if !hint.isEmpty { lines.append("[kafkalab]\(hint)") }
            throw ShellError.toolFailure(lines)
        case .argparse4j(let prog, let flags, let usage):
            let candidates = flags.filter { $0.hasPrefix(typed) }.sorted()
            if candidates.count == 1, let flag = spec.flags.first(where: { "--\($0.name)" == candidates[0] }) { return flag }
            if candidates == ["--help"] {
                throw ShellError.toolFailure(["[kafkalab] \(typed) means --help here: see 'help \(spec.displayName)'."])
            }
            if candidates.count > 1 {
                throw ShellError.toolFailure(usage + Self.argparseWrap("\(prog): error: ambiguous option: \(typed) could match \(candidates.joined(separator: ", "))"))
            }
            var lines = usage + Self.argparseWrap("\(prog): error: unrecognized arguments: '\(typed)'")
            let body = typed.drop { $0 == "-" }
            if body.count >= 2 { lines += Self.flagCandidates(String(body), flags) }
            throw ShellError.toolFailure(lines)
        }
    }

    /// argparse4j `printFlagCandidates`: flags whose body starts with the typed body score 0, others the
    /// Damerau–Levenshtein distance with git's costs (swap 0, substitution 2, insertion 1, deletion 4); nothing if the
    /// best is 7 or more; else an empty line, "Did you mean:", and every flag with the best score, each after a TAB.
    static func flagCandidates(_ body: String, _ flags: [String]) -> [String] {
        var scored: [(Int, String)] = []
        for flag in flags {
            let flagBody = String(flag.drop { $0 == "-" })
            guard flagBody.count > 1 else { continue }
            scored.append((flagBody.hasPrefix(body) ? 0 : levenshtein(Array(body.utf16), Array(flagBody.utf16)), flag))
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        guard let best = scored.first?.0, best < 7 else { return [] }
        return ["", "Did you mean:"] + scored.filter { $0.0 == best }.map { "\t" + $0.1 }
    }

    /// argparse4j's `levenshtein(a, b, swap: 0, sub: 2, add: 1, del: 4)`.
    static func levenshtein(_ a: [UInt16], _ b: [UInt16]) -> Int {
        let swap = 0, sub = 2, add = 1, del = 4
        var d2 = [Int](repeating: 0, count: b.count + 1)
        var d1 = Array(0...b.count)
        var d0 = [Int](repeating: 0, count: b.count + 1)
        if a.isEmpty { return b.count }
        for i in 1...a.count {
            d0[0] = i
            if !b.isEmpty {
                for j in 1...b.count {
                    d0[j] = d1[j - 1] + (a[i - 1] == b[j - 1] ? 0 : sub)
                    if i >= 2 && j >= 2 && a[i - 1] != b[j - 1] && a[i - 2] == b[j - 1] && a[i - 1] == b[j - 2] {
                        d0[j] = min(d0[j], d2[j - 2] + swap)
                    }
                    d0[j] = min(d0[j], min(d1[j] + del, d0[j - 1] + add))
                }
            }
            (d2, d1, d0) = (d1, d0, d2)
        }
        return d1[b.count]
    }

    /// argparse4j `TextHelper.wrap(…, width 75, …)` of one message: break opportunities as Java 17's line
    /// `BreakIterator` finds them in option texts, lines justified by `adjustSpace`.
    static func argparseWrap(_ message: String, width: Int = 75) -> [String] {
        let text = message + "\n"
        var result: [String] = []
        var line = ""
        var current = 0
        for segment in lineBreakSegments(text) {
            current += segment.count
            if current > width {
                result.append(adjustSpace(line, width: width, currentWidth: current - segment.count))
                line = ""
                current = segment.count
            }
            line += segment
        }
        if line.hasSuffix("\n") { line.removeLast() }
        result.append(line)
        return result
    }

    /// Pieces ending at each line-break opportunity (Java's `BreakIterator.getLineInstance()` on this kind of text):
    /// after spaces; after a run of hyphens before a letter, or before a digit when a letter or digit precedes the
    /// run; after `.` before a letter (or before a digit when no digit precedes); after `:`, `,`, `;` before a letter
    /// or digit; before `(` that follows a letter or digit.
    static func lineBreakSegments(_ text: String) -> [String] {
        let chars = Array(text)
        var segments: [String] = []
        var start = 0
        func isAlnum(_ c: Character) -> Bool { c.isLetter || c.isNumber }
        for i in 1..<max(1, chars.count) {
            let prev = chars[i - 1], next = chars[i]
            var breakHere = false
            if prev == " " && next != " " && next != "\n" {
                breakHere = true
            } else if prev == "-" && next != "-" && next != " " && next != "\n" {
                var j = i - 1
                while j > 0 && chars[j - 1] == "-" { j -= 1 }
                let before: Character? = j > 0 ? chars[j - 1] : nil
                if next.isLetter { breakHere = true } else if next.isNumber { breakHere = before.map(isAlnum) ?? false }
            } else if prev == "." {
                let before: Character? = i >= 2 ? chars[i - 2] : nil
                breakHere = next.isLetter || (next.isNumber && !(before?.isNumber ?? false))
            } else if prev == ":" || prev == "," || prev == ";" {
                breakHere = isAlnum(next)
            } else if next == "(" {
                breakHere = isAlnum(prev)
            }
            if breakHere {
                segments.append(String(chars[start..<i]))
                start = i
            }
        }
        if start < chars.count { segments.append(String(chars[start...])) }
        return segments
    }

    /// `TextHelper.adjustSpace`: trim, then spread `width - currentWidth` extra spaces over the blocks of spaces,
    /// one more to the middle blocks when they do not divide evenly.
    static func adjustSpace(_ line: String, width: Int, currentWidth: Int) -> String {
        var chars = Array(line)
        let originalCount = chars.count
        while chars.first == " " { chars.removeFirst() }
        while chars.last == " " { chars.removeLast() }
        let current = currentWidth - (originalCount - chars.count)
        var blocks = 0
        var inBlock = false
        for c in chars {
            if c == " " { if !inBlock { inBlock = true; blocks += 1 } } else { inBlock = false }
        }
        guard blocks > 0 else { return String(chars) }
        let need = width - current
        let each = need / blocks, rem = need % blocks
        let remStart = (blocks - rem + 1) / 2, remEnd = remStart + rem
        var out = ""
        inBlock = false
        var b = 0
        for c in chars {
            if c == " " {
                if !inBlock {
                    inBlock = true
                    out += String(repeating: " ", count: each + (remStart <= b && b < remEnd ? 1 : 0))
                    b += 1
                }
            } else {
                inBlock = false
            }
            out.append(c)
        }
        return out
    }
}
