// swift-tools-version: 6.1
import PackageDescription

import struct Foundation.URL

// A path dependency's identity is its folder's name, so look the products up under it.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// libFuzzer targets for the JSON rewriter, the text redactor, the pattern-file loader and the MCP
// message handling, in a sibling package (like Benchmarks/) so the root package stays free of
// fuzzing flags. Build and run them with run.sh (see FuzzDriver for why not --sanitize=fuzzer).
/// A fuzz target: the driver, the invariants and the core, plus what it `also` needs.
func fuzzTarget(_ name: String, also: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzDriver", .product(name: "PIISanitizerInvariants", package: root),
                       .product(name: "PIISanitizer", package: root)] + also
    )
}

let package = Package(
    name: "PIISanitizerFuzz",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzDriver", dependencies: ["CFuzzDriver"]),
        fuzzTarget("fuzz-text"),
        fuzzTarget("fuzz-json"),
        fuzzTarget("fuzz-patterns"),
        fuzzTarget("fuzz-mcp", also: [.product(name: "PIISanitizerMCP", package: root), .product(name: "Logging", package: "swift-log")]),
    ],
    swiftLanguageModes: [.v6]
)
