/// Matches actual output against expected transcript lines, where a line `...` matches
/// any run of lines (including none). Trailing spaces are ignored: Markdown editors strip them.
public enum OutputMatcher {
    public static let wildcard = "..."

    public static func matches(expected: [String], actual: [String]) -> Bool {
        let expected = expected.map(trimTrailing), actual = actual.map(trimTrailing)
        // memo[i][j]: expected[i...] matches actual[j...]
        var memo = [[Bool?]](repeating: [Bool?](repeating: nil, count: actual.count + 1), count: expected.count + 1)
        func match(_ i: Int, _ j: Int) -> Bool {
            if let known = memo[i][j] { return known }
            let result: Bool
            if i == expected.count {
                result = j == actual.count
            } else if expected[i] == wildcard {
                result = match(i + 1, j) || (j < actual.count && match(i, j + 1))
            } else {
                result = j < actual.count && expected[i] == actual[j] && match(i + 1, j + 1)
            }
            memo[i][j] = result
            return result
        }
        return match(0, 0)
    }

    static func trimTrailing(_ line: String) -> String {
        var slice = Substring(line)
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
