import Testing
@testable import KafkaModel

/// §3.4 fresh-group table: (topics, members, range, roundrobin; sticky = roundrobin).
struct FreshCase: Sendable, CustomStringConvertible {
    let row: Int
    let topics: [String: Int]
    let members: [String]
    let range: String
    let roundRobin: String
    var description: String { "row \(row)" }
}

let freshCases: [FreshCase] = [
    .init(row: 1, topics: ["t": 3], members: ["c1", "c2"], range: "c1 [t-0,t-1]; c2 [t-2]", roundRobin: "c1 [t-0,t-2]; c2 [t-1]"),
    .init(row: 2, topics: ["t": 3], members: ["c1", "c2", "c3"], range: "c1 [t-0]; c2 [t-1]; c3 [t-2]", roundRobin: "c1 [t-0]; c2 [t-1]; c3 [t-2]"),
    .init(row: 3, topics: ["t": 5], members: ["c1", "c2"], range: "c1 [t-0,t-1,t-2]; c2 [t-3,t-4]", roundRobin: "c1 [t-0,t-2,t-4]; c2 [t-1,t-3]"),
    .init(row: 4, topics: ["t": 5], members: ["c1", "c2", "c3"], range: "c1 [t-0,t-1]; c2 [t-2,t-3]; c3 [t-4]", roundRobin: "c1 [t-0,t-3]; c2 [t-1,t-4]; c3 [t-2]"),
    .init(row: 5, topics: ["t": 7], members: ["c1", "c2"], range: "c1 [t-0,t-1,t-2,t-3]; c2 [t-4,t-5,t-6]", roundRobin: "c1 [t-0,t-2,t-4,t-6]; c2 [t-1,t-3,t-5]"),
    .init(row: 6, topics: ["t": 7], members: ["c1", "c2", "c3"], range: "c1 [t-0,t-1,t-2]; c2 [t-3,t-4]; c3 [t-5,t-6]", roundRobin: "c1 [t-0,t-3,t-6]; c2 [t-1,t-4]; c3 [t-2,t-5]"),
    .init(row: 7, topics: ["t0": 3, "t1": 3], members: ["c1", "c2"], range: "c1 [t0-0,t0-1,t1-0,t1-1]; c2 [t0-2,t1-2]", roundRobin: "c1 [t0-0,t0-2,t1-1]; c2 [t0-1,t1-0,t1-2]"),
    .init(row: 8, topics: ["t0": 3, "t1": 3], members: ["c1", "c2", "c3"], range: "c1 [t0-0,t1-0]; c2 [t0-1,t1-1]; c3 [t0-2,t1-2]", roundRobin: "c1 [t0-0,t1-0]; c2 [t0-1,t1-1]; c3 [t0-2,t1-2]"),
    .init(row: 9, topics: ["t": 2], members: ["c1", "c2", "c3"], range: "c1 [t-0]; c2 [t-1]; c3 []", roundRobin: "c1 [t-0]; c2 [t-1]; c3 []"),
    .init(row: 10, topics: ["t": 3], members: ["consumer-10", "consumer-2", "consumer-9"], range: "consumer-10 [t-0]; consumer-2 [t-1]; consumer-9 [t-2]", roundRobin: "consumer-10 [t-0]; consumer-2 [t-1]; consumer-9 [t-2]"),
]

@Suite("Assignors — §3.4 fresh groups")
struct AssignorFreshGroupTests {
    @Test(arguments: freshCases)
    func freshGroup(_ c: FreshCase) {
        let topics = Array(c.topics.keys)
        // members given in scrambled join order: results must not depend on it
        let subs = c.members.reversed().map { sub($0, topics) }
        #expect(render(rangeA.assign(partitionsPerTopic: c.topics, subscriptions: subs), c.members) == c.range)
        #expect(render(roundRobinA.assign(partitionsPerTopic: c.topics, subscriptions: subs), c.members) == c.roundRobin)
        #expect(render(stickyA.assign(partitionsPerTopic: c.topics, subscriptions: subs), c.members) == c.roundRobin)
        let coop = coopA.assign(partitionsPerTopic: c.topics, subscriptions: subs)
        #expect(render(coop, c.members) == c.roundRobin)
        #expect(coop.partitionsTransferringOwnership.isEmpty)
    }

    @Test func javaStringOrderForMemberIds() {
        // non-ASCII: Java compares UTF-16 units, so U+FF21 (0xFF21) sorts after U+1F600's high surrogate (0xD83D)
        let a = "m-\u{FF21}", b = "m-\u{1F600}"
        let subs = [sub(a, ["t"]), sub(b, ["t"])]
        let r = rangeA.assign(partitionsPerTopic: ["t": 2], subscriptions: subs)
        #expect(r[b] == tps("t-0"))
        #expect(r[a] == tps("t-1"))
    }
}

