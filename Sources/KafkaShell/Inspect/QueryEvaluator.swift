/// Evaluates queries against a state tree.
public struct QueryEvaluator {
    /// Why a query could not be evaluated: a path that leads nowhere, or a type mismatch.
    public struct EvaluationError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public let root: StateValue

    public init(root: StateValue) {
        self.root = root
    }

    /// The value of `query` (paths resolved from the root).
    public func value(of query: Query) throws(EvaluationError) -> StateValue {
        try evaluate(query, context: root)
    }

    /// Whether `query` holds.
    public func holds(_ query: Query) throws(EvaluationError) -> Bool {
        Self.truthy(try evaluate(query, context: root))
    }

    static func truthy(_ value: StateValue) -> Bool {
        switch value.resolved {
        case .null: return false
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .double(let number): return number != 0
        case .string(let text): return !text.isEmpty
        case .list(let items): return !items.isEmpty
        case .object, .deferred: return true
        }
    }

    private func evaluate(_ query: Query, context: StateValue) throws(EvaluationError) -> StateValue {
        switch query {
        case .literal(let value):
            return value
        case .path(let steps):
            // Inside where(…) a path starts at the element; at top level at the root.
            return try resolve(steps, from: context)
        case .compare(let left, let op, let right):
            return .bool(try compare(try evaluate(left, context: context), op, try evaluate(right, context: context)))
        case .and(let left, let right):
            guard Self.truthy(try evaluate(left, context: context)) else { return .bool(false) }
            return .bool(Self.truthy(try evaluate(right, context: context)))
        case .or(let left, let right):
            if Self.truthy(try evaluate(left, context: context)) { return .bool(true) }
            return .bool(Self.truthy(try evaluate(right, context: context)))
        case .not(let inner):
            return .bool(!Self.truthy(try evaluateLenient(inner, context: context)))
        }
    }

    /// `not path` is true when the path does not exist, so `not topics.payments` reads naturally.
    private func evaluateLenient(_ query: Query, context: StateValue) throws(EvaluationError) -> StateValue {
        if case .path = query {
            do { return try evaluate(query, context: context) } catch { return .null }
        }
        return try evaluate(query, context: context)
    }

    func resolve(_ steps: [Query.PathStep], from start: StateValue) throws(EvaluationError) -> StateValue {
        var current = start
        var walked: [Query.PathStep] = []
        for (index, step) in steps.enumerated() {
            current = try apply(step, to: current, walked: walked, rest: steps[(index + 1)...])
            walked.append(step)
        }
        return current
    }

