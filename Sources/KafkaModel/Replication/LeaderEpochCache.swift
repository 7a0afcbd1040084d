/// A replica's leader-epoch history (Kafka's `LeaderEpochFileCache`, kept in `leader-epoch-checkpoint`): for each
/// leader epoch, the first offset written in it. A follower asks its leader where its last epoch ended; where the
/// answers differ, the follower's tail diverged and is cut off (KIP-101, KIP-279).
public struct LeaderEpochCache: Sendable, Equatable {
    /// One epoch and the first offset written in it.
    public struct Entry: Sendable, Equatable {
        public let epoch: Int32
        public let startOffset: Int64
    }

    /// Oldest first; epochs and start offsets both increase.
    public private(set) var entries: [Entry] = []

    public init() {}

    /// The latest epoch known, or nil.
    public var latestEpoch: Int32? { entries.last?.epoch }

    /// Records that `epoch` starts at `startOffset` (a new leader at its log end, or a batch of a newer epoch).
    /// Older or equal epochs change nothing.
    public mutating func assign(epoch: Int32, startOffset: Int64) {
        guard epoch >= 0 else { return }
        if let last = entries.last {
            guard epoch > last.epoch else { return }
            // A newer epoch at an offset an older one claimed: the older entries past it are stale.
            while let l = entries.last, l.startOffset >= startOffset { entries.removeLast() }
        }
        entries.append(Entry(epoch: epoch, startOffset: startOffset))
    }

    /// The log was cut at `endOffset`: epochs that started there or later are forgotten.
    public mutating func truncateFromEnd(_ endOffset: Int64) {
        while let last = entries.last, last.startOffset >= endOffset { entries.removeLast() }
    }

    /// Kafka's `endOffsetFor`: for the latest epoch, the log end; for an older one, the largest epoch ≤ `epoch`
    /// and where the next epoch starts; for one older than every known epoch, itself and where the first known
    /// one starts (so a follower with only such an epoch truncates there); (-1, -1) when nothing is known.
    public func endOffset(for epoch: Int32, logEndOffset: Int64) -> (epoch: Int32, endOffset: Int64) {
        guard let last = entries.last else { return (-1, -1) }
        if epoch == last.epoch { return (epoch, logEndOffset) }
        guard let index = entries.lastIndex(where: { $0.epoch <= epoch }) else { return (epoch, entries[0].startOffset) }
        if index == entries.count - 1 { return (entries[index].epoch, logEndOffset) }
        return (entries[index].epoch, entries[index + 1].startOffset)
    }

    /// The `leader-epoch-checkpoint` file: version 0, the entry count, then `epoch startOffset` per line.
    public var checkpointText: String {
        "0\n\(entries.count)\n" + entries.map { "\($0.epoch) \($0.startOffset)\n" }.joined()
    }

    /// Reads a `leader-epoch-checkpoint` file; nil when it is not one.
    public init?(checkpoint text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 2, lines[0] == "0", let count = Int(lines[1]), count >= 0, lines.count >= 2 + count else { return nil }
        for line in lines[2..<(2 + count)] {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let epoch = Int32(parts[0]), let offset = Int64(parts[1]) else { return nil }
            entries.append(Entry(epoch: epoch, startOffset: offset))
        }
    }
}
