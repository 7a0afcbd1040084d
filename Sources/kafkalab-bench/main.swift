import Foundation
import KafkaShell

/// `make bench`: the figures the closing notes report. Wall-clock time is read here only.
func measure(_ label: String, iterations: Int, _ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<iterations { body() }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return seconds / Double(iterations)
}

func format(_ seconds: Double) -> String {
    seconds < 1e-3 ? String(format: "%.1f µs", seconds * 1e6) : String(format: "%.2f ms", seconds * 1e3)
}

print("== kafkalab benchmarks ==")

// 1. Process start to first prompt: the binary started on a pipe runs nothing and exits at
//    end of input, which is the work it does before showing a prompt plus exit.
let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kafkalab").path
if FileManager.default.isExecutableFile(atPath: binary) {
    var samples: [Double] = []
    for _ in 0..<30 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-c", "time"]
        process.standardOutput = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        try! process.run()
        process.waitUntilExit()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    samples.sort()
    print("startup: kafkalab -c time (start, one command, exit): median \(format(samples[samples.count / 2])), min \(format(samples[0]))")
} else {
    print("startup: skipped (build the kafkalab product first)")
}

// 2. Per-command latency through Session.execute, as the REPL runs them.
let session = Session()
session.execute("topic create orders -p 12 -r 3")
for index in 0..<50 { session.execute("topic create t\(index) -p 6 -r 3") }
let commands = [
    "describe orders", "topics", "kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic orders",
    "expect topics.orders.partitions.where(leader == 1).count == 4", "inspect topics.orders", "tick 5s", "help topic create",
    "broker stop 1; broker start 1",
]
for command in commands {
    let perCommand = measure(command, iterations: 200) { _ = session.executeAndRender(command) }
    print("command: \(command.padding(toLength: 80, withPad: " ", startingAt: 0)) \(format(perCommand))")
}
