import Testing
@testable import KafkaModel

/// `ProducerConfig.applying`: Kafka 4.0's `postProcessAndValidateIdempotenceConfigs` and delivery-timeout rules.
@Suite struct ProducerConfigPropertiesTests {
    private func settle(_ pairs: [(String, String)]) throws(ConfigException) -> (config: ProducerConfig, notices: [ProducerConfigNotice]) {
        try ProducerConfig().applying(pairs)
    }

    @Test func defaultsKeepIdempotenceOnWithoutNotices() throws {
        let (config, notices) = try settle([])
        #expect(config.enableIdempotence && config.acks == .all && config.maxInFlightRequestsPerConnection == 5)
        #expect(notices.isEmpty)
    }

    @Test func implicitIdempotenceYieldsToAcksAndRetries() throws {
        let acks1 = try settle([("acks", "1")])
        #expect(!acks1.config.enableIdempotence)
        #expect(acks1.notices == [ProducerConfigNotice(level: .info, message: "Idempotence will be disabled because acks is set to 1, not set to 'all'.")])
        let acksMinus1 = try settle([("acks", "-1"), ("retries", "0")])
        #expect(!acksMinus1.config.enableIdempotence)
        #expect(acksMinus1.notices.map(\.message) == ["Idempotence will be disabled because retries is set to 0."])
    }

    @Test func explicitIdempotenceConflictsAreConfigExceptions() {
        #expect(throws: ConfigException("Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.")) {
            try settle([("enable.idempotence", "true"), ("acks", "0")])
        }
        #expect(throws: ConfigException("Must set retries to non-zero when using the idempotent producer.")) {
            try settle([("retries", "0"), ("enable.idempotence", "TRUE")])
        }
    }

    @Test func maxInFlightAboveFiveFailsEvenForDefaultIdempotence() throws {
        #expect(throws: ConfigException("To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. Current value is 6.")) {
            try settle([("max.in.flight.requests.per.connection", "6")])
        }
        let off = try settle([("max.in.flight.requests.per.connection", "6"), ("enable.idempotence", "false")])
        #expect(off.config.maxInFlightRequestsPerConnection == 6 && !off.config.enableIdempotence)
    }

    @Test func transactionalIdNeedsIdempotence() throws {
        #expect(throws: ConfigException("Cannot set a transactional.id without also enabling idempotence.")) {
            try settle([("transactional.id", "tx"), ("acks", "1")])
        }
        #expect(try settle([("transactional.id", "tx")]).config.transactionalId == "tx")
    }

    @Test func deliveryTimeoutBelowLingerPlusRequestTimeout() throws {
        #expect(throws: ConfigException("delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms")) {
            try settle([("delivery.timeout.ms", "30004")])
        }
        let raised = try settle([("request.timeout.ms", "200000")])
        #expect(raised.config.deliveryTimeoutMs == 200_005)
        #expect(raised.notices.first?.level == .warn)
    }

    @Test func valuesAreParsedAndRangeCheckedAsConfigDefDoes() throws {
        #expect(throws: ConfigException(name: "retries", value: "x", "Not a number of type INT")) { try settle([("retries", "x")]) }
        #expect(throws: ConfigException(name: "linger.ms", value: "-1", "Value must be at least 0")) { try settle([("linger.ms", "-1")]) }
        #expect(throws: ConfigException(name: "acks", value: "2", "String must be one of: all, -1, 0, 1")) { try settle([("acks", "2")]) }
        #expect(throws: ConfigException(name: "enable.idempotence", value: "yes", "Expected value to be either true or false")) {
            try settle([("enable.idempotence", "yes")])
        }
        #expect(try settle([("linger.ms", " 20 ")]).config.lingerMs == 20)
    }

    @Test func unreadConfigsAreNamedInOneWarning() throws {
        let (_, notices) = try settle([("compression.type", "gzip"), ("foo", "1"), ("compression.type", "lz4")])
        #expect(notices == [ProducerConfigNotice(level: .warn, message: "These configurations '[compression.type, foo]' were supplied but are not used yet.")])
    }
}
