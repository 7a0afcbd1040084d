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
            let ranges = unprocessed.keys.sorted(by: JavaString.topicPartitionLessThan).map { tp in
                let range = unprocessed[tp]!
                return range.lowerBound == range.upperBound ? "\(tp)@\(range.lowerBound)" : "\(tp)@\(range.lowerBound)..\(range.upperBound)"
            }
            return "\(consumer) vanished: no commit, no LeaveGroup" + (ranges.isEmpty ? "" : "; never finished processing \(ranges.joined(separator: ", "))")
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
            return "\(consumer) rejoins the group (\(words(reason)))"
        case let .requestFailed(consumer, request, error):
            return "\(consumer) \(request.rawValue) failed with \(error.code): need to re-join the group"
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
            return "\(consumer) ← \(partition)@\(offset) key=\(RecordReport.text(key)) value=\(RecordReport.text(value))"
        case let .recordsConsumedSummary(consumer, more):
            return "\(consumer) ← … and \(more) more records"
        case let .positionReset(consumer, partition, offset, policy, outOfRange):
            let why = outOfRange.map { " (offset \($0) out of range)" } ?? ""
            return "\(consumer) \(partition) position → \(offset) (auto.offset.reset=\(policy.rawValue)\(why))"
        case let .seeked(consumer, partition, offset):
            return "\(consumer) \(partition) position → \(offset)"
        case let .paused(consumer, partitions):
            return "\(consumer) paused \(list(partitions))"
        case let .resumed(consumer, partitions):
            return "\(consumer) resumed \(list(partitions))"
        case let .manuallyAssigned(consumer, partitions):
            return "\(consumer) assign(\(list(partitions)))"
        case let .offsetsCommitted(group, consumer, offsets, kind):
            return "\(group): \(self.offsets(offsets)) (\(consumer.map { "\($0) " } ?? "")\(words(kind)))"
        case let .offsetCommitFailed(consumer, kind, message):
            return "\(consumer) \(words(kind)) failed: \(message)"
        case let .groupStateChanged(group, from, to):
            return "\(group): \(from) → \(to)"
        case let .rebalanceStarted(group, reason):
            return "\(group): \(words(reason))"
        case let .memberJoined(group, memberId, instance):
            return "\(group): \(memberId)" + (instance.map { " (group.instance.id=\($0))" } ?? "")
        case let .memberRemoved(group, memberId, reason):
            return "\(group): \(memberId) (\(words(reason)))"
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
            return "\(consumer) FindCoordinator for group \(group) failed: COORDINATOR_NOT_AVAILABLE (\(words(reason))); retrying after retry.backoff.ms=100, doubling up to retry.backoff.max.ms=1000"
        case let .coordinatorDiscovered(consumer, broker, host, port):
            return "\(consumer) Discovered group coordinator \(host):\(port) (id: \(Int(Int32.max) - broker) rack: null)"
        case let .fetchWaiting(consumer, partition, error):
            return "\(consumer) cannot fetch \(partition) (\(error.errorName)): \(error.message); retrying every \(Cluster.consumerRetryBackoffMs)-\(Cluster.consumerRetryBackoffMaxMs) ms (retry.backoff.ms)"
        case let .fetchResumed(consumer, partition, leader):
            return "\(consumer) fetches \(partition) again from its leader, broker \(leader)"
        }
    }

    /// Why a consumer rejoins, as the client's `requestRejoin` reasons read.
    static func words(_ reason: RejoinReason) -> String {
        switch reason {
        case .requested: return "rejoin requested"
        case .heartbeat(let error): return "heartbeat: \(error.code)"
        case .pollTimeout: return "left the group after max.poll.interval.ms"
        case .metadataChanged: return "metadata changed (partitions of a subscribed topic)"
        case .revokedPartitions: return "revoked partitions; rejoining for the second rebalance"
        case let .requestFailed(request, error): return "\(request.rawValue): \(error.code)"
        }
    }

    /// Why a member left its group.
    static func words(_ reason: MemberRemovalReason) -> String {
        switch reason {
        case .leaveGroup: return "LeaveGroup"
        case .sessionTimeout: return "no heartbeat within session.timeout.ms"
        case .didNotRejoin: return "did not rejoin within the rebalance timeout"
        case .didNotSync: return "did not sync within the rebalance timeout"
        case .fencedByStaticMember(let newId): return "fenced by static member \(newId)"
        }
    }

    /// Why a rebalance began, in the words of the group coordinator's log (`GroupMetadataManager`).
    static func words(_ reason: RebalanceReason) -> String {
        func client(_ r: String?) -> String { "; client reason: \(r ?? "not provided")" }
        switch reason {
        case let .addingNewMember(m, i, r):
            return "Adding new member \(m) with group instance id \(i ?? "null")" + client(r)
        case let .updatingMetadata(m, s, r):
            return "Updating metadata for member \(m) during \(s)" + client(r)
        case let .leaderRejoining(m, s, r):
            return "Leader \(m) re-joining group during \(s)" + client(r)
        case let .staticMemberReplaced(m, i, s):
            return "Updating metadata for static member \(m) with instance id \(i) during \(s)"
        case let .removingMember(m, reason):
            switch reason {
            case .leaveGroup: return "Removing member \(m) on LeaveGroup"
            case .sessionTimeout: return "Removing member \(m) on heartbeat expiration"
            case .didNotRejoin: return "Removing member \(m) which did not rejoin"
            case .didNotSync: return "Removing member \(m) on pending sync request expiration"
            case .fencedByStaticMember(let n): return "Replacing member \(m) by \(n)"
            }
        }
    }

    /// How an offset commit was made: the client call, or the tool.
    static func words(_ kind: ConsumerEvent.CommitKind) -> String {
        switch kind {
        case .auto: return "auto-commit"
        case .sync: return "commitSync"
        case .async: return "commitAsync"
        case .resetOffsets: return "reset-offsets"
        case .consoleConsumer: return "auto-commit on close"
        }
    }

    /// Why the group has no coordinator yet.
    static func words(_ reason: ConsumerEvent.CoordinatorUnavailableReason) -> String {
        let topic = GroupCoordinator.offsetsTopic
        switch reason {
        case let .offsetsTopicNotCreated(factor, error):
            return "\(topic) cannot be created with offsets.topic.replication.factor=\(factor): \(error.errorName): \(error.message)"
        case .noLeader(let partition):
            return "\(topic)-\(partition) has no leader"
        }
    }
}
