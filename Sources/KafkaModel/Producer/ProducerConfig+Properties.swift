/// A producer config that Kafka's `ConfigDef` or `ProducerConfig` refuses, with the Java client's text.
public struct ConfigException: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exception's message, e.g. `Must set acks to all in order to use the idempotent producer. …`.
    public let message: String

    public init(_ message: String) { self.message = message }

    /// `ConfigException(name, value, message)`: `Invalid value V for configuration N: message`.
    public init(name: String, value: String, _ reason: String) {
        self.message = "Invalid value \(value) for configuration \(name): \(reason)"
    }

    public var description: String { "org.apache.kafka.common.config.ConfigException: \(message)" }
}

/// A line the Java producer logs while it settles its config (`ProducerConfig.postProcessParsedConfig`,
/// `KafkaProducer.configureDeliveryTimeout`), Kafka's own words.
public struct ProducerConfigNotice: Sendable, Equatable {
    public enum Level: String, Sendable { case info = "INFO", warn = "WARN" }
    public let level: Level
    public let message: String
}

extension ProducerConfig {
    /// The producer configs kafkalab's producers read, as Kafka names them.
    public static let propertyNames = [
        "acks", "batch.size", "delivery.timeout.ms", "enable.idempotence", "linger.ms", "max.block.ms",
        "max.in.flight.requests.per.connection", "partitioner.class", "request.timeout.ms", "retries", "retry.backoff.max.ms",
        "retry.backoff.ms", "transaction.timeout.ms", "transactional.id",
    ]

    /// Applies `properties` (Kafka's config names; later ones win) over `self` and settles them as the Java producer
    /// does: each value is parsed and range-checked (`ConfigDef`), then idempotence is checked against `acks`,
    /// `retries` and `max.in.flight.requests.per.connection` — an explicit `enable.idempotence=true` that conflicts is a
    /// `ConfigException`, the default one is turned off with an INFO line; then `delivery.timeout.ms` against
    /// `linger.ms + request.timeout.ms`. Names kafkalab does not read get a WARN line, as Kafka's `logUnused` gives them.
    public func applying(_ properties: [(String, String)]) throws(ConfigException) -> (config: ProducerConfig, notices: [ProducerConfigNotice]) {
        var config = self
        var given: Set<String> = []
        var unused: [String] = []
        for (name, raw) in properties {
            let value = raw.trimmingCharacters(in: .whitespaces)
            given.insert(name)
            switch name {
            case "acks":
                guard let acks = Acks(configValue: value) else { throw ConfigException(name: name, value: raw, "String must be one of: all, -1, 0, 1") }
                config.acks = acks
            case "enable.idempotence":
                switch value.lowercased() {
                case "true": config.enableIdempotence = true
                case "false": config.enableIdempotence = false
                default: throw ConfigException(name: name, value: raw, "Expected value to be either true or false")
                }
            case "retries": config.retries = try Self.int(name, raw, atLeast: 0)
            case "max.in.flight.requests.per.connection": config.maxInFlightRequestsPerConnection = try Self.int(name, raw, atLeast: 1)
            case "batch.size": config.batchSize = try Self.int(name, raw, atLeast: 0)
            case "delivery.timeout.ms": config.deliveryTimeoutMs = Int64(try Self.int(name, raw, atLeast: 0))
            case "request.timeout.ms": config.requestTimeoutMs = Int64(try Self.int(name, raw, atLeast: 0))
            case "transaction.timeout.ms": config.transactionTimeoutMs = Int64(try Self.int(name, raw, atLeast: Int(Int32.min)))
            case "linger.ms": config.lingerMs = try Self.long(name, raw, atLeast: 0)
            case "retry.backoff.ms": config.retryBackoffMs = try Self.long(name, raw, atLeast: 0)
            case "retry.backoff.max.ms": config.retryBackoffMaxMs = try Self.long(name, raw, atLeast: 0)
            case "max.block.ms": config.maxBlockMs = try Self.long(name, raw, atLeast: 0)
            case "transactional.id": config.transactionalId = value.isEmpty ? nil : value
            case "partitioner.class":
                // RoundRobinPartitioner is the only partitioner class 4.0 ships (KAFKA-18262 deleted the others).
                guard value == Self.roundRobinPartitionerClass else { throw ConfigException(name: name, value: value, "Class \(value) could not be found.") }
                config.partitioner = .roundRobin
            default:
                if !unused.contains(name) { unused.append(name) }
            }
        }
        var notices: [ProducerConfigNotice] = []
        if !unused.isEmpty {
            // `AbstractConfig.logUnused`: Kafka names what it did not read rather than refusing it.
            notices.append(ProducerConfigNotice(level: .warn, message: "These configurations '[\(unused.joined(separator: ", "))]' were supplied but are not used yet."))
        }
        try config.settleIdempotence(explicit: given.contains("enable.idempotence"), transactional: given.contains("transactional.id"),
                                     notices: &notices)
        let lingerAndRequestTimeoutMs = min(config.lingerMs + config.requestTimeoutMs, Int64(Int32.max))
        if config.deliveryTimeoutMs < lingerAndRequestTimeoutMs {
            guard !given.contains("delivery.timeout.ms") else {
                throw ConfigException("delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms")
            }
            config.deliveryTimeoutMs = lingerAndRequestTimeoutMs
            notices.append(ProducerConfigNotice(level: .warn, message: "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms. Setting it to \(lingerAndRequestTimeoutMs)."))
        }
        return (config, notices)
    }

    /// `ProducerConfig.postProcessAndValidateIdempotenceConfigs` (4.0.0): a max.in.flight above 5 is an error even
    /// when idempotence is only the default (4.0 made the old warning an error).
    private mutating func settleIdempotence(explicit: Bool, transactional: Bool, notices: inout [ProducerConfigNotice]) throws(ConfigException) {
        var disable = false
        if enableIdempotence {
            if retries == 0 {
                if explicit { throw ConfigException("Must set retries to non-zero when using the idempotent producer.") }
                notices.append(ProducerConfigNotice(level: .info, message: "Idempotence will be disabled because retries is set to 0."))
                disable = true
            }
            if acks != .all {
                if explicit {
                    throw ConfigException("Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.")
                }
                notices.append(ProducerConfigNotice(level: .info, message: "Idempotence will be disabled because acks is set to \(acks.rawValue), not set to 'all'."))
                disable = true
            }
            if maxInFlightRequestsPerConnection > 5 {
                throw ConfigException("To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. Current value is \(maxInFlightRequestsPerConnection).")
            }
        }
        if disable { enableIdempotence = false }
        if !enableIdempotence && transactional {
            throw ConfigException("Cannot set a transactional.id without also enabling idempotence.")
        }
    }

    private static func int(_ name: String, _ raw: String, atLeast minimum: Int) throws(ConfigException) -> Int {
        guard let value = Int32(raw.trimmingCharacters(in: .whitespaces)) else { throw ConfigException(name: name, value: raw, "Not a number of type INT") }
        guard Int(value) >= minimum else { throw ConfigException(name: name, value: raw, "Value must be at least \(minimum)") }
        return Int(value)
    }

    private static func long(_ name: String, _ raw: String, atLeast minimum: Int64) throws(ConfigException) -> Int64 {
        guard let value = Int64(raw.trimmingCharacters(in: .whitespaces)) else { throw ConfigException(name: name, value: raw, "Not a number of type LONG") }
        guard value >= minimum else { throw ConfigException(name: name, value: raw, "Value must be at least \(minimum)") }
        return value
    }
}
