/// The shared algorithm of `StickyAssignor` and `CooperativeStickyAssignor`
/// (Kafka's `AbstractStickyAssignor`, without rack awareness).
///
/// Goals, in order: balance (partition counts differ by at most one when subscriptions are equal), then keep
/// previous ownership. Equal subscriptions use the "constrained" algorithm, unequal ones the "general" one.
///
/// Where Kafka's outcome depends on the iteration order of a Java `HashMap` (which member keeps `maxQuota`
/// partitions in the constrained algorithm; which partition `PartitionMovements` picks), this implementation
/// reproduces Java's `HashMap`/`HashSet` bucket order from `String.hashCode`/`TopicPartition.hashCode`, taking the
/// order of the `subscriptions` array as the insertion order (it only matters for keys that share a bucket).
struct StickyAssignmentEngine {
    static let defaultGeneration = -1

    struct Result {
        var assignments: [String: [TopicPartition]]
        /// `nil` when the general algorithm ran (the cooperative assignor must then compute it itself).
        var partitionsTransferringOwnership: [TopicPartition: String]?
    }

    let partitionsPerTopic: [String: Int]
    /// Subscriptions in Java `HashMap` iteration order.
    let ordered: [AssignorSubscription]
    let byId: [String: AssignorSubscription]

    init(partitionsPerTopic: [String: Int], subscriptions: [AssignorSubscription]) {
        let subscribed = Set(subscriptions.flatMap(\.topics))
        // AbstractPartitionAssignor passes only subscribed topics that have metadata.
        self.partitionsPerTopic = partitionsPerTopic.filter { subscribed.contains($0.key) }
        self.ordered = JavaHashOrder.iterationOrder(subscriptions) { JavaString.hashCode($0.memberId) }
        var byId: [String: AssignorSubscription] = [:]
        for s in subscriptions {
            precondition(byId[s.memberId] == nil, "duplicate member id \(s.memberId)")
            byId[s.memberId] = s
        }
        self.byId = byId
    }

    func run() -> Result {
        guard !ordered.isEmpty else { return Result(assignments: [:], partitionsTransferringOwnership: [:]) }
        var owned: [String: [TopicPartition]] = [:]
        var multiple = Set<TopicPartition>()
        var maxGeneration = Self.defaultGeneration
        let equal = allSubscriptionsEqual(&owned, &multiple, &maxGeneration)
        if equal {
            var builder = ConstrainedBuilder(engine: self, currentAssignment: owned, multiple: multiple)
            return builder.build()
        }
        var builder = GeneralBuilder(engine: self, currentAssignment: owned, maxGeneration: maxGeneration)
        return Result(assignments: builder.build(), partitionsTransferringOwnership: nil)
    }

    private func generation(_ memberId: String) -> Int {
        byId[memberId]?.generation ?? Self.defaultGeneration
    }

    /// Kafka's `allSubscriptionsEqual`: also collects each member's still-valid owned partitions, resolving
    /// conflicting claims (higher generation wins; equal generations invalidate the partition for both).
    private func allSubscriptionsEqual(_ owned: inout [String: [TopicPartition]], _ multiple: inout Set<TopicPartition>,
                                       _ maxGeneration: inout Int) -> Bool {
        var isEqual = true
        var subscribedTopics = Set<String>()
        var previousOwner: [TopicPartition: String] = [:]
        for s in ordered {
            if subscribedTopics.isEmpty {
                subscribedTopics.formUnion(s.topics)
            } else if isEqual && !(Set(s.topics).count == subscribedTopics.count && subscribedTopics.isSuperset(of: s.topics)) {
                isEqual = false
            }
            let memberGeneration = s.generation ?? Self.defaultGeneration
            maxGeneration = max(maxGeneration, memberGeneration)
            owned[s.memberId] = []
            for tp in s.ownedPartitions where partitionsPerTopic[tp.topic] != nil {
                guard let other = previousOwner[tp] else {
                    owned[s.memberId]!.append(tp)
                    previousOwner[tp] = s.memberId
                    continue
                }
                let otherGeneration = generation(other)
                if memberGeneration == otherGeneration {
                    multiple.insert(tp)
                    owned[other]?.removeAll { $0 == tp }
                    previousOwner[tp] = s.memberId
                } else if memberGeneration > otherGeneration {
                    owned[s.memberId]!.append(tp)
                    owned[other]?.removeAll { $0 == tp }
                    previousOwner[tp] = s.memberId
                }
            }
        }
        return isEqual
    }

