/// A simulated consumer process: its config, its place in the group, and its fetch positions.
///
/// The cluster drives it on simulated time (`Cluster+Consumers.swift`): it heartbeats every
/// `heartbeat.interval.ms`, polls when its application loop asks, "processes" what it got for
/// `processTimeMs` per record, and commits as its config says. Not thread-safe.
public final class KafkaConsumer {
    /// Where the consumer is in its life.
    public enum Status: String, Sendable {
        /// Running its poll loop.
        case running
        /// Closed with `consumer stop` (or after a fatal exception).
        case stopped
        /// Vanished with `consumer crash`: no LeaveGroup, no commit.
        case crashed
    }

    /// Where the consumer is in the group protocol.
    public enum MemberState: String, Sendable {
        /// Not in a group (manual assignment, stopped, or left after a poll timeout).
        case unjoined = "Unjoined"
        /// JoinGroup sent; waiting for the join phase to complete.
        case joining = "Joining"
        /// JoinGroup answered, SyncGroup sent; waiting for the leader's assignment.
        case completingRebalance = "CompletingRebalance"
        /// Member of the current generation.
        case stable = "Stable"
    }

    /// `client.id` — the name the learner gave.
    public let name: String
    public internal(set) var config: ConsumerConfig
    public internal(set) var status: Status = .running
    public internal(set) var memberState: MemberState = .unjoined
    /// The coordinator-assigned member id (`NAME-<uuid>`), empty before the first join.
    public internal(set) var memberId = ""
    /// The generation the consumer's assignment belongs to (-1 when none).
    public internal(set) var generation = -1
    /// Assigned partitions (by the group, or by `consumer assign`).
    public internal(set) var assignment: [TopicPartition] = []
    /// Whether the assignment was given by `consumer assign` (no group management).
    public internal(set) var manualAssignment = false
    /// Next offset to fetch per assigned partition (`position()`); absent until initialised.
    public internal(set) var positions: [TopicPartition: Int64] = [:]
    /// Paused partitions: assigned, but not fetched.
    public internal(set) var paused: Set<TopicPartition> = []
    /// The group asked for a rejoin (heartbeat said REBALANCE_IN_PROGRESS, metadata changed, a partition was revoked).
    public internal(set) var needsRejoin = false
    /// Why the consumer will rejoin, for the event.
    public internal(set) var rejoinReason: RejoinReason?
    /// When the application last called `poll()`.
    public internal(set) var lastPollMs: Int64 = 0
    /// The application is processing the last poll's records until then.
    public internal(set) var busyUntilMs: Int64 = 0
    /// Offsets fetched by the last poll but not processed yet (the first unprocessed offset per partition).
    public internal(set) var processingFrom: [TopicPartition: Int64] = [:]
    /// When the next auto-commit is due.
    public internal(set) var nextAutoCommitMs: Int64 = 0
    /// Positions as of the last poll: what auto-commit commits.
    public internal(set) var lastPolledPositions: [TopicPartition: Int64] = [:]
    /// Partition counts of subscribed topics when the last assignment was made (the leader rejoins when they change).
    public internal(set) var metadataSnapshot: [String: Int] = [:]
    /// Whether this consumer led the group in its generation.
    public internal(set) var isLeader = false
    /// Records handed to the application so far.
    public internal(set) var recordsConsumed = 0
    /// A poll left the group after `max.poll.interval.ms`: the member id is reset and the next poll rejoins.
    public internal(set) var leftOnPollTimeout = false
    /// An armed fault for the next asynchronous commit.
    public internal(set) var asyncCommitFault: AsyncCommitFault?
    /// Asynchronous commits sent and not yet answered.
    public internal(set) var inflightAsyncCommits = 0
    /// Assigned partitions it cannot fetch (no leader), with the error; it retries after `retry.backoff.ms`.
    public internal(set) var waitingForLeader: [TopicPartition: KafkaError] = [:]
    /// Retries so far while some partition waits for a leader (the backoff doubles up to `retry.backoff.max.ms`).
    var leaderRetries = 0
    /// Bumped on every poll-loop reschedule, so stale poll timers are ignored.
    var pollToken = 0
    /// Whether a poll timer is pending.
    var pollScheduled = false
    /// Whether that timer is only the deadline of a poll blocked for records (the auto-commit due while nothing
    /// arrives, Kafka's `timeToNextPoll`): records arriving end the wait at once.
    var awaitingRecords = false
    /// Bumped on restart, so timers of the previous incarnation are ignored.
    var incarnation = 0
    /// Whether FindCoordinator succeeded for this process.
    var coordinatorKnown = false
    /// The coordinator FindCoordinator named; the group's requests go there.
    var coordinatorId: Int?
    /// Failed FindCoordinator attempts in a row (the retry backoff doubles with each).
    var coordinatorAttempts = 0
    /// When the next FindCoordinator is sent.
    var coordinatorRetryAtMs: Int64 = 0
    /// When a failed FindCoordinator was last reported as an event, and how many failed since.
    var coordinatorFailureReportedMs: Int64?
    var coordinatorFailuresUnreported = 0
    /// Whether the heartbeat thread runs: enabled by a JoinGroup response, it stops while the consumer (re)joins.
    var heartbeatEnabled = false
    /// The order this consumer was started in: heartbeats due at one instant fire in this order.
    var ordinal = 0
    /// Bumped whenever the heartbeat thread's wake-up is rescheduled, so stale wake-ups are ignored.
    var heartbeatToken = 0
    /// When the heartbeat timer expires (`heartbeat.interval.ms` after the last send, or after the JoinGroup response).
    var nextHeartbeatMs: Int64 = 0
    /// When the heartbeat thread last sent a Heartbeat or was enabled: it re-checks every `retry.backoff.ms` from then.
    var heartbeatAnchorMs: Int64 = 0
    /// When the heartbeat thread was last enabled (`Heartbeat.resetTimeouts` restarts the poll timer too).
    var pollTimerResetMs: Int64 = 0

    /// A fault a lesson arms on the next `commitAsync`.
    public enum AsyncCommitFault: String, Sendable, CaseIterable {
        /// The commit fails with a retriable error (the coordinator moved).
        case fail = "commit-fail"
        /// The commit is delayed so that the following commit completes first; it then lands late, rewinding.
        case reorder = "commit-reorder"
    }

    init(name: String, config: ConsumerConfig) {
        self.name = name
        self.config = config
    }

    /// Whether the consumer process is alive.
    public var isAlive: Bool { status == .running }

    /// Assigned partitions the consumer fetches from (not paused).
    public var fetchable: [TopicPartition] { assignment.filter { !paused.contains($0) } }
}
