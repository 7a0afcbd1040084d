/// Makes text safe to print to a terminal: control characters in a learner's keys, values,
/// headers and names — or in a notebook someone sent — are shown escaped (`\e`, `\x07`, `\x9b`)
/// instead of being sent raw, where an escape sequence could clear the screen, retitle the
/// window or fake output. Tabs and line breaks stay as they are.
public enum VisibleText {
    public static func escaped(_ text: String) -> String {
        // Fast path: almost every line is plain.
        if !text.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A || $0 == 0x7F || $0 == 0xC2 }) { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A:
                result.unicodeScalars.append(scalar)
            case 0x1B:
                result += "\\e"
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
