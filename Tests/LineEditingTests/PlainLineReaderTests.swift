import Foundation
import Testing
@testable import LineEditing

@Suite("Reading lines from a pipe")
struct PlainLineReaderTests {
    /// A reader over `bytes` written into a pipe by a background thread.
    static func reader(_ bytes: [UInt8]) -> PlainLineReader {
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        let writeEnd = fds[1]
        Thread.detachNewThread {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(writeEnd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
            close(writeEnd)
        }
        return PlainLineReader(fileHandle: fds[0])
    }

    @Test("Lines, CRLF endings and a last line without a newline")
    func lines() {
        let reader = Self.reader(Array("one\ntwo\r\nthree".utf8))
        #expect(reader.readLine(prompt: "") == .line("one"))
        #expect(reader.readLine(prompt: "") == .line("two"))
        #expect(reader.readLine(prompt: "") == .line("three"))
        #expect(reader.readLine(prompt: "") == .endOfInput)
    }

    @Test("A 10 MB line arrives whole, and the lines after it too")
    func longLine() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000)
        let reader = Self.reader(long + Array("\nnext\n".utf8))
        guard case .line(let text) = reader.readLine(prompt: "") else { Issue.record("no line"); return }
        #expect(text.utf8.count == 10_000_000)
        #expect(reader.readLine(prompt: "") == .line("next"))
    }

    @Test("Bytes that are not UTF-8 are reported with their offset, never replaced silently")
    func invalidUTF8() {
        let reader = Self.reader(Array("ok\n".utf8) + [0x61, 0x62, 0xFF, 0x63, 0x0A] + Array("한글\n".utf8))
        #expect(reader.readLine(prompt: "") == .line("ok"))
        #expect(reader.readLine(prompt: "") == .invalid(byteOffset: 2))
        #expect(reader.readLine(prompt: "") == .line("한글"))
    }
}
