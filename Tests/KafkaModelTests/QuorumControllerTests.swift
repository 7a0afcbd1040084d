import Testing
@testable import KafkaModel

@Suite("QuorumController on its own: requests validated, then applied whole")
struct QuorumControllerTests {
    /// A bootstrapped controller of brokers 0, 1, 2 (all voters) with topic `t`: 3 partitions, replication factor 3.
    private func controller() throws -> QuorumController {
        let brokers = (0..<3).map { Broker(id: $0, host: "localhost", port: 9092 + $0) }
        let controller = QuorumController(brokers: brokers, controllerCount: nil, startMs: 0)
        _ = controller.bootstrap()
        let created = try #require(try controller.createTopics("t", partitions: 3, replicationFactor: 3, configs: [:], newTopicId: { "id" }))
        controller.replay(created)
        return controller
    }

    private func state(_ controller: QuorumController, _ p: Int) -> PartitionState {
        controller.topics["t"]!.partitions[p]
    }

    private func request(_ controller: QuorumController, _ p: Int, isr: [Int], leaderEpoch: Int? = nil, partitionEpoch: Int? = nil) -> AlterPartitionRequest {
        let s = state(controller, p)
        return AlterPartitionRequest(partition: TopicPartition("t", p), brokerId: s.leader!, leaderEpoch: leaderEpoch ?? s.leaderEpoch,
                                     partitionEpoch: partitionEpoch ?? s.partitionEpoch, newIsr: isr)
    }

    @Test("AlterPartition from a current leader shrinks the ISR and bumps only the partition epoch")
    func alterPartitionShrinks() throws {
        let c = try controller()
        let before = state(c, 0)
        let follower = before.isr.last!
        let delta = try c.alterPartition(request(c, 0, isr: before.isr.filter { $0 != follower }))
        #expect(delta.events == [.isrShrunk(partition: TopicPartition("t", 0), isr: before.isr.filter { $0 != follower }, removed: follower)])
        #expect(state(c, 0).leaderEpoch == before.leaderEpoch)
        #expect(state(c, 0).partitionEpoch == before.partitionEpoch + 1)
    }

