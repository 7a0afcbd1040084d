/// Java `String` semantics that Kafka's behaviour depends on.
///
/// Kafka hashes group ids with `String.hashCode` and sorts member ids and topic names with
/// `String.compareTo`; both work on UTF-16 code units, which Swift's `String` comparison does not.
public enum JavaString {
    /// Java's `String.hashCode`: `s[0]*31^(n-1) + … + s[n-1]` over UTF-16 code units, wrapping `int` arithmetic.
    public static func hashCode(_ s: String) -> Int32 {
        var h: Int32 = 0
        for unit in s.utf16 {
            h = h &* 31 &+ Int32(unit)
        }
        return h
    }

    /// Java's `String.compareTo`: lexicographic on UTF-16 code units, then shorter first.
    /// Returns a negative number, zero or a positive number.
    public static func compare(_ lhs: String, _ rhs: String) -> Int {
        var left = lhs.utf16.makeIterator()
        var right = rhs.utf16.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case let (l?, r?):
                if l != r { return Int(l) - Int(r) }
            case (nil, nil):
                return 0
            case (nil, _?):
                return -1
            case (_?, nil):
                return 1
            }
        }
    }

    /// `true` when `lhs` sorts before `rhs` under Java's `String.compareTo`.
    public static func lessThan(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// The length Java reports (`String.length()`), i.e. the number of UTF-16 code units.
    /// Java's `Formatter` pads `%-Ns` to this length.
    public static func length(_ s: String) -> Int {
        s.utf16.count
    }

    /// Java's `TopicPartition.hashCode`: `31 * (31 + partition) + topic.hashCode()`.
    public static func topicPartitionHashCode(_ tp: TopicPartition) -> Int32 {
        let prime: Int32 = 31
        let result = prime &+ Int32(truncatingIfNeeded: tp.partition)
        return prime &* result &+ hashCode(tp.topic)
    }

    /// Orders topic partitions as Kafka's comparators do: topic by `String.compareTo`, then partition.
    public static func topicPartitionLessThan(_ lhs: TopicPartition, _ rhs: TopicPartition) -> Bool {
        let c = compare(lhs.topic, rhs.topic)
        return c != 0 ? c < 0 : lhs.partition < rhs.partition
    }

    /// Pads `s` on the right with spaces to `width` UTF-16 units, as Java's `%-Ns` does.
    public static func leftJustify(_ s: String, _ width: Int) -> String {
        let len = length(s)
        return len >= width ? s : s + String(repeating: " ", count: width - len)
    }
}
