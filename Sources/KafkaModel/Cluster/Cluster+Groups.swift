// The group coordinator wired into the cluster: `__consumer_offsets`, the classic groups' state
// machines and their timers, the leader's assignment, and offset commits written as records.

extension Cluster {
    /// `offsets.topic.num.partitions`.
    public static let offsetsTopicPartitions = 50

    /// `offsets.topic.replication.factor`: Kafka's default 3, but never more than the cluster has brokers, as a
    /// development cluster is configured (Kafka's single-node `config/server.properties` sets 1). Creation needs that
    /// many live brokers: Kafka 4.0 does not lower it to the brokers that happen to be up.
    public var offsetsTopicReplicationFactor: Int { min(3, config.brokerIds.count) }

    /// Creates `__consumer_offsets` the first time a group needs it, as the broker does on FindCoordinator
    /// (`AutoTopicCreationManager`): 50 partitions, compacted, `offsets.topic.replication.factor` replicas.
    /// Returns the controller's error (INVALID_REPLICATION_FACTOR while fewer brokers are alive), `nil` once it exists.
    @discardableResult
    func ensureOffsetsTopic() -> KafkaError? {
        guard topics[GroupCoordinator.offsetsTopic] == nil else { return nil }
        do throws(KafkaError) {
            try createTopic(GroupCoordinator.offsetsTopic, partitions: Self.offsetsTopicPartitions,
                            replicationFactor: offsetsTopicReplicationFactor,
                            configs: ["cleanup.policy": "compact", "compression.type": "producer", "segment.bytes": "104857600"])
            return nil
        } catch {
            return error
        }
    }

    /// The `__consumer_offsets` partition of a group (`abs(hashCode) % 50`).
    public func offsetsPartition(of groupId: String) -> Int {
        GroupCoordinatorPartition.partitionFor(groupId: groupId, offsetsTopicPartitionCount: Self.offsetsTopicPartitions)
    }

    /// The coordinator broker of a group: the leader of its `__consumer_offsets` partition
    /// (the partition number's broker before the topic exists).
    public func coordinator(of groupId: String) -> Int? {
        let p = offsetsPartition(of: groupId)
        if let topic = topics[GroupCoordinator.offsetsTopic] { return topic.partitions[p].leader }
        let live = liveBrokerIds
        return live.isEmpty ? nil : live[p % live.count]
    }

    /// Every group the coordinator knows, in Java string order.
    public var groupIds: [String] { groupCoordinator.groupIds }

    /// A group's state as described (unknown groups are Dead).
    public func groupState(_ groupId: String) -> ClassicGroupState { groupCoordinator.state(of: groupId) }

    /// A group's committed offsets.
    public func committedOffsets(_ groupId: String) -> [TopicPartition: Int64] { groupCoordinator.committed(groupId) }

    /// The leader epochs stored with a group's committed offsets (only those that carry one).
    public func committedLeaderEpochs(_ groupId: String) -> [TopicPartition: Int32] {
        (groupCoordinator.offsets[groupId] ?? [:]).compactMapValues(\.leaderEpoch)
    }

    /// High watermark of a partition as its leader lists it (ListOffsets latest); nil for an unknown partition
    /// or one without a leader.
    public func highWatermark(_ tp: TopicPartition) -> Int64? { (try? listOffsets(tp))?.highWatermark }

    /// Lag = high watermark − committed, for each partition the group committed or is assigned; the high
    /// watermark and lag are unknown (nil) for a partition without a leader.
    public func lag(of groupId: String) -> [(partition: TopicPartition, committed: Int64?, highWatermark: Int64?, lag: Int64?)] {
        let committed = committedOffsets(groupId)
        var partitions = Set(committed.keys)
        for member in groupCoordinator.groups[groupId]?.members ?? [] { partitions.formUnion(member.assignment) }
        return partitions.sorted(by: JavaString.topicPartitionLessThan).map { tp in
            let hw = highWatermark(tp)
            return (tp, committed[tp], hw, committed[tp].flatMap { c in hw.map { max(0, $0 - c) } })
        }
    }

    // MARK: - Driving a group

    /// Runs one input on a group (creating it when absent) and applies the step it returns.
    @discardableResult
    func withGroup(_ groupId: String, _ body: (inout ClassicGroup) throws(GroupError) -> GroupStep) throws(GroupError) -> GroupStep {
        ensureOffsetsTopic()
        let existed = groupCoordinator.groups[groupId] != nil
        let step: GroupStep
        do throws(GroupError) {
            // Mutated in place: copying the group out and back would copy its members on every heartbeat.
            step = try body(&groupCoordinator.groups[groupId, default: ClassicGroup(groupId: groupId)])
        } catch {
            // The group's inputs validate before they act, so a refused input changed nothing.
            if !existed { groupCoordinator.groups[groupId] = nil }
            throw error
        }
        apply(step, group: groupId)
        return step
    }

