public import PIISanitizer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The promises a sanitizer run must keep on any input, as checks that fuzz targets and
/// property-based tests share, so both hold the product to the same rules:
///
/// - streaming agrees with one-shot sanitizing, however the input is split;
/// - output equals input outside the reported spans, and each span became its replacement;
/// - sanitizing twice changes nothing (idempotence);
/// - JSON output is valid exactly when the input is (`JSONGrammar` is the oracle);
/// - no planted PII value survives.
///
/// A violation names the invariant and byte offsets, never content: a fuzzer's crash log is
/// still a log.
public enum Invariants {
    /// Values every default pattern set must redact, whatever surrounds them, one per line.
    /// Each is synthetic: a documentation-style e-mail domain, the Visa test card, made-up keys.
    public static let plantedValues: [String] = [
        "jane.planted@example.org",
        "4111 1111 1111 1111",
        "AKIAZ7PLANTQ3VXK4R2M",
        "ghp_pL4nT3dT0k3nAbCdEfGhIjKlMnOpQrStUv12",
        "DE89370400440532013000",
        "+44 20 7946 0958",
    ]

    /// The planted values as a text block: each on its own line, after a newline.
    public static var plantedText: [UInt8] {
        Array(("\n" + plantedValues.joined(separator: "\n") + "\n").utf8)
    }

    public struct Violation: Error, CustomStringConvertible, Sendable {
        public let invariant: String
        public let detail: String
        public var description: String { "invariant '\(invariant)' broken: \(detail)" }
        public init(invariant: String, detail: String) {
            self.invariant = invariant
            self.detail = detail
        }
    }

    /// Options under which the replacement of every span is known (`[LABEL]`), so the output can
    /// be rebuilt from the input and the findings alone.
    public static let oracleOptions = Sanitizer.Options(operatorOverride: .defaultReplace)

    // MARK: Text

    /// Checks a text run of `sanitizer` (built with `oracleOptions` when `exactReplacement`).
    /// - Parameters:
    ///   - chunkSizes: the input is written to a `TextStream` in chunks of these sizes, cycled.
    ///   - exactReplacement: every span became `[LABEL]` (the `oracleOptions` operator).
    ///   - idempotent: check that a second run changes nothing (true for the default patterns;
    ///     a user pattern may match its own replacement).
    ///   - covered: input byte ranges that must be redacted (where a test put values).
    ///   - threads: the stream searches each block with this many threads, in parts as small as
    ///     one line, so that the split is tested on small inputs.
    ///   - planted: values whose last occurrence in `input` must be redacted (pass `plantedValues`
    ///     when `input` ends with `plantedText` and the default patterns are loaded). Earlier
    ///     copies are the input's own: a fuzzer learns the values, and `xDE89…` is no IBAN.
    public static func checkText(
        _ sanitizer: Sanitizer, input: [UInt8], chunkSizes: [Int] = [4096],
        exactReplacement: Bool = true, idempotent: Bool = true, planted: [String] = [], covered: [Range<Int>] = [],
        threads: Int = 1
    ) throws(Violation) {
        var stream = TextStream(sanitizer: sanitizer)
        stream.threads = threads
        stream.minBytesPerThread = 1
        var findings: [Finding] = []
        stream.onFinding = { findings.append($0) }
        var streamed: [UInt8] = []
        input.withUnsafeBytes { raw in
            var offset = 0, turn = 0
            while offset < raw.count {
                let size = max(1, chunkSizes.isEmpty ? raw.count : chunkSizes[turn % chunkSizes.count])
                let end = min(raw.count, offset + size)
                stream.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) { streamed.append(contentsOf: $0) }
                offset = end
                turn += 1
            }
        }
        stream.finish { streamed.append(contentsOf: $0) }

