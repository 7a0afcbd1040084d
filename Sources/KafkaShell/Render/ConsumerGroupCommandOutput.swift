/// Text a `kafka-consumer-groups.sh` invocation writes, split by stream.
struct ConsumerGroupCommandOutput: Sendable, Equatable {
    /// Standard output.
    var stdout: String
    /// Standard error.
    var stderr: String

    init(stdout: String = "", stderr: String = "") {
        self.stdout = stdout
        self.stderr = stderr
    }
}
