@testable import PIISanitizer
import Testing

/// A user pattern with catastrophic backtracking is bounded by PCRE2's match limit, and what it
/// cannot decide is redacted whole, counted per pattern id (fail closed), on every path.
@Suite("Fail closed on regex limits")
struct FailClosedTests {
    static let evilFile = #"""
        {"version": 1, "extends": ["builtin"], "patterns": [
          {"id": "evil", "label": "EVIL", "category": "custom", "regex": "(a+)+$"}
        ]}
        """#
    static let evilLine = String(repeating: "a", count: 40) + "b"

    static func sanitizer(jit: Bool) throws -> Sanitizer {
        try Sanitizer(patternFileContents: Array(evilFile.utf8), name: "evil.json", options: .init(useJIT: jit))
    }

    @Test("an undecidable line is redacted whole and reported as failed closed", arguments: [true, false])
    func text(jit: Bool) throws {
        let s = try Self.sanitizer(jit: jit)
        let result = s.sanitizeWithFindings("ok bob@example.com\n\(Self.evilLine)\nend")
        #expect(result.text == "ok [EMAIL]\n[EVIL]\nend")
        #expect(result.findings.map(\.failedClosed) == [false, true])
        #expect(result.findings.last?.patternID == "evil")
    }

    @Test("streams count the events per pattern id", arguments: [true, false])
    func stream(jit: Bool) throws {
        var stream = TextStream(sanitizer: try Self.sanitizer(jit: jit))
        var out: [UInt8] = []
        let input = Array((0..<3).map { _ in Self.evilLine + "\n" }.joined().utf8)
        input.withUnsafeBytes { stream.write($0) { out += $0 } }
        stream.finish { out += $0 }
        #expect(String(decoding: out, as: UTF8.self) == "[EVIL]\n[EVIL]\n[EVIL]\n")
        #expect(stream.failedClosed == ["evil": 3])
        #expect(stream.limitHits == 3)
    }

    @Test("a JSON string value the pattern cannot decide is redacted whole")
    func json() throws {
        let s = try Self.sanitizer(jit: true)
        let input = #"{"note": "\#(Self.evilLine)", "n": 1.0}"#
        #expect(try s.sanitizeJSON(input) == #"{"note": "[EVIL]", "n": 1.0}"#)
        var stream = JSONStream(sanitizer: s)
        Array(input.utf8).withUnsafeBytes { try? stream.write($0) { _ in } }
        try stream.finish { _ in }
        #expect(stream.failedClosed == ["evil": 1])
    }
}
