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
        .executable(name: "pii-sanitize", targets: ["pii-sanitize"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
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
        .executableTarget(
            name: "pii-sanitize",
            dependencies: [
                "PIISanitizer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"], swiftSettings: strict),
        .testTarget(name: "PIISanitizerTests", dependencies: ["PIISanitizer", "PCRE2"], swiftSettings: strict),
        .testTarget(name: "CLITests", dependencies: ["pii-sanitize"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