@Suite("Assignors — §3.4 unequal subscriptions")
struct AssignorUnequalTests {
    let topics = ["t0": 1, "t1": 2, "t2": 3]
    var subs: [AssignorSubscription] {
        [sub("C0", ["t0"]), sub("C1", ["t0", "t1"]), sub("C2", ["t0", "t1", "t2"])]
    }

    @Test func range() {
        #expect(render(rangeA.assign(partitionsPerTopic: topics, subscriptions: subs), ["C0", "C1", "C2"])
            == "C0 [t0-0]; C1 [t1-0]; C2 [t1-1,t2-0,t2-1,t2-2]")
    }

    @Test func roundRobin() {
        #expect(render(roundRobinA.assign(partitionsPerTopic: topics, subscriptions: subs), ["C0", "C1", "C2"])
            == "C0 [t0-0]; C1 [t1-0]; C2 [t1-1,t2-0,t2-1,t2-2]")
    }

    @Test(arguments: [0, 1])
    func sticky(_ which: Int) {
        let a: any ConsumerPartitionAssignor = which == 0 ? stickyA : coopA
        #expect(render(a.assign(partitionsPerTopic: topics, subscriptions: subs), ["C0", "C1", "C2"])
            == "C0 [t0-0]; C1 [t1-0,t1-1]; C2 [t2-0,t2-1,t2-2]")
    }

    @Test func stickyMultipleConsumersMixedTopicSubscriptions() {
        let s = [sub("consumer1", ["topic1"]), sub("consumer2", ["topic1", "topic2"]), sub("consumer3", ["topic1"])]
        let r = stickyA.assign(partitionsPerTopic: ["topic1": 3, "topic2": 2], subscriptions: s)
        #expect(render(r, ["consumer1", "consumer2", "consumer3"])
            == "consumer1 [topic1-0,topic1-2]; consumer2 [topic2-0,topic2-1]; consumer3 [topic1-1]")
    }

    @Test func rangeMultipleConsumersMixedTopics() {
        let s = [sub("consumer1", ["topic1"]), sub("consumer2", ["topic1", "topic2"]), sub("consumer3", ["topic1"])]
        let r = rangeA.assign(partitionsPerTopic: ["topic1": 3, "topic2": 2], subscriptions: s)
        #expect(render(r, ["consumer1", "consumer2", "consumer3"])
            == "consumer1 [topic1-0]; consumer2 [topic1-1,topic2-0,topic2-1]; consumer3 [topic1-2]")
    }
}

@Suite("Assignors — §3.4 static members")
struct AssignorStaticMemberTests {
    let topics = ["t0": 3, "t1": 3]
    var subs: [AssignorSubscription] {
        [sub("consumer-a", ["t0", "t1"]), sub("consumer-b", ["t0", "t1"], instance: "instance1")]
    }

    @Test func rangeStaticFirst() {
        #expect(render(rangeA.assign(partitionsPerTopic: topics, subscriptions: subs), ["consumer-b", "consumer-a"])
            == "consumer-b [t0-0,t0-1,t1-0,t1-1]; consumer-a [t0-2,t1-2]")
    }

    @Test func roundRobinStaticFirst() {
        #expect(render(roundRobinA.assign(partitionsPerTopic: topics, subscriptions: subs), ["consumer-b", "consumer-a"])
            == "consumer-b [t0-0,t0-2,t1-1]; consumer-a [t0-1,t1-0,t1-2]")
    }

    @Test func cooperativeStickyIgnoresInstanceIds() {
        #expect(render(coopA.assign(partitionsPerTopic: topics, subscriptions: subs), ["consumer-a", "consumer-b"])
            == "consumer-a [t0-0,t0-2,t1-1]; consumer-b [t0-1,t1-0,t1-2]")
    }

    @Test func rangeStaticAssignmentPersistent() {
        let topics = ["topic1": 5, "topic2": 4]
        func members(_ dynamic: String) -> [AssignorSubscription] {
            [sub("consumer1", ["topic1", "topic2"], instance: "instance1"),
             sub("consumer2", ["topic1", "topic2"], instance: "instance2"),
             sub("consumer3", ["topic1", "topic2"], instance: "instance3"),
             sub(dynamic, ["topic1", "topic2"])]
        }
        let r1 = rangeA.assign(partitionsPerTopic: topics, subscriptions: members("consumer4"))
        #expect(render(r1, ["consumer1", "consumer2", "consumer3", "consumer4"])
            == "consumer1 [topic1-0,topic1-1,topic2-0]; consumer2 [topic1-2,topic2-1]; consumer3 [topic1-3,topic2-2]; consumer4 [topic1-4,topic2-3]")
        let r2 = rangeA.assign(partitionsPerTopic: topics, subscriptions: members("consumer5"))
        #expect(r2["consumer5"] == r1["consumer4"])
        #expect(r2["consumer1"] == r1["consumer1"])
    }

    @Test func staticMembersOrderedByInstanceIdNotMemberId() {
        let s = [sub("zzz-1", ["t"], instance: "a"), sub("aaa-1", ["t"], instance: "b")]
        let r = rangeA.assign(partitionsPerTopic: ["t": 2], subscriptions: s)
        #expect(r["zzz-1"] == tps("t-0"))
    }
}

