/// A plain-text table: columns padded to their widest cell, two spaces apart.
public struct Table: Sendable {
    public var headers: [String]
    public var rows: [[String]] = []

    public init(_ headers: [String]) {
        self.headers = headers
    }

    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table's lines; trailing spaces trimmed.
    public func render() -> [String] {
        // Widths in terminal columns: a Hangul title is twice as wide as its character count.
        var widths = headers.map { DisplayWidth.of($0) }
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], DisplayWidth.of(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                text += cell
                if index < cells.count - 1 { text += String(repeating: " ", count: widths[index] - DisplayWidth.of(cell) + 2) }
            }
            return text
        }
        return [line(headers)] + rows.map(line)
    }
}
