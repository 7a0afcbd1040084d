/// `inspect` and `expect`: browse the session's state tree and assert on it.
enum InspectCommands {
    static let all: [Command] = [inspect, expect]

    static let inspect = Command(
        CommandSpec(
            "inspect", group: .inspect, abstract: "Browse the session's state: cluster, brokers, topics, partitions, events",
            discussion: "PATH walks the tree: topics.orders.partitions[0], brokers[1].alive, events[-1].\nThe same paths work in 'expect' and in lesson checks.",
            flags: [FlagSpec("depth", short: "d", value: "N", help: "how many levels to expand (default 2)")],
            positionals: [PositionalSpec("PATH", optional: true, help: "where to look, e.g. topics.orders.partitions")],
            examples: ["inspect", "inspect topics.orders", "inspect topics.orders.partitions.leader", "inspect topics[\"my.topic\"]"],
            positionalCompletion: .statePath, takesRawText: true)
    ) { arguments, session throws(ShellError) in
        let depth = try arguments.int("depth", in: 1...10) ?? 2
        let root = session.stateTree()
        guard arguments.positional(0) != nil else {
            return Output(StateRenderer.render(root, depth: 1))
        }
        // The path as typed (quotes kept, so topics["my.topic"] works), without the --depth option.
        let text = arguments.rawText.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            .reduce(into: (words: [String](), skipNext: false)) { state, word in
                if state.skipNext { state.skipNext = false; return }
                if word == "--depth" || word == "-d" { state.skipNext = true; return }
                if word.hasPrefix("--depth=") || (word.hasPrefix("-d") && word.count > 2 && word.dropFirst(2).allSatisfy(\.isNumber)) { return }
                state.words.append(word)
            }.words.joined(separator: " ").strippingShellQuotes
        let query: Query
        do throws(Query.ParseError) { query = try Query.parse(text) } catch { throw .failed("Invalid path '\(text)': \(error.description).") }
        do throws(QueryEvaluator.EvaluationError) {
            return Output(StateRenderer.render(try QueryEvaluator(root: root).value(of: query), depth: depth))
        } catch {
            throw .failed(error.description)
        }
    }

    static let expect = Command(
        CommandSpec(
            "expect", group: .inspect, abstract: "Check a prediction about the state: prints ✓ or ✗ with what was found",
            discussion: """
                Compare with == != < <= > >=, test membership with contains and in, combine with and, or, not.
                A field of a list maps over it (topics.orders.partitions.leader); lists have count, first, last,
                sum, min, max, distinct, sorted and where(condition); objects have count, keys and values.
                """,
            positionals: [PositionalSpec("EXPRESSION", variadic: true, help: "what should hold, e.g. topics.orders.partitionCount == 3")],
            examples: [
                "expect topics.orders.partitionCount == 3",
                "expect topics.orders.partitions.leader == [0, 1, 2]",
                "expect brokers.where(alive == false).count == 1",
            ],
            positionalCompletion: .statePath, takesRawText: true)
    ) { arguments, session throws(ShellError) in
        let text = arguments.rawText
        return session.check(text)
    }
}

extension Session {
    /// The state tree `inspect`, `expect` and lesson checks read.
    public func stateTree() -> StateValue {
        StateTree.build(self)
    }

    /// Evaluates one `expect` expression: ✓ when it holds, else ✗ with expected and found.
    public func check(_ text: String) -> Output {
        let query: Query
        do throws(Query.ParseError) { query = try Query.parse(text) } catch {
            let shown = text.count > 120 ? String(text.prefix(120)) + "…" : text
            return Output.failure("✗ \(shown) — invalid expression: \(error.description).")
        }
        let evaluator = QueryEvaluator(root: stateTree())
        do throws(QueryEvaluator.EvaluationError) {
            if try evaluator.holds(query) {
                var output = Output()
                output.append("✓ \(query)", style: .success)
                return output
            }
            return Output.failure("✗ \(query) — \(explanation(query, evaluator))")
        } catch {
            return Output.failure("✗ \(query) — \(error.description)")
        }
    }

    private func explanation(_ query: Query, _ evaluator: QueryEvaluator) -> String {
        let korean = options.lang == "ko"
        switch query {
        case .compare(let left, let op, let right):
            let found = (try? evaluator.value(of: left))?.literal ?? (korean ? "없음" : "nothing")
            let wanted = (try? evaluator.value(of: right))?.literal ?? (korean ? "없음" : "nothing")
            if korean {
                switch op {
                case .equal: return "기대한 값 \(wanted), 실제 값 \(found)"
                case .notEqual: return KoreanParticle.iGa.after(wanted) + " 아니어야 하는데 그 값이다"
                case .contains: return KoreanParticle.eulReul.after(wanted) + " 포함해야 하는데 실제 값은 \(found)"
                case .in: return "\(wanted) 중 하나여야 하는데 실제 값은 \(found)"
                default: return "\(op.rawValue) \(wanted)이어야 하는데 실제 값은 \(found)"
                }
            }
            switch op {
            case .equal: return "expected \(wanted), found \(found)"
            case .notEqual: return "expected anything but \(wanted), found it"
            case .contains: return "expected it to contain \(wanted), found \(found)"
            case .in: return "expected one of \(wanted), found \(found)"
            default: return "expected \(op.rawValue) \(wanted), found \(found)"
            }
        case .path:
            let found = (try? evaluator.value(of: query))?.literal ?? (korean ? "없음" : "nothing")
            return korean ? "참(또는 존재하고 비어 있지 않음)이어야 하는데 실제 값은 \(found)"
                : "expected it to be true (or to exist and not be empty), found \(found)"
        case .not(let inner):
            let found = (try? evaluator.value(of: inner))?.literal ?? (korean ? "없음" : "nothing")
            return korean ? "성립하지 않아야 하는데 실제 값은 \(found)" : "expected it not to hold, found \(found)"
        default:
            return korean ? "성립하지 않는다" : "it does not hold"
        }
    }
}

extension String {
    /// `'topics.a'` → `topics.a`: a path quoted for the shell is still a path.
    var strippingShellQuotes: String {
        count >= 2 && hasPrefix("'") && hasSuffix("'") ? String(dropFirst().dropLast()) : self
    }
}
