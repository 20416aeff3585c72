import Foundation
@testable import PIISanitizer
import Testing

// The prefiltered scan (declared `prefilter` and `matchStart` rules: regexes run only on candidate
// lines, kv patterns only at declared starts) must find exactly what the full scan finds. One test
// body runs both paths over every input we have (STYLE habit 9).

/// The built-in set scanning every block with every pattern, as before prefilters existed.
let fullScanSanitizer: Sanitizer = {
    var options = Sanitizer.Options()
    options.usePrefilters = false
    do { return try Sanitizer(options: options) } catch { fatalError("full-scan set must load: \(error)") }
}()

/// The development corpus texts and NDJSON records, when the corpus is present beside the design documents.
let corpusTexts: [String] = {
    var texts: [String] = []
    if let data = FileManager.default.contents(atPath: "/work/shared/corpus/text.jsonl") {
        for line in data.split(separator: 0x0A) {
            if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let text = object["text"] as? String {
                texts.append(text)
            }
        }
    }
    if let data = FileManager.default.contents(atPath: "/work/shared/corpus/records.ndjson") {
        texts += data.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
    }
    return texts
}()

/// Inputs that sit on the edges of the prefilter rules.
let prefilterEdgeCases: [String] = [
    "mac 00:1A:2B:3C:4D:5E, uuid 8e7aa6e9-9f19-4504-a9dd-251de5121482, cisco 001a.2b3c.4d5e",
    "00:1A:2B:3C:4D:5E:6F and x::00:1a:2b:3c:4d:5e and 00-1a-2b-3c-4d-5e",
    "ip 10.1.2.3 v3.18.70 1.2.3.4.5 203.0.113.7/24 fe80::1 ::ffff:192.0.2.1 a:1.2.3.4 1:2:3:4:5:6:7:8",
    "2026-03-17T16:41:55.975Z 10:22:31.123 call +44 20 7946 0958 or (555) 234-5678 or 1 (555) 234-5678",
    "card 4111 1111 1111 1111 12/25, 4111-1111-1111-1111, 4111111111111111; phone 030 1234567 (030) 123 4567",
    "ssn 078-05-1120 / 123 45 6789; iban DE89 3704 0044 0532 0130 00",
    "mail bob@example.com\nuser:pa55@host\npostgres://admin:s3cr3t@db.example.com:5432/x",
    "api_key=abcd1234efgh api-key: 'sk9f8e7d' password=\"hunter22\" x.auth.token = abc123def",
    "KEY=k\u{212A}ey ſecret=hunter22 \u{212A}ey=abc123def token=\u{00e9}t\u{00e9}123",
    String(repeating: "a", count: 45) + "password=hunter22 " + String(repeating: "x_", count: 30) + "token=abc123",
    "prefix.password=hunter22 -password=hunter22 ..token=abc123def mypasswordfile=/etc/x",
]

@Suite("Prefilters")
struct PrefilterTests {
    static let inputs: [String] = EngineTests.exampleTexts + engineRedactionTable.map(\.input) + prefilterEdgeCases

    @Test("prefiltered and full scans agree on every example, table row and edge case")
    func examplesAgree() {
        for text in Self.inputs {
            #expect(builtinSanitizer.sanitizeWithFindings(text) == fullScanSanitizer.sanitizeWithFindings(text), "\(text.debugDescription)")
        }
    }

    @Test("prefiltered and full scans agree on the inputs joined as one multi-line text")
    func joinedAgree() {
        for separator in ["\n", "\r\n", " "] {
            let text = Self.inputs.joined(separator: separator)
            #expect(builtinSanitizer.sanitizeWithFindings(text) == fullScanSanitizer.sanitizeWithFindings(text))
        }
    }

    @Test("prefiltered and full scans agree on the development corpus")
    func corpusAgrees() {
        if corpusTexts.isEmpty { print("skipping: the development corpus is not present") }
        var differing: [Int] = []
        for (i, text) in corpusTexts.enumerated()
        where builtinSanitizer.sanitizeWithFindings(text) != fullScanSanitizer.sanitizeWithFindings(text) {
            differing.append(i)
        }
        #expect(differing.isEmpty, "corpus items that differ: \(differing.prefix(20))")
        let joined = corpusTexts.joined(separator: "\n")
        #expect(builtinSanitizer.sanitizeWithFindings(joined) == fullScanSanitizer.sanitizeWithFindings(joined))
    }

    @Test("prefiltered and full scans agree inside JSON string values")
    func jsonAgrees() throws {
        for text in Self.inputs {
            let document = try JSONEncoder().encode(["message": text])
            #expect(try builtinSanitizer.sanitizeJSON(document) == fullScanSanitizer.sanitizeJSON(document), "\(text.debugDescription)")
        }
    }

