/// A simulated consumer's configuration, with Kafka 4.0's defaults (`ConsumerConfig.java`).
public struct ConsumerConfig: Sendable, Equatable {
    /// `auto.offset.reset`.
    public enum AutoOffsetReset: String, Sendable, CaseIterable {
        case earliest, latest, none
    }

    /// What the simulated application does around each poll when auto-commit is off.
    public enum CommitEachPoll: String, Sendable, CaseIterable {
        /// Commit only when told (`consumer commit`).
        case never
        /// `commitSync()` right after `poll()` returns, before processing: at-most-once.
        case before
        /// `commitSync()` once the polled records are processed: at-least-once.
        case after
    }

    /// `group.id`; `nil` for a consumer with a manual assignment and no group.
    public var groupId: String?
    /// Subscribed topics (empty for a manual assignment).
    public var topics: [String] = []
    /// `partition.assignment.strategy` as protocol names, preferred first (default range, cooperative-sticky).
    public var assignors: [String] = ["range", "cooperative-sticky"]
    /// `enable.auto.commit` (default true).
    public var enableAutoCommit = true
    /// `auto.commit.interval.ms` (default 5000).
    public var autoCommitIntervalMs: Int64 = 5000
    /// `max.poll.records` (default 500).
    public var maxPollRecords = 500
    /// `session.timeout.ms` (default 45000; 10000 before Kafka 3.0).
    public var sessionTimeoutMs: Int64 = 45_000
    /// `heartbeat.interval.ms` (default 3000).
    public var heartbeatIntervalMs: Int64 = 3000
    /// `max.poll.interval.ms` (default 300000), also the rebalance timeout.
    public var maxPollIntervalMs: Int64 = 300_000
    /// How long the simulated application waits between polls when idle.
    public var pollEveryMs: Int64 = 100
    /// How long the simulated application takes to process one record.
    public var processTimeMs: Int64 = 10
    /// `auto.offset.reset` (default latest).
    public var autoOffsetReset: AutoOffsetReset = .latest
    /// `group.instance.id` of a static member.
    public var groupInstanceId: String?
    /// `isolation.level`: `read_uncommitted` (default) or `read_committed`.
    public var isolationLevel = "read_uncommitted"
    /// The application's own commits when auto-commit is off.
    public var commitEachPoll: CommitEachPoll = .never
    /// The application's per-poll commits use `commitAsync` instead of `commitSync`.
    public var asyncCommits = false

    public init() {}

    /// Whether the consumer follows the cooperative protocol: only when every assignor it lists supports it.
    public var isCooperative: Bool { !assignors.isEmpty && assignors.allSatisfy { $0 == "cooperative-sticky" } }
}
