/// Emulates the iteration order of Java's `HashMap`/`HashSet`, which Kafka's assignors and coordinator
/// depend on in a few tie-breaking places.
///
/// A `HashMap` filled by `put` from the default capacity (16, load factor 0.75) iterates its buckets in
/// index order, `bucket = (h ^ (h >>> 16)) & (capacity - 1)`, and within a bucket in insertion order
/// (resizes keep that relative order). Tree bins (8+ keys in one bucket) are not modelled.
enum JavaHashOrder {
    /// Capacity of a default-constructed `HashMap` after `count` insertions.
    static func capacity(forCount count: Int) -> Int {
        var cap = 16
        while count > cap * 3 / 4 { cap *= 2 }
        return cap
    }

    /// Bucket index of a Java hash code in a table of `capacity` buckets.
    static func bucket(_ hash: Int32, capacity: Int) -> Int {
        let h = UInt32(bitPattern: hash)
        return Int((h ^ (h >> 16)) & UInt32(capacity - 1))
    }

    /// `items` (given in insertion order) in the order a default `HashMap` keyed by `hash` iterates them.
    static func iterationOrder<T>(_ items: [T], capacity: Int? = nil, hash: (T) -> Int32) -> [T] {
        let cap = capacity ?? self.capacity(forCount: items.count)
        return items.enumerated()
            .map { (bucket: bucket(hash($0.element), capacity: cap), seq: $0.offset, item: $0.element) }
            .sorted { $0.bucket != $1.bucket ? $0.bucket < $1.bucket : $0.seq < $1.seq }
            .map(\.item)
    }

    /// String keys (member ids, protocol names) in `HashMap<String, _>` iteration order.
    static func stringKeyOrder(_ keys: [String]) -> [String] {
        iterationOrder(keys, hash: JavaString.hashCode)
    }
}