    var totalPartitionsCount: Int { partitionsPerTopic.values.reduce(0, +) }

    func allPartitions(topicsInOrder: [String]) -> [TopicPartition] {
        topicsInOrder.flatMap { topic in (0..<(partitionsPerTopic[topic] ?? 0)).map { TopicPartition(topic, $0) } }
    }
}

// MARK: - Constrained (equal subscriptions)

private struct ConstrainedBuilder {
    let engine: StickyAssignmentEngine
    let currentAssignment: [String: [TopicPartition]]
    let multiple: Set<TopicPartition>
    var allRevoked = Set<TopicPartition>()
    var under: [String] = []
    var exact: [String] = []
    var exactHead = 0
    let minQuota: Int
    let maxQuota: Int
    let expectedOverMin: Int
    var currentOverMin = 0
    var assignment: [String: [TopicPartition]] = [:]
    var assigned = Set<TopicPartition>()
    var transferring: [TopicPartition: String] = [:]

    init(engine: StickyAssignmentEngine, currentAssignment: [String: [TopicPartition]], multiple: Set<TopicPartition>) {
        self.engine = engine
        self.currentAssignment = currentAssignment
        self.multiple = multiple
        let total = engine.totalPartitionsCount
        let n = currentAssignment.count
        minQuota = total / n
        maxQuota = (total + n - 1) / n
        expectedOverMin = total % n
        for id in currentAssignment.keys { assignment[id] = [] }
    }

    mutating func build() -> StickyAssignmentEngine.Result {
        assignOwnedPartitions()
        let sortedTopics = engine.partitionsPerTopic.keys.sorted(by: JavaString.lessThan)
        let unassigned = engine.allPartitions(topicsInOrder: sortedTopics).filter { !assigned.contains($0) }
        under.sort(by: JavaString.lessThan)
        let pendingExact = Array(exact[exactHead...]).sorted(by: JavaString.lessThan)
        exact = pendingExact
        exactHead = 0
        assignRoundRobin(unassigned)
        return StickyAssignmentEngine.Result(assignments: assignment, partitionsTransferringOwnership: transferring)
    }

    private mutating func assignOwnedPartitions() {
        for s in engine.ordered {
            let consumer = s.memberId
            var owned = (currentAssignment[consumer] ?? []).sorted {
                $0.partition != $1.partition ? $0.partition < $1.partition : JavaString.lessThan($0.topic, $1.topic)
            }
            owned.removeAll { multiple.contains($0) }
            if owned.count < minQuota {
                assignment[consumer]!.append(contentsOf: owned)
                assigned.formUnion(owned)
                under.append(consumer)
            } else if owned.count >= maxQuota && currentOverMin < expectedOverMin {
                currentOverMin += 1
                if currentOverMin == expectedOverMin {
                    exact.removeAll()
                    exactHead = 0
                }
                assignment[consumer]!.append(contentsOf: owned[0..<maxQuota])
                assigned.formUnion(owned[0..<maxQuota])
                allRevoked.formUnion(owned[maxQuota...])
            } else {
                assignment[consumer]!.append(contentsOf: owned[0..<minQuota])
                assigned.formUnion(owned[0..<minQuota])
                allRevoked.formUnion(owned[minQuota...])
                if currentOverMin < expectedOverMin {
                    exact.append(consumer)
                }
            }
        }
    }

    /// Round-robin over the members under `minQuota` (restarting the cursor while any remain), then one
    /// extra partition each to the members at exactly `minQuota`, in member-id order.
    private mutating func assignRoundRobin(_ unassigned: [TopicPartition]) {
        var cursor = 0  // Java's Iterator over `under`: index of the next element
        for tp in unassigned {
            let consumer: String
            var fromIterator = true
            if cursor < under.count {
                consumer = under[cursor]
                cursor += 1
            } else if under.isEmpty {
                guard exactHead < exact.count else {
                    preconditionFailure("No more unfilled consumers to be assigned.")
                }
                consumer = exact[exactHead]
                exactHead += 1
                fromIterator = false
            } else {
                cursor = 0
                consumer = under[cursor]
                cursor += 1
            }
            assignment[consumer]!.append(tp)
            if allRevoked.contains(tp) || multiple.contains(tp) {
                transferring[tp] = consumer
            }
            let count = assignment[consumer]!.count
            if count == minQuota {
                if fromIterator {
                    cursor -= 1
                    under.remove(at: cursor)
                }
                exact.append(consumer)
            } else if count == maxQuota {
                currentOverMin += 1
            }
        }
    }
}

