// swift-tools-version: 6.1
import PackageDescription

// One strictness setting for every target (swift-argument-parser habit).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PIISanitizer",
    products: [
        .library(name: "PIISanitizer", targets: ["PIISanitizer"]),
        .library(name: "PIISanitizerMCP", targets: ["PIISanitizerMCP"]),
        .executable(name: "pii-sanitize", targets: ["pii-sanitize"]),
        // The invariants the fuzz targets (Fuzz/) and property tests check, for reuse in tests.
        .library(name: "PIISanitizerInvariants", targets: ["PIISanitizerInvariants"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", "0.12.1"..<"0.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // C lives only here; reached only by the PCRE2 wrapper.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .target(name: "PCRE2", dependencies: ["CPCRE2"], swiftSettings: strict),
        // Embeds patterns/default.json into the library so a copied binary works alone.
        .executableTarget(name: "embed-patterns", swiftSettings: strict),
        .plugin(name: "EmbedPatterns", capability: .buildTool(), dependencies: ["embed-patterns"]),
        .target(
            name: "PIISanitizer",
            dependencies: [
                "PCRE2",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedPatterns"]
        ),
        .target(name: "PIISanitizerInvariants", dependencies: ["PIISanitizer"], swiftSettings: strict),
        // The MCP adapter without swift-sdk: the tools and our own JSON-RPC stdio server
        // (byte-faithful, linear). What `pii-sanitize mcp` links; no Foundation either.
        .target(
            name: "PIISanitizerMCPCore",
            dependencies: ["PIISanitizer", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Helpers for servers built on swift-sdk, re-exporting PIISanitizerMCPCore (the library
        // product users import). The only importer of the MCP SDK: the CLI does not link it, which
        // keeps Foundation, FoundationNetworking and libcurl out of its memory and start-up.
        .target(
            name: "PIISanitizerMCP",
            dependencies: [
                "PIISanitizerMCPCore",
                "PIISanitizer",
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "pii-sanitize",
            dependencies: [
                "PIISanitizer",
                "PIISanitizerMCPCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"], swiftSettings: strict),
        .testTarget(
            name: "PIISanitizerTests",
            dependencies: ["PIISanitizer", "PCRE2", "PIISanitizerInvariants", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        .testTarget(name: "CLITests", dependencies: ["pii-sanitize"], swiftSettings: strict),
        .testTarget(
            name: "PIISanitizerMCPTests",
            dependencies: ["PIISanitizerMCP", "PIISanitizerMCPCore", "PIISanitizer", .product(name: "MCP", package: "swift-sdk")],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
