/// Durations as learners type them: `500ms`, `5s`, `2m`, `1h`, `7d` (and combinations
/// such as `1h30m`), parsed to milliseconds.
public enum SimulatedDuration {
    /// Why a duration did not parse.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case tooLarge(String)

        public var description: String {
            switch self {
            case .malformed(let text):
                return "Invalid duration '\(text)'. Use a number and a unit: ms, s, m, h or d (e.g. 500ms, 5s, 2m, 1h, 7d)."
            case .tooLarge(let text):
                return "Duration '\(text)' is too large. The most kafkalab moves the clock at once is 3650d."
            }
        }
    }

    /// Ten years: far enough for any retention lesson, small enough to never overflow.
    public static let maximumMs: Int64 = 3650 * 86_400_000

    /// Parses `text` into milliseconds.
    public static func parse(_ text: String) throws(ParseError) -> Int64 {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        var rest = Substring(text)
        var total: Int64 = 0
        guard !rest.isEmpty else { throw .malformed(text) }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 12, let amount = Int64(digits) else {
                throw digits.count > 12 ? .tooLarge(text) : .malformed(text)
            }
            rest = rest.dropFirst(digits.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) })
            else { throw .malformed(text) }
            rest = rest.dropFirst(unit.count)
            let (product, overflow) = amount.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw .tooLarge(text) }
            total += product
            guard total <= maximumMs else { throw .tooLarge(text) }
        }
        return total
    }

    /// The shortest exact spelling of `ms`: `1h30m`, `500ms`, `0ms`.
    public static func format(_ ms: Int64) -> String {
        if ms == 0 { return "0ms" }
        var rest = ms
        var text = ""
        for (unit, factor) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] {
            if rest >= factor {
                text += "\(rest / factor)\(unit)"
                rest %= factor
            }
        }
        return text
    }
}
