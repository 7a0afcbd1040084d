/// A record batch's compression codec (attribute bits 0–2), named as Kafka's `CompressionType`.
/// The simulator writes only `none`; real clients' batches keep their codec and are decompressed to be read
/// (`RecordsCompression`).
public enum CompressionType: Int, Sendable, Hashable, CaseIterable {
    case none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4

    /// Kafka's name (`compresscodec` in `kafka-dump-log.sh`): `none`, `gzip`, `snappy`, `lz4`, `zstd`.
    public var name: String {
        switch self {
        case .none: return "none"
        case .gzip: return "gzip"
        case .snappy: return "snappy"
        case .lz4: return "lz4"
        case .zstd: return "zstd"
        }
    }
}
