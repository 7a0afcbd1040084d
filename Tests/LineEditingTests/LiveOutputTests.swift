import Foundation
import Testing
@testable import LineEditing

@Suite("Live output above the prompt")
struct LiveOutputTests {
    @Test func aPromptsWidthLeavesOutItsColourEscapesAndMarkers() {
        #expect(LibEditLineReader.visibleWidth("kafka> ") == 7)
        #expect(LibEditLineReader.visibleWidth("\u{1B}[1;32mkafka>\u{1B}[0m ") == 7)
        #expect(LibEditLineReader.visibleWidth(LibEditLineReader.escapePrompt("\u{1B}[1;32mkafka>\u{1B}[0m ")) == 7)
    }

    @Test func koreanSyllablesTakeTwoColumns() {
        setlocale(LC_ALL, "C.UTF-8")
        #expect(LibEditLineReader.columns("topic create 주문") == 17)
    }

    @Test func whileALineIsEditedLinesWaitForTheReaderAndWakeIt() {
        let output = LiveOutput()
        let wake = output.wakeDescriptor()
        #expect(wake >= 0)
        output.beginEditing()
        output.print(["a", "b"])
        output.print(["c"])
        var poller = pollfd(fd: wake, events: Int16(POLLIN), revents: 0)
        #expect(poll(&poller, 1, 1000) == 1)
        #expect(output.takePending() == ["a", "b", "c"])
        // The wake-ups were drained with the lines.
        #expect(poll(&poller, 1, 0) == 0)
        output.print(["d"])
        #expect(output.endEditing() == ["d"])
    }
}
