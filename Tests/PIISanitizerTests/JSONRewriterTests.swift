import Foundation
@testable import PIISanitizer
import Testing

// The streaming JSON rewriter: exact input → output tables (escapes, numbers, whitespace, key
// rules, pair objects, JSON inside strings), findings with their JSON Pointers, invalid documents
// with exact positions, the depth limit, and streaming. Every table row goes through every path
// that must agree (STYLE habit 9): `[UInt8]`, `String`, `Data`, `sanitizeJSONWithFindings`,
// `JSONStream` in chunks of 1, 2, 3, 7 and 64 bytes, and PCRE2's interpreter instead of its JIT.
// The key-rule, pair-object and embedded-JSON tables are in JSONKeyRuleTests.swift.
// Values are fake: 4111 1111 1111 1111 and DE89 3704 0044 0532 0130 00 are the usual test numbers
// (Luhn and mod-97 valid); 536-22-1234 is in the issued SSN ranges.

/// The built-in set run by PCRE2's interpreter.
let jsonInterpreter: Sanitizer = {
    do { return try Sanitizer(options: .init(useJIT: false)) } catch { fatalError("interpreter set must load: \(error)") }
}()

/// One JSON document and its exact sanitized form.
struct JSONRewriteCase: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: String
    init(_ input: String, _ expected: String) {
        self.input = input
        self.expected = expected
    }

    /// A document that must come out byte for byte as it went in.
    static func same(_ input: String) -> JSONRewriteCase { JSONRewriteCase(input, input) }
    var testDescription: String { input.count > 90 ? String(input.prefix(90)) + "…" : input }
}

/// Every way one JSON document can go through the library; all must give the same bytes.
enum JSONRoute: String, CaseIterable, Sendable {
    case bytes, string, data, withFindings, chunks1, chunks2, chunks3, chunks7, chunks64, interpreter

    static let chunkSizes = [1, 2, 3, 7, 64]

    func run(_ input: [UInt8], _ sanitizer: Sanitizer = builtinSanitizer) throws(SanitizerError) -> [UInt8] {
        switch self {
        case .bytes: return try sanitizer.sanitizeJSON(input)
        case .string: return Array(try sanitizer.sanitizeJSON(String(decoding: input, as: UTF8.self)).utf8)
        case .data: return [UInt8](try sanitizer.sanitizeJSON(Data(input)))
        case .withFindings: return try sanitizer.sanitizeJSONWithFindings(input).json
        case .chunks1: return try jsonStream(sanitizer, input, chunk: 1).output
        case .chunks2: return try jsonStream(sanitizer, input, chunk: 2).output
        case .chunks3: return try jsonStream(sanitizer, input, chunk: 3).output
        case .chunks7: return try jsonStream(sanitizer, input, chunk: 7).output
        case .chunks64: return try jsonStream(sanitizer, input, chunk: 64).output
        case .interpreter: return try jsonInterpreter.sanitizeJSON(input)
        }
    }
}

/// Feeds `input` to a `JSONStream` in chunks of `chunk` bytes; returns what it emitted and its findings.
func jsonStream(_ sanitizer: Sanitizer, _ input: [UInt8], chunk: Int) throws(SanitizerError) -> (output: [UInt8], findings: [Finding]) {
    var stream = JSONStream(sanitizer: sanitizer)
    let found = JSONFindingBox()
    stream.onFinding = { found.findings.append($0) }
    var output: [UInt8] = []
    do {
        var start = 0
        while start < input.count {
            let end = min(start + chunk, input.count)
            try input[start..<end].withUnsafeBytes { try stream.write($0) { output += $0 } }
            start = end
        }
        try stream.finish { output += $0 }
    } catch let error as SanitizerError {
        throw error
    } catch {
        fatalError("JSONStream threw a non-SanitizerError: \(error)")
    }
    return (output, found.findings)
}

