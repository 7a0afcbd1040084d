/// Kafka's topic-name rules (`org.apache.kafka.common.internals.Topic`).
public enum TopicName {
    /// Topic names are at most 249 characters, so that `<topic>-<partition>` directory
    /// names stay under 255.
    public static let maxLength = 249

    /// The internal topics Kafka creates for itself.
    public static let internalTopics: Set<String> = ["__consumer_offsets", "__transaction_state", "__share_group_state"]

    /// Throws `INVALID_TOPIC_EXCEPTION` with Kafka's message when `name` is not a legal topic name.
    public static func validate(_ name: String) throws(KafkaError) {
        if name.isEmpty {
            throw .invalidTopic("Topic name is invalid: the empty string is not allowed")
        }
        if name == "." || name == ".." {
            throw .invalidTopic("Topic name is invalid: '\(name)' is not allowed")
        }
        if name.utf8.count > maxLength {
            throw .invalidTopic("Topic name is invalid: the length of '\(name)' is longer than the max allowed length \(maxLength)")
        }
        if !name.unicodeScalars.allSatisfy(isLegal) {
            throw .invalidTopic("Topic name is invalid: '\(name)' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'")
        }
    }

    /// Whether `name` holds a `.` or `_`, which collide in metric names.
    public static func hasCollisionChars(_ name: String) -> Bool {
        name.contains(".") || name.contains("_")
    }

    /// The name with `.` replaced by `_`: two topics with the same unified name collide.
    public static func unifyCollisionChars(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }

    /// Kafka's warning for names holding `.` or `_`.
    public static let collisionWarning =
        "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both."

    public static func isInternal(_ name: String) -> Bool { internalTopics.contains(name) }

    private static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
        default: return false
        }
    }
}
