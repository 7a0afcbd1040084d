/// The type of a control record, read from its key `version:int16, type:int16` (Kafka's `ControlRecordType`).
public enum ControlRecordType: Int16, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case abort = 0, commit = 1, leaderChange = 2, snapshotHeader = 3, snapshotFooter = 4, kraftVersion = 5, kraftVoters = 6

    /// Kafka's enum constant name, e.g. `COMMIT`.
    public var description: String {
        switch self {
        case .abort: return "ABORT"
        case .commit: return "COMMIT"
        case .leaderChange: return "LEADER_CHANGE"
        case .snapshotHeader: return "SNAPSHOT_HEADER"
        case .snapshotFooter: return "SNAPSHOT_FOOTER"
        case .kraftVersion: return "KRAFT_VERSION"
        case .kraftVoters: return "KRAFT_VOTERS"
        }
    }

    /// The 4-byte control record key (`version 0`, this type).
    public var key: [UInt8] { [0, 0, UInt8(UInt16(bitPattern: rawValue) >> 8), UInt8(UInt16(bitPattern: rawValue) & 0xFF)] }

    /// The type id in a control record key, or `nil` if the key is shorter than 4 bytes.
    public static func typeId(ofKey key: [UInt8]?) -> Int16? {
        guard let key, key.count >= 4 else { return nil }
        return Int16(bitPattern: UInt16(key[2]) << 8 | UInt16(key[3]))
    }
}
