/// A unified diff of two short line lists (expected vs actual), by longest common subsequence.
public enum UnifiedDiff {
    public static func render(expected: [String], actual: [String], header: String) -> [String] {
        let a = expected.map(OutputMatcher.trimTrailing), b = actual.map(OutputMatcher.trimTrailing)
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var lines = ["--- expected", "+++ actual", "@@ \(header) @@"]
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                lines.append(" " + visible(a[i])); i += 1; j += 1
            } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                lines.append("-" + visible(a[i])); i += 1
            } else {
                lines.append("+" + visible(b[j])); j += 1
            }
        }
        return lines
    }

    /// Tabs shown as `→` so a tab/space mismatch is visible in the diff.
    static func visible(_ line: String) -> String {
        String(line.map { $0 == "\t" ? "→" : $0 })
    }
}
