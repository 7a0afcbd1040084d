/// Kafka 4.0's topic-level configs: names, defaults and validation, as `LogConfig`
/// defines them. Values are kept as strings, exactly as a learner typed them.
public enum TopicConfigDefinitions {
    /// What kind of value a config takes, with its allowed range.
    public enum ValueKind: Sendable, Equatable {
        case long(min: Int64?, max: Int64?)
        case int(min: Int64?, max: Int64?)
        case double(min: Double, max: Double)
        case boolean
        case oneOf([String])
        case listOf([String])
        case list
    }

    /// One topic config.
    public struct Definition: Sendable {
        public let name: String
        public let defaultValue: String
        public let kind: ValueKind
        public let doc: String
    }

    private static let longMax = "9223372036854775807"

    /// Every topic config, in Kafka's alphabetical order.
    public static let all: [Definition] = [
        .init(name: "cleanup.policy", defaultValue: "delete", kind: .listOf(["compact", "delete"]),
              doc: "delete old segments (delete), keep the newest record per key (compact), or both"),
        .init(name: "compression.gzip.level", defaultValue: "-1", kind: .int(min: -1, max: 9), doc: "gzip level"),
        .init(name: "compression.lz4.level", defaultValue: "9", kind: .int(min: 1, max: 17), doc: "lz4 level"),
        .init(name: "compression.type", defaultValue: "producer",
              kind: .oneOf(["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"]), doc: "final compression of the topic's batches"),
        .init(name: "compression.zstd.level", defaultValue: "3", kind: .int(min: -131_072, max: 22), doc: "zstd level"),
        .init(name: "delete.retention.ms", defaultValue: "86400000", kind: .long(min: 0, max: nil),
              doc: "how long tombstones stay after compaction reaches them"),
        .init(name: "file.delete.delay.ms", defaultValue: "60000", kind: .long(min: 0, max: nil), doc: "delay before a deleted segment's files go"),
        .init(name: "flush.messages", defaultValue: longMax, kind: .long(min: 1, max: nil), doc: "fsync every N messages"),
        .init(name: "flush.ms", defaultValue: longMax, kind: .long(min: 0, max: nil), doc: "fsync every N ms"),
        .init(name: "follower.replication.throttled.replicas", defaultValue: "", kind: .list, doc: "throttled follower replicas"),
        .init(name: "index.interval.bytes", defaultValue: "4096", kind: .int(min: 0, max: nil), doc: "bytes between offset index entries"),
        .init(name: "leader.replication.throttled.replicas", defaultValue: "", kind: .list, doc: "throttled leader replicas"),
        .init(name: "local.retention.bytes", defaultValue: "-2", kind: .long(min: -2, max: nil), doc: "local retention with tiered storage"),
        .init(name: "local.retention.ms", defaultValue: "-2", kind: .long(min: -2, max: nil), doc: "local retention with tiered storage"),
        .init(name: "max.compaction.lag.ms", defaultValue: longMax, kind: .long(min: 1, max: nil), doc: "longest a record stays uncompacted"),
        .init(name: "max.message.bytes", defaultValue: "1048588", kind: .int(min: 0, max: nil), doc: "largest record batch the topic accepts"),
        .init(name: "message.timestamp.after.max.ms", defaultValue: "3600000", kind: .long(min: 0, max: nil),
              doc: "how far in the future a record's timestamp may be"),
        .init(name: "message.timestamp.before.max.ms", defaultValue: longMax, kind: .long(min: 0, max: nil),
              doc: "how far in the past a record's timestamp may be"),
        .init(name: "message.timestamp.type", defaultValue: "CreateTime", kind: .oneOf(["CreateTime", "LogAppendTime"]),
              doc: "the producer's timestamp (CreateTime) or the broker's (LogAppendTime)"),
        .init(name: "min.cleanable.dirty.ratio", defaultValue: "0.5", kind: .double(min: 0, max: 1),
              doc: "dirty share of the log that starts the cleaner"),
        .init(name: "min.compaction.lag.ms", defaultValue: "0", kind: .long(min: 0, max: nil), doc: "shortest a record stays uncompacted"),
        .init(name: "min.insync.replicas", defaultValue: "1", kind: .int(min: 1, max: nil),
              doc: "replicas that must have a record before acks=all succeeds"),
        .init(name: "preallocate", defaultValue: "false", kind: .boolean, doc: "preallocate segment files"),
        .init(name: "remote.log.copy.disable", defaultValue: "false", kind: .boolean, doc: "stop copying to tiered storage"),
        .init(name: "remote.log.delete.on.disable", defaultValue: "false", kind: .boolean, doc: "delete tiered data when disabled"),
        .init(name: "remote.storage.enable", defaultValue: "false", kind: .boolean, doc: "tiered storage"),
        .init(name: "retention.bytes", defaultValue: "-1", kind: .long(min: nil, max: nil),
              doc: "largest a partition grows before old segments are deleted (-1: no limit)"),
        .init(name: "retention.ms", defaultValue: "604800000", kind: .long(min: -1, max: nil),
              doc: "how long segments are kept (-1: forever)"),
        .init(name: "segment.bytes", defaultValue: "1073741824", kind: .int(min: 14, max: nil), doc: "size at which a segment rolls"),
        .init(name: "segment.index.bytes", defaultValue: "10485760", kind: .int(min: 4, max: nil), doc: "size of a segment's offset index"),
        .init(name: "segment.jitter.ms", defaultValue: "0", kind: .long(min: 0, max: nil), doc: "random jitter on segment.ms"),
        .init(name: "segment.ms", defaultValue: "604800000", kind: .long(min: 1, max: nil), doc: "age at which a segment rolls"),
        .init(name: "unclean.leader.election.enable", defaultValue: "false", kind: .boolean,
              doc: "let an out-of-sync replica become leader (may lose data)"),
    ]