    private func apply(_ step: Query.PathStep, to deferredValue: StateValue, walked: [Query.PathStep],
                       rest: ArraySlice<Query.PathStep> = []) throws(EvaluationError) -> StateValue {
        let value = deferredValue.resolved
        let here = walked.isEmpty ? "the top level" : "'\(Query.pathText(walked))'"
        switch step {
        case .key(let key):
            if case .object(let pairs) = value {
                if let found = pairs.first(where: { $0.0 == key }) { return found.1 }
                if let builtIn = objectBuiltIn(key, pairs) { return builtIn }
                let names = pairs.map(\.0)
                var hint = Suggestion.didYouMean(key, in: names)
                // `committed.hello.kafka-2` meant the key "hello.kafka-2": a key with dots needs brackets.
                var dotted = key
                for next in rest {
                    guard case .key(let part) = next else { break }
                    dotted += "." + part
                    if names.contains(dotted) {
                        let prefix = walked.isEmpty ? "" : Query.pathText(walked)
                        hint = " A name with dots needs brackets: \(prefix)[\"\(dotted)\"]."
                        break
                    }
                }
                let listing = names.isEmpty ? "it is empty" : "it has: " + names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : "")
                throw EvaluationError(message: "No '\(key)' under \(here) (\(listing)).\(hint)")
            }
            if case .list(let items) = value {
                if let builtIn = try listBuiltIn(key, items, here: here) { return builtIn }
                // A field of a list maps over the list's elements.
                var mapped: [StateValue] = []
                for item in items {
                    guard case .object(let pairs) = item.resolved else {
                        throw EvaluationError(message: "\(here) is a list of values, which have no field '\(key)'. Try count, first, last, sum, min, max, distinct, sorted or where(…).")
                    }
                    guard let found = pairs.first(where: { $0.0 == key }) else {
                        let hint = Suggestion.didYouMean(key, in: pairs.map(\.0))
                        throw EvaluationError(message: "The elements of \(here) have no field '\(key)' (they have: \(pairs.map(\.0).joined(separator: ", "))).\(hint)")
                    }
                    mapped.append(found.1)
                }
                return .list(mapped)
            }
            if case .string(let text) = value, key == "length" { return .int(text.count) }
            throw EvaluationError(message: "\(here) is \(value.kindName) (\(value.literal)), which has no '\(key)'.")
        case .index(let index):
            guard case .list(let items) = value else {
                throw EvaluationError(message: "\(here) is \(value.kindName), not a list, so [\(index)] does not apply.")
            }
            let resolved = index < 0 ? items.count + index : index
            guard resolved >= 0 && resolved < items.count else {
                throw EvaluationError(message: "Index [\(index)] is out of range: \(here) has \(items.count) element\(items.count == 1 ? "" : "s").")
            }
            return items[resolved]
        case .filter(let condition):
            guard case .list(let items) = value else {
                throw EvaluationError(message: "where(…) needs a list, but \(here) is \(value.kindName).")
            }
            var kept: [StateValue] = []
            for item in items where Self.truthy(try evaluateLenient(condition, context: item)) { kept.append(item) }
            return .list(kept)
        case .call(let name, let arguments):
            let field = try apply(.key(name), to: value, walked: walked)
            guard !arguments.isEmpty else { return field }
            var condition: Query?
            for (key, expected) in arguments {
                let part = Query.compare(.path([.key(key)]), .equal, expected)
                condition = condition.map { .and($0, part) } ?? part
            }
            return try apply(.filter(condition!), to: field, walked: walked + [.key(name)])
        }
    }

    private func objectBuiltIn(_ key: String, _ pairs: [(String, StateValue)]) -> StateValue? {
        switch key {
        case "count": return .int(pairs.count)
        case "keys": return .list(pairs.map { .string($0.0) })
        case "values": return .list(pairs.map(\.1))
        default: return nil
        }
    }

    private func listBuiltIn(_ key: String, _ items: [StateValue], here: String) throws(EvaluationError) -> StateValue? {
        switch key {
        case "count": return .int(items.count)
        case "first": return items.first ?? .null
        case "last": return items.last ?? .null
        case "distinct":
            var seen: [StateValue] = []
            for item in items where !seen.contains(item) { seen.append(item) }
            return .list(seen)
        case "sorted":
            return .list(items.sorted { Self.order($0, $1) == .orderedAscending })
        case "sum", "min", "max":
            var numbers: [Double] = []
            var allInts = true
            for item in items {
                switch item.resolved {
                case .int(let number): numbers.append(Double(number))
                case .double(let number): numbers.append(number); allInts = false
                default: throw EvaluationError(message: "\(key) needs numbers, but \(here) holds \(item.kindName).")
                }
            }
            let result: Double?
            switch key {
            case "sum": result = numbers.reduce(0, +)
            case "min": result = numbers.min()
            default: result = numbers.max()
            }
            guard let result else { return .null }
            return allInts ? .int(Int64(result)) : .double(result)
        default:
            return nil
        }
    }

    private enum Ordering { case orderedAscending, orderedSame, orderedDescending }

    private static func order(_ a: StateValue, _ b: StateValue) -> Ordering {
        switch (number(a), number(b)) {
        case (let x?, let y?): return x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
        default:
            let x = text(a), y = text(b)
            return x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
        }
    }

    private static func number(_ value: StateValue) -> Double? {
        switch value.resolved {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    private static func text(_ value: StateValue) -> String {
        if case .string(let text) = value.resolved { return text }
        return value.literal
    }

    private func compare(_ deferredLeft: StateValue, _ op: Query.Comparison, _ deferredRight: StateValue) throws(EvaluationError) -> Bool {
        let left = deferredLeft.resolved, right = deferredRight.resolved
        switch op {
        case .equal: return left == right
        case .notEqual: return left != right
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let bothNumbers = Self.number(left) != nil && Self.number(right) != nil
            let bothStrings: Bool = { if case .string = left, case .string = right { return true } else { return false } }()
            guard bothNumbers || bothStrings else {
                throw EvaluationError(message: "Cannot order \(left.kindName) (\(left.literal)) and \(right.kindName) (\(right.literal)) with \(op.rawValue).")
            }
            let ordering = Self.order(left, right)
            switch op {
            case .less: return ordering == .orderedAscending
            case .lessOrEqual: return ordering != .orderedDescending
            case .greater: return ordering == .orderedDescending
            default: return ordering != .orderedAscending
            }
        case .contains:
            switch left {
            case .list(let items): return items.contains(right)
            case .string(let text):
                guard case .string(let needle) = right else { return false }
                return text.contains(needle)
            case .object(let pairs):
                guard case .string(let key) = right else { return false }
                return pairs.contains { $0.0 == key }
            default:
                throw EvaluationError(message: "contains needs a list, a string or an object on its left, not \(left.kindName).")
            }
        case .in:
            return try compare(right, .contains, left)
        }
    }
}
