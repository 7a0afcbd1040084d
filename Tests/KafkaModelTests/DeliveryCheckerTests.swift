import Testing
@testable import KafkaModel

/// A Jepsen-style delivery checker (issue 11): random schedules of idempotent, plain and transactional producers,
/// lost and delayed produce requests and answers, broker kills and restarts, commits and aborts, producers crashing or
/// fenced by a successor, read_committed consumers crashing and restarting, and a consume-transform-produce pipeline
/// (`in` → `out`); after the schedule settles the logs and what consumers read are compared with the API's answers.
@Suite("Delivery checker")
struct DeliveryCheckerTests {
    struct Options {
        var plantedBug: PlantedBug?
        /// Prints the schedule's steps and violations (to debug one seed).
        var trace = false
    }

    static let brokers = 3
    static let t = ["t-0", "t-1"].indices.map { TopicPartition("t", $0) }
    static let input = TopicPartition("in", 0)
    static let output = TopicPartition("out", 0)
    static let pipelineGroup = "pipeline"

    /// Runs the schedule of `seed`; returns the violations (empty when every property holds).
    static func run(seed: UInt64, _ options: Options = Options(), steps: Int = 7) -> [String] {
        var run = DeliveryRun(seed: seed, options: options)
        return run.execute(steps: steps)
    }

    static let seeds: [UInt64] = Array(1...500)

    @Test("500 schedules: no duplicate or reordered idempotent write, no aborted or open record read committed, the pipeline's output exactly once, every plain duplicate explained")
    func schedules() {
        var failures: [String] = []
        for seed in Self.seeds where failures.count < 6 {
            failures += Self.run(seed: seed).prefix(2)
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test("The checker catches each planted delivery bug", arguments: [PlantedBug.leaderIgnoresProducerDedupe, .abortWritesCommitMarkers, .readCommittedReadsToHighWatermark])
    func plantedBug(_ bug: PlantedBug) {
        var found: [String] = []
        for seed in Self.seeds.prefix(100) where found.isEmpty {
            found += Self.run(seed: seed, Options(plantedBug: bug))
        }
        #expect(!found.isEmpty, "no seed of 100 found \(bug)")
    }
}
