/// `java.time.Duration.parse` for `--by-duration`: ISO-8601 `PnDTnHnMn.nS`, case-insensitive, each number
/// optionally signed, an optional leading sign for the whole duration; weeks, months and years are not accepted.
public struct JavaDuration: Sendable, Equatable {
    /// Whole seconds (may be negative).
    public let seconds: Int64
    /// Nanoseconds, 0 ..< 1_000_000_000, added to `seconds`.
    public let nanos: Int64

    /// Parses `text` with Java's rules, e.g. `PT1H`, `P7D`, `PT1H30M`, `PT0.5S`, `-PT6H`, `P2DT3H4M`.
    public static func parse(_ text: String) throws(ResetOffsetsError) -> JavaDuration {
        guard let d = parseOrNil(text) else { throw .unparseableDuration(text) }
        return d
    }

    /// `now - duration` in epoch milliseconds, as `Instant.minus(duration).toEpochMilli()` (floor).
    /// nil when the result leaves `Instant`'s range (Java throws `DateTimeException`) or a `long` of
    /// milliseconds (`ArithmeticException`).
    public func subtracted(fromEpochMs now: Int64) -> Int64? {
        // now*1e6 - (seconds*1e9 + nanos), floored to ms
        let nanosMs = (nanos + 999_999) / 1_000_000
        let (ms, o1) = seconds.multipliedReportingOverflow(by: 1000)
        let (a, o2) = now.subtractingReportingOverflow(ms)
        let (b, o3) = a.subtractingReportingOverflow(nanosMs)
        // Instant.MIN / MAX are -1000000000-01-01T00:00Z / +1000000000-12-31T23:59:59.999999999Z.
        let instantSeconds: ClosedRange<Int64> = -31_557_014_167_219_200...31_556_889_864_403_199
        guard !o1, !o2, !o3, instantSeconds.contains(b / 1000) else { return nil }
        return b
    }

    private static func parseOrNil(_ text: String) -> JavaDuration? {
        let c = Array(text.uppercased().unicodeScalars)
        var i = 0
        func sign() -> Int64 {
            if i < c.count, c[i] == "-" { i += 1; return -1 }
            if i < c.count, c[i] == "+" { i += 1 }
            return 1
        }
        /// A signed integer followed by `unit`, or nil (position restored) when absent.
        func section(_ unit: Unicode.Scalar, allowFraction: Bool = false) -> (value: Int64, nanos: Int64)?? {
            let start = i
            let s = sign()
            var v: Int64 = 0, n = 0
            while i < c.count, c[i].value >= 48, c[i].value <= 57 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(c[i].value - 48))
                if o1 || o2 { return .some(nil) }
                v = a; n += 1; i += 1
            }
            var fraction: Int64 = 0
            if allowFraction, n > 0, i < c.count, c[i] == "." || c[i] == "," {
                i += 1
                var digits = 0
                while i < c.count, c[i].value >= 48, c[i].value <= 57, digits < 9 {
                    fraction = fraction * 10 + Int64(c[i].value - 48); digits += 1; i += 1
                }
                for _ in digits..<9 { fraction *= 10 }
            }
            guard n > 0, i < c.count, c[i] == unit else { i = start; return nil }
            i += 1
            return .some((s * v, s * fraction))
        }
        let negate = sign()
        guard i < c.count, c[i] == "P" else { return nil }
        i += 1
        var any = false
        var total: (Int64, Int64) = (0, 0)   // seconds, nanos
        func add(_ v: Int64, _ mult: Int64) -> Bool {
            let (m, o1) = v.multipliedReportingOverflow(by: mult)
            let (s, o2) = total.0.addingReportingOverflow(m)
            if o1 || o2 { return false }
            total.0 = s
            return true
        }
        if let d = section("D") { guard let d, add(d.value, 86_400) else { return nil }; any = true }
        if i < c.count, c[i] == "T" {
            i += 1
            var timeAny = false
            if let h = section("H") { guard let h, add(h.value, 3600) else { return nil }; timeAny = true }
            if let m = section("M") { guard let m, add(m.value, 60) else { return nil }; timeAny = true }
            if let s = section("S", allowFraction: true) {
                guard let s, add(s.value, 1) else { return nil }
                total.1 = s.nanos
                timeAny = true
            }
            guard timeAny else { return nil }
            any = true
        }
        guard any, i == c.count else { return nil }
        var secs = total.0, nanos = total.1
        if negate < 0 { secs = -secs; nanos = -nanos }
        // normalise nanos into 0..<1e9
        if nanos < 0 { secs -= 1; nanos += 1_000_000_000 }
        return JavaDuration(seconds: secs, nanos: nanos)
    }
}
