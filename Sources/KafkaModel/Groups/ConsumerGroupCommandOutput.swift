/// Text a `kafka-consumer-groups.sh` invocation writes, split by stream.
public struct ConsumerGroupCommandOutput: Sendable, Equatable {
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String

    public init(stdout: String = "", stderr: String = "") {
        self.stdout = stdout
        self.stderr = stderr
    }
}
