/// Kafka's `org.apache.kafka.common.utils.Utils` helpers used by the group coordinator.
public enum KafkaUtils {
    /// Kafka's `Utils.abs`: `0` for `Integer.MIN_VALUE` (whose absolute value does not fit), else `Math.abs`.
    public static func abs(_ n: Int32) -> Int32 {
        n == Int32.min ? 0 : Swift.abs(n)
    }
}