        let whole = sanitizer.sanitize(bytes: input)
        // A private-key block without its END line is redacted up to where the text is cut: the
        // next BEGIN line, or invalid UTF-8 (no class matches it). A stream may cut it elsewhere,
        // so there the two only have to keep every other promise (documented in SECURITY.md).
        guard streamed == whole || hasOpenPrivateKey(input) else {
            throw Violation(invariant: "streaming agrees", detail: "stream and one-shot outputs differ from byte \(firstDifference(streamed, whole))")
        }
        try checkSpans(findings, input: input, output: streamed, exact: exactReplacement, json: false)
        if idempotent {
            let again = sanitizer.sanitize(bytes: whole)
            guard again == whole else {
                throw Violation(invariant: "idempotent", detail: "a second run changed byte \(firstDifference(again, whole)) of \(whole.count)")
            }
        }
        try checkRedacted(planted, in: input, findings: findings)
        try checkCovered(covered, by: findings)
    }

    /// Whether `input` has a `-----BEGIN` … `PRIVATE KEY` line with no `-----END` after it.
    static func hasOpenPrivateKey(_ input: [UInt8]) -> Bool {
        // The pattern's own markers: the last BEGIN marker with no END marker after it (the
        // marker class holds `-`, so `-----BEGIN-----END PRIVATE KEY-----` is one BEGIN marker).
        let text = String(decoding: input, as: UTF8.self)
        guard let begin = text.matches(of: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/).last else { return false }
        return text[begin.range.upperBound...].firstMatch(of: /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/) == nil
    }

    /// A fuzz-text input decoded, as the fuzz target and the replay tests both read it: byte 0
    /// picks the chunk size (low 6 bits), the threads (bit 6: three, else one) and the operator
    /// (high bit: placeholder, else the exact `[LABEL]` oracle); the rest is the text, with
    /// `plantedText` appended.
    public struct TextCase: Sendable {
        public let input: [UInt8]
        public let chunkSizes: [Int]
        public let threads: Int
        public let placeholder: Bool

        public init(fuzzInput bytes: some Collection<UInt8>) {
            let control = bytes.first ?? 0
            input = Array(bytes.dropFirst()) + Invariants.plantedText
            chunkSizes = [Int(control & 0x3F) + 1, 7, 4096]
            threads = control & 0x40 != 0 ? 3 : 1
            placeholder = control & 0x80 != 0
        }
    }

    // MARK: JSON

    /// Checks a JSON run: errors exactly for invalid input (or input nested past the sanitizer's
    /// depth limit), valid output, spans, idempotence and planted values.
    public static func checkJSON(
        _ sanitizer: Sanitizer, input: [UInt8], exactReplacement: Bool = true, idempotent: Bool = true,
        planted: [String] = [], covered: [Range<Int>] = []
    ) throws(Violation) {
        let valid = JSONGrammar.isValid(input)
        let result: SanitizedJSON
        do {
            result = try sanitizer.sanitizeJSONWithFindings(input)
        } catch {
            try checkAbsent(planted, in: Array(error.description.utf8), notIn: [], channel: "error message")
            switch error {
            case .jsonTooDeep:
                guard valid, JSONGrammar.depth(input) > sanitizer.maxJSONDepth else {
                    throw Violation(invariant: "depth limit", detail: "jsonTooDeep on input that is \(valid ? "within the limit" : "invalid")")
                }
            case .invalidJSON:
                guard !valid else { throw Violation(invariant: "valid exactly when the input is", detail: "valid input rejected: \(error)") }
            default:
                throw Violation(invariant: "JSON errors", detail: "unexpected error \(error)")
            }
            return
        }
        guard valid else { throw Violation(invariant: "valid exactly when the input is", detail: "invalid input accepted") }
        guard JSONGrammar.isValid(result.json) else {
            throw Violation(invariant: "valid exactly when the input is", detail: "output is not valid JSON")
        }
        try checkSpans(result.findings, input: input, output: result.json, exact: exactReplacement, json: true)
        if idempotent {
            let again: [UInt8]
            do { again = try sanitizer.sanitizeJSON(result.json) } catch {
                throw Violation(invariant: "idempotent", detail: "second run failed: \(error)")
            }
            guard again == result.json else {
                throw Violation(invariant: "idempotent", detail: "a second run changed byte \(firstDifference(again, result.json)) of \(result.json.count)")
            }
        }
        try checkRedacted(planted, in: input, findings: result.findings)
        try checkCovered(covered, by: result.findings)
    }

    /// What the fuzz-json target checks of one input (and the replay tests of its corpus): the
    /// document as given, then inside an array beside the planted values; a document of several
    /// lines is also read as NDJSON on one thread and on three.
    public static func checkJSONTarget(_ sanitizer: Sanitizer, document: [UInt8]) throws(Violation) {
        try checkJSON(sanitizer, input: document)
        try checkJSON(sanitizer, input: plantedJSON(around: document), planted: plantedValues)
        if document.dropLast().contains(0x0A) { try checkNDJSONThreads(sanitizer, input: document) }
    }

    /// Checks that `input` read as NDJSON (each line a document, invalid lines sanitized as
    /// text) gives the same output, reports, findings (in the same order) and counts fed whole on
    /// one thread and fed in chunks of 7 bytes on three (parts as small as one line).
    public static func checkNDJSONThreads(_ sanitizer: Sanitizer, input: [UInt8]) throws(Violation) {
        // Compared as values, not as printed text: describing each finding went through
        // reflection and cost the json fuzz target a fifth of its time.
        enum Event: Equatable {
            case report(Int, SanitizerError)
            case finding(Finding)
            case error(String)
        }
        struct Run: Equatable {
            var events: [Event] = []
            var output: [UInt8] = []
            var counts: [String: Int] = [:]
        }
        func run(threads: Int, chunk: Int) -> Run {
            var stream = NDJSONStream(sanitizer: sanitizer)
            stream.threads = threads
            stream.minBytesPerThread = 1
            var result = Run()
            stream.report = { result.events.append(.report($0, $1)) }
            stream.onFinding = { result.events.append(.finding($0)) }
            var start = 0
            do {
                while start < input.count {
                    let end = min(start + chunk, input.count)
                    try input[start..<end].withUnsafeBytes { try stream.write($0) { result.output += $0 } }
                    start = end
                }
                try stream.finish { result.output += $0 }
            } catch {
                result.events.append(.error("\(error)"))
            }
            result.counts = stream.counts
            return result
        }
        let one = run(threads: 1, chunk: max(1, input.count)), three = run(threads: 3, chunk: 7)
        guard one == three else {
            let what = one.events != three.events ? "reports and findings differ from event \(zip(one.events, three.events).prefix { $0 == $1 }.count)"
                : one.output != three.output ? "outputs differ from byte \(firstDifference(one.output, three.output))" : "counts differ"
            throw Violation(invariant: "NDJSON threads agree", detail: "3 threads and 7-byte chunks against 1 thread: \(what)")
        }
    }

    /// `[` + `document` + `, "<planted values>"]`: valid exactly when `document` is one JSON
    /// value, with the planted values in a string beside it.
    public static func plantedJSON(around document: [UInt8]) -> [UInt8] {
        Array("[".utf8) + document + Array(",\" \(plantedValues.joined(separator: " \\n "))\"]".utf8)
    }

    // MARK: Shared checks

    /// Output = gap₀ replacement₀ gap₁ … gapₙ, the gaps being the input between the findings'
    /// byte ranges, in order, unchanged. With `exact`, each replacement is `[LABEL]` (or, in JSON,
    /// `"[LABEL]"` when a number became a string, and `\"[LABEL]\"` inside embedded JSON);
    /// otherwise the replacements may be anything (the gaps are still checked, greedily).
    static func checkSpans(_ findings: [Finding], input: [UInt8], output: [UInt8], exact: Bool, json: Bool) throws(Violation) {
        var inPos = 0, outPos = 0
        let sorted = findings.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
        func gap(upTo end: Int, last: Bool) throws(Violation) {
            let g = input[inPos..<end]
            if exact || last {
                // The gap must sit exactly here (or, for the last one, end the output).
                let at = last && !exact ? output.count - g.count : outPos
                guard at >= outPos, at + g.count <= output.count, output[at..<(at + g.count)].elementsEqual(g) else {
                    throw Violation(invariant: "unchanged outside spans", detail: "input bytes \(inPos)..<\(end) not found at output \(at)")
                }
                outPos = at + g.count
            } else {
                guard let at = find(g, in: output, from: outPos) else {
                    throw Violation(invariant: "unchanged outside spans", detail: "input bytes \(inPos)..<\(end) missing from the output")
                }
                outPos = at + g.count
            }
        }
        for f in sorted {
            guard f.byteRange.lowerBound >= inPos, f.byteRange.upperBound <= input.count else {
                throw Violation(invariant: "findings", detail: "span \(f.byteRange) overlaps another or lies outside the input (\(input.count) bytes)")
            }
            // The rest of a private key whose start a stream already replaced is dropped: a
            // finding right after one with the same label may have an empty replacement.
            let continuation = f.byteRange.lowerBound == inPos && sorted.first { $0.byteRange.upperBound == inPos }?.label == f.label
            try gap(upTo: f.byteRange.lowerBound, last: false)
            if exact && !(continuation && !output[outPos...].starts(with: Array("[\(f.label)]".utf8))) {
                let plain = Array("[\(f.label)]".utf8)
                var forms = [plain]
                if json { forms += [Array("\"".utf8) + plain + Array("\"".utf8), Array("\\\"".utf8) + plain + Array("\\\"".utf8)] }
                guard let form = forms.first(where: { output[outPos...].starts(with: $0) }) else {
                    throw Violation(invariant: "replacement", detail: "span \(f.byteRange) (\(f.label)) did not become [\(f.label)] at output \(outPos)")
                }
                outPos += form.count
            }
            inPos = f.byteRange.upperBound
        }
        try gap(upTo: input.count, last: true)
        if exact && outPos != output.count {
            throw Violation(invariant: "unchanged outside spans", detail: "output has \(output.count - outPos) extra bytes at the end")
        }
    }

    /// Throws unless every byte of each of `ranges` (where the caller put a value in the input)
    /// lies inside a finding.
    public static func checkCovered(_ ranges: [Range<Int>], by findings: [Finding]) throws(Violation) {
        let sorted = findings.map(\.byteRange).sorted { $0.lowerBound < $1.lowerBound }
        for range in ranges {
            var covered = range.lowerBound
            for f in sorted where f.lowerBound <= covered && f.upperBound > covered { covered = f.upperBound }
            guard covered >= range.upperBound else {
                throw Violation(invariant: "no planted value survives", detail: "the value at input bytes \(range) was not redacted")
            }
        }
    }

    /// Throws unless the last occurrence of each of `values` in `input` lies inside a finding.
    static func checkRedacted(_ values: [String], in input: [UInt8], findings: [Finding]) throws(Violation) {
        for (k, value) in values.enumerated() {
            let needle = Array(value.utf8)
            guard let at = lastIndex(of: needle, in: input) else {
                throw Violation(invariant: "no planted value survives", detail: "planted value #\(k) is not in the input")
            }
            var covered = at
            for f in findings.sorted(by: { $0.byteRange.lowerBound < $1.byteRange.lowerBound })
            where f.byteRange.lowerBound <= covered && f.byteRange.upperBound > covered {
                covered = f.byteRange.upperBound
            }
            guard covered >= at + needle.count else {
                throw Violation(invariant: "no planted value survives", detail: "planted value #\(k) at input byte \(at) was not redacted")
            }
        }
    }

    /// Throws when `bytes` holds more copies of any of `values` than `source` (the part of the
    /// input the caller did not plant) does; names the value's index, not the value.
    public static func checkAbsent(_ values: [String], in bytes: [UInt8], notIn source: [UInt8], channel: String) throws(Violation) {
        for (k, value) in values.enumerated() {
            let needle = Array(value.utf8)
            guard count(needle, in: bytes) <= count(needle, in: source) else {
                throw Violation(invariant: "no planted value survives", detail: "planted value #\(k) found in the \(channel)")
            }
        }
    }

    static func count(_ needle: [UInt8], in haystack: [UInt8]) -> Int {
        var n = 0, from = 0
        while let at = find(needle[...], in: haystack, from: from) {
            n += 1
            from = at + 1
        }
        return n
    }

    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return stride(from: haystack.count - needle.count, through: 0, by: -1).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    static func find(_ needle: ArraySlice<UInt8>, in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty else { return start <= haystack.count ? start : nil }
        guard start >= 0, haystack.count - start >= needle.count else { return nil }
        // memchr and memcmp, not a Swift loop: fuzz targets run this on every input, and libc is
        // neither instrumented nor bounds-checked per byte.
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                let base = hay.baseAddress!, last = hay.count - pin.count
                var i = start
                while i <= last, let hit = memchr(base + i, Int32(pin[0]), last - i + 1) {
                    i = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + i, pin.baseAddress!, pin.count) == 0 { return i }
                    i += 1
                }
                return nil
            }
        }
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    }
}
