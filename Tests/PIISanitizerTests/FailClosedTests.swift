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

    /// A line redacted whole inside a private-key block takes the block with it: with the line
    /// (and the invalid byte in it that kept the key pattern from matching) replaced, a second
    /// run would find the key. Found by fuzz-text (Fuzz/Regressions/text/*-in-key-block).
    static let begin = Array("-----BEGIN PRIVATE KEY-----\n".utf8), end = Array("-----END PRIVATE KEY-----\n".utf8)
    /// Phone numbers each revealed by the last one's replacement, past the rescan rounds.
    static let phoneChain = Array("+14155550+14143 550+14155556+14155550".utf8)
    static let keyBlockCases: [(name: String, input: [UInt8], expected: String, evil: Bool)] = [
        ("chain line with an invalid byte, in a closed block",
         Array("before\n".utf8) + begin + phoneChain + [0x8E, 0x0A] + end + Array("after\n".utf8),
         "before\n[PHONE]\n-----END PRIVATE KEY-----\nafter\n", false),
        ("invalid byte first, in a closed block",
         begin + [0xFF] + phoneChain + [0x0A] + end, "[PHONE]\n-----END PRIVATE KEY-----\n", false),
        ("in a block without an END line",
         Array("before\n".utf8) + begin + phoneChain + [0x8E] + Array("\nmore\n".utf8), "before\n[PHONE]\nmore\n", false),
        ("after a closed block: the line alone",
         begin + Array("MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cevj\n".utf8) + end + phoneChain + [0x8E, 0x0A],
         "[PRIVATE_KEY]\n[PHONE]\n", false),
        // The END closing the block is in the line: the block ends there, as a stream cuts it,
        // and the line goes back to the BEGIN line only (then the text after it is no key).
        ("the line holds the END marker",
         Array("t".utf8) + begin + Array("-----END PRIVATE KEY-----02.1986136+55055541+13215141".utf8) + [0xC3, 0xA9]
            + Array("\nbob@example.com\n".utf8),
         "[PRIVATE_KEY]\n[EMAIL]\n", false),
        // An ASCII line cannot have kept the key pattern from matching: only the line goes.
        ("an ASCII line in a block without an END line",
         begin + Array("AAAA\n".utf8) + phoneChain + Array("\nmore\n".utf8),
         "-----BEGIN PRIVATE KEY-----\nAAAA\n[PHONE]\nmore\n", false),
        ("a line a pattern cannot decide, in a closed block",
         // (`!` first: a line of base64 letters after BEGIN would be a truncated key.)
         Array("k:\n".utf8) + begin + Array("!\(evilLine)".utf8) + [0xFF, 0x0A] + end, "k:\n[EVIL]\n-----END PRIVATE KEY-----\n", true),
        // The high byte before the second BEGIN (on its line) kept the first block from its END:
        // taking that line takes the first BEGIN line too.
        ("a high byte on the line of an inner BEGIN",
         begin + [0xBB] + Array("-----END-----BEGINRPRIVATE KEY-----\n1.1.8.1".utf8) + phoneChain + [0x89] + Array("-----ENDPRIVATE KEY-----$\n".utf8)
            + end,
         "[IP_ADDRESS]\n-----END PRIVATE KEY-----\n", false),
    ]

    @Test("a line redacted whole inside a private-key block redacts the block; a second run changes nothing",
          arguments: keyBlockCases.indices, [true, false])
    func keyBlock(index: Int, jit: Bool) throws {
        let row = Self.keyBlockCases[index]
        let s = row.evil ? try Self.sanitizer(jit: jit) : try Sanitizer(options: .init(useJIT: jit))
        let once = s.sanitize(bytes: row.input)
        #expect(String(decoding: once, as: UTF8.self) == row.expected, "\(row.name)")
        #expect(s.sanitize(bytes: once) == once, "\(row.name): idempotent")
        #expect(PIISanitizerTests.stream(s, row.input.map { [$0] }) == once, "\(row.name): stream, byte by byte")
    }
}