@Suite("Assignors — §3.4 stickiness and cooperative rounds")
struct AssignorStickinessTests {
    @Test func memberLeaves() {
        let fresh = coopA.assign(partitionsPerTopic: ["t": 6], subscriptions: ["c1", "c2", "c3"].map { sub($0, ["t"]) })
        #expect(renderNumbers(fresh, ["c1", "c2", "c3"]) == "c1 [0,3]; c2 [1,4]; c3 [2,5]")
        let survivors = [sub("c1", ["t"], owned: fresh["c1"], generation: 1), sub("c3", ["t"], owned: fresh["c3"], generation: 1)]
        let coop = coopA.assign(partitionsPerTopic: ["t": 6], subscriptions: survivors)
        #expect(renderNumbers(coop, ["c1", "c3"]) == "c1 [0,1,3]; c3 [2,4,5]")
        #expect(coop.partitionsTransferringOwnership.isEmpty)
        #expect(renderNumbers(stickyA.assign(partitionsPerTopic: ["t": 6], subscriptions: survivors), ["c1", "c3"]) == "c1 [0,1,3]; c3 [2,4,5]")
        #expect(renderNumbers(rangeA.assign(partitionsPerTopic: ["t": 6], subscriptions: survivors), ["c1", "c3"]) == "c1 [0,1,2]; c3 [3,4,5]")
        #expect(renderNumbers(roundRobinA.assign(partitionsPerTopic: ["t": 6], subscriptions: survivors), ["c1", "c3"]) == "c1 [0,2,4]; c3 [1,3,5]")
    }

    @Test func stickyJavadocExample1() {
        let topics = ["t0": 2, "t1": 2, "t2": 2, "t3": 2]
        let all = ["t0", "t1", "t2", "t3"]
        let initial = stickyA.assign(partitionsPerTopic: topics, subscriptions: ["C0", "C1", "C2"].map { sub($0, all) })
        #expect(render(initial, ["C0", "C1", "C2"]) == "C0 [t0-0,t1-1,t3-0]; C1 [t0-1,t2-0,t3-1]; C2 [t1-0,t2-1]")
        let after = stickyA.assign(partitionsPerTopic: topics, subscriptions: [
            sub("C0", all, owned: initial["C0"], generation: 1), sub("C2", all, owned: initial["C2"], generation: 1)])
        #expect(render(after, ["C0", "C2"]) == "C0 [t0-0,t0-1,t1-1,t3-0]; C2 [t1-0,t2-0,t2-1,t3-1]")
        let rr = roundRobinA.assign(partitionsPerTopic: topics, subscriptions: [sub("C0", all), sub("C2", all)])
        #expect(render(rr, ["C0", "C2"]) == "C0 [t0-0,t1-0,t2-0,t3-0]; C2 [t0-1,t1-1,t2-1,t3-1]")
    }

    @Test func cooperativeTwoPhaseJoin() {
        let round1 = coopA.assign(partitionsPerTopic: ["t": 3], subscriptions: [
            sub("c1", ["t"], owned: tps("t-0", "t-1", "t-2"), generation: 1), sub("c2", ["t"], generation: -1)])
        #expect(render(round1, ["c1", "c2"]) == "c1 [t-0,t-1]; c2 []")
        #expect(round1.partitionsTransferringOwnership == [tp("t-2"): "c2"])
        let round2 = coopA.assign(partitionsPerTopic: ["t": 3], subscriptions: [
            sub("c1", ["t"], owned: round1["c1"], generation: 2), sub("c2", ["t"], owned: [], generation: 2)])
        #expect(render(round2, ["c1", "c2"]) == "c1 [t-0,t-1]; c2 [t-2]")
        #expect(round2.partitionsTransferringOwnership.isEmpty)
        // eager sticky does it in one round
        let eager = stickyA.assign(partitionsPerTopic: ["t": 3], subscriptions: [
            sub("c1", ["t"], owned: tps("t-0", "t-1", "t-2"), generation: 1), sub("c2", ["t"])])
        #expect(render(eager, ["c1", "c2"]) == "c1 [t-0,t-1]; c2 [t-2]")
    }

