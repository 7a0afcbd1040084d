/// The scripts in Kafka 4.0.0's `bin/` folder, so a tool kafkalab lacks gets a straight answer
/// ("Kafka has it, kafkalab does not") instead of a far-fetched "did you mean".
enum KafkaToolCatalog {
    /// `bin/*.sh` of the Kafka 4.0.0 distribution (Windows `.bat` twins left out).
    static let kafka40Tools: Set<String> = [
        "connect-distributed.sh", "connect-mirror-maker.sh", "connect-plugin-path.sh", "connect-standalone.sh",
        "kafka-acls.sh", "kafka-broker-api-versions.sh", "kafka-client-metrics.sh", "kafka-cluster.sh",
        "kafka-configs.sh", "kafka-console-consumer.sh", "kafka-console-producer.sh", "kafka-console-share-consumer.sh",
        "kafka-consumer-groups.sh", "kafka-consumer-perf-test.sh", "kafka-delegation-tokens.sh", "kafka-delete-records.sh",
        "kafka-dump-log.sh", "kafka-e2e-latency.sh", "kafka-features.sh", "kafka-get-offsets.sh", "kafka-groups.sh",
        "kafka-jmx.sh", "kafka-leader-election.sh", "kafka-log-dirs.sh", "kafka-metadata-quorum.sh",
        "kafka-metadata-shell.sh", "kafka-producer-perf-test.sh", "kafka-reassign-partitions.sh",
        "kafka-replica-verification.sh", "kafka-run-class.sh", "kafka-server-start.sh", "kafka-server-stop.sh",
        "kafka-share-groups.sh", "kafka-storage.sh", "kafka-streams-application-reset.sh", "kafka-topics.sh",
        "kafka-transactions.sh", "kafka-verifiable-consumer.sh", "kafka-verifiable-producer.sh", "trogdor.sh",
    ]

    /// What to say about a word that looks like a Kafka script kafkalab does not run; nil otherwise.
    static func message(for word: String, available: [String], lang: String) -> String? {
        var name = word
        for prefix in ["./bin/", "bin/", "./"] where name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
        guard name.hasSuffix(".sh") else { return nil }
        let here = available.filter { $0.hasSuffix(".sh") && !$0.contains("/") }.sorted().joined(separator: ", ")
        if name.hasPrefix("zookeeper-") {
            return lang == "ko"
                ? "\(name): Kafka 4.0은 ZooKeeper 없이(KRaft) 동작하므로 이 스크립트가 없다. kafkalab의 클러스터는 이미 실행 중이다."
                : "\(name): Kafka 4.0 runs without ZooKeeper (KRaft) and has no such script; kafkalab's cluster is already running."
        }
        if kafka40Tools.contains(name) {
            return lang == "ko"
                ? "\(name)은(는) Kafka 4.0의 도구지만 kafkalab에는 아직 없다. kafkalab에 있는 Kafka 도구: \(here)."
                    .replacingFirst("은(는)", with: KoreanParticle.eunNeun.form(after: name))
                : "\(name) is a Kafka 4.0 tool that kafkalab does not have yet. Kafka tools in kafkalab: \(here)."
        }
        return lang == "ko"
            ? "Kafka 4.0에는 \(name) 스크립트가 없다. kafkalab에 있는 Kafka 도구: \(here)."
            : "Kafka 4.0 has no script named \(name). Kafka tools in kafkalab: \(here)."
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
