import KafkaModel

extension Session {
    /// What Tab offers for `word` at the end of `lineBeforeCursor`: command names, sub-commands,
    /// option names, and live names from the session (topics, brokers, config keys, state paths).
    public func completions(lineBeforeCursor: String, word: String) -> [String] {
        let before = String(lineBeforeCursor.dropLast(word.count))
        let words = (try? Tokenizer.tokenize(before)) ?? before.split(separator: " ").map(String.init)
        let candidates: [String]
        if words.isEmpty {
            candidates = registry.firstWords
        } else if let (command, used) = registry.find(words) {
            candidates = argumentCompletions(command.spec, Array(words.dropFirst(used)), word: word)
        } else if words.count == 1 {
            candidates = registry.subcommands(of: words[0])
        } else {
            candidates = []
        }
        var seen = Set<String>()
        return candidates.filter { $0.hasPrefix(word) && seen.insert($0).inserted }
    }

    private func argumentCompletions(_ spec: CommandSpec, _ arguments: [String], word: String) -> [String] {
        if word.hasPrefix("-") {
            let given = Set(arguments)
            return spec.flags.filter { $0.repeatable || !given.contains("--\($0.name)") }.map { "--\($0.name)" }
        }
        if let last = arguments.last, last.hasPrefix("-"),
            let flag = spec.flags.first(where: { "--\($0.name)" == last || $0.short.map { "-\($0)" } == last }), flag.takesValue
        {
            return values(spec.flagCompletion[flag.name] ?? .none, word: word)
        }
        return values(spec.positionalCompletion, word: word)
    }

    private func values(_ kind: CompletionKind, word: String) -> [String] {
        switch kind {
        case .none: return []
        case .topic: return cluster.topicNames
        case .topicPartition:
            return cluster.topicNames.flatMap { name in [name] + cluster.topics[name]!.partitions.indices.map { "\(name)-\($0)" } }
        case .producer: return cluster.producerNames
        case .broker: return cluster.brokers.map { String($0.id) }
        case .configKey: return TopicConfigDefinitions.all.map { "\($0.name)=" }
        case .fixed(let values): return values
        case .commandName: return registry.firstWords
        case .statePath: return statePathCompletions(word)
        case .group: return cluster.groupIds
        case .consumer: return cluster.consumerNames
        case .lesson, .file: return completionSources[kind == .lesson ? "lesson" : "file"]?(word) ?? []
        }
    }

    /// Completes a state path one segment at a time: `topics.or` → `topics.orders`.
    private func statePathCompletions(_ word: String) -> [String] {
        guard let dot = word.lastIndex(of: ".") else {
            if case .object(let pairs) = stateTree() { return pairs.map(\.0) }
            return []
        }
        let prefix = String(word[..<dot])
        guard let query = try? Query.parse(prefix), let value = try? QueryEvaluator(root: stateTree()).value(of: query) else {
            return []
        }
        let keys: [String]
        switch value.resolved {
        case .object(let pairs): keys = pairs.map(\.0) + ["count", "keys", "values"]
        case .list(let items):
            var fields: [String] = []
            if case .object(let pairs)? = items.first?.resolved { fields = pairs.map(\.0) }
            keys = fields + ["count", "first", "last", "distinct", "sorted", "sum", "min", "max", "where("]
        default: keys = []
        }
        return keys.map { QueryParser.isIdentifier($0) ? "\(prefix).\($0)" : "\(prefix)[\"\($0)\"]" }
    }
}