    @Test("run rules find the start of the first qualifying run", arguments: [
        // (rule, text, expected offset)
        (Prefilter.Rule.run(.init(unit: .digit, separators: Array(" -".utf8), minUnits: 13)), "ts 2026-03-17 card 4111 1111 1111 1111", 19),
        (.run(.init(unit: .digit, separators: Array(".".utf8), minGroups: 4)), "v3.18.70 then 10.0.0.1", 14),
        (.run(.init(unit: .hex, separators: Array(":.-".utf8), minUnits: 12, maxUnits: 12)), "8e7aa6e9-9f19-4504-a9dd-251de5121482 00:1a:2b:3c:4d:5e", 37),
        (.run(.init(unit: .digit, separators: Array(" ()".utf8), maxGap: 2, minUnits: 10)), "call (555) 234 5678", 6),
        (.literal(Array("::".utf8)), "a:b fe80::1", 8),
        (.literal(Array("key".utf8)), "no KEY here", 3),
    ] as [(Prefilter.Rule, String, Int)])
    func candidates(rule: Prefilter.Rule, text: String, offset: Int) {
        let bytes = Array(text.utf8)
        let hit = bytes.withUnsafeBufferPointer { Prefilter(rules: [rule]).firstCandidate(in: $0, from: 0) }
        #expect(hit == offset)
    }

    @Test("run rules without a qualifying run find nothing", arguments: [
        (Prefilter.Rule.run(.init(unit: .digit, separators: Array(" -".utf8), minUnits: 13)), "2026-03-17T16:41:55.975Z count=95753"),
        (.run(.init(unit: .digit, separators: Array(".".utf8), minGroups: 4)), "v3.18.70 16:41:55.975"),
        (.run(.init(unit: .hex, separators: Array(":.".utf8), minGroups: 5)), "2026-03-17T16:41:55.975Z"),
        (.run(.init(unit: .hex, separators: Array(":.-".utf8), minUnits: 12, maxUnits: 12)), "00:1a:2b:3c:4d:5e:6f"),
        (.run(.init(unit: .digit, separators: Array(" -".utf8), minUnits: 9)), "12 - 345 - 678 - 901"),
    ] as [(Prefilter.Rule, String)])
    func noCandidates(rule: Prefilter.Rule, text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { Prefilter(rules: [rule]).firstCandidate(in: $0, from: 0) } == nil)
    }

    @Test("prefilter and matchStart are validated", arguments: [
        (#"[{"run": "octal"}]"#, "prefilter", "/patterns/0/prefilter/0/run"),
        (#"[{"run": "digit", "separators": "\n"}]"#, "prefilter", "/patterns/0/prefilter/0/separators"),
        (#"[{"run": "digit", "separators": "1"}]"#, "prefilter", "/patterns/0/prefilter/0/separators"),
        (#"[{"literal": "@", "minUnits": 2}]"#, "prefilter", "/patterns/0/prefilter/0/minUnits"),
        (#"[{"run": "digit", "minUnits": 5, "maxUnits": 4}]"#, "prefilter", "/patterns/0/prefilter/0/maxUnits"),
        (#"[{"ruin": "digit"}]"#, "prefilter", "/patterns/0/prefilter/0/ruin"),
        (#"[]"#, "prefilter", "/patterns/0/prefilter"),
        (#"{"wordBytes": "a-z", "maxKeywordOffset": 40}"#, "matchStart", "/patterns/0/matchStart"),
    ])
    func validation(value: String, member: String, pointer: String) {
        let file = #"{"version": 1, "patterns": [{"id": "x", "label": "X", "category": "custom", "regex": "\\d+", "keywords": ["a"], "\#(member)": \#(value)}]}"#
        #expect {
            _ = try Sanitizer(patternFileContents: Array(file.utf8), name: "p.json")
        } throws: { error in
            guard case let .invalidPatternFile(_, at, id, _) = error as? SanitizerError else { return false }
            return at == pointer && id == "x"
        }
    }

    @Test("a user pattern with a prefilter redacts only what its regex finds on candidate lines")
    func userPrefilter() throws {
        let file = #"""
            {"version": 1, "patterns": [{"id": "order", "label": "ORDER", "category": "custom",
              "regex": "(?<!\\d)\\d{4}-\\d{4}(?!\\d)", "prefilter": [{"run": "digit", "separators": "-", "minUnits": 8}],
              "examples": {"positive": [{"text": "order 1234-5678 shipped", "match": "1234-5678"}], "negative": ["order 123-4567"]}}]}
            """#
        let sanitizer = try Sanitizer(patternFileContents: Array(file.utf8), name: "p.json")
        #expect(sanitizer.sanitize("a 1234-5678\nb 12-34\nc 8765-4321 d") == "a [ORDER]\nb 12-34\nc [ORDER] d")
        #expect(sanitizer.runExamples().isEmpty)
    }
}
