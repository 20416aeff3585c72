// swift-tools-version: 6.1
import PackageDescription

import struct Foundation.URL

// A path dependency's identity is its folder's name (`PIISanitizer`, `main`, a worktree's name…),
// so the product is looked up under whatever the root checkout is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// Benchmarks live in their own package (swift-nio's layout) so the root package never depends on
// ordo-one/benchmark: `cd Benchmarks && swift package benchmark`.
let package = Package(
    name: "PIISanitizerBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        // MallocInterposer only: it gives the malloc counters; the default RuntimeInterposer trait
        // pulls in swift-runtime-interposer, which this machine's package mirror does not carry.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PIISanitizerBenchmarks",
            dependencies: [
                .product(name: "PIISanitizer", package: root),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PIISanitizerBenchmarks",
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
