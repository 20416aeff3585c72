@testable import PIISanitizer
import Testing

/// Pair objects are looked ahead before the document is validated: malformed escapes there must
/// give the ordinary syntax error, never a crash or a read past the end.
@Suite("JSON: malformed input inside pair objects")
struct JSONMalformedPairTests {
    @Test("malformed escapes in a pair object's name are a syntax error", arguments: [
        (#"{"name": "\u12", "value": 1}"#, SanitizerError.invalidJSON(line: 1, column: 11, expected: "4 hex digits after \\u")),
        (#"{"name": "a\u", "value": 1}"#, .invalidJSON(line: 1, column: 12, expected: "4 hex digits after \\u")),
        (#"{"name": "\ud83d\u", "value": 1}"#, .invalidJSON(line: 1, column: 17, expected: "4 hex digits after \\u")),
        (#"["DB_PASSWORD\u00", 1]"#, .invalidJSON(line: 1, column: 14, expected: "4 hex digits after \\u")),
        (#"{"name": "x\q", "value": 1}"#, .invalidJSON(line: 1, column: 12, expected: "a valid escape sequence")),
    ])
    func malformedName(input: String, error: SanitizerError) {
        #expect(throws: error) { try builtinSanitizer.sanitizeJSON(input) }
    }

    @Test("the same look-ahead decodes escaped names correctly", arguments: [
        (#"{"name": "DB_PASS\u0057ORD", "value": "x"}"#, #"{"name": "DB_PASS\u0057ORD", "value": "[PASSWORD]"}"#),
        (#"[{"value": 7, "Name": "api\u005fkey"}]"#, #"[{"value": "[API_KEY]", "Name": "api\u005fkey"}]"#),
        (#"[["pass\u0077ord", "x"]]"#, #"[["pass\u0077ord", "[PASSWORD]"]]"#),
    ])
    func escapedName(input: String, expected: String) throws {
        #expect(try builtinSanitizer.sanitizeJSON(input) == expected)
    }
}
