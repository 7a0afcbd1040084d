import Foundation
import Testing
@testable import KafkaModel

/// A `FileLogStorage` writes offset- and time-index entries in runs rather than one system call each (Kafka appends
/// them to a memory map). Whoever reads through the storage, and whoever reads the files once the storage is asked
/// to write what it holds, sees every entry (a `--data-dir` session's commands: `DataDirIndexFilesTests`).
@Suite("Index entries written in runs")
struct IndexRunsTests {
    private func directory() -> String {
        NSTemporaryDirectory() + TemporaryFolders.prefix() + "index-runs-\(UUID().uuidString)"
    }

    private func onDisk(_ dir: String, _ name: String) -> [UInt8]? {
        (try? Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))).map { [UInt8]($0) }
    }

    @Test("40 seeded schedules of index and log appends, reads, sizes, truncations, renames, deletes and closes: the storage always answers what was appended, the files hold it once written")
    func readsAndFilesEqualWhatWasAppended() throws {
        for seed in 0..<40 {
            let dir = directory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let storage = try FileLogStorage(directory: dir)
            var random = SeededRandom(seed: UInt64(seed))
            var model: [String: [UInt8]] = [:]
            let names = ["00000000000000000000.index", "00000000000000000000.timeindex", "00000000000000000000.log",
                         "00000000000000000100.index"]
            for step in 0..<150 {
                let name = names[Int(random.next() % UInt64(names.count))]
                let size = model[name]?.count ?? 0
                switch random.next() % 12 {
                case 0..<6:
                    // Entries of 8 or 12 bytes (sometimes a whole rewritten index), or a batch for the log.
                    let count = name.hasSuffix(".log") ? Int(random.next() % 5_000) + 1
                        : random.next() % 10 == 0 ? 12 * Int(random.next() % 1_000) + 12 : (name.hasSuffix(".timeindex") ? 12 : 8)
                    let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &+ step &* 7 &+ seed) }
                    try storage.append(name, bytes)
                    model[name, default: []].append(contentsOf: bytes)
                case 6 where size > 0:
                    let position = Int(random.next() % UInt64(size))
                    #expect(try storage.read(name, at: position, count: 64) == Array(model[name]![position..<min(size, position + 64)]),
                            "seed \(seed) step \(step): read of \(name)")
                case 7 where model[name] != nil:
                    #expect(try storage.size(of: name) == size, "seed \(seed) step \(step): size of \(name)")
                case 8 where size > 0:
                    let cut = Int(random.next() % UInt64(size))
                    try storage.truncate(name, to: cut)
                    model[name]!.removeSubrange(cut...)
                case 9 where model[name] != nil && !name.hasSuffix(".log"):
                    let other = names.first { $0 != name && !$0.hasSuffix(".log") && $0.hasSuffix(name.hasSuffix(".timeindex") ? ".timeindex" : ".index") }
                        ?? "00000000000000000200.timeindex"
                    try storage.rename(name, to: other)
                    model[other] = model.removeValue(forKey: name)
                case 10:
                    try storage.delete(name)
                    model[name] = nil
                case 11:
                    if random.next() % 2 == 0 { storage.closeAll() } else { storage.writePendingIndexEntries() }
                    for (file, contents) in model {
                        #expect(onDisk(dir, file) == contents, "seed \(seed) step \(step): \(file) on disk")
                    }
                default:
                    break
                }
            }
            storage.writePendingIndexEntries()
            for (file, contents) in model {
                #expect(onDisk(dir, file) == contents, "seed \(seed): \(file) on disk at the end")
            }
            #expect(Set(try storage.listFiles()) == Set(model.keys), "seed \(seed): the files listed")
        }
    }

    @Test("More index files than open descriptors allowed: the evicted ones are written whole, the budget stays bounded")
    func evictedIndexFilesAreWritten() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let budget = OpenFileBudget()
        let storage = try FileLogStorage(directory: dir, budget: budget)
        let names = (0..<(OpenFileBudget.limit + 100)).map { String(format: "%020d.index", $0) }
        for (i, name) in names.enumerated() { try storage.append(name, [UInt8](repeating: UInt8(i % 251), count: 8)) }
        #expect(budget.openCount <= OpenFileBudget.limit)
        storage.writePendingIndexEntries()
        for (i, name) in names.enumerated() {
            #expect(onDisk(dir, name) == [UInt8](repeating: UInt8(i % 251), count: 8), "\(name) on disk")
        }
    }
}
