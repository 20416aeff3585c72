// swift-tools-version: 6.1
import PackageDescription

import struct Foundation.URL

// A path dependency's identity is its folder's name, so look the products up under it.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// libFuzzer targets for the JSON rewriter, the text redactor, the pattern-file loader and the MCP
// message handling, in a sibling package (like Benchmarks/) so the root package stays free of
// fuzzing flags. Build and run them with run.sh (see FuzzDriver for why not --sanitize=fuzzer).
let package = Package(
    name: "PIISanitizerFuzz",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzDriver", dependencies: ["CFuzzDriver"]),
        .executableTarget(
            name: "fuzz-text",
            dependencies: ["FuzzDriver", .product(name: "PIISanitizerInvariants", package: root),
                           .product(name: "PIISanitizer", package: root)]
        ),
        .executableTarget(
            name: "fuzz-json",
            dependencies: ["FuzzDriver", .product(name: "PIISanitizerInvariants", package: root),
                           .product(name: "PIISanitizer", package: root)]
        ),
        .executableTarget(
            name: "fuzz-patterns",
            dependencies: ["FuzzDriver", .product(name: "PIISanitizerInvariants", package: root),
                           .product(name: "PIISanitizer", package: root)]
        ),
        .executableTarget(
            name: "fuzz-mcp",
            dependencies: ["FuzzDriver", .product(name: "PIISanitizerInvariants", package: root),
                           .product(name: "PIISanitizer", package: root),
                           .product(name: "PIISanitizerMCP", package: root),
                           .product(name: "Logging", package: "swift-log")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
