import Foundation
import KafkaModel

/// `kafka-console-producer.sh`: one record per input line. In a script or notebook the lines
/// right after the command that start with `>` are its input (`>key1:value1`).
enum ConsoleProducerTool {
    static let all: [Command] = [tool]

    static let spec = CommandSpec(
        "kafka-console-producer.sh", aliases: ["bin/kafka-console-producer.sh", "./bin/kafka-console-producer.sh", "kafka-console-producer"],
        group: .kafkaTools, abstract: "Kafka's console producer: one record per input line",
        discussion: """
            In a notebook or a piped script, the lines after the command that start with '>' are its input,
            as tutorials print them; the first line without '>' ends it. At the kafkalab prompt it opens a
            '>' prompt: one record per line until Ctrl-D.
            Properties: parse.key=true with key.separator (default TAB), parse.headers=true
            (headers.delimiter TAB, headers.separator ',', headers.key.separator ':').
            """,
        flags: [
            FlagSpec("bootstrap-server", value: "HOST:PORT", help: "REQUIRED: the cluster to connect to"),
            FlagSpec("topic", value: "TOPIC", help: "REQUIRED: the topic to produce to"),
            FlagSpec("property", value: "KEY=VALUE", repeatable: true, help: "a line-reader property: parse.key, key.separator, parse.headers"),
            FlagSpec("producer-property", value: "KEY=VALUE", repeatable: true, help: "a producer config by Kafka's name: acks, enable.idempotence, retries, linger.ms, batch.size, partitioner.class, ..."),
            FlagSpec("request-required-acks", value: "ACKS", help: "acks of the requests (default -1, i.e. all)"),
            FlagSpec("sync", help: "send each line synchronously"),
        ],
        examples: ["kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=:"],
        flagCompletion: ["topic": .topic, "bootstrap-server": .fixed(["localhost:9092"]),
                         "property": .fixed(["parse.key=true", "key.separator=:", "parse.headers=true"]),
                         "producer-property": .fixed(["acks=all", "acks=1", "acks=0", "linger.ms=", "batch.size=", "partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner"])],
        optionParser: .joptsimple(report: .messageAndUsage, known: ["topic", "bootstrap-server", "sync", "compression-codec", "batch-size", "message-send-max-retries", "retry-backoff-ms", "timeout", "request-required-acks", "request-timeout-ms", "metadata-expiry-ms", "max-block-ms", "max-memory-bytes", "max-partition-memory-bytes", "line-reader", "socket-buffer-size", "property", "reader-config", "producer-property", "producer.config", "help", "version"]))

    static let tool = Command(spec) { arguments, session throws(ShellError) in
        try BootstrapServer.check(arguments.string("bootstrap-server"), session: session, tool: "kafka-console-producer.sh")
        guard let topic = arguments.string("topic") else { throw .toolFailure(["Missing required argument \"[topic]\""]) }
        let properties = try propertyMap(arguments.strings("property"))
        var config = ProducerConfig()
        config.lingerMs = 1000  // the console producer's --timeout default
        config.retries = 3  // --message-send-max-retries
        config.requestTimeoutMs = 1500  // --request-timeout-ms
        // An explicit --request-required-acks wins over --producer-property acks (`CommandLineUtils.maybeMergeOptions`).
        let producerProperties = try pairs(arguments.strings("producer-property"))
            + (arguments.string("request-required-acks").map { [("acks", $0)] } ?? [])
        do throws(ConfigException) {
            config = try config.applying(producerProperties).config
        } catch {
            throw .toolFailure([error.description])
        }
        config.retries = 0  // simulated time stands still within the command: a retriable error is reported at once
        guard session.cluster.topics[topic] != nil else {
            // Kafka 4.0 brokers auto-create topics on first produce; kafkalab asks for an explicit create.
            throw .toolFailure(["[kafkalab] Topic '\(topic)' does not exist (UNKNOWN_TOPIC_OR_PARTITION). Real Kafka may auto-create it (auto.create.topics.enable=true); here create it first: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic \(topic)"])
        }
        let format = LineFormat(properties)
        let name = "_console-producer"
        let input = session.pendingInput
        guard !input.isEmpty || session.options.interactive || session.inputMayFollow else {
            return Output(["(no input lines) In a notebook or piped script, put the records after the command as '>value' lines."], style: .dim)
        }
        // One record per line until the input ends (Ctrl-D at a terminal; the last `>` line in a
        // notebook or a pipe, which the session feeds in the same way).
        do throws(KafkaError) { try session.cluster.startProducer(name, config: config) } catch { throw ShellError(error) }
        var lineNumber = 0
        // Each line is sent as it is read, typed or piped alike (so a recording re-runs as typed),
        // and its partition and offset shown at once, as with the console producer's --sync.
        var buffered: [ProduceCommands.Outgoing] = []
        func sendBuffered(_ session: Session) -> Output {
            defer { buffered = [] }
            guard !buffered.isEmpty else { return Output() }
            return (try? ProduceCommands.sendThrough(buffered, topic: topic, producer: name, session: session)) ?? Output()
        }
        session.inputMode = Session.InputMode(
            prompt: ">",
            onLine: { line, session in
                lineNumber += 1
                switch format.parse(line, number: lineNumber) {
                case .success(let record):
                    buffered.append(record)
                    return sendBuffered(session)
                case .failure(let message):
                    // Kafka's console producer stops at a malformed line.
                    var output = sendBuffered(session)
                    session.inputMode = nil
                    try? session.cluster.closeProducer(name)
                    output.append("org.apache.kafka.common.KafkaException: \(message.text)", style: .failure)
                    output.failed = true
                    return output
                }
            },
            onEnd: { session in
                var output = sendBuffered(session)
                try? session.cluster.closeProducer(name)
                if lineNumber == 0 && !session.options.interactive {
                    output.append("(no input lines) In a notebook or piped script, put the records after the command as '>value' lines.", style: .dim)
                }
                return output
            })
        guard input.isEmpty && session.options.interactive else { return Output() }
        return Output(["Type one record per line\(format.parseKey ? " as KEY\(format.keySeparator == "\t" ? "<TAB>" : format.keySeparator)VALUE" : ""); Ctrl-D ends."], style: .terminalOnly)
    }

