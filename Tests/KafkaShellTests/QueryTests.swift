import Testing
@testable import KafkaShell

@Suite("The inspect/expect query language")
struct QueryTests {
    let tree: StateValue = .object([
        ("topics", .object([
            ("orders", .object([
                ("partitionCount", .int(3)),
                ("partitions", .list([
                    .object([("partition", .int(0)), ("leader", .int(1)), ("isr", .ints([1, 2]))]),
                    .object([("partition", .int(1)), ("leader", .int(2)), ("isr", .ints([2, 0]))]),
                    .object([("partition", .int(2)), ("leader", .null), ("isr", .ints([2]))]),
                ])),
            ])),
            ("my.topic", .object([("partitionCount", .int(1))])),
        ])),
        ("names", .list([.string("b"), .string("a"), .string("b")])),
        ("flag", .bool(false)),
    ])

    func holds(_ text: String) throws -> Bool {
        try QueryEvaluator(root: tree).holds(try Query.parse(text))
    }

    func value(_ text: String) throws -> StateValue {
        try QueryEvaluator(root: tree).value(of: try Query.parse(text))
    }

    @Test("Paths, indexes, quoted keys and built-ins")
    func paths() throws {
        #expect(try value("topics.orders.partitionCount") == .int(3))
        #expect(try value("topics.orders.partitions[1].leader") == .int(2))
        #expect(try value("topics.orders.partitions[-1].partition") == .int(2))
        #expect(try value("topics[\"my.topic\"].partitionCount") == .int(1))
        #expect(try value("topics.count") == .int(2))
        #expect(try value("topics.keys") == .list([.string("orders"), .string("my.topic")]))
        #expect(try value("topics.orders.partitions.leader") == .list([.int(1), .int(2), .null]))
        #expect(try value("names.distinct.sorted") == .list([.string("a"), .string("b")]))
        #expect(try value("topics.orders.partitions.partition.sum") == .int(3))
        #expect(try value("topics.orders.partitions.partition.max") == .int(2))
        #expect(try value("names.first.length") == .int(1))
    }

    @Test("Filters and the call shorthand")
    func filters() throws {
        #expect(try value("topics.orders.partitions.where(leader == 2).partition") == .ints([1]))
        #expect(try value("topics.orders.partitions(leader: 1).count") == .int(1))
        #expect(try value("topics.orders.partitions.where(isr contains 2 and leader != null).count") == .int(2))
        #expect(try holds("topics.orders.partitions.where(leader == null).count == 1"))
    }

    @Test("Comparisons and logic")
    func logic() throws {
        #expect(try holds("topics.orders.partitionCount == 3"))
        #expect(try holds("topics.orders.partitionCount >= 2 and topics.orders.partitionCount < 4"))
        #expect(try holds("not flag"))
        #expect(try holds("not topics.payments"))
        #expect(try holds("flag or topics.orders"))
        #expect(try holds("\"orders\" in topics.keys"))
        #expect(try holds("topics contains \"orders\""))
        #expect(try holds("names contains \"a\""))
        #expect(try holds("topics.orders.partitions[0].isr == [1, 2]"))
        #expect(try !holds("topics.orders.partitionCount != 3"))
        #expect(try holds("(flag or true) and 1_000 == 1000"))
    }

    @Test("Round trip: the printed form parses to the same query")
    func roundTrip() throws {
        for text in ["topics.orders.partitions.where(leader == 1).count >= 1", "topics[\"my.topic\"].partitionCount == 1",
                     "not topics.x and (a or b)", "topics.orders.records(key: \"k\").count == 2"] {
            let query = try Query.parse(text)
            #expect(try Query.parse(query.description) == query)
        }
    }

    @Test("Helpful errors for paths that lead nowhere")
    func evaluationErrors() throws {
        func error(_ text: String) -> String {
            do { _ = try value(text); return "no error" } catch { return "\(error)" }
        }
        #expect(error("topics.ordres") == "No 'ordres' under 'topics' (it has: orders, my.topic). Did you mean 'orders'?")
        #expect(error("topics.orders.partitions[5]") == "Index [5] is out of range: 'topics.orders.partitions' has 3 elements.")
        #expect(error("topics.orders.partitionCount.x").contains("is a number (3), which has no 'x'"))
        #expect(error("topics.orders.partitions.lead").contains("Did you mean 'leader'?"))
    }

    @Test("Syntax errors name the column", arguments: ["", "topics.", "a = 1", "a == ", "a == \"x", "a[", "a.where(b == 1", "a == 1 1"])
    func syntaxErrors(_ text: String) {
        #expect(throws: Query.ParseError.self) { try Query.parse(text) }
    }
}

@Suite("Query limits")
struct QueryLimitTests {
    /// The hostile expressions, built in the test (a megabyte-long argument would flood the test log).
    static func hostile(_ kind: String) -> String {
        switch kind {
        case "parentheses": return "expect " + String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)
        case "not": return "expect " + String(repeating: "not ", count: 200_000) + "true"
        case "and": return "expect " + Array(repeating: "true", count: 100_000).joined(separator: " and ")
        case "lists": return "expect " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + " == 1"
        default: return "expect " + String(repeating: "topics.where(", count: 3_000) + "true" + String(repeating: ")", count: 3_000)
        }
    }

    @Test("Deep nesting, long not-chains and huge and-chains are refused in one line, never a stack overflow",
          arguments: ["parentheses", "not", "and", "lists", "where"])
    func bounded(_ kind: String) {
        let line = Self.hostile(kind)
        let output = Session().execute(line)
        #expect(output.failed)
        #expect(output.texts.count == 1)
        #expect(output.texts[0].count < 400, "the error does not echo the whole expression")
    }

    @Test("Ordinary expressions stay within the limits")
    func ordinary() {
        let session = Session()
        _ = session.execute("topic create t -p 3")
        let terms = Array(repeating: "topics.t.partitionCount == 3", count: 100).joined(separator: " and ")
        #expect(!session.execute("expect " + terms).failed)
        #expect(!session.execute("expect " + String(repeating: "(", count: 30) + "true" + String(repeating: ")", count: 30)).failed)
    }
}