    /// Emits a step's events, schedules its timers and sends the answers of the parked requests the step completed.
    func apply(_ step: GroupStep, group groupId: String) {
        var joined = false, synced = false
        for event in step.events {
            switch event {
            case let .stateChanged(from, to):
                emit(.group(.groupStateChanged(group: groupId, from: from, to: to)))
            case let .rebalanceStarted(reason):
                emit(.group(.rebalanceStarted(group: groupId, reason: reason)))
            case let .memberJoined(memberId, instance):
                emit(.group(.memberJoined(group: groupId, memberId: memberId, groupInstanceId: instance)))
            case let .memberRemoved(memberId, reason):
                emit(.group(.memberRemoved(group: groupId, memberId: memberId, reason: reason)))
                // A removed member's parked requests are never answered (its client is gone or learns otherwise).
                groupCoordinator.unpark(.joinGroup, groupId, memberId)
                groupCoordinator.unpark(.syncGroup, groupId, memberId)
            case let .staticMemberReplaced(instance, old, new):
                emit(.group(.staticMemberReplaced(group: groupId, groupInstanceId: instance, oldMemberId: old, newMemberId: new)))
            case let .joinCompleted(generation, leader, proto, members):
                emit(.group(.generationStarted(group: groupId, generation: generation, leader: leader, protocol: proto, members: members.count)))
                if !members.isEmpty { joined = true }
            case .generationCompleted:
                synced = true
            case let .parkedRequestFailed(memberId, request, error):
                failParked(groupId, memberId: memberId, request: request, error: error)
                deliverParkedResponses()
            }
        }
        for timer in step.timers { scheduleGroupTimer(groupId, timer) }
        if synced { answerParkedSyncs(groupId) }
        if joined { answerParkedJoins(groupId) }
        deliverParkedResponses()
    }

    /// Keeps one scheduler entry per group timer slot; a later deadline is picked up when the entry fires.
    private func scheduleGroupTimer(_ groupId: String, _ timer: GroupTimer) {
        let key = groupId + "|" + timer.key
        groupCoordinator.wantedTimers[key] = (groupId, timer)
        if let due = groupCoordinator.scheduledTimers[key], due <= timer.deadlineMs { return }
        groupCoordinator.scheduledTimers[key] = timer.deadlineMs
        scheduler.schedule(at: timer.deadlineMs, .group(key: key))
    }

    func groupTimerFired(_ key: String) {
        if groupCoordinator.scheduledTimers[key] == nowMs { groupCoordinator.scheduledTimers[key] = nil }
        guard let (groupId, timer) = groupCoordinator.wantedTimers[key] else { return }
        if timer.deadlineMs > nowMs {
            if groupCoordinator.scheduledTimers[key] == nil {
                groupCoordinator.scheduledTimers[key] = timer.deadlineMs
                scheduler.schedule(at: timer.deadlineMs, .group(key: key))
            }
            return
        }
        groupCoordinator.wantedTimers[key] = nil
        guard groupCoordinator.groups[groupId] != nil else { return }
        let now = nowMs
        _ = try? withGroup(groupId) { group throws(GroupError) in group.timerFired(timer, nowMs: now) }
    }

    // MARK: - Offsets

    /// Writes committed offsets (with the leader epoch the client sent, if any): the coordinator's cache and one
    /// record per partition in the group's `__consumer_offsets` partition. Only changed offsets are written.
    @discardableResult
    func storeOffsets(_ groupId: String, _ offsets: [TopicPartition: (offset: Int64, leaderEpoch: Int32?)], consumer: String?,
                      kind: ConsumerEvent.CommitKind) -> [TopicPartition: Int64] {
        ensureOffsetsTopic()
        let existing = groupCoordinator.offsets[groupId] ?? [:]
        let changed = offsets.filter { existing[$0.key]?.offset != $0.value.offset }
        guard !changed.isEmpty else { return [:] }
        var records: [Record] = []
        for tp in changed.keys.sorted(by: JavaString.topicPartitionLessThan) {
            let value = OffsetAndMetadata(offset: changed[tp]!.offset, leaderEpoch: changed[tp]!.leaderEpoch, metadata: "", commitTimestampMs: nowMs)
            groupCoordinator.offsets[groupId, default: [:]][tp] = value
            records.append(Record(timestamp: nowMs, key: OffsetCommitRecord.key(group: groupId, partition: tp),
                                  value: OffsetCommitRecord.value(value)))
        }
        appendCoordinatorRecords(records, groupId: groupId)
        let written = changed.mapValues(\.offset)
        emit(.group(.offsetsCommitted(group: groupId, consumer: consumer, offsets: written, kind: kind)))
        return written
    }