// MARK: - General (unequal subscriptions)

private struct ConsumerPair: Hashable {
    let src: String
    let dst: String
}

/// Kafka's `PartitionMovements`: remembers moves so a partition moved A→B is not followed by another
/// partition of the same topic moving B→A (the move is cancelled out instead).
private struct PartitionMovements {
    var byTopic: [String: [ConsumerPair: JavaHashSetOfPartitions]] = [:]
    var movements: [TopicPartition: ConsumerPair] = [:]

    private mutating func removeRecord(_ tp: TopicPartition) -> ConsumerPair {
        let pair = movements.removeValue(forKey: tp)!
        byTopic[tp.topic]![pair]!.remove(tp)
        if byTopic[tp.topic]![pair]!.isEmpty { byTopic[tp.topic]![pair] = nil }
        if byTopic[tp.topic]!.isEmpty { byTopic[tp.topic] = nil }
        return pair
    }

    private mutating func addRecord(_ tp: TopicPartition, _ pair: ConsumerPair) {
        movements[tp] = pair
        byTopic[tp.topic, default: [:]][pair, default: JavaHashSetOfPartitions()].insert(tp)
    }

    mutating func move(_ tp: TopicPartition, from old: String, to new: String) {
        if movements[tp] != nil {
            let existing = removeRecord(tp)
            if existing.src != new { addRecord(tp, ConsumerPair(src: existing.src, dst: new)) }
        } else {
            addRecord(tp, ConsumerPair(src: old, dst: new))
        }
    }

    func actualPartitionToMove(_ tp: TopicPartition, from old: String, to new: String) -> TopicPartition {
        guard let forTopic = byTopic[tp.topic] else { return tp }
        var oldConsumer = old
        if let moved = movements[tp] { oldConsumer = moved.src }
        guard let reverse = forTopic[ConsumerPair(src: new, dst: oldConsumer)], let first = reverse.first else { return tp }
        return first
    }
}

/// Members ordered by (assigned partition count, member id) — Kafka's `TreeSet` with `SubscriptionComparator`.
private struct SortedSubscriptions {
    var ids: [String] = []

    static func less(_ a: String, _ b: String, _ sizes: [String: [TopicPartition]]) -> Bool {
        let sa = sizes[a]?.count ?? 0, sb = sizes[b]?.count ?? 0
        return sa != sb ? sa < sb : JavaString.lessThan(a, b)
    }

    mutating func insert(_ id: String, _ sizes: [String: [TopicPartition]]) {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Self.less(ids[mid], id, sizes) { lo = mid + 1 } else { hi = mid }
        }
        ids.insert(id, at: lo)
    }

    mutating func remove(_ id: String) {
        if let i = ids.firstIndex(of: id) { ids.remove(at: i) }
    }
}

private struct GeneralBuilder {
    let engine: StickyAssignmentEngine
    var currentAssignment: [String: [TopicPartition]]
    let maxGeneration: Int
    var topicConsumers: [String: [String]] = [:]
    var consumerTopics: [String: [String]] = [:]
    var consumerTopicSets: [String: Set<String>] = [:]
    var currentPartitionConsumer: [TopicPartition: String] = [:]
    var sortedAllPartitions: [TopicPartition]
    var sorted = SortedSubscriptions()
    var revocationRequired = false
    var movements = PartitionMovements()

