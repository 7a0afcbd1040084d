import KafkaModel

/// Words for consumer and group events (`c1 ← orders-2@5 key=user-1 value=…`).
enum ConsumerEventText {
    static func list(_ partitions: [TopicPartition]) -> String {
        "[" + partitions.map(\.description).joined(separator: ", ") + "]"
    }

    static func offsets(_ offsets: [TopicPartition: Int64]) -> String {
        offsets.keys.sorted(by: JavaString.topicPartitionLessThan).map { "\($0)=\(offsets[$0]!)" }.joined(separator: ", ")
    }

    static func details(_ event: ConsumerEvent) -> String {
        switch event {
        case let .consumerStarted(consumer, group, topics, assignors):
            if let group, !topics.isEmpty {
                return "\(consumer) in group \(group), subscribed to \(topics.joined(separator: ",")) (partition.assignment.strategy=\(assignors.joined(separator: ",")))"
            }
            return "\(consumer)" + (group.map { " (group.id=\($0), no group management)" } ?? " (no group)")
        case .consumerStopped(let consumer):
            return "\(consumer) closed"
        case let .consumerCrashed(consumer, unprocessed):
            return "\(consumer) vanished: no commit, no LeaveGroup" + (unprocessed.isEmpty ? "" : "; never finished processing \(unprocessed.joined(separator: ", "))")
        case .consumerRestarted(let consumer):
            return "\(consumer) started again (new process, new member id)"
        case let .consumerConfigChanged(consumer, key, value):
            return "\(consumer) \(key)=\(value)"
        case let .consumerFailed(consumer, exception):
            return "\(consumer) poll() threw \(exception)"
        case .wakeup(let consumer):
            return "\(consumer) wakeup(): poll() throws WakeupException, the loop ends and closes the consumer"
        case let .pollTimeout(consumer, isStatic):
            return "\(consumer) consumer poll timeout has expired (max.poll.interval.ms); " + (isStatic ? "static member stops heartbeating" : "sends LeaveGroup")
        case let .rejoining(consumer, reason):
            return "\(consumer) rejoins the group (\(reason))"
        case let .requestFailed(consumer, request, error):
            return "\(consumer) \(request) failed with \(error): need to re-join the group"
        case let .partitionsRevoked(consumer, partitions, context):
            let why: String
            switch context {
            case .eagerRebalance: why = " (eager: stops fetching until the rebalance completes)"
            case .cooperativeRebalance: why = ""
            case .closing(leaveGroup: true): why = " (closing; LeaveGroup follows)"
            case .closing(leaveGroup: false): why = " (closing; a static member sends no LeaveGroup, so no rebalance unless it stays away past session.timeout.ms)"
            }
            return "\(consumer) onPartitionsRevoked \(list(partitions))" + why
        case let .partitionsAssigned(consumer, partitions, generation):
            return "\(consumer) onPartitionsAssigned \(list(partitions)) (generation \(generation))"
        case let .partitionsLost(consumer, partitions):
            return "\(consumer) onPartitionsLost \(list(partitions))"
        case let .recordConsumed(consumer, partition, offset, key, value):
            return "\(consumer) ← \(partition)@\(offset) key=\(key ?? "null") value=\(value ?? "null")"
        case let .recordsConsumedSummary(consumer, more):
            return "\(consumer) ← … and \(more) more records"
        case let .positionReset(consumer, partition, offset, policy):
            return "\(consumer) \(partition) position → \(offset) (auto.offset.reset=\(policy))"
        case let .seeked(consumer, partition, offset):
            return "\(consumer) \(partition) position → \(offset)"
        case let .paused(consumer, partitions):
            return "\(consumer) paused \(list(partitions))"
        case let .resumed(consumer, partitions):
            return "\(consumer) resumed \(list(partitions))"
        case let .manuallyAssigned(consumer, partitions):
            return "\(consumer) assign(\(list(partitions)))"
        case let .offsetsCommitted(group, consumer, offsets, kind):
            return "\(group): \(self.offsets(offsets)) (\(consumer.map { "\($0) " } ?? "")\(kind.rawValue))"
        case let .offsetCommitFailed(consumer, kind, message):
            return "\(consumer) \(kind.rawValue) failed: \(message)"
        case let .groupStateChanged(group, from, to):
            return "\(group): \(from) → \(to)"
        case let .rebalanceStarted(group, reason):
            return "\(group): \(reason)"
        case let .memberJoined(group, memberId, instance):
            return "\(group): \(memberId)" + (instance.map { " (group.instance.id=\($0))" } ?? "")
        case let .memberRemoved(group, memberId, reason):
            return "\(group): \(memberId) (\(reason))"
        case let .staticMemberReplaced(group, instance, old, new):
            return "\(group): \(instance) is now \(new) (was \(old)); no rebalance"
        case let .generationStarted(group, generation, leader, proto, members):
            if members == 0 { return "\(group): generation \(generation) with no members" }
            return "\(group): generation \(generation), \(members) member\(members == 1 ? "" : "s"), leader \(leader ?? "-"), assignor \(proto ?? "-")"
        case let .assignmentDistributed(group, generation, assignment, transferring):
            let parts = assignment.keys.sorted(by: JavaString.lessThan).map { "\($0)=\(list(assignment[$0]!))" }
            let held = transferring.isEmpty ? "" : "; withheld until revoked: " + transferring.keys.sorted(by: JavaString.topicPartitionLessThan).map { "\($0)→\(transferring[$0]!)" }.joined(separator: ", ")
            return "\(group) generation \(generation): " + parts.joined(separator: " ") + held
        case .groupDeleted(let group):
            return "\(group)"
        case let .offsetsDeleted(group, partitions):
            return "\(group): \(list(partitions))"
        case let .coordinatorMoved(group, from, to, partition, loaded):
            let was = from.map { "broker \($0)" } ?? "none"
            guard let to else {
                return "\(group): \(was) → none (__consumer_offsets-\(partition) has no leader, so the group has no coordinator)"
            }
            return "\(group): \(was) → broker \(to) (new leader of __consumer_offsets-\(partition)); loaded \(loaded) committed offset\(loaded == 1 ? "" : "s") from its log"
        case let .coordinatorNotAvailable(consumer, group, reason, attempts, first):
            guard first else {
                return "\(consumer) FindCoordinator for group \(group) still answered COORDINATOR_NOT_AVAILABLE (\(attempts) more attempt\(attempts == 1 ? "" : "s") since the last report)"
            }
            return "\(consumer) FindCoordinator for group \(group) failed: COORDINATOR_NOT_AVAILABLE (\(reason)); retrying after retry.backoff.ms=100, doubling up to retry.backoff.max.ms=1000"
        case let .coordinatorDiscovered(consumer, broker, host, port):
            return "\(consumer) Discovered group coordinator \(host):\(port) (id: \(Int(Int32.max) - broker) rack: null)"
        case let .fetchWaiting(consumer, partition, error, message):
            return "\(consumer) cannot fetch \(partition) (\(error)): \(message); retrying every \(Cluster.consumerRetryBackoffMs)-\(Cluster.consumerRetryBackoffMaxMs) ms (retry.backoff.ms)"
        case let .fetchResumed(consumer, partition, leader):
            return "\(consumer) fetches \(partition) again from its leader, broker \(leader)"
        }
    }
}
