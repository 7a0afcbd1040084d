/// Kafka's `AbstractPartitionAssignor.MemberInfo` ordering: static members first ordered by
/// `group.instance.id`, then dynamic members ordered by member id (Java `String.compareTo`).
enum MemberInfoOrder {
    static func lessThan(_ a: AssignorSubscription, _ b: AssignorSubscription) -> Bool {
        switch (a.groupInstanceId, b.groupInstanceId) {
        case let (x?, y?): return JavaString.lessThan(x, y)
        case (_?, nil): return true
        case (nil, _?): return false
        case (nil, nil): return JavaString.lessThan(a.memberId, b.memberId)
        }
    }
}
