import ArgumentParser
import KafkaShell
import Notebook

/// The `kafkalab` command: the shell by default, plus notebook sub-commands.
struct KafkaLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafkalab",
        abstract: "Learn Apache Kafka by doing: a shell hosting a live, simulated Kafka cluster.",
        version: KafkaLabVersion.current,
        subcommands: [ShellCommand.self, RunCommand.self],
        defaultSubcommand: ShellCommand.self)
}

/// The version written into recordings.
enum KafkaLabVersion {
    static let current = "0.1.0"
}

/// Options that shape the simulated cluster.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Number of brokers in the simulated cluster (1-20).")
    var brokers: Int = 3

    @Option(help: "Seed of the cluster's random generator: the same seed and commands give the same output.")
    var seed: UInt64 = 42

    func validate() throws {
        guard (1...20).contains(brokers) else { throw ValidationError("--brokers must be from 1 to 20, got \(brokers).") }
    }

    var sessionOptions: SessionOptions { SessionOptions(brokers: brokers, seed: seed) }
}