    init(engine: StickyAssignmentEngine, currentAssignment: [String: [TopicPartition]], maxGeneration: Int) {
        self.engine = engine
        self.currentAssignment = currentAssignment
        self.maxGeneration = maxGeneration
        for topic in engine.partitionsPerTopic.keys { topicConsumers[topic] = [] }
        for s in engine.ordered {
            var topics: [String] = []
            for topic in s.topics where engine.partitionsPerTopic[topic] != nil && !topics.contains(topic) {
                topics.append(topic)
                topicConsumers[topic]!.append(s.memberId)
            }
            consumerTopics[s.memberId] = topics
            consumerTopicSets[s.memberId] = Set(topics)
            if self.currentAssignment[s.memberId] == nil { self.currentAssignment[s.memberId] = [] }
        }
        for (consumer, partitions) in self.currentAssignment {
            for tp in partitions { currentPartitionConsumer[tp] = consumer }
        }
        let tc = topicConsumers
        let sortedTopics = engine.partitionsPerTopic.keys.sorted { a, b in
            let ca = tc[a]!.count, cb = tc[b]!.count
            return ca != cb ? ca < cb : JavaString.lessThan(a, b)
        }
        sortedAllPartitions = engine.allPartitions(topicsInOrder: sortedTopics)
    }

    mutating func build() -> [String: [TopicPartition]] {
        let prevAssignment = prepopulatePrevAssignment()
        let assigned = Set(assignOwnedPartitions())
        let unassigned = sortedAllPartitions.filter { !assigned.contains($0) }
        for id in currentAssignment.keys { sorted.insert(id, currentAssignment) }
        balance(prevAssignment, unassigned)
        return currentAssignment
    }

    /// The previous owner (second-highest generation claim) of each partition.
    private func prepopulatePrevAssignment() -> [TopicPartition: (consumer: String, generation: Int)] {
        var prev: [TopicPartition: (consumer: String, generation: Int)] = [:]
        func update(_ partitions: [TopicPartition], _ consumer: String, _ generation: Int) {
            for tp in partitions {
                if let existing = prev[tp] {
                    if generation > existing.generation { prev[tp] = (consumer, generation) }
                } else {
                    prev[tp] = (consumer, generation)
                }
            }
        }
        for s in engine.ordered {
            if let g = s.generation, g < maxGeneration {
                update(s.ownedPartitions, s.memberId, g)
            } else if s.generation == nil && maxGeneration > StickyAssignmentEngine.defaultGeneration {
                update(s.ownedPartitions, s.memberId, StickyAssignmentEngine.defaultGeneration)
            }
        }
        return prev
    }

    private mutating func assignOwnedPartitions() -> [TopicPartition] {
        var assigned: [TopicPartition] = []
        for s in engine.ordered {
            let consumer = s.memberId
            var kept: [TopicPartition] = []
            for tp in currentAssignment[consumer] ?? [] {
                if topicConsumers[tp.topic] == nil {
                    currentPartitionConsumer[tp] = nil
                } else if !consumerTopicSets[consumer]!.contains(tp.topic) {
                    revocationRequired = true
                } else {
                    kept.append(tp)
                    assigned.append(tp)
                }
            }
            currentAssignment[consumer] = kept
        }
        return assigned
    }

    private func maxAssignmentSize(_ consumer: String) -> Int {
        let topics = consumerTopics[consumer] ?? []
        if topics.count == engine.partitionsPerTopic.count { return engine.totalPartitionsCount }
        return topics.reduce(0) { $0 + (engine.partitionsPerTopic[$1] ?? 0) }
    }

    private func isBalanced() -> Bool {
        guard let first = sorted.ids.first, let last = sorted.ids.last else { return true }
        let minSize = currentAssignment[first]?.count ?? 0
        let maxSize = currentAssignment[last]?.count ?? 0
        if minSize >= maxSize - 1 { return true }
        var owner: [TopicPartition: String] = [:]
        for (consumer, partitions) in currentAssignment {
            for tp in partitions { owner[tp] = consumer }
        }
        for consumer in sorted.ids {
            let count = currentAssignment[consumer]?.count ?? 0
            if count == maxAssignmentSize(consumer) { continue }
            for topic in consumerTopics[consumer] ?? [] {
                for p in 0..<(engine.partitionsPerTopic[topic] ?? 0) {
                    let tp = TopicPartition(topic, p)
                    guard let other = owner[tp], other != consumer else { continue }
                    if count + 1 < (currentAssignment[other]?.count ?? 0) { return false }
                }
            }
        }
        return true
    }

    private func balanceScore(_ assignment: [String: [TopicPartition]]) -> Int {
        let sizes = assignment.values.map(\.count).sorted()
        var score = 0, prefix = 0
        for (i, s) in sizes.enumerated() {
            score += s * i - prefix
            prefix += s
        }
        return score
    }