    private static let byName: [String: Definition] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The definition of `name`, if Kafka has a topic config by that name.
    public static func definition(_ name: String) -> Definition? { byName[name] }

    /// Checks `value` for config `name`; throws Kafka's `INVALID_CONFIG` message.
    public static func validate(name: String, value: String) throws(KafkaError) {
        guard let definition = byName[name] else {
            throw .invalidConfiguration("Unknown topic config name: \(name)")
        }
        let fail: (String) -> KafkaError = { reason in
            .invalidConfiguration("Invalid value \(value) for configuration \(name): \(reason)")
        }
        let trimmed = value.trimmingSpaces
        switch definition.kind {
        case .long(let min, let max), .int(let min, let max):
            let isInt: Bool = { if case .int = definition.kind { return true } else { return false } }()
            guard let number = Int64(trimmed), !isInt || (Int64(Int32.min)...Int64(Int32.max)).contains(number) else {
                throw fail("Not a number of type \(isInt ? "INT" : "LONG")")
            }
            if let min, number < min { throw fail("Value must be at least \(min)") }
            if let max, number > max { throw fail("Value must be no more than \(max)") }
        case .double(let min, let max):
            guard let number = Double(trimmed) else { throw fail("Not a number of type DOUBLE") }
            if number < min { throw fail("Value must be at least \(formatDouble(min))") }
            if number > max { throw fail("Value must be no more than \(formatDouble(max))") }
        case .boolean:
            guard ["true", "false"].contains(trimmed.lowercased()) else { throw fail("Expected value to be either true or false") }
        case .oneOf(let allowed):
            guard allowed.contains(trimmed) else { throw fail("String must be one of: \(allowed.joined(separator: ", "))") }
        case .listOf(let allowed):
            let items = trimmed.split(separator: ",").map { String($0).trimmingSpaces }
            guard !items.isEmpty else { throw fail("Empty value not allowed for \(name); allowed values: \(allowed.joined(separator: ", "))") }
            for item in items where !allowed.contains(item) {
                throw .invalidConfiguration("Invalid value \(item) for configuration \(name): String must be one of: \(allowed.joined(separator: ", "))")
            }
        case .list:
            break
        }
    }

    private static func formatDouble(_ value: Double) -> String {
        value == Double(Int64(value)) ? String(format1: value) : String(value)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }

    /// `1.0` for 1 (Java's `Double.toString`).
    init(format1 value: Double) {
        self = "\(Int64(value)).0"
    }
}
