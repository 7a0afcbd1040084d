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
        subcommands: [ShellCommand.self, RunCommand.self, LessonCommand.self, ReplayCommand.self, ServeCommand.self],
        defaultSubcommand: ShellCommand.self)
}

/// Options that shape the simulated cluster.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Number of brokers in the simulated cluster (1-20).")
    var brokers: Int = 3

    @Option(help: "Seed of the cluster's random generator: the same seed and commands give the same output.")
    var seed: UInt64 = 42

    @Option(name: .customLong("broker-ids"), help: "Broker ids, comma-separated (e.g. 1,2,3); sets the number of brokers too.")
    var brokerIds: String?

    @Option(help: "How many nodes are KRaft controller-quorum voters (the first N); the others are brokers only. Default: all.")
    var controllers: Int?

    func validate() throws {
        guard (1...20).contains(brokers) else { throw ValidationError("--brokers must be from 1 to 20, got \(brokers).") }
        let nodes = brokerIds.flatMap(Self.parseIds)?.count ?? brokers
        if let controllers, !(1...nodes).contains(controllers) {
            throw ValidationError("--controllers must be from 1 to the number of brokers (\(nodes)), got \(controllers).")
        }
        if let brokerIds {
            guard let ids = Self.parseIds(brokerIds) else {
                throw ValidationError("--broker-ids must be 1 to 20 distinct whole numbers from 0 to 999 separated by commas, e.g. 1,2,3; got '\(brokerIds)'.")
            }
            _ = ids
        }
    }

    static func parseIds(_ text: String) -> [Int]? {
        let ids = text.split(separator: ",").map { Int(String($0).trimmingCharacters(in: .whitespaces)) }
        guard !ids.isEmpty, ids.count <= 20, ids.allSatisfy({ $0 != nil && (0...999).contains($0!) }), Set(ids).count == ids.count else { return nil }
        return ids.map { $0! }
    }

    var sessionOptions: SessionOptions {
        var options = SessionOptions(brokers: brokers, seed: seed)
        options.controllers = controllers
        if let ids = brokerIds.flatMap(Self.parseIds) {
            options.brokerIds = ids
            options.brokers = ids.count
        }
        return options
    }
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
