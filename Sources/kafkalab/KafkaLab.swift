import ArgumentParser
import Foundation
import KafkaShell
import Notebook

/// The `kafkalab` command: the shell by default, plus notebook sub-commands.
struct KafkaLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafkalab",
        abstract: "Learn Apache Kafka by doing: a shell hosting a live, simulated Kafka cluster.",
        version: KafkaLabInfo.version,
        subcommands: [ShellCommand.self, RunCommand.self, LessonCommand.self, ReplayCommand.self],
        defaultSubcommand: ShellCommand.self)
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

/// Where lessons come from and in which language.
struct LessonOptions: ParsableArguments {
    @Option(help: "Folder of lessons (holding en/ and ko/). Default: the lessons/ folder of kafkalab's package.")
    var lessons: String?

    @Option(help: "Language of the lessons: en or ko. Default: from LANG, else en.")
    var lang: String?

    func validate() throws {
        if let lang, !["en", "ko"].contains(lang) { throw ValidationError("--lang must be en or ko, got '\(lang)'.") }
    }

    /// The setup for an interactive learner: progress saved under XDG_STATE_HOME.
    func setup(keepProgress: Bool = true) -> Workbench.Setup {
        let environment = ProcessInfo.processInfo.environment
        return Workbench.Setup(
            lessonsRoot: LessonLibrary.locateRoot(given: lessons, executablePath: CommandLine.arguments[0]),
            lang: LessonLibrary.language(flag: lang, environment: environment),
            progressPath: keepProgress ? LessonProgress.defaultPath(environment: environment) : nil)
    }
}
