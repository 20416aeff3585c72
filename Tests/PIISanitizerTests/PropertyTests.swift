import PIISanitizer
import PIISanitizerInvariants
import PropertyBased
import Testing

/// The fuzz targets' invariants (PIISanitizerInvariants) over generated inputs: texts and JSON
/// trees built from a list of small integers (the generator shrinks the list, so a failure comes
/// back as a short recipe), with PII put in places where it must be found. The builder records
/// where it put each value, and every byte of it must end up inside a finding.
@Suite("Properties")
struct PropertyTests {
    static let sanitizer = try! Sanitizer(options: Invariants.oracleOptions)

    /// Values that must be found wherever the builder puts them (between separators).
    static let pii = Invariants.plantedValues + [
        "bob.smith+spam@mail.example.co.uk", "10.20.30.40", "2001:db8::8a2e:370:7334", "5500 0000 0000 0004",
        "GB82WEST12345698765432",
    ]
    /// Words that must survive: numbers, versions, timestamps, ids, words near the patterns.
    static let words = [
        "ok", "user", "login", "2026-11-22T10:00:00Z", "v1.2.3", "id=42", "1,299.99", "port", "8080", "pid", "31337",
        "uuid", "5ac96628-c438-4836-9932-2fed157cf9c6", "ratio", "0.75", "–", "é", "日本", "🙂", "[x]", "a@b", "http://example.com/x",
    ]
    static let separators = [" ", "  ", "\t", ", ", "; ", " (", ") ", " \"", "\" "]
    /// What opens and closes a value: delimiters that end a digit group, so a card or phone
    /// number is not read as part of a longer number next to it (`42 4111 1111 1111 1111 8080`
    /// is one 22-digit number by design).
    static let openers = [", ", ": ", " (", "\t", "; ", " \""]
    static let closers = [";", ")", "\t", "\""]
    static let lineEnds = ["\n", "\r\n", "\n\n"]

    /// A text from `codes`, and the byte ranges where PII was put.
    static func text(_ codes: [Int]) -> ([UInt8], [Range<Int>]) {
        var out: [UInt8] = [], ranges: [Range<Int>] = []
        for (k, code) in codes.enumerated() {
            let c = abs(code)
            switch c % 7 {
            case 0:
                out += lineEnds[c / 7 % lineEnds.count].utf8
            case 1:
                out += openers[c / 7 % openers.count].utf8
                let value = Array(pii[c / 7 % pii.count].utf8)
                ranges.append(out.count..<(out.count + value.count))
                out += value
                out += closers[k % closers.count].utf8
                out += separators[k % separators.count].utf8
            default:
                out += words[c % words.count].utf8
                out += separators[c / 7 % separators.count].utf8
            }
        }
        return (out, ranges)
    }

    @Test("texts: streaming in any chunking and on 1–3 threads agrees, bytes outside spans kept, idempotent, PII found")
    func texts() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...10_000).array(of: 0...60), Gen.int(in: 1...64), Gen.int(in: 1...3)) {
            codes, chunk, threads in
            let (input, ranges) = Self.text(codes)
            #expect(throws: Never.self, "\(String(decoding: input, as: UTF8.self).debugDescription)") {
                try Invariants.checkText(Self.sanitizer, input: input, chunkSizes: [chunk, 3, 4096], covered: ranges, threads: threads)
            }
        }
    }

    /// A JSON tree from `codes`; string values mix words and PII, sometimes behind escapes.
    struct TreeBuilder {
        let codes: [Int]
        var next = 0
        var out: [UInt8] = []
        var ranges: [Range<Int>] = []

        static let keys = ["note", "msg", "user", "id", "ts", "password", "X-Api-Key", "email", "name", "value", "items", "ratio"]
        static let numbers = ["0", "-0", "42", "-1.5e+10", "12345678901234567890", "0.1", "1E400", "3.0"]

        mutating func code() -> Int {
            defer { next += 1 }
            return next < codes.count ? abs(codes[next]) : 0
        }

        mutating func value(depth: Int) {
            let c = code()
            switch depth > 4 ? c % 4 + 2 : c % 8 {
            case 0, 1:
                let isObject = c % 2 == 0
                out.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
                let count = code() % 4
                for k in 0..<count {
                    if k > 0 { out += Array(((c / 8) % 3 == 0 ? ", " : ",").utf8) }
                    if isObject {
                        out += Array("\"\(Self.keys[code() % Self.keys.count])\":\((c / 8) % 2 == 0 ? " " : "")".utf8)
                    }
                    value(depth: depth + 1)
                }
                out.append(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            case 2:
                out += Array(Self.numbers[c / 8 % Self.numbers.count].utf8)
            case 3:
                out += Array(["true", "false", "null"][c / 8 % 3].utf8)
            default:
                string(pieces: c / 8 % 4 + 1)
            }
        }

        mutating func string(pieces: Int) {
            out.append(UInt8(ascii: "\""))
            for k in 0..<pieces {
                if k > 0 { out.append(0x20) }
                let c = code()
                if c % 3 == 0 {
                    let value = Array(PropertyTests.pii[c / 3 % PropertyTests.pii.count].utf8)
                    out += Array("(".utf8)
                    defer { out += Array(")".utf8) }
                    let start = out.count
                    // Sometimes written with escapes: `@` as \u0040, `.` as \u002e.
                    for b in value {
                        if c % 2 == 1, b == UInt8(ascii: "@") || b == UInt8(ascii: ".") {
                            out += Array(String(format: "\\u%04x", Int(b)).utf8)
                        } else {
                            out.append(b)
                        }
                    }
                    ranges.append(start..<out.count)
                } else {
                    let word = PropertyTests.words[c % PropertyTests.words.count]
                    out += Array(word.replacingOccurrences(of: "\"", with: "\\\"").utf8)
                    if c % 5 == 0 { out += Array("\\n\\t\\\"\\\\\\/".utf8) }
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    @Test("JSON trees: valid in, valid out, bytes outside spans kept, idempotent, PII found")
    func jsonTrees() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...10_000).array(of: 1...80)) { codes in
            var builder = TreeBuilder(codes: codes)
            builder.value(depth: 0)
            let document = builder.out
            #expect(JSONGrammar.isValid(document))
            // The document is synthetic (no real PII), so a failure may show it.
            #expect(throws: Never.self, "\(String(decoding: document, as: UTF8.self))") {
                try Invariants.checkJSON(Self.sanitizer, input: document, covered: builder.ranges)
            }
        }
    }

    @Test("JSON: any single byte changed or cut keeps 'valid exactly when the input is'")
    func jsonMutations() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...10_000).array(of: 1...40), Gen.int(in: 0...1_000), Gen.int(in: 0...255)) { codes, at, byte in
            var builder = TreeBuilder(codes: codes)
            builder.value(depth: 0)
            var document = builder.out
            let k = at % document.count
            if byte < 32 { document.removeSubrange(k...) } else { document[k] = UInt8(byte) }
            #expect(throws: Never.self, "\(String(decoding: document, as: UTF8.self))") { try Invariants.checkJSON(Self.sanitizer, input: document) }
        }
    }
}
