/// The built-in assignors by protocol name.
public enum ConsumerPartitionAssignors {
    /// All four built-in assignors.
    public static let all: [any ConsumerPartitionAssignor] = [
        RangeAssignor(), RoundRobinAssignor(), StickyAssignor(), CooperativeStickyAssignor(),
    ]

    /// The assignor registered under `name`, if any.
    public static func named(_ name: String) -> (any ConsumerPartitionAssignor)? {
        all.first { $0.name == name }
    }
}
