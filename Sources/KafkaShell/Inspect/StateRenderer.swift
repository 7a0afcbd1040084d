/// Renders a state subtree as indented `key: value` lines for `inspect`.
enum StateRenderer {
    static let maxListItems = 20

    static func render(_ deferredValue: StateValue, depth: Int) -> [String] {
        let value = deferredValue.resolved
        switch value {
        case .object(let pairs):
            return pairs.isEmpty ? ["{}"] : lines(pairs, depth: depth, indent: "")
        case .list(let items):
            if items.isEmpty { return ["[]"] }
            if items.allSatisfy(isScalar) { return [value.literal] }
            return listLines(items, depth: depth, indent: "")
        default:
            return [value.literal]
        }
    }

    private static func isScalar(_ value: StateValue) -> Bool {
        switch value.resolved {
        case .object: return false
        case .list(let items): return items.allSatisfy(isScalar)
        default: return true
        }
    }

    private static func summary(_ value: StateValue) -> String {
        switch value.resolved {
        case .object(let pairs):
            return "{\(pairs.count) key\(pairs.count == 1 ? "" : "s"): " + pairs.prefix(5).map(\.0).joined(separator: ", ") + (pairs.count > 5 ? ", …" : "") + "}"
        case .list(let items):
            return "[\(items.count) item\(items.count == 1 ? "" : "s")]"
        default:
            return value.literal
        }
    }

    private static func lines(_ pairs: [(String, StateValue)], depth: Int, indent: String) -> [String] {
        var result: [String] = []
        for (key, value) in pairs {
            if isScalar(value) {
                result.append("\(indent)\(key): \(value.literal)")
            } else if depth <= 1 {
                result.append("\(indent)\(key): \(summary(value))")
            } else if case .object(let inner) = value.resolved {
                result.append("\(indent)\(key):")
                result += inner.isEmpty ? ["\(indent)  {}"] : lines(inner, depth: depth - 1, indent: indent + "  ")
            } else if case .list(let items) = value.resolved {
                result.append("\(indent)\(key):")
                result += listLines(items, depth: depth - 1, indent: indent + "  ")
            }
        }
        return result
    }

    private static func listLines(_ items: [StateValue], depth: Int, indent: String) -> [String] {
        var result: [String] = []
        for (index, item) in items.prefix(maxListItems).enumerated() {
            if isScalar(item) || depth <= 1 {
                result.append("\(indent)[\(index)] \(isScalar(item) ? item.literal : summary(item))")
            } else if case .object(let pairs) = item.resolved {
                result.append("\(indent)[\(index)]")
                result += lines(pairs, depth: depth - 1, indent: indent + "  ")
            }
        }
        if items.count > maxListItems {
            result.append("\(indent)… \(items.count - maxListItems) more (index them: [\(maxListItems)], [-1])")
        }
        return result
    }
}
