/// A set of topic partitions that remembers enough to answer "what would `iterator().next()` return"
/// for a Java `HashSet<TopicPartition>` built by `add` calls in the same order.
struct JavaHashSetOfPartitions {
    private var seqs: [TopicPartition: Int] = [:]
    private var nextSeq = 0
    private var capacity = 16

    var isEmpty: Bool { seqs.isEmpty }

    mutating func insert(_ tp: TopicPartition) {
        guard seqs[tp] == nil else { return }
        seqs[tp] = nextSeq
        nextSeq += 1
        while seqs.count > capacity * 3 / 4 { capacity *= 2 }
    }

    mutating func remove(_ tp: TopicPartition) {
        seqs[tp] = nil
    }

    /// The element Java's iterator would return first.
    var first: TopicPartition? {
        var best: (bucket: Int, seq: Int, tp: TopicPartition)?
        for (tp, seq) in seqs {
            let b = JavaHashOrder.bucket(JavaString.topicPartitionHashCode(tp), capacity: capacity)
            if let cur = best, (cur.bucket, cur.seq) <= (b, seq) { continue }
            best = (b, seq, tp)
        }
        return best?.tp
    }
}