    private func canConsumerParticipate(_ consumer: String) -> Bool {
        let current = currentAssignment[consumer] ?? []
        if current.count < maxAssignmentSize(consumer) { return true }
        return current.contains { (topicConsumers[$0.topic]?.count ?? 0) >= 2 }
    }

    private mutating func assignPartition(_ tp: TopicPartition) {
        for consumer in sorted.ids where consumerTopicSets[consumer]!.contains(tp.topic) {
            sorted.remove(consumer)
            currentAssignment[consumer]!.append(tp)
            currentPartitionConsumer[tp] = consumer
            sorted.insert(consumer, currentAssignment)
            return
        }
    }

    private mutating func balance(_ prev: [TopicPartition: (consumer: String, generation: Int)], _ unassignedIn: [TopicPartition]) {
        let initializing = sorted.ids.last.map { currentAssignment[$0]?.isEmpty ?? true } ?? true
        for tp in unassignedIn where !(topicConsumers[tp.topic]?.isEmpty ?? true) {
            assignPartition(tp)
        }
        let fixedTopics = Set(topicConsumers.filter { $0.value.count < 2 }.keys)
        sortedAllPartitions.removeAll { fixedTopics.contains($0.topic) }
        let unassigned = unassignedIn.filter { !fixedTopics.contains($0.topic) }

        var fixedAssignments: [String: [TopicPartition]] = [:]
        for s in engine.ordered where !canConsumerParticipate(s.memberId) {
            sorted.remove(s.memberId)
            fixedAssignments[s.memberId] = currentAssignment.removeValue(forKey: s.memberId)
        }

        let preBalanceAssignment = currentAssignment
        let preBalancePartitionConsumers = currentPartitionConsumer
        if !revocationRequired {
            _ = performReassignments(unassigned, prev)
        }
        let reassigned = performReassignments(sortedAllPartitions, prev)
        if !initializing && reassigned && balanceScore(currentAssignment) >= balanceScore(preBalanceAssignment) {
            currentAssignment = preBalanceAssignment
            currentPartitionConsumer = preBalancePartitionConsumers
        }
        for (consumer, partitions) in fixedAssignments {
            currentAssignment[consumer] = partitions
            sorted.insert(consumer, currentAssignment)
        }
    }

    private mutating func performReassignments(_ reassignable: [TopicPartition],
                                               _ prev: [TopicPartition: (consumer: String, generation: Int)]) -> Bool {
        var performed = false
        var modified: Bool
        repeat {
            modified = false
            var index = 0
            while index < reassignable.count && !isBalanced() {
                let tp = reassignable[index]
                index += 1
                guard let consumer = currentPartitionConsumer[tp] else { continue }
                let size = currentAssignment[consumer]?.count ?? 0
                if let p = prev[tp], size > (currentAssignment[p.consumer]?.count ?? 0) + 1 {
                    reassignPartition(tp, to: p.consumer)
                    performed = true
                    modified = true
                    continue
                }
                for other in topicConsumers[tp.topic] ?? [] where size > (currentAssignment[other]?.count ?? 0) + 1 {
                    // the new owner is the least-loaded member subscribed to the topic
                    if let newConsumer = sorted.ids.first(where: { consumerTopicSets[$0]!.contains(tp.topic) }) {
                        reassignPartition(tp, to: newConsumer)
                    }
                    performed = true
                    modified = true
                    break
                }
            }
        } while modified
        return performed
    }

    private mutating func reassignPartition(_ tp: TopicPartition, to newConsumer: String) {
        guard let consumer = currentPartitionConsumer[tp] else { return }
        let toMove = movements.actualPartitionToMove(tp, from: consumer, to: newConsumer)
        processPartitionMovement(toMove, to: newConsumer)
    }

    private mutating func processPartitionMovement(_ tp: TopicPartition, to newConsumer: String) {
        guard let oldConsumer = currentPartitionConsumer[tp] else { return }
        sorted.remove(oldConsumer)
        sorted.remove(newConsumer)
        movements.move(tp, from: oldConsumer, to: newConsumer)
        currentAssignment[oldConsumer]?.removeAll { $0 == tp }
        currentAssignment[newConsumer, default: []].append(tp)
        currentPartitionConsumer[tp] = newConsumer
        sorted.insert(newConsumer, currentAssignment)
        sorted.insert(oldConsumer, currentAssignment)
    }
}