    @Test func cooperativeFourthMemberJoins() {
        let owned = ["c1": tps("t-0", "t-3"), "c2": tps("t-1", "t-4"), "c3": tps("t-2", "t-5")]
        let subs = ["c1", "c2", "c3"].map { sub($0, ["t"], owned: owned[$0]!, generation: 1) } + [sub("c4", ["t"])]
        let round1 = coopA.assign(partitionsPerTopic: ["t": 6], subscriptions: subs)
        #expect(renderNumbers(round1, ["c1", "c2", "c3", "c4"]) == "c1 [0,3]; c2 [1]; c3 [2,5]; c4 []")
        #expect(round1.partitionsTransferringOwnership == [tp("t-4"): "c4"])
        let subs2 = ["c1", "c2", "c3", "c4"].map { sub($0, ["t"], owned: round1[$0], generation: 2) }
        let round2 = coopA.assign(partitionsPerTopic: ["t": 6], subscriptions: subs2)
        #expect(renderNumbers(round2, ["c1", "c2", "c3", "c4"]) == "c1 [0,3]; c2 [1]; c3 [2,5]; c4 [4]")
    }

    @Test func addRemoveConsumerOneTopic() {
        let r = coopA.assign(partitionsPerTopic: ["topic": 3], subscriptions: [
            sub("consumer1", ["topic"], owned: tps("topic-0", "topic-1", "topic-2"), generation: 1), sub("consumer2", ["topic"])])
        #expect(r.partitionsTransferringOwnership == [tp("topic-2"): "consumer2"])
        let eager = stickyA.assign(partitionsPerTopic: ["topic": 3], subscriptions: [
            sub("consumer1", ["topic"], owned: tps("topic-0", "topic-1", "topic-2"), generation: 1), sub("consumer2", ["topic"])])
        #expect(render(eager, ["consumer1", "consumer2"]) == "consumer1 [topic-0,topic-1]; consumer2 [topic-2]")
    }

