// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kafkalab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kafkalab", targets: ["kafkalab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        // Hardware CRC32C (SSE4.2, chosen at run time) for record batches.
        .target(name: "CCRC32C", path: "Sources/CCRC32C"),
        // fallocate and statfs, which Swift's Glibc module does not declare (the tmpfs page preallocation).
        .target(name: "CFileSpace", path: "Sources/CFileSpace"),
        // The codecs of compressed record batches (Debian's zlib1g-dev, libzstd-dev, liblz4-dev, libsnappy-dev).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        // The simulated cluster: no I/O but through its storage protocol, no text, no terminal.
        .target(
            name: "KafkaModel",
            dependencies: ["CCRC32C", "CFileSpace", "CZlib", "CZstd", "CLZ4", "CSnappy",
                           .product(name: "HeapModule", package: "swift-collections"),
                           .product(name: "DequeModule", package: "swift-collections")],
            path: "Sources/KafkaModel"),
        // The language learners type, rendering, and the Session every driver calls.
        .target(name: "KafkaShell", dependencies: ["KafkaModel"], path: "Sources/KafkaShell"),
        // Notebooks: transcripts, checks, lessons, recording and replay.
        .target(name: "Notebook", dependencies: ["KafkaShell"], path: "Sources/Notebook"),
        // Kafka's wire format: frames, headers and the messages generated from Kafka's JSON schemas.
        .target(name: "KafkaWire", dependencies: [.product(name: "NIOCore", package: "swift-nio")], path: "Sources/KafkaWire"),
        // `kafkalab serve`: one listener per simulated broker; real clients' requests go through the brokers' KafkaApis.
        .target(
            name: "KafkaServer",
            dependencies: ["KafkaWire", "KafkaShell", "KafkaModel",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            path: "Sources/KafkaServer"),
        .systemLibrary(
            name: "CLibEdit", path: "Sources/CLibEdit", pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]),
        .target(name: "LineEditing", dependencies: ["CLibEdit"], path: "Sources/LineEditing"),
        .executableTarget(
            name: "kafkalab",
            dependencies: [
                "KafkaShell", "Notebook", "LineEditing", "KafkaServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/kafkalab"),
        .executableTarget(name: "kafkalab-bench", dependencies: ["KafkaModel", "KafkaShell", "Notebook"], path: "Sources/kafkalab-bench"),
        .testTarget(name: "KafkaModelTests", dependencies: ["KafkaModel"], path: "Tests/KafkaModelTests"),
        .testTarget(name: "KafkaShellTests", dependencies: ["KafkaShell"], path: "Tests/KafkaShellTests"),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"], path: "Tests/NotebookTests"),
        .testTarget(name: "KafkaWireTests", dependencies: ["KafkaWire"], path: "Tests/KafkaWireTests"),
        .testTarget(name: "KafkaServerTests", dependencies: ["KafkaServer", "KafkaWire"], path: "Tests/KafkaServerTests"),
        .testTarget(name: "LineEditingTests", dependencies: ["LineEditing"], path: "Tests/LineEditingTests"),
    ],
    swiftLanguageModes: [.v6]
)
