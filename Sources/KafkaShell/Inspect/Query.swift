/// The query language of `inspect` and `expect`, the language lesson checks are written in.
///
/// ```
/// topics.orders.partitionCount == 3
/// topics.orders.partitions[0].leader == 1
/// topics.orders.partitions.leader == [0, 1, 2]          # a field of a list maps over it
/// topics.orders.partitions.where(leader == 1).count >= 1
/// brokers.where(alive == false).id == [2]
/// events.type contains "TopicCreated"
/// topics.keys contains "orders" and not topics.payments
/// ```
///
/// A path walks the state tree: `.name` reads an object's key (or maps over a list),
/// `[n]` indexes a list (negative from the end) and `["a.b"]` reads a key that is not an
/// identifier. Built-ins on lists: `count`, `first`, `last`, `sum`, `min`, `max`,
/// `distinct`, `sorted`, `where(condition)`; on objects: `count`, `keys`, `values`; on
/// strings: `length`. `name(key: value, …)` is `name.where(key == value and …)`.
/// Operators: `== != < <= > >= contains in`, joined with `and`, `or`, `not`, parentheses.
/// A bare path is true when it exists and is not false, null, 0 or empty.
public indirect enum Query: Equatable, Sendable {
    case literal(StateValue)
    case path([PathStep])
    case compare(Query, Comparison, Query)
    case and(Query, Query)
    case or(Query, Query)
    case not(Query)

    /// One step of a path.
    public enum PathStep: Equatable, Sendable {
        case key(String)
        case index(Int)
        case filter(Query)
        case call(String, [(String, Query)])

        public static func == (lhs: PathStep, rhs: PathStep) -> Bool {
            switch (lhs, rhs) {
            case (.key(let a), .key(let b)): return a == b
            case (.index(let a), .index(let b)): return a == b
            case (.filter(let a), .filter(let b)): return a == b
            case (.call(let a, let x), .call(let b, let y)):
                return a == b && x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: return false
            }
        }
    }

    public enum Comparison: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case contains, `in`
    }

    /// Why a query did not parse: the message names the column and what was expected.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public let column: Int
        public var description: String { "\(message) (at column \(column))" }
    }

    /// Parses query text.
    public static func parse(_ text: String) throws(ParseError) -> Query {
        var parser = QueryParser(text)
        return try parser.parseAll()
    }
}

/// The text spelling of queries, used to echo a check back to the learner.
extension Query: CustomStringConvertible {
    public var description: String {
        switch self {
        case .literal(let value): return value.literal
        case .path(let steps): return Query.pathText(steps)
        case .compare(let left, let op, let right): return "\(left) \(op.rawValue) \(right)"
        case .and(let left, let right): return "\(left) and \(right)"
        case .or(let left, let right): return "(\(left) or \(right))"
        case .not(let inner): return "not \(inner)"
        }
    }

    static func pathText(_ steps: [PathStep]) -> String {
        var text = ""
        for step in steps {
            switch step {
            case .key(let key):
                if QueryParser.isIdentifier(key) {
                    text += (text.isEmpty ? "" : ".") + key
                } else {
                    text += "[\"\(key.replacingQuotes)\"]"
                }
            case .index(let index): text += "[\(index)]"
            case .filter(let condition): text += ".where(\(condition))"
            case .call(let name, let arguments):
                text += (text.isEmpty ? "" : ".") + name + "(" + arguments.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + ")"
            }
        }
        return text
    }
}
