/// Every command the shell itself provides; the notebook module adds lesson and record commands.
enum StandardCommands {
    static func all() -> [Command] {
        ShellCommands.all + TimeCommands.all + TopicCommands.all + KafkaTopicsTool.all + BrokerCommands.all + ReplicationCommands.all
            + InspectCommands.all + ProduceCommands.all + TransactionCommands.all + ConsoleProducerTool.all + ConsumeCommands.all + PartitionCommands.all
            + LogCommands.all + KafkaConfigsTool.all + PerfTestTools.all
            + LeaderElectionTool.all + MetadataQuorumTool.all + GetOffsetsTool.all + LogDirsTool.all
            + ConsumerCommands.all + GroupCommands.all + KafkaConsumerGroupsTool.all + TransactionsTool.all
    }
}
