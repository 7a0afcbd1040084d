import Foundation
import Testing
@testable import KafkaModel

/// On tmpfs a `FileLogStorage` allocates the pages past the end of a growing `.log` file on a background thread
/// (`PagePreallocator`). That must never show: a file holds exactly the bytes appended, and what was allocated and
/// not written is given back when the file is closed.
@Suite("Pages allocated ahead of log files on tmpfs", .enabled(if: PagePreallocator.helps(in: "/dev/shm")))
struct PagePreallocatorTests {
    private func directory() -> String {
        "/dev/shm/" + TemporaryFolders.prefix() + "prealloc-\(UUID().uuidString)"
    }

    /// The file's size and the bytes of memory tmpfs holds for it.
    private func space(_ path: String) -> (size: Int, allocated: Int) {
        var info = stat()
        guard stat(path, &info) == 0 else { return (-1, -1) }
        return (Int(info.st_size), Int(info.st_blocks) * 512)
    }

    private func pages(_ size: Int) -> Int { (size + 4095) / 4096 * 4096 }

    private func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ seed) }
    }

    @Test("A cluster serving real clients allocates nothing ahead: its .log files hold only the pages their bytes fill")
    func nothingIsAllocatedAheadWhileServing() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let budget = OpenFileBudget()
        budget.allocatesPagesAhead = false
        let storage = try FileLogStorage(directory: dir, budget: budget)
        for round in 0..<3 { try storage.append("00000000000000000000.log", bytes(1 << 20, seed: round)) }
        PagePreallocator.waitForPendingAllocations()
        let log = space(dir + "/00000000000000000000.log")
        #expect(log.size == 3 << 20)
        #expect(log.allocated <= pages(log.size), "allocated \(log.allocated) for \(log.size) bytes")
    }

    @Test("Megabyte appends (a real client's batches) are allocated for further ahead: at least one and a half appends")
    func largeAppendsAreAllocatedFurtherAhead() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let storage = try FileLogStorage(directory: dir)
        let batch = 1 << 20
        for round in 0..<3 { try storage.append("00000000000000000000.log", bytes(batch, seed: round)) }
        PagePreallocator.waitForPendingAllocations()
        let log = space(dir + "/00000000000000000000.log")
        #expect(log.size == 3 * batch)
        #expect(log.allocated >= log.size + batch * 3 / 2, "allocated \(log.allocated) for \(log.size) bytes")
        storage.closeAll()
        #expect(space(dir + "/00000000000000000000.log").allocated <= pages(3 * batch))
    }

    @Test("a .log file past 256 KiB has pages allocated ahead of its end; an index does not; closing gives them back")
    func allocatesAheadAndGivesBack() throws {
        let dir = directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let storage = try FileLogStorage(directory: dir)
        var written: [UInt8] = []
        for chunk in 0..<40 {
            let next = bytes(16_000 + chunk * 13, seed: chunk)
            try storage.append("00000000000000000000.log", next)
            try storage.append("00000000000000000000.index", [UInt8](repeating: 1, count: 8))
            written += next
        }
        PagePreallocator.waitForPendingAllocations()
        let log = space(dir + "/00000000000000000000.log")
        #expect(log.size == written.count)
        #expect(log.allocated >= log.size + PagePreallocator.minimumAhead / 2, "allocated \(log.allocated) for \(log.size) bytes")
        let index = space(dir + "/00000000000000000000.index")
        #expect(index.allocated <= pages(index.size))
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/00000000000000000000.log"))) == written)

        storage.closeAll()
        let closed = space(dir + "/00000000000000000000.log")
        #expect(closed.size == written.count)
        #expect(closed.allocated <= pages(closed.size), "allocated \(closed.allocated) for \(closed.size) bytes after closing")
    }

    @Test("30 seeded schedules of appends, reads, truncations, renames, deletes and closes: files hold exactly what was appended, and nothing is left allocated once closed")
    func filesAreExactlyWhatWasAppended() throws {
        for seed in 0..<30 {
            let dir = directory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let storage = try FileLogStorage(directory: dir)
            var random = SeededRandom(seed: UInt64(seed))
            var model: [String: [UInt8]] = [:]
            let pattern = bytes(120_000, seed: seed)
            let names = ["00000000000000000000.log", "00000000000000004096.log"]
            for step in 0..<120 {
                let name = names[Int(random.next() % 2)]
                let size = model[name]?.count ?? 0
                switch random.next() % 12 {
                case 0..<7:
                    let start = Int(random.next() % 60_000)
                    let next = Array(pattern[start..<(start + Int(random.next() % 60_000) + 1)])
                    try storage.append(name, next)
                    model[name, default: []].append(contentsOf: next)
                case 7 where size > 0:
                    let position = Int(random.next() % UInt64(size))
                    let read = try storage.read(name, at: position, count: 70_000)
                    #expect(read == Array(model[name]![position..<min(size, position + 70_000)]),
                            "seed \(seed) step \(step): read of \(name) at \(position)")
                case 8 where size > 0:
                    let cut = Int(random.next() % UInt64(size))
                    try storage.truncate(name, to: cut)
                    model[name]!.removeSubrange(cut...)
                case 9 where size > 0:
                    let other = names.first { $0 != name }!
                    try storage.rename(name, to: other)
                    model[other] = model.removeValue(forKey: name)
                case 10:
                    try storage.delete(name)
                    model[name] = nil
                case 11:
                    storage.closeAll()
                    PagePreallocator.waitForPendingAllocations()
                    for (file, contents) in model {
                        let closed = space(dir + "/" + file)
                        #expect(closed.allocated <= pages(contents.count), "seed \(seed) step \(step): \(file) keeps \(closed.allocated) bytes for \(contents.count)")
                    }
                default:
                    break
                }
            }
            PagePreallocator.waitForPendingAllocations()
            for (file, contents) in model {
                #expect(space(dir + "/" + file).size == contents.count, "seed \(seed): size of \(file)")
                #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))) == contents, "seed \(seed): bytes of \(file)")
            }
        }
    }
}
