import Testing
@testable import KafkaShell
@testable import KafkaModel

@Suite("kafka-leader-election.sh --path-to-json-file")
struct LeaderElectionJsonTests {
    private func session() -> Session {
        let session = Session()
        session.files = UserFiles.scratch()
        _ = session.execute("topic create t -p 3 -r 3")
        return session
    }

    private func run(_ session: Session, json: String) -> Output {
        try! session.files.write(json, to: "election.json", append: false)
        return session.execute("kafka-leader-election.sh --bootstrap-server localhost:9092 --election-type preferred --path-to-json-file election.json")
    }

    @Test("The file's partitions are elected; a partition already led by its preferred replica needs no election")
    func electsListedPartitions() {
        let session = session()
        _ = session.execute("broker stop 0")
        _ = session.execute("broker start 0")
        _ = session.execute("tick 1s")  // broker 0 catches up and rejoins the ISR: it may lead again
        let output = run(session, json: #"{"partitions": [{"topic": "t", "partition": 0}, {"topic": "t", "partition": 1}]}"#)
        #expect(!output.failed)
        #expect(output.texts == ["Successfully completed leader election (PREFERRED) for partitions t-0",
                                 "Valid replica already elected for partitions t-1"])
    }

    @Test("Kafka's errors for empty, shapeless and duplicated election data")
    func badFiles() {
        let session = session()
        #expect(run(session, json: "not json").texts.first == "Replica election data is empty")
        #expect(run(session, json: #"{"topics": []}"#).texts == ["Replica election data is missing \"partitions\" field"])
        #expect(run(session, json: #"{"partitions": [{"topic": "t", "partition": 0}, {"topic": "t", "partition": 0}]}"#).texts
            == ["Replica election data contains duplicate partitions: [t-0]"])
        let unknown = run(session, json: #"{"partitions": [{"topic": "nosuch", "partition": 0}]}"#)
        #expect(unknown.failed)
        #expect(unknown.texts == ["Error completing leader election (PREFERRED) for partition: nosuch-0: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such topic as nosuch",
                                  "1 replica(s) could not be elected"])
    }

    @Test("Without a controller the election times out")
    func noController() {
        let session = session()
        _ = session.execute("broker stop 1")
        _ = session.execute("broker stop 2")
        let output = session.execute("kafka-leader-election.sh --bootstrap-server localhost:9092 --election-type preferred --all-topic-partitions")
        #expect(output.failed)
        #expect(output.texts.prefix(2) == ["Timeout waiting for election results", "Timeout waiting for election results"])
    }
}

@Suite("kafka-metadata-quorum.sh")
struct MetadataQuorumToolTests {
    @Test("prettyPrintTable pads every cell to its column and ends each with a TAB")
    func table() {
        #expect(MetadataQuorumTool.prettyPrintTable(["A", "Bcd"], [["xy", "z"]]) == ["A \tBcd\t", "xy\tz  \t"])
    }

    @Test("The status follows the controller: a new one raises the epoch, a stopped voter lags")
    func status() throws {
        let cluster = Cluster(config: ClusterConfig(brokers: 3))
        let first = try #require(cluster.quorumInfo)
        #expect(first.leaderId == 0 && first.leaderEpoch == 1 && first.voters.map(\.id) == [0, 1, 2])
        try cluster.stopBroker(0)
        cluster.advance(byMs: 5_000)
        let second = try #require(cluster.quorumInfo)
        #expect(second.leaderId == 1 && second.leaderEpoch == 2)
        #expect(second.leader.logEndOffset - second.voters[0].logEndOffset == 10)
        #expect(second.clusterId == first.clusterId && second.clusterId.count == 22)
    }
}
