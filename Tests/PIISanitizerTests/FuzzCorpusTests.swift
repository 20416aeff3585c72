import Foundation
import PIISanitizer
import PIISanitizerInvariants
import Testing

/// The fuzz targets' seeds and every input a fuzzer has failed on (Fuzz/Seeds, Fuzz/Regressions),
/// replayed through the same invariants the fuzz targets check, so a fixed finding stays fixed
/// without building the fuzzers. JIT on and off: both paths must keep the promises.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
    static let fuzzRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    /// Every file under Seeds/TARGET and Regressions/TARGET, by name.
    static func inputs(_ target: String) -> [(String, [UInt8])] {
        ["Seeds", "Regressions"].flatMap { folder -> [(String, [UInt8])] in
            let dir = fuzzRoot.appendingPathComponent(folder).appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.sorted().compactMap { name in
                (try? Data(contentsOf: dir.appendingPathComponent(name))).map { ("\(folder)/\(target)/\(name)", [UInt8]($0)) }
            }
        }
    }

    static let sanitizers: [Sanitizer] = [true, false].map { jit in
        var options = Invariants.oracleOptions
        options.useJIT = jit
        return try! Sanitizer(options: options)
    }

    static let placeholderSanitizers: [Sanitizer] = [true, false].map { jit in
        try! Sanitizer(options: .init(operatorOverride: .defaultPlaceholder, useJIT: jit))
    }

    @Test("the corpus is there", arguments: ["text", "json", "patterns", "mcp"])
    func present(target: String) {
        #expect(Self.inputs(target).count >= 3, "Fuzz/Seeds/\(target) should hold seeds")
    }

    @Test("text target: streaming, spans, idempotence, planted values", arguments: inputs("text").map(\.0))
    func text(name: String) throws {
        let bytes = try #require(Self.inputs("text").first { $0.0 == name }?.1)
        let textCase = Invariants.TextCase(fuzzInput: bytes)
        // Every input with one thread and with three, whatever its control byte asks for.
        for s in textCase.placeholder ? Self.placeholderSanitizers : Self.sanitizers {
            for threads in [1, 3] {
                #expect(throws: Never.self) {
                    try Invariants.checkText(s, input: textCase.input, chunkSizes: textCase.chunkSizes,
                                             exactReplacement: !textCase.placeholder, planted: Invariants.plantedValues,
                                             threads: threads)
                }
            }
        }
    }

    @Test("JSON target: validity, spans, idempotence, planted values, NDJSON on 1 and 3 threads", arguments: inputs("json").map(\.0))
    func json(name: String) throws {
        let document = try #require(Self.inputs("json").first { $0.0 == name }?.1)
        for s in Self.sanitizers {
            #expect(throws: Never.self) { try Invariants.checkJSONTarget(s, document: document) }
        }
    }

    /// The checks can fail: a sanitizer that redacts nothing, and output that is not the input.
    @Test("the invariants catch a broken sanitizer")
    func checksCanFail() throws {
        let never = #"{"version": 1, "patterns": [{"id": "never", "label": "NEVER", "category": "pii", "regex": "(?!)"}]}"#
        let nothing = try Sanitizer(patternFileContents: Array(never.utf8), name: "never.json", options: Invariants.oracleOptions)
        #expect(throws: Invariants.Violation.self) {
            try Invariants.checkText(nothing, input: Invariants.plantedText, planted: Invariants.plantedValues)
        }
        #expect(throws: Invariants.Violation.self) {
            try Invariants.checkJSON(nothing, input: Invariants.plantedJSON(around: Array("1".utf8)), planted: Invariants.plantedValues)
        }
        #expect(!JSONGrammar.isValid(Array("[1,]".utf8)))
        #expect(!JSONGrammar.isValid(Array("\"\\x\"".utf8)))
        #expect(JSONGrammar.isValid(Array("\u{FEFF} {\"a\": [1, -0.5e+3, \"\\ud800\", true, null]} ".utf8)))
    }
}