    @Test func maxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers() {
        let topics = ["topic1": 2, "topic2": 2]
        let subs = [sub("consumer1", ["topic1", "topic2"], owned: tps("topic1-0", "topic2-0"), generation: 1),
                    sub("consumer2", ["topic1", "topic2"], owned: tps("topic1-1", "topic2-1"), generation: 1),
                    sub("consumer3", ["topic1", "topic2"])]
        let eager = stickyA.assign(partitionsPerTopic: topics, subscriptions: subs)
        #expect(render(eager, ["consumer1", "consumer2", "consumer3"])
            == "consumer1 [topic1-0]; consumer2 [topic1-1,topic2-1]; consumer3 [topic2-0]")
        let coop = coopA.assign(partitionsPerTopic: topics, subscriptions: subs)
        #expect(coop.partitionsTransferringOwnership == [tp("topic2-0"): "consumer3"])
        #expect(coop["consumer3"].isEmpty)
    }

    @Test func allConsumersAreUnderMinQuota() {
        let topics = ["topic1": 2, "topic2": 3]
        let subs = [sub("consumer1", ["topic1", "topic2"], owned: tps("topic1-0"), generation: 1),
                    sub("consumer2", ["topic1", "topic2"], owned: tps("topic1-1"), generation: 1),
                    sub("consumer3", ["topic1", "topic2"])]
        let r = coopA.assign(partitionsPerTopic: topics, subscriptions: subs)
        #expect(render(r, ["consumer1", "consumer2", "consumer3"])
            == "consumer1 [topic1-0,topic2-1]; consumer2 [topic1-1,topic2-2]; consumer3 [topic2-0]")
    }

    @Test func consumerOwningMinQuotaExpectedMaxQuota() {
        let topics = ["topic1": 2, "topic2": 3]
        let subs = [sub("consumer1", ["topic1", "topic2"], owned: tps("topic1-0", "topic2-1"), generation: 1),
                    sub("consumer2", ["topic1", "topic2"], owned: tps("topic1-1", "topic2-2"), generation: 1)]
        let r = coopA.assign(partitionsPerTopic: topics, subscriptions: subs)
        #expect(render(r, ["consumer1", "consumer2"])
            == "consumer1 [topic1-0,topic2-0,topic2-1]; consumer2 [topic1-1,topic2-2]")
    }

    @Test func sameGenerationConflictInvalidatesPartition() {
        let subs = [sub("c1", ["t"], owned: tps("t-0", "t-1"), generation: 3),
                    sub("c2", ["t"], owned: tps("t-1"), generation: 3)]
        let r = coopA.assign(partitionsPerTopic: ["t": 2], subscriptions: subs)
        // t-1 claimed twice in generation 3: unowned by both, so it is withheld as a transfer
        #expect(r["c1"] == tps("t-0"))
        #expect(r.partitionsTransferringOwnership == [tp("t-1"): "c2"])
    }

    @Test func higherGenerationClaimWins() {
        let subs = [sub("c1", ["t"], owned: tps("t-0", "t-1"), generation: 2),
                    sub("c2", ["t"], owned: tps("t-0"), generation: 3)]
        let r = stickyA.assign(partitionsPerTopic: ["t": 2], subscriptions: subs)
        #expect(r["c2"] == tps("t-0"))
        #expect(r["c1"] == tps("t-1"))
    }

    @Test func generalCaseKeepsOwnershipAfterLeave() {
        // unequal subscriptions, then C1 leaves: C2 keeps its partitions and takes t1 over
        let topics = ["t0": 1, "t1": 2, "t2": 3]
        let s1 = [sub("C0", ["t0"]), sub("C1", ["t0", "t1"]), sub("C2", ["t0", "t1", "t2"])]
        let g1 = coopA.assign(partitionsPerTopic: topics, subscriptions: s1)
        let s2 = [sub("C0", ["t0"], owned: g1["C0"], generation: 1), sub("C2", ["t0", "t1", "t2"], owned: g1["C2"], generation: 1)]
        let g2 = coopA.assign(partitionsPerTopic: topics, subscriptions: s2)
        #expect(render(g2, ["C0", "C2"]) == "C0 [t0-0]; C2 [t1-0,t1-1,t2-0,t2-1,t2-2]")
        #expect(g2.partitionsTransferringOwnership.isEmpty)
    }

    @Test func everyPartitionAssignedExactlyOnceAndBalanced() {
        var topics: [String: Int] = [:]
        for t in 0..<5 { topics["topic\(t)"] = 3 + t }
        let names = (0..<7).map { "consumer-\($0)" }
        var owned: [String: [TopicPartition]] = [:]
        for round in 0..<4 {
            let members = round == 2 ? Array(names.dropFirst(2)) : names
            let subs = members.map { sub($0, Array(topics.keys), owned: owned[$0] ?? [], generation: round) }
            for a in [stickyA as any ConsumerPartitionAssignor, rangeA, roundRobinA] {
                let r = a.assign(partitionsPerTopic: topics, subscriptions: subs)
                let all = r.assignments.values.flatMap { $0 }
                #expect(all.count == 25 && Set(all).count == 25)
            }
            let r = stickyA.assign(partitionsPerTopic: topics, subscriptions: subs)
            let sizes = r.assignments.values.map(\.count)
            #expect(sizes.max()! - sizes.min()! <= 1)
            owned = r.assignments
        }
    }
}

func tp(_ s: String) -> TopicPartition {
    let i = s.lastIndex(of: "-")!
    return TopicPartition(String(s[..<i]), Int(s[s.index(after: i)...])!)
}

func tps(_ list: String...) -> [TopicPartition] { list.map(tp) }

func sub(_ id: String, _ topics: [String], owned: [TopicPartition] = [], generation: Int? = nil,
         instance: String? = nil) -> AssignorSubscription {
    AssignorSubscription(memberId: id, groupInstanceId: instance, topics: topics, ownedPartitions: owned, generation: generation)
}

/// Compact rendering: "c1 [t-0,t-1]; c2 [t-2]" in the order of `members`.
func render(_ a: GroupAssignment, _ members: [String]) -> String {
    members.map { "\($0) [\(a[$0].map(\.description).joined(separator: ","))]" }.joined(separator: "; ")
}

/// Same, but with partitions given as numbers of a single topic t.
func renderNumbers(_ a: GroupAssignment, _ members: [String]) -> String {
    members.map { "\($0) [\(a[$0].map { String($0.partition) }.joined(separator: ","))]" }.joined(separator: "; ")
}

let rangeA = RangeAssignor()
let roundRobinA = RoundRobinAssignor()
let stickyA = StickyAssignor()
let coopA = CooperativeStickyAssignor()