    /// The leader epoch a consumer sends with a committed position (`SubscriptionState.allConsumed()` →
    /// `OffsetAndMetadata(offset, offsetEpoch, "")`): the epoch of the batch the last consumed record came from, or
    /// for a position set by ListOffsets the epoch the leader's epoch cache gives for it — none for an empty log.
    /// Admin commits (`--reset-offsets`) and explicit offsets carry none.
    func commitLeaderEpoch(_ tp: TopicPartition, _ offset: Int64) -> Int32? {
        guard let log = logManager.logs[tp] else { return nil }
        return offset > log.logStartOffset ? log.batchLeaderEpoch(of: offset - 1) : log.batchLeaderEpoch(of: offset)
    }

    /// Reads committed offsets back from `__consumer_offsets`, as a coordinator does when it becomes
    /// the leader of a partition (`GroupMetadataManager` loading): every offset-commit record in
    /// offset order, the last one per (group, topic, partition) winning, tombstones removing.
    /// A transactional offset record waits for its transaction's marker, as `OffsetMetadataManager.replay` keeps it
    /// pending by producer id: COMMIT applies it (unless a later record in the log already won), ABORT drops it, and
    /// without a marker yet it stays pending. Only `partitions` are loaded (all 50 when `nil`); returns how many
    /// offsets each group got.
    @discardableResult
    func loadOffsets(partitions: [Int]? = nil) -> [String: Int] {
        guard let topic = topics[GroupCoordinator.offsetsTopic] else { return [:] }
        /// An offset (nil: a tombstone) and the log offset of the record that wrote it.
        typealias Loaded = (value: OffsetAndMetadata?, at: Int64)
        var loaded: [String: [TopicPartition: Loaded]] = [:]
        var seenGroups: Set<String> = []
        for p in partitions ?? Array(topic.partitions.indices) {
            guard let log = logManager.logs[TopicPartition(GroupCoordinator.offsetsTopic, p)],
                  let batches = try? log.fetchBatches(from: log.logStartOffset, maxBytes: .max, isolation: .logEnd).batches else { continue }
            var pending: [Int64: [(group: String, partition: TopicPartition, loaded: Loaded)]] = [:]
            for batch in batches {
                if batch.isControl {
                    let committed = pending.removeValue(forKey: batch.producerId) ?? []
                    guard batch.records.first.flatMap(EndTransactionMarker.init(record:))?.controlType == .commit else { continue }
                    for entry in committed where (loaded[entry.group]?[entry.partition]?.at ?? -1) < entry.loaded.at {
                        loaded[entry.group, default: [:]][entry.partition] = entry.loaded
                    }
                    continue
                }
                for record in batch.records {
                    guard let (group, tp, value) = OffsetCommitRecord.parse(key: record.key, value: record.value) else { continue }
                    seenGroups.insert(group)
                    if batch.isTransactional {
                        pending[batch.producerId, default: []].append((group, tp, (value, record.offset)))
                    } else {
                        loaded[group, default: [:]][tp] = (value, record.offset)
                    }
                }
            }
            // Transactions still open: their offsets wait for the marker (`transactionalOffsetsCompleted`).
            for (producerId, entries) in pending {
                for entry in entries {
                    guard let value = entry.loaded.value else { continue }
                    pendingTransactionalOffsets[producerId, default: [:]][entry.group, default: [:]][entry.partition] = value
                }
            }
        }
        var counts: [String: Int] = [:]
        for group in seenGroups {
            let offsets = (loaded[group] ?? [:]).compactMapValues(\.value)
            groupCoordinator.offsets[group] = offsets.isEmpty ? nil : offsets
            if !offsets.isEmpty { counts[group] = offsets.count }
        }
        return counts
    }