/// Collects findings from a callback.
final class JSONFindingBox {
    var findings: [Finding] = []
}

/// Runs one table row through one route and checks the exact output.
func checkJSONCase(_ c: JSONRewriteCase, _ route: JSONRoute, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let output = try route.run(Array(c.input.utf8))
        #expect(String(decoding: output, as: UTF8.self) == c.expected, "\(route)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(route): \(error)", sourceLocation: sourceLocation)
    }
}

/// Parses `text` with Foundation; nil when Foundation rejects it.
func foundationJSON(_ text: String) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// Escapes: PII hidden behind escapes is found, and every escape outside the redacted span stays
/// exactly as written.
let jsonEscapeCases: [JSONRewriteCase] = [
    .init(#"{"msg": "bob\u0040example.com"}"#, #"{"msg": "[EMAIL]"}"#),
    .init(#"{"msg": "\u0062\u006f\u0062@example\u002Ecom"}"#, #"{"msg": "[EMAIL]"}"#),
    .init(#"{"msg": "path \/tmp caf\u00e9\nbob\u0040example.com", "other": "a\/b \u00e9 \n"}"#,
          #"{"msg": "path \/tmp caf\u00e9\n[EMAIL]", "other": "a\/b \u00e9 \n"}"#),
    .init(#"{"msg": "to:\tbob\u0040example.com\r\n"}"#, #"{"msg": "to:\t[EMAIL]\r\n"}"#),
    .init(#"{"msg": "a\/b bob@example.com \/ 195.86.232.108 \u00E9"}"#, #"{"msg": "a\/b [EMAIL] \/ [IP_ADDRESS] \u00E9"}"#),
    // Surrogate pairs next to PII keep their escapes.
    .init(#"{"msg": "\ud83d\ude00bob@example.com\ud83d\ude00"}"#, #"{"msg": "\ud83d\ude00[EMAIL]\ud83d\ude00"}"#),
    .init(#"{"msg": "hi \uD83D\uDE00 card 4111 1111 1111 1111 \ud83d\ude00"}"#, #"{"msg": "hi \uD83D\uDE00 card [CREDIT_CARD] \ud83d\ude00"}"#),
    // Lone surrogates are not valid Unicode, but they are kept exactly.
    .same(#"{"msg": "x\ud800y", "low": "\udc00", "pair": "\ud83d\ude00"}"#),
    .init(#"{"msg": "\ud800 bob@example.com \udc00"}"#, #"{"msg": "\ud800 [EMAIL] \udc00"}"#),
    .init(#"{"msg": "\ud800bob@example.com"}"#, #"{"msg": "\ud800[EMAIL]"}"#),
    // Quotes and backslashes around the redacted span.
    .init(#"{"msg": "say \"bob@example.com\" C:\\dir\\ \"x\""}"#, #"{"msg": "say \"[EMAIL]\" C:\\dir\\ \"x\""}"#),
    .init(#"{"msg": "\"bob@example.com\"\\"}"#, #"{"msg": "\"[EMAIL]\"\\"}"#),
    .init(#"["\\\"195.86.232.108\\\""]"#, #"["\\\"[IP_ADDRESS]\\\""]"#),
    // Every escape kind, no PII: untouched.
    .same(#"{"e": "\"\\\/\b\f\n\r\t\u0000\u001f\uFFFF\u00e9"}"#),
    // Raw UTF-8 next to PII.
    .init(#"{"名前": "連絡先 taro.yamada@example.jp 👋"}"#, #"{"名前": "連絡先 [EMAIL] 👋"}"#),
    // Escapes in a member name are decoded for the key rules and kept as written.
    .init(#"{"\u0070assword": "x", "n\u00e9": "bob@example.com"}"#, #"{"\u0070assword": "[PASSWORD]", "n\u00e9": "[EMAIL]"}"#),
]

/// Number literals of every shape come out as written (outside sensitive keys).
let jsonNumberCases: [JSONRewriteCase] = [
    .same(#"{"a": 1.0, "b": 2.50, "c": 100.00, "d": -0, "e": 1e-7, "f": 3.0E+8, "g": 12345678901234567890, "h": -9223372036854775809}"#),
    .same(#"{"ts": 1716767009, "ts_ms": 1716767009347, "price": 129.90, "qty": 1.0, "zero": 0, "negzero": -0.0}"#),
    .same(#"[1.0,2.50,100.00,-0,1e-7,3.0E+8,12345678901234567890,-9223372036854775809,1716767009,1716767009347]"#),
    .same(#"[0.1e1, 1E7, 1e+07, -1.5e-10, 9007199254740993, 1.7976931348623157e309, 5e-324, 0.30000000000000004]"#),
    .same("1.0"),
    .same("-0"),
    .same("12345678901234567890"),
    .same("1e-7"),
    // Digits that look like a card or phone but are JSON numbers under neutral keys stay.
    .same(#"{"id": 4111111111111111, "seq": 4155552671, "order_id": 1716767009347}"#),
]

/// Whitespace, key order, duplicate keys, empty containers, scalars at the top level, and the BOM.
let jsonLayoutCases: [JSONRewriteCase] = [
    .init(" \t\r\n{ \"a\" : \"bob@example.com\" , \"b\"\t:\r\n[ 1 ,2 ] }\r\n\t ", " \t\r\n{ \"a\" : \"[EMAIL]\" , \"b\"\t:\r\n[ 1 ,2 ] }\r\n\t "),
    .init("{\r\n\t\"z\": 1,\r\n\t\"a\": \"bob@example.com\",\r\n\t\"m\": [\r\n\t\t2\r\n\t]\r\n}\r\n",
          "{\r\n\t\"z\": 1,\r\n\t\"a\": \"[EMAIL]\",\r\n\t\"m\": [\r\n\t\t2\r\n\t]\r\n}\r\n"),
    .init(#"{"z":"bob@example.com","a":2,"m":3,"a":"195.86.232.108"}"#, #"{"z":"[EMAIL]","a":2,"m":3,"a":"[IP_ADDRESS]"}"#),
    .same(#"{"a": {}, "b": [], "c": [{}, [[]]], "d": "", "e": true, "f": false, "g": null}"#),
    .same("{}"),
    .same("[]"),
    .same("true"),
    .same("null"),
    .same(#""""#),
    .init(#""bob@example.com""#, #""[EMAIL]""#),
    .init(#"  "mail bob@example.com"  "#, #"  "mail [EMAIL]"  "#),
    // A UTF-8 byte order mark before the document is copied through, like whitespace (CHANGELOG).
    .init("\u{FEFF}{\"a\": \"bob@example.com\"}", "\u{FEFF}{\"a\": \"[EMAIL]\"}"),
    .init("\u{FEFF}\r\n[\"195.86.232.108\"]\r\n", "\u{FEFF}\r\n[\"[IP_ADDRESS]\"]\r\n"),
]

/// A document with something in every position findings are reported for.
let jsonFindingsDocument = #"""
{
  "a/b": "mail bob@example.com",
  "t~k": ["x", "ip 195.86.232.108"],
  "password": "hunter2",
  "n": {"api_key": 42, "body": "{\"ssn\": \"536-22-1234\"}"}
}
"""#

/// One malformed document, the exact error, and the PII planted in it.
struct InvalidJSONCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: String
    let error: SanitizerError
    init(_ name: String, _ input: String, line: Int = 1, column: Int, _ expected: String) {
        self.name = name
        self.input = input
        error = .invalidJSON(line: line, column: column, expected: expected)
    }
    var testDescription: String { name }
}

/// PII values planted in the invalid documents; no error message may contain any of them.
let jsonPlantedPII = ["bob@example.com", "536-22-1234", "4111 1111 1111 1111", "hunter2", "195.86.232.108"]

let invalidJSONCases: [InvalidJSONCase] = [
    .init("truncated object", #"{"a": "bob@example.com""#, column: 24, "'}' to close the object"),
    .init("truncated array", #"["bob@example.com", 2"#, column: 22, "']' to close the array"),
    .init("truncated literal", #"{"a": "bob@example.com", "b": tru"#, column: 31, "a value"),
    // The message names the closing brace although a value must come first; imprecise but not wrong.
    .init("truncated after colon", #"{"password": "hunter2", "b":"#, column: 29, "'}' to close the object"),
    .init("trailing comma in object", #"{"a": "bob@example.com",}"#, column: 25, "a member name in quotes"),
    .init("trailing comma in array", #"["bob@example.com",]"#, column: 20, "a value"),
    .init("single quotes", #"{'a': 'bob@example.com'}"#, column: 2, "a member name in quotes or '}'"),
    .init("single-quoted value", #"{"a": 'bob@example.com'}"#, column: 7, "a value"),
    .init("leading zero", #"{"a": "bob@example.com", "n": 0123}"#, column: 32, "no leading zero"),
    .init("bare word", #"{"a": bob@example.com}"#, column: 7, "a value"),
    .init("bare word at top level", "hunter2 bob@example.com", column: 1, "a JSON value"),
    .init("unclosed string", #"{"a": "bob@example.com"#, column: 23, "'\"' to close the string"),
    .init("control character in string", "{\"a\": \"bob@example.com\tx\"}", column: 23,
          "'\"' to close the string (control characters must be escaped)"),
    .init("raw newline in string", "{\"a\": \"536-22-1234\nx\"}", column: 19, "'\"' to close the string (control characters must be escaped)"),
    .init("bad escape", #"{"a": "bob\x@example.com"}"#, column: 11, "a valid escape sequence"),
    .init("bad unicode escape", #"{"a": "\u12G4 bob@example.com"}"#, column: 8, "4 hex digits after \\u"),
    .init("two top-level values", #"{"a": "bob@example.com"} {"b": 2}"#, column: 26, "end of input"),
    .init("two top-level scalars", #""536-22-1234" 1"#, column: 15, "end of input"),
    .init("NaN", #"{"a": "bob@example.com", "n": NaN}"#, column: 31, "a value"),
    .init("Infinity", #"{"n": -Infinity, "a": "bob@example.com"}"#, column: 8, "a digit"),
    .init("plus sign", #"[+1, "bob@example.com"]"#, column: 2, "a value"),
    .init("missing colon", #"{"a" "bob@example.com"}"#, column: 6, "':' after the member name"),
    .init("missing comma in object", #"{"a": "bob@example.com" "b": 1}"#, column: 25, "',' or '}'"),
    .init("missing comma in array", #"["bob@example.com" 2]"#, column: 20, "',' or ']'"),
    .init("number as member name", #"{1: "bob@example.com"}"#, column: 2, "a member name in quotes or '}'"),
    .init("dot without digits", #"{"a": "bob@example.com", "n": 1.}"#, column: 33, "a digit after '.'"),
    .init("exponent without digits", #"{"a": "bob@example.com", "n": 1e+}"#, column: 34, "a digit in the exponent"),
    .init("extra closing brace", #"{"a": "bob@example.com"}}"#, column: 25, "end of input"),
    .init("closing brace first", "}", column: 1, "a JSON value"),
    .init("error on a later line", "{\n  \"a\": \"bob@example.com\",\n  \"b\": x\n}", line: 3, column: 8, "a value"),
    .init("columns count characters, not bytes", #"{"名前": "連絡先 bob@example.com", "b": x}"#, column: 36, "a value"),
    .init("empty input", "", column: 1, "a value"),
    .init("whitespace only", " \r\n\t", line: 2, column: 2, "a value"),
    .init("byte order mark after whitespace", " \u{FEFF}{}", column: 2, "a JSON value"),
    .init("byte order mark after the document", "{}\u{FEFF}", column: 3, "end of input"),
]

@Suite("JSON rewriter")
struct JSONRewriterTests {
    @Test("escapes: PII behind escapes is found; other escapes are kept byte for byte", arguments: jsonEscapeCases, JSONRoute.allCases)
    func escapes(c: JSONRewriteCase, route: JSONRoute) {
        checkJSONCase(c, route)
    }

    @Test("numbers survive byte for byte", arguments: jsonNumberCases, JSONRoute.allCases)
    func numbers(c: JSONRewriteCase, route: JSONRoute) {
        checkJSONCase(c, route)
    }

    @Test("whitespace, key order, top-level scalars and the BOM", arguments: jsonLayoutCases, JSONRoute.allCases)
    func layout(c: JSONRewriteCase, route: JSONRoute) {
        checkJSONCase(c, route)
    }

    /// Every row of every table in this file and JSONKeyRuleTests.swift.
    static let allCases = jsonEscapeCases + jsonNumberCases + jsonLayoutCases + jsonKeyRuleCases + jsonPairCases + jsonEmbeddedCases

    @Test("idempotent: sanitizing the output again changes nothing", arguments: allCases)
    func idempotent(c: JSONRewriteCase) throws {
        let once = try builtinSanitizer.sanitizeJSON(Array(c.input.utf8))
        let twice = try builtinSanitizer.sanitizeJSON(once)
        #expect(String(decoding: twice, as: UTF8.self) == String(decoding: once, as: UTF8.self))
    }

    @Test("a placeholder is never taken for a sensitive key in a [name, value] pair", arguments: [
        #"["[EMAIL]", 1.50]"#,
        #"[["[EMAIL]", 42], ["[EMAIL]", "active"]]"#,
        #"{"name": "[PASSWORD]", "value": 3}"#,
        #"["[API_KEY]", "x"]"#,
    ])
    func placeholderIsNotAKey(input: String) throws {
        let output = try builtinSanitizer.sanitizeJSON(input)
        #expect(output == input)
    }

    @Test("the output is valid JSON whenever the input is", arguments: allCases)
    func outputParses(c: JSONRewriteCase) throws {
        // Lone surrogates and the BOM are rejected by Foundation itself; those rows are skipped.
        guard foundationJSON(c.input) != nil else { return }
        let output = try builtinSanitizer.sanitizeJSON(c.input)
        #expect(foundationJSON(output) != nil, "\(output)")
    }

    @Test("a redacted string with quotes and backslashes around the span decodes to the expected text", arguments: [
        (#"{"msg": "say \"bob@example.com\" C:\\dir\\ \"x\""}"#, "say \"[EMAIL]\" C:\\dir\\ \"x\""),
        (#"{"msg": "\"bob@example.com\"\\"}"#, "\"[EMAIL]\"\\"),
        (#"{"msg": "\\\"536-22-1234\\\"\n"}"#, "\\\"[US_SSN]\\\"\n"),
        (#"{"msg": "tab\tbob\u0040example.com\u0000end"}"#, "tab\t[EMAIL]\u{0}end"),
    ])
    func quotedContext(input: String, decoded: String) throws {
        let output = try builtinSanitizer.sanitizeJSON(input)
        let object = try #require(foundationJSON(output) as? [String: Any], "\(output)")
        #expect(object["msg"] as? String == decoded)
    }

    @Test("an operator output holding a quote, a backslash or a control character is escaped", arguments: [
        (RedactionOperator.replace(template: #"<"{label}"\>"#), #"{"msg": "a bob@example.com b", "password": 12}"#,
         #"{"msg": "a <\"EMAIL\"\\> b", "password": "<\"PASSWORD\"\\>"}"#),
        (RedactionOperator.replace(template: "{label}\n\t\u{1}"), #"{"msg": "bob@example.com"}"#, #"{"msg": "EMAIL\n\t\u0001"}"#),
        // mask keeps ASCII punctuation, so a quote inside a masked value must be re-escaped.
        (RedactionOperator.mask(keepLast: 4, character: "*"), #"{"password": "ab\"cd1234"}"#, #"{"password": "**\"**1234"}"#),
        // remove in JSON leaves an empty string, so the structure stays.
        (RedactionOperator.remove, #"{"msg": "bob@example.com", "password": 1234, "x": [" 195.86.232.108"]}"#,
         #"{"msg": "", "password": "", "x": [" "]}"#),
    ])
    func operatorOutputEscaped(op: RedactionOperator, input: String, expected: String) throws {
        let sanitizer = try Sanitizer(options: .init(operatorOverride: op))
        let output = try sanitizer.sanitizeJSON(input)
        #expect(output == expected)
        #expect(foundationJSON(output) != nil)
        for size in JSONRoute.chunkSizes {
            #expect(try jsonStream(sanitizer, Array(input.utf8), chunk: size).output == Array(expected.utf8), "chunks of \(size)")
        }
    }

    @Test("findings: exact JSON Pointers (with ~0 and ~1), lines, columns, labels and pattern ids")
    func findings() throws {
        let input = Array(jsonFindingsDocument.utf8)
        let result = try builtinSanitizer.sanitizeJSONWithFindings(input)
        struct Row: Equatable { let pointer: String?, line: Int?, column: Int?, label: String, patternID: String }
        let rows = result.findings.map { Row(pointer: $0.jsonPointer, line: $0.line, column: $0.column, label: $0.label, patternID: $0.patternID) }
        #expect(rows == [
            Row(pointer: "/a~1b", line: 2, column: 10, label: "EMAIL", patternID: "email"),
            Row(pointer: "/t~0k/1", line: 3, column: 16, label: "IP_ADDRESS", patternID: "ipv4"),
            Row(pointer: "/password", line: 4, column: 15, label: "PASSWORD", patternID: "key_rules"),
            Row(pointer: "/n/api_key", line: 5, column: 20, label: "API_KEY", patternID: "key_rules"),
            Row(pointer: "/n/body/ssn", line: 5, column: 32, label: "US_SSN", patternID: "key_rules"),
        ])
        #expect(String(decoding: result.json, as: UTF8.self) == #"""
            {
              "a/b": "mail [EMAIL]",
              "t~k": ["x", "ip [IP_ADDRESS]"],
              "password": "[PASSWORD]",
              "n": {"api_key": "[API_KEY]", "body": "{\"ssn\": \"[US_SSN]\"}"}
            }
            """#)
        // Byte ranges point into the raw document: at the value itself for the top-level values.
        let text = { (f: Finding) in String(decoding: input[f.byteRange], as: UTF8.self) }
        #expect(result.findings.prefix(4).map(text) == ["bob@example.com", "195.86.232.108", "hunter2", "42"])
        #expect(result.findings.allSatisfy { !$0.failedClosed })
        // The same findings come from the stream, whatever the chunk size.
        for size in JSONRoute.chunkSizes {
            let streamed = try jsonStream(builtinSanitizer, input, chunk: size)
            #expect(streamed.findings == result.findings, "chunks of \(size)")
        }
    }

    @Test("findings inside JSON embedded in a string have byte ranges inside that string in the raw document")
    func embeddedFindingByteRange() throws {
        let input = Array(jsonFindingsDocument.utf8)
        let result = try builtinSanitizer.sanitizeJSONWithFindings(input)
        let body = try #require(result.findings.last)
        // The raw content of the "body" string: `{\"ssn\": \"536-22-1234\"}`.
        let raw = Array(#"{\"ssn\": \"536-22-1234\"}"#.utf8)
        let start = try #require((0...(input.count - raw.count)).first { Array(input[$0..<($0 + raw.count)]) == raw })
        #expect(body.byteRange.lowerBound >= start && body.byteRange.upperBound <= start + raw.count, "\(body.byteRange)")
    }

    @Test("findings of a single top-level value have the root pointer")
    func rootPointer() throws {
        let result = try builtinSanitizer.sanitizeJSONWithFindings(Array(#"  "bob@example.com""#.utf8))
        #expect(result.findings.map(\.jsonPointer) == [""])
        #expect(result.findings.map(\.column) == [3])
        #expect(result.findings.map(\.byteRange) == [3..<18])
    }

    @Test("invalid documents: exact position and expectation, never any planted PII", arguments: invalidJSONCases)
    func invalid(c: InvalidJSONCase) {
        for route in JSONRoute.allCases {
            do throws(SanitizerError) {
                let output = try route.run(Array(c.input.utf8))
                Issue.record("\(route): accepted, gave \(String(decoding: output, as: UTF8.self))")
            } catch {
                #expect(error == c.error, "\(route)")
                for pii in jsonPlantedPII {
                    #expect(!error.description.contains(pii), "\(route): \(error.description)")
                }
            }
        }
    }

    @Test("a JSON error message says where and what, in one line")
    func invalidDescription() {
        #expect(SanitizerError.invalidJSON(line: 3, column: 8, expected: "a value").description
            == "invalid JSON at line 3, column 8: expected a value")
        #expect(SanitizerError.jsonTooDeep(line: 1, column: 1001, limit: 1000).description
            == "JSON nested deeper than 1000 levels at line 1, column 1001")
    }

    @Test("100 000 nested arrays or objects: .jsonTooDeep at the first level past the limit, no crash", arguments: [
        (String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), 1_001),
        (String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000), 5_001),
        (String(repeating: #"[{"password":"#, count: 50_000) + "1" + String(repeating: "}]", count: 50_000), 13 * 500 + 1),
        (String(repeating: "[", count: 100_000), 1_001),  // unclosed, too
    ])
    func tooDeep(input: String, column: Int) {
        // Small chunks are left out: a stream waits for up to 64 KiB of look-ahead at each of the
        // first levels, which makes 100 000 levels fed a few bytes at a time slow in a debug build.
        for route in [JSONRoute.bytes, .chunks64] {
            #expect(throws: SanitizerError.jsonTooDeep(line: 1, column: column, limit: 1_000), "\(route)") {
                try route.run(Array(input.utf8))
            }
        }
    }

    @Test("maxJSONDepth 5 accepts 5 levels and rejects 6", arguments: [
        ("[[[[[]]]]]", nil),
        (#"{"a":{"b":{"c":{"d":{"e":1}}}}}"#, nil),
        (#"[{"a":[{"b":["bob@example.com"]}]}]"#, nil),
        ("[[[[[[]]]]]]", SanitizerError.jsonTooDeep(line: 1, column: 6, limit: 5)),
        (#"{"a":{"b":{"c":{"d":{"e":{}}}}}}"#, .jsonTooDeep(line: 1, column: 26, limit: 5)),
        ("[\n [\n  [\n   [\n    [\n     [\"bob@example.com\"]]]]]]", .jsonTooDeep(line: 6, column: 6, limit: 5)),
    ] as [(String, SanitizerError?)])
    func depthLimit(input: String, error: SanitizerError?) throws {
        var options = Sanitizer.Options()
        options.maxJSONDepth = 5
        let sanitizer = try Sanitizer(options: options)
        for route in [JSONRoute.bytes, .chunks1, .chunks3, .chunks64] {
            do throws(SanitizerError) {
                let output = String(decoding: try route.run(Array(input.utf8), sanitizer), as: UTF8.self)
                #expect(error == nil, "\(route): accepted")
                #expect(output == input.replacingOccurrences(of: "bob@example.com", with: "[EMAIL]"), "\(route)")
            } catch let thrown {
                #expect(thrown == error, "\(route)")
            }
        }
    }

    @Test("the default depth limit is 1000", arguments: [(1_000, true), (1_001, false)])
    func defaultDepth(levels: Int, accepted: Bool) {
        let input = Array((String(repeating: "[", count: levels) + String(repeating: "]", count: levels)).utf8)
        let result = Result { () throws(SanitizerError) in try builtinSanitizer.sanitizeJSON(input) }
        switch result {
        case let .success(output): #expect(accepted && output == input)
        case let .failure(error): #expect(!accepted && error == .jsonTooDeep(line: 1, column: 1_001, limit: 1_000))
        }
    }

    @Test("streaming in chunks of 1, 2, 3, 7 and 64 bytes gives the one-shot output and findings", arguments: allCases)
    func streaming(c: JSONRewriteCase) throws {
        let input = Array(c.input.utf8)
        let oneShot = try builtinSanitizer.sanitizeJSONWithFindings(input)
        for size in JSONRoute.chunkSizes {
            let streamed = try jsonStream(builtinSanitizer, input, chunk: size)
            #expect(streamed.output == oneShot.json, "chunks of \(size)")
            #expect(streamed.findings == oneShot.findings, "chunks of \(size)")
        }
    }

    @Test("a stream emits output before the document ends, once the 64 KiB look-ahead is exceeded")
    func streamEmitsEarly() throws {
        // Containers are held back until they close or 64 KiB of look-ahead (for pair objects) is
        // buffered; past that, rewritten bytes come out while the document is still open.
        let element = #"{"a": "bob@example.com", "n": 1.50}, "#
        let head = "[" + String(repeating: element, count: 3_000)
        var stream = JSONStream(sanitizer: builtinSanitizer)
        var output: [UInt8] = []
        try Array(head.utf8).withUnsafeBytes { try stream.write($0) { output += $0 } }
        let early = String(decoding: output, as: UTF8.self)
        #expect(early.count > 64 * 1024 - 2 * element.count && early.count <= head.count)
        #expect(early.hasPrefix(#"[{"a": "[EMAIL]", "n": 1.50}, "#))
        #expect(!early.contains("bob@example.com"))
        #expect((stream.counts["EMAIL"] ?? 0) > 1_000)
        try Array(#""195.86.232.108"]"#.utf8).withUnsafeBytes { try stream.write($0) { output += $0 } }
        try stream.finish { output += $0 }
        #expect(output == (try builtinSanitizer.sanitizeJSON(Array((head + #""195.86.232.108"]"#).utf8))))
        #expect(stream.counts == ["EMAIL": 3_000, "IP_ADDRESS": 1])
    }

    @Test("a stream that ends inside a document throws at finish")
    func streamUnfinished() throws {
        var stream = JSONStream(sanitizer: builtinSanitizer)
        var output: [UInt8] = []
        try Array(#"{"a": "bob@example.com", "b": [1"#.utf8).withUnsafeBytes { try stream.write($0) { output += $0 } }
        #expect(throws: SanitizerError.invalidJSON(line: 1, column: 33, expected: "']' to close the array")) {
            try stream.finish { output += $0 }
        }
        #expect(!String(decoding: output, as: UTF8.self).contains("bob@example.com"))
    }

    @Test("sanitizeJSON(encoding:) encodes, then sanitizes")
    func encodable() throws {
        struct Event: Encodable {
            let user = "bob"
            let note = "mail bob@example.com"
            let password = "hunter2"
            let count = 3
            let price = 1.5
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try builtinSanitizer.sanitizeJSON(encoding: Event(), encoder: encoder)
        #expect(String(decoding: data, as: UTF8.self) == #"{"count":3,"note":"mail [EMAIL]","password":"[PASSWORD]","price":1.5,"user":"bob"}"#)
    }
}
