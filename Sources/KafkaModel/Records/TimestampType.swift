/// Which clock a batch's timestamps come from (`message.timestamp.type`, attribute bit 3).
public enum TimestampType: Sendable, Hashable, CustomStringConvertible {
    /// The producer's timestamp (default).
    case createTime
    /// The broker's clock when the batch was appended; every record reads the batch's max timestamp.
    case logAppendTime

    /// Kafka's spelling: `CreateTime` / `LogAppendTime`.
    public var description: String { self == .createTime ? "CreateTime" : "LogAppendTime" }

    /// The config value spelling (`message.timestamp.type`): same as `description`.
    public init?(configValue: String) {
        switch configValue {
        case "CreateTime": self = .createTime
        case "LogAppendTime": self = .logAppendTime
        default: return nil
        }
    }
}