    /// A `__consumer_offsets` partition got a new leader: that broker becomes the coordinator of the
    /// partition's groups and loads their committed offsets from the log; the members rediscover it.
    func offsetsPartitionLeaderChanged(_ partition: Int, from oldLeader: Int?, to newLeader: Int?) {
        let groups = groupIds.filter { offsetsPartition(of: $0) == partition }
        guard !groups.isEmpty else { return }
        let counts = loadOffsets(partitions: [partition])
        for group in groups {
            emit(.group(.coordinatorMoved(group: group, from: oldLeader, to: newLeader, partition: partition,
                                          loadedOffsets: counts[group] ?? 0)))
            guard let newLeader, let broker = broker(newLeader) else { continue }
            for name in consumerNames {
                let c = consumers[name]!
                // Clients that knew the old coordinator are answered NOT_COORDINATOR and look it up again at once.
                if c.config.groupId == group, c.coordinatorId != nil { c.coordinatorId = newLeader }
                guard c.isAlive, !c.manualAssignment, c.config.groupId == group, !c.memberId.isEmpty else { continue }
                emit(.group(.coordinatorDiscovered(consumer: name, broker: newLeader, host: broker.host, port: broker.port)))
            }
        }
    }

    /// Deletes an inactive group and its offsets (`DeleteGroups` to the group's coordinator, as the admin client sends it).
    public func deleteGroup(_ groupId: String) throws(GroupAdminError) {
        let response = try adminSend(DeleteGroupsRequest(groupsNames: [groupId]), groupId)
        if let error = response.results.first?.error { throw GroupAdminError(error) }
    }

    /// Deletes committed offsets of partitions (`OffsetDelete` to the coordinator): refused for topics the group's
    /// live members subscribe to.
    public func deleteOffsets(_ groupId: String, _ partitions: [TopicPartition]) throws(GroupAdminError) -> [TopicPartition: GroupAdminError?] {
        let response = try adminSend(OffsetDeleteRequest(groupId: groupId, topics: partitions), groupId)
        if let error = response.error { throw GroupAdminError(error) }
        return response.topics.mapValues { $0.map(GroupAdminError.init) }
    }

    /// An admin request to a group's coordinator. Kafka's tools find it with FindCoordinator; kafkalab's look it up in
    /// the metadata, because FindCoordinator would create `__consumer_offsets` and looking must change nothing.
    func adminSend<R: KafkaApiRequest>(_ request: R, _ groupId: String) throws(GroupAdminError) -> R.Response {
        guard let coordinator = coordinator(of: groupId),
              let response = try? send(request, to: coordinator, from: RequestContext(client: .admin("kafka-consumer-groups.sh"), clientId: "adminclient-1"))
        else { throw .coordinatorNotAvailable }
        return response
    }

    /// DeleteGroups at the coordinator: tombstones for the group's offsets go to `__consumer_offsets`.
    func deleteGroupNow(_ groupId: String) throws(GroupError) {
        let state = groupState(groupId)
        guard state != .dead else { throw .groupIdNotFound }
        guard state == .empty else { throw .nonEmptyGroup }
        let partitions = Array((groupCoordinator.offsets[groupId] ?? [:]).keys)
        writeTombstones(groupId, partitions)
        groupCoordinator.offsets[groupId] = nil
        groupCoordinator.groups[groupId] = nil
        groupCoordinator.parkedJoins[groupId] = nil
        groupCoordinator.parkedSyncs[groupId] = nil
        emit(.group(.groupDeleted(group: groupId)))
    }

    /// OffsetDelete at the coordinator.
    func deleteOffsetsNow(_ groupId: String, _ partitions: [TopicPartition]) throws(GroupError) -> [TopicPartition: GroupError?] {
        let state = groupState(groupId)
        guard state != .dead else { throw .groupIdNotFound }
        let subscribed = Set((groupCoordinator.groups[groupId]?.members ?? []).flatMap(\.subscription.topics))
        var result: [TopicPartition: GroupError?] = [:]
        var deleted: [TopicPartition] = []
        for tp in partitions {
            if subscribed.contains(tp.topic) { result[tp] = .groupSubscribedToTopic; continue }
            result[tp] = .some(nil)
            if groupCoordinator.offsets[groupId]?[tp] != nil { deleted.append(tp) }
        }
        if !deleted.isEmpty {
            writeTombstones(groupId, deleted)
            for tp in deleted { groupCoordinator.offsets[groupId]?[tp] = nil }
            emit(.group(.offsetsDeleted(group: groupId, partitions: deleted.sorted(by: JavaString.topicPartitionLessThan))))
        }
        return result
    }