    @Test("AlterPartition with a stale leader epoch is FENCED_LEADER_EPOCH, with a stale partition epoch INVALID_UPDATE_VERSION; nothing changes")
    func alterPartitionStale() throws {
        let c = try controller()
        // Broker 0's ISR shrink bumps partition 0's partition epoch; a leader change (fencing its leader) bumps both.
        let leader = state(c, 0).leader!
        let stale = request(c, 0, isr: state(c, 0).isr)
        _ = try c.alterPartition(request(c, 0, isr: state(c, 0).isr.filter { $0 != state(c, 0).isr.last! }))
        let image = c.image
        #expect(throws: AlterPartitionError.invalidUpdateVersion) { try c.alterPartition(stale) }
        #expect(c.image == image)

        c.processBrokerStop(leader)
        _ = c.quorumChanged(unreachable: [])
        #expect(state(c, 0).leader != leader)
        let afterElection = c.image
        #expect(throws: AlterPartitionError.fencedLeaderEpoch) {
            try c.alterPartition(AlterPartitionRequest(partition: TopicPartition("t", 0), brokerId: state(c, 0).leader!,
                                                       leaderEpoch: state(c, 0).leaderEpoch - 1, partitionEpoch: state(c, 0).partitionEpoch,
                                                       newIsr: state(c, 0).isr))
        }
        #expect(throws: AlterPartitionError.invalidRequest) {
            try c.alterPartition(AlterPartitionRequest(partition: TopicPartition("t", 0), brokerId: leader, leaderEpoch: state(c, 0).leaderEpoch,
                                                       partitionEpoch: state(c, 0).partitionEpoch, newIsr: [leader]))
        }
        #expect(c.image == afterElection)
    }

    @Test("AlterPartition may not add a stopped or fenced replica (INELIGIBLE_REPLICA)")
    func alterPartitionIneligible() throws {
        let c = try controller()
        let s = state(c, 1)
        let follower = s.isr.last!
        _ = try c.alterPartition(request(c, 1, isr: s.isr.filter { $0 != follower }))
        c.processBrokerStop(follower)
        #expect(throws: AlterPartitionError.ineligibleReplica) { try c.alterPartition(request(c, 1, isr: s.isr)) }
    }

    @Test("Without a majority of the voters createTopics fails and nothing changes")
    func createTopicsNeedsQuorum() throws {
        let c = try controller()
        c.processBrokerStop(1)
        c.processBrokerStop(2)
        let lost = c.quorumChanged(unreachable: [])
        #expect(lost.events == [.quorumLost(running: 1, voters: 3, majority: 2)])
        #expect(c.activeController == nil)
        let image = c.image
        #expect(throws: KafkaError.self) { try c.createTopics("u", partitions: 1, replicationFactor: 1, configs: [:], newTopicId: { "u" }) }
        #expect(throws: KafkaError.self) { try c.deleteTopics("t") }
        #expect(throws: KafkaError.self) { try c.electLeaders(type: .preferred, partitions: nil) }
        #expect(c.electPreferredLeaders().moved == 0)
        #expect(c.fenceBroker(1).isEmpty)
        #expect(c.image == image)
    }

    @Test("A prepared request changes nothing until it is replayed")
    func prepareThenReplay() throws {
        let c = try controller()
        let image = c.image
        let result = try c.createPartitions("t", totalCount: 5)
        #expect(c.image == image)
        #expect(result.delta.events == [.partitionsAdded(topic: "t", from: 3, to: 5)])
        c.replay(result)
        #expect(c.topics["t"]!.partitions.count == 5)
        #expect(c.metadataRecords == image.metadataRecords + 2)
    }

    @Test("Fencing a broker takes it out of every ISR but a last member's, and elects leaders as PartitionChangeBuilder does")
    func fencing() throws {
        let c = try controller()
        // Partition 2 keeps only its leader in sync, so fencing that broker leaves it listed alone and leaderless.
        let lone = state(c, 2).leader!
        _ = try c.alterPartition(request(c, 2, isr: [lone]))
        let before = c.topics["t"]!.partitions
        c.processBrokerStop(lone)
        let delta = c.quorumChanged(unreachable: [])
        #expect(delta.events.first == .brokerFenced(broker: lone))
        #expect(c.fencedBrokers == [lone])
        for (p, old) in before.enumerated() {
            var builder = PartitionChangeBuilder(partition: old) { $0 != lone }
            builder.targetIsr = old.isr.filter { $0 != lone }
            let expected = builder.build()?.partition ?? old
            #expect(state(c, p) == expected)
            #expect(state(c, p).leader != lone)
            #expect(state(c, p).isr == (old.isr == [lone] ? [lone] : old.isr.filter { $0 != lone }))
        }
        #expect(state(c, 2).leader == nil)
    }

    @Test("A heartbeat from a fenced broker unfences it and a leaderless partition it may lead elects it")
    func unfencing() throws {
        let c = try controller()
        let lone = state(c, 2).leader!
        _ = try c.alterPartition(request(c, 2, isr: [lone]))
        c.processBrokerStop(lone)
        _ = c.quorumChanged(unreachable: [])
        c.registerBroker(lone, nowMs: 5_000)
        let delta = c.processBrokerHeartbeat(lone)
        #expect(delta.events.first == .brokerUnfenced(broker: lone))
        #expect(state(c, 2).leader == lone)
        #expect(c.fencedBrokers.isEmpty)
    }

    @Test("A crashed broker is fenced only when its session check finds it still gone")
    func sessionExpiry() throws {
        let c = try controller()
        c.processBrokerStop(1)
        c.processBrokerCrash(1)
        #expect(c.quorumChanged(unreachable: []).isEmpty)
        // Heartbeats every 2 s from 0; the last at 4 s; the session (9 s) ends at 13 s; checks every 1.125 s → 13.5 s.
        #expect(c.image.cluster.sessionExpiryCheckMs(1, nowMs: 5_000) == 13_500)
        let delta = try #require(c.processSessionExpiry(1))
        #expect(delta.events.prefix(2) == [.replication(.brokerSessionExpired(broker: 1)), .brokerFenced(broker: 1)])
        #expect(c.processSessionExpiry(1) == nil)
    }

    @Test("Producer ids are handed out once each")
    func producerIds() throws {
        let c = try controller()
        #expect(c.allocateProducerIds() == 0..<1)
        #expect(c.allocateProducerIds(count: 3) == 1..<4)
        #expect(c.nextProducerId == 4)
    }
}
