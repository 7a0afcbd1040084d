/// Kafka's `Utils.getDateTime` for `--to-datetime`: `yyyy-MM-dd'T'HH:mm:ss.SSS` with an optional zone
/// (`Z`, `+08`, `+0800`, `+08:00`; none = UTC), parsed as Java's lenient `SimpleDateFormat` does.
///
/// Quirks kept: `SSS` is a count of milliseconds (`.5` = 5 ms); out-of-range fields roll over (month 13 = January
/// next year); trailing text after the zone is ignored; `+0830` loses its minutes (only the `X` pattern matches it).
/// Dates are proleptic Gregorian (Java switches to Julian before 1582).
public enum KafkaDateTime {
    /// Milliseconds since the epoch for `timestamp`.
    public static func parse(_ timestamp: String) throws(ResetOffsetsError) -> Int64 {
        let parts = timestamp.split(separator: "T", omittingEmptySubsequences: false).map(String.init)
        var nonTrailing = parts
        while let last = nonTrailing.last, last.isEmpty { nonTrailing.removeLast() }   // Java's split drops trailing empties
        guard nonTrailing.count >= 2 else { throw .timestampWithoutT(timestamp) }
        var text = timestamp
        let second = nonTrailing[1]
        if !(second.contains("+") || second.contains("-") || second.contains("Z")) { text += "Z" }
        if let ms = parse(text, colonZone: true) ?? parse(text, colonZone: false) { return ms }
        throw .unparseableDate(text)
    }

    private static func parse(_ text: String, colonZone: Bool) -> Int64? {
        let c = Array(text.unicodeScalars)
        var i = 0
        func number() -> Int64? {
            var v: Int64 = 0, n = 0
            while i < c.count, c[i].value >= 48, c[i].value <= 57 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(c[i].value - 48))
                if o1 || o2 { return nil }
                v = s; n += 1; i += 1
            }
            return n > 0 ? v : nil
        }
        func literal(_ ch: Character) -> Bool {
            guard i < c.count, Character(c[i]) == ch else { return false }
            i += 1
            return true
        }
        func twoDigits() -> Int64? {
            guard i + 1 < c.count, (48...57).contains(c[i].value), (48...57).contains(c[i + 1].value) else { return nil }
            defer { i += 2 }
            return Int64(c[i].value - 48) * 10 + Int64(c[i + 1].value - 48)
        }
        guard let y = number(), literal("-"), let mo = number(), literal("-"), let d = number(), literal("T"),
              let h = number(), literal(":"), let mi = number(), literal(":"), let s = number(), literal("."),
              let ms = number(), i < c.count else { return nil }
        var offsetMinutes: Int64 = 0
        if c[i] == "Z" {
            i += 1
        } else if c[i] == "+" || c[i] == "-" {
            let sign: Int64 = c[i] == "-" ? -1 : 1
            i += 1
            guard let hh = twoDigits(), hh <= 23 else { return nil }
            var mm: Int64 = 0
            if colonZone {
                guard literal(":"), let m = twoDigits(), m <= 59 else { return nil }
                mm = m
            }
            offsetMinutes = sign * (hh * 60 + mm)
        } else {
            return nil
        }
        let monthIndex = mo - 1
        let yearAdj = y + (monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12)
        let month = ((monthIndex % 12) + 12) % 12 + 1
        let days = daysFromCivil(yearAdj, month, 1) + (d - 1)
        let seconds = ((days * 24 + h) * 60 + mi) * 60 + s - offsetMinutes * 60
        return seconds * 1000 + ms
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
