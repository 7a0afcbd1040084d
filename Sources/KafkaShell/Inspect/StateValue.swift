/// A node of the session's state tree, which `inspect` shows and `expect` queries.
public indirect enum StateValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([StateValue])
    /// Keys in a meaningful order (not sorted alphabetically).
    case object([(String, StateValue)])
    /// A subtree computed only when a query or `inspect` reaches it, so checks on a big
    /// session stay fast.
    case deferred(Deferred)

    /// A lazily computed subtree, computed at most once.
    public final class Deferred: @unchecked Sendable {
        private let make: () -> StateValue
        private var cached: StateValue?
        public init(_ make: @escaping () -> StateValue) { self.make = make }
        public var value: StateValue {
            if let cached { return cached }
            let made = make().resolved
            cached = made
            return made
        }
    }

    /// A subtree computed on first use.
    public static func later(_ make: @escaping () -> StateValue) -> StateValue { .deferred(Deferred(make)) }

    /// The value with any deferral at its top computed.
    public var resolved: StateValue {
        if case .deferred(let deferred) = self { return deferred.value }
        return self
    }

    public static func == (lhs: StateValue, rhs: StateValue) -> Bool {
        switch (lhs.resolved, rhs.resolved) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public static func int(_ value: Int) -> StateValue { .int(Int64(value)) }

    public static func ints(_ values: [Int]) -> StateValue { .list(values.map { .int(Int64($0)) }) }

    /// The value under `key` of an object.
    public subscript(key: String) -> StateValue? {
        guard case .object(let pairs) = resolved else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// The literal spelling used in `expect` and in messages: `3`, `"orders"`, `[0,1,2]`.
    public var literal: String {
        switch resolved {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return "\"" + value.replacingQuotes + "\""
        case .list(let items):
            let shown = items.prefix(20).map(\.literal).joined(separator: ", ")
            return "[" + shown + (items.count > 20 ? ", … \(items.count - 20) more" : "") + "]"
        case .object(let pairs):
            let shown = pairs.prefix(8).map { "\($0.0): \($0.1.literal)" }.joined(separator: ", ")
            return "{" + shown + (pairs.count > 8 ? ", … \(pairs.count - 8) more" : "") + "}"
        case .deferred: return resolved.literal
        }
    }

    /// A short description of the kind of value, for messages.
    public var kindName: String {
        switch resolved {
        case .null: return "nothing"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .list(let items): return "a list of \(items.count)"
        case .object: return "an object"
        case .deferred: return resolved.kindName
        }
    }
}

extension String {
    var replacingQuotes: String {
        var text = ""
        for character in self {
            switch character {
            case "\"", "\\": text.append("\\"); text.append(character)
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            default: text.append(character)
            }
        }
        return text
    }
}