    private func writeTombstones(_ groupId: String, _ partitions: [TopicPartition]) {
        guard !partitions.isEmpty else { return }
        let records = partitions.sorted(by: JavaString.topicPartitionLessThan).map {
            Record(timestamp: nowMs, key: OffsetCommitRecord.key(group: groupId, partition: $0), value: nil)
        }
        appendCoordinatorRecords(records, groupId: groupId)
    }

    /// The coordinator's write to `__consumer_offsets` (acks=-1): an OffsetCommit is answered only once the in-sync
    /// followers have the records. kafkalab copies them at once rather than on the clock, so a commit takes no
    /// simulated time (Kafka's takes a fetch round trip).
    private func appendCoordinatorRecords(_ records: [Record], groupId: String) {
        let tp = TopicPartition(GroupCoordinator.offsetsTopic, offsetsPartition(of: groupId))
        guard let (_, leader) = try? appendRecords(records, repeating: records[0], count: 0, to: tp, acks: .all, reportAppend: false) else { return }
        replicateNow(leader)
    }

    /// Commits offsets computed by `--reset-offsets --execute` for an inactive group (the admin client's
    /// `alterConsumerGroupOffsets`: a standalone OffsetCommit to the coordinator).
    public func resetOffsets(_ groupId: String, _ offsets: [TopicPartition: Int64]) throws(ResetOffsetsError) {
        try ResetOffsetsPlanner.checkGroupInactive(groupId: groupId, state: groupState(groupId))
        commitStandalone(groupId, offsets.mapValues { OffsetCommitRequest.Partition(committedOffset: $0) }, kind: .resetOffsets,
                         from: RequestContext(client: .admin("kafka-consumer-groups.sh"), clientId: "adminclient-1"))
    }

    /// Commits what a short-lived member read before closing (`kafka-console-consumer.sh --group`):
    /// allowed only while the group has no other members, so no rebalance is needed.
    public func commitAsClosingMember(_ groupId: String, _ offsets: [TopicPartition: Int64]) throws(ResetOffsetsError) {
        try ResetOffsetsPlanner.checkGroupInactive(groupId: groupId, state: groupState(groupId))
        let partitions = Dictionary(uniqueKeysWithValues: offsets.map { tp, offset in
            (tp, OffsetCommitRequest.Partition(committedOffset: offset, committedLeaderEpoch: commitLeaderEpoch(tp, offset) ?? -1))
        })
        commitStandalone(groupId, partitions, kind: .consoleConsumer,
                         from: RequestContext(client: .consumer("console-consumer"), clientId: "console-consumer"))
    }

    /// A standalone OffsetCommit (generation -1, no member) sent to the group's coordinator.
    private func commitStandalone(_ groupId: String, _ partitions: [TopicPartition: OffsetCommitRequest.Partition],
                                  kind: ConsumerEvent.CommitKind, from context: RequestContext) {
        guard let coordinator = coordinator(of: groupId) else { return }
        _ = try? send(OffsetCommitRequest(groupId: groupId, topics: partitions, commitKind: kind), to: coordinator, from: context)
    }

    /// The first offset whose timestamp is ≥ `timestampMs` (ListOffsets by timestamp), or `nil`.
    public func offsetForTimestamp(_ tp: TopicPartition, _ timestampMs: Int64) -> Int64? {
        guard let log = logManager.logs[tp],
              let records = try? log.read(from: log.logStartOffset, endOffset: log.highWatermark) else { return nil }
        return records.first { $0.timestamp >= timestampMs }?.offset
    }
}

/// Errors of the group admin operations, with Kafka's exception names and texts.
public enum GroupAdminError: Error, Sendable, Equatable, CustomStringConvertible {
    case groupIdNotFound
    case groupNotEmpty
    case groupSubscribedToTopic
    case coordinatorNotAvailable

    /// The admin client's exception for a response's error code.
    init(_ error: GroupError) {
        switch error {
        case .groupIdNotFound: self = .groupIdNotFound
        case .nonEmptyGroup: self = .groupNotEmpty
        case .groupSubscribedToTopic: self = .groupSubscribedToTopic
        default: self = .coordinatorNotAvailable
        }
    }

    /// `org.apache.kafka.common.errors.…Exception: message`.
    public var description: String {
        switch self {
        case .groupIdNotFound: return "org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist."
        case .groupNotEmpty: return "org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty."
        case .groupSubscribedToTopic:
            return "org.apache.kafka.common.errors.GroupSubscribedToTopicException: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it."
        case .coordinatorNotAvailable:
            return "org.apache.kafka.common.errors.CoordinatorNotAvailableException: The coordinator is not available."
        }
    }
}