    /// How the console producer's line reader splits a line (`parse.key`, `parse.headers` and their separators).
    struct LineFormat {
        struct Problem: Error { let text: String }

        let parseKey: Bool
        let parseHeaders: Bool
        let keySeparator: String
        let headersDelimiter: String
        let headersSeparator: String
        let headerKeySeparator: String

        init(_ properties: [String: String]) {
            parseKey = properties["parse.key"] == "true"
            parseHeaders = properties["parse.headers"] == "true"
            keySeparator = properties["key.separator"].map(unescape) ?? "\t"
            headersDelimiter = properties["headers.delimiter"].map(unescape) ?? "\t"
            headersSeparator = properties["headers.separator"].map(unescape) ?? ","
            headerKeySeparator = properties["headers.key.separator"].map(unescape) ?? ":"
        }

        func parse(_ line: String, number: Int) -> Result<ProduceCommands.Outgoing, Problem> {
            var rest = Substring(line)
            var headers: [RecordHeader] = []
            if parseHeaders {
                guard let range = rest.range(of: headersDelimiter) else {
                    return .failure(Problem(text: "No headers delimiter found on line number \(number): '\(line)'"))
                }
                for part in rest[..<range.lowerBound].components(separatedBy: headersSeparator) where !part.isEmpty {
                    if let sep = part.range(of: headerKeySeparator) {
                        headers.append(RecordHeader(key: String(part[..<sep.lowerBound]), value: Array(part[sep.upperBound...].utf8)))
                    } else {
                        headers.append(RecordHeader(key: part, value: nil))
                    }
                }
                rest = rest[range.upperBound...]
            }
            var key: [UInt8]?
            if parseKey {
                guard let range = rest.range(of: keySeparator) else {
                    return .failure(Problem(text: "No key separator found on line number \(number): '\(line)'"))
                }
                key = Array(rest[..<range.lowerBound].utf8)
                rest = rest[range.upperBound...]
            }
            return .success(.init(key: key, value: Array(rest.utf8), headers: headers))
        }
    }

    static func invalid(_ key: String, _ value: String, _ reason: String) -> ShellError {
        .toolFailure(["org.apache.kafka.common.config.ConfigException: Invalid value \(value) for configuration \(key): \(reason)"])
    }

    /// `KEY=VALUE` words; a word without `=` is Kafka's error.
    static func pairs(_ words: [String]) throws(ShellError) -> [(String, String)] {
        var result: [(String, String)] = []
        for word in words {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw .toolFailure(["Invalid property '\(word)': expected KEY=VALUE."])
            }
            result.append((String(word[..<equals]), String(word[word.index(after: equals)...])))
        }
        return result
    }

    static func propertyMap(_ words: [String]) throws(ShellError) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in try pairs(words) { result[key] = value }
        return result
    }

    /// `\t` and `\n` as typed in a property value.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\t", with: "\t").replacingOccurrences(of: "\\n", with: "\n")
    }
}
