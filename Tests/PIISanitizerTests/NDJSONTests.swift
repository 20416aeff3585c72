@testable import PIISanitizer
import Testing

// NDJSON: each line is its own document; blank lines and line endings stay; an invalid line is
// sanitized as text (default), skipped or fatal, and reported by number without its content.
// Every table row is fed whole and in chunks of 1, 2, 3, 7 and 64 bytes (STYLE habit 9), and
// rewritten on one thread and on three with parts as small as one line: both must agree exactly.
// Also `InputFormat.detect`, which picks text, JSON or NDJSON from the start of the input.

/// What one NDJSON run produced.
struct NDJSONRun: Equatable {
    static func == (a: NDJSONRun, b: NDJSONRun) -> Bool {
        a.output == b.output && a.reports.map(\.line) == b.reports.map(\.line) && a.reports.map(\.error) == b.reports.map(\.error)
            && a.error == b.error && a.findings == b.findings && a.counts == b.counts && a.order == b.order
    }

    var output = ""
    var reports: [(line: Int, error: SanitizerError)] = []
    var error: SanitizerError?
    var findings: [Finding] = []
    var counts: [String: Int] = [:]
    /// Reports and findings as the callbacks came: `r<line>` and `f<line>`.
    var order: [String] = []
}

/// Feeds `input` to an `NDJSONStream` whole (`chunk` nil) or in chunks of `chunk` bytes, on one
/// thread and on three (parts of one line and up), and expects both runs to be the same.
func ndjsonRun(_ input: String, policy: NDJSONStream.InvalidLinePolicy = .text, chunk: Int? = nil,
               sanitizer: Sanitizer = builtinSanitizer) -> NDJSONRun {
    let run = ndjsonRun(input, policy: policy, chunk: chunk, sanitizer: sanitizer, threads: 1)
    let parallel = ndjsonRun(input, policy: policy, chunk: chunk, sanitizer: sanitizer, threads: 3)
    #expect(parallel == run, "3 threads differ from 1")
    return run
}

func ndjsonRun(_ input: String, policy: NDJSONStream.InvalidLinePolicy, chunk: Int?, sanitizer: Sanitizer, threads: Int) -> NDJSONRun {
    final class Box { var run = NDJSONRun() }
    let box = Box()
    var stream = NDJSONStream(sanitizer: sanitizer, onInvalid: policy)
    stream.threads = threads
    stream.minBytesPerThread = 1
    stream.report = {
        box.run.reports.append(($0, $1))
        box.run.order.append("r\($0)")
    }
    stream.onFinding = {
        box.run.findings.append($0)
        box.run.order.append("f\($0.line ?? 0)")
    }
    let bytes = Array(input.utf8)
    var output: [UInt8] = []
    do {
        let size = chunk ?? max(1, bytes.count)
        var start = 0
        while start < bytes.count {
            let end = min(start + size, bytes.count)
            try bytes[start..<end].withUnsafeBytes { try stream.write($0) { output += $0 } }
            start = end
        }
        try stream.finish { output += $0 }
    } catch let error as SanitizerError {
        box.run.error = error
    } catch {
        Issue.record("NDJSONStream threw a non-SanitizerError: \(error)")
    }
    box.run.output = String(decoding: output, as: UTF8.self)
    box.run.counts = stream.counts
    return box.run
}

/// Whole, then every chunk size.
let ndjsonChunkings: [Int?] = [nil, 1, 2, 3, 7, 64]

/// NDJSON input and its exact output with the default policy (invalid lines sanitized as text).
let ndjsonCases: [JSONRewriteCase] = [
    .init(#"{"a":"bob@example.com"}"# + "\n" + #"{"password":"x"}"# + "\n", #"{"a":"[EMAIL]"}"# + "\n" + #"{"password":"[PASSWORD]"}"# + "\n"),
    // Blank lines (empty, spaces, tabs) are kept.
    .same("\n  \n" + #"{"a":1.50}"# + "\n\n\t\n"),
    .init("\n\n" + #"{"ip": "195.86.232.108"}"# + "\n\n", "\n\n" + #"{"ip": "[IP_ADDRESS]"}"# + "\n\n"),
    // CRLF line endings are kept.
    .init(#"{"a":"bob@example.com"}"# + "\r\n" + #"{"b":2}"# + "\r\n\r\n", #"{"a":"[EMAIL]"}"# + "\r\n" + #"{"b":2}"# + "\r\n\r\n"),
    // The last line needs no newline.
    .init(#"{"a":1}"# + "\n" + #"{"ip":"195.86.232.108"}"#, #"{"a":1}"# + "\n" + #"{"ip":"[IP_ADDRESS]"}"#),
    .init(#"["bob@example.com", 12345678901234567890, 1.0]"#, #"["[EMAIL]", 12345678901234567890, 1.0]"#),
    // Every line is its own document: nothing carries over, whatever the previous line was.
    .init(#"{"password": {"a": "x"}}"# + "\n" + #"{"a": "y", "n": 5}"# + "\n",
          #"{"password": {"a": "[PASSWORD]"}}"# + "\n" + #"{"a": "y", "n": 5}"# + "\n"),
    .init(#"{"body": "{\"password\": \"x\"}"}"# + "\n" + #"{"Tags": [{"Key": "api_key", "Value": "k"}]}"# + "\n",
          #"{"body": "{\"password\": \"[PASSWORD]\"}"}"# + "\n" + #"{"Tags": [{"Key": "api_key", "Value": "[API_KEY]"}]}"# + "\n"),
    // Invalid lines are sanitized as text; the lines around them as JSON.
    .init(#"{"a":"x"}"# + "\nnot json bob@example.com 536-22-1234\n" + #"{"b": "bob@example.com", "n": 1.0}"# + "\n",
          #"{"a":"x"}"# + "\nnot json [EMAIL] [US_SSN]\n" + #"{"b": "[EMAIL]", "n": 1.0}"# + "\n"),
    .init(#"{"note": "bob@example.com",}"# + "\n", #"{"note": "[EMAIL]",}"# + "\n"),
    .init(#"{"note": "bob@example.com""# + "\n" + #"{"n": 1}"# + "\n", #"{"note": "[EMAIL]""# + "\n" + #"{"n": 1}"# + "\n"),
    .init(#"{"password": "hunter2",}"# + "\r\n", #"{"password": "[PASSWORD]",}"# + "\r\n"),
    .init("{\n  \"a\": \"bob@example.com\"\n}\n", "{\n  \"a\": \"[EMAIL]\"\n}\n"),
    .init(#"{"a": 1} {"b": "195.86.232.108"}"# + "\n", #"{"a": 1} {"b": "[IP_ADDRESS]"}"# + "\n"),
    // A byte order mark before the first line is kept.
    .init("\u{FEFF}" + #"{"a":"bob@example.com"}"# + "\n" + #"{"b":2}"#, "\u{FEFF}" + #"{"a":"[EMAIL]"}"# + "\n" + #"{"b":2}"#),
]

/// Input with an invalid line 3 holding PII, between valid lines.
let ndjsonWithInvalidLine = #"{"a":"bob@example.com"}"# + "\n\n" + #"{"note": "bob@example.com", "ssn" "536-22-1234"}"# + "\n" + #"{"n": 1.50}"# + "\n"

/// Input prefixes and the format `InputFormat.detect` must pick.
let inputFormatCases: [(String, InputFormat)] = [
        ("", InputFormat.text),
        ("hello bob@example.com\n", .text),
        ("   \n\t ", .text),
        (#""a string""# + "\n", .text),
        ("12345\n", .text),
        (#"{"a": 1}"#, .json),
        (#"{"a": 1}"# + "\n", .json),
        (#"{"a": 1}"# + "\n\n  \r\n", .json),
        ("{\n  \"a\": 1\n}\n", .json),
        ("[\n  1,\n  2\n]", .json),
        ("  \r\n\t[1, 2]", .json),
        (#"{"a": 1,"# + "\n" + #""b": 2}"#, .json),
        ("\u{FEFF}{\"a\": 1}", .json),
        (#"{"a":1}"# + "\n" + #"{"b":2}"# + "\n", .ndjson),
        (#"{"a":1}"# + "\r\n" + #"{"b":2}"#, .ndjson),
        ("  \n\t" + #"{"a":1}"# + "\n" + #"{"b":2}"#, .ndjson),
        ("[1,2]\n[3]", .ndjson),
        ("\u{FEFF}" + #"{"a":1}"# + "\n" + #"{"b":2}"# + "\n", .ndjson),
        (#"{"a":1}"# + "\nplain text after a JSON line\n", .ndjson),
    // Log lines that start with a bracket or brace but cannot begin a JSON document are text.
    ("[2024-05-14 10:22:31] INFO login bob@example.com\n[2024-05-14 10:22:32] INFO ok\n", .text),
    ("[INFO] server started\n", .text),
    ("{user} logged in\n", .text),
    ("[]] x\n", .text),
]

@Suite("NDJSON")
struct NDJSONTests {
    @Test("lines are processed independently; blank lines, CRLF and a last line without newline are kept", arguments: ndjsonCases, ndjsonChunkings)
    func lines(c: JSONRewriteCase, chunk: Int?) {
        let run = ndjsonRun(c.input, chunk: chunk)
        #expect(run.output == c.expected)
        #expect(run.error == nil)
    }

    @Test("an invalid line is reported with its number, and the report never holds its content", arguments: ndjsonChunkings)
    func reports(chunk: Int?) {
        let run = ndjsonRun(ndjsonWithInvalidLine, chunk: chunk)
        #expect(run.output == #"{"a":"[EMAIL]"}"# + "\n\n" + #"{"note": "[EMAIL]", "ssn" "[US_SSN]"}"# + "\n" + #"{"n": 1.50}"# + "\n")
        #expect(run.reports.map(\.line) == [3])
        #expect(run.reports.map(\.error) == [.invalidJSON(line: 3, column: 35, expected: "':' after the member name")])
        for (_, error) in run.reports {
            for pii in jsonPlantedPII { #expect(!error.description.contains(pii)) }
        }
    }

    @Test("every invalid line is reported, in order", arguments: ndjsonChunkings)
    func manyReports(chunk: Int?) {
        let input = "x bob@example.com\n" + #"{"a":1}"# + "\n[1,\n2]\n\n'hunter2'\n"
        let run = ndjsonRun(input, chunk: chunk)
        #expect(run.output == "x [EMAIL]\n" + #"{"a":1}"# + "\n[1,\n2]\n\n'hunter2'\n")
        #expect(run.reports.map(\.line) == [1, 3, 4, 6])
        #expect(run.reports.map(\.error) == [
            .invalidJSON(line: 1, column: 1, expected: "a JSON value"),
            .invalidJSON(line: 3, column: 4, expected: "']' to close the array"),
            .invalidJSON(line: 4, column: 2, expected: "end of input"),
            .invalidJSON(line: 6, column: 1, expected: "a JSON value"),
        ])
    }

    @Test(".skip drops the invalid line; every other line is processed", arguments: ndjsonChunkings)
    func skip(chunk: Int?) {
        let run = ndjsonRun(ndjsonWithInvalidLine, policy: .skip, chunk: chunk)
        #expect(run.error == nil)
        #expect(run.reports.map(\.line) == [3])
        #expect(!run.output.contains("bob@example.com") && !run.output.contains("536-22-1234") && !run.output.contains("note"))
        #expect(run.output == #"{"a":"[EMAIL]"}"# + "\n\n" + #"{"n": 1.50}"# + "\n")
    }

    @Test(".fail throws the invalid line's error and emits nothing from that line on", arguments: ndjsonChunkings)
    func fail(chunk: Int?) {
        let run = ndjsonRun(ndjsonWithInvalidLine, policy: .fail, chunk: chunk)
        #expect(run.error == .invalidJSON(line: 3, column: 35, expected: "':' after the member name"))
        #expect(run.reports.map(\.line) == [3])
        #expect(!run.output.contains("note") && !run.output.contains("bob@example.com") && !run.output.contains("1.50"))
        #expect((#"{"a":"[EMAIL]"}"# + "\n\n").hasPrefix(run.output))
    }

    @Test(".fail emits the lines before the invalid one, however the input was chunked")
    func failEmitsEarlierLines() {
        let expected = #"{"a":"[EMAIL]"}"# + "\n\n"
        #expect(ndjsonRun(ndjsonWithInvalidLine, policy: .fail, chunk: 1).output == expected)
        let whole = ndjsonRun(ndjsonWithInvalidLine, policy: .fail).output
        #expect(whole == expected)
    }

    @Test("findings carry the input line; a line sanitized as text reports its findings", arguments: [nil, 1] as [Int?])
    func findings(chunk: Int?) {
        let input = #"{"a":"bob@example.com"}"# + "\n\n" + #"{"b": {"password": 7}}"# + "\nnot json 536-22-1234\n"
        let run = ndjsonRun(input, chunk: chunk)
        #expect(run.output == #"{"a":"[EMAIL]"}"# + "\n\n" + #"{"b": {"password": "[PASSWORD]"}}"# + "\nnot json [US_SSN]\n")
        #expect(run.counts == ["EMAIL": 1, "PASSWORD": 1, "US_SSN": 1])
        let json = run.findings.filter { $0.jsonPointer != nil }
        #expect(json.map { "\($0.line ?? 0) \($0.jsonPointer!) \($0.label)" } == ["1 /a EMAIL", "3 /b/password PASSWORD"])
        #expect(run.findings.filter { $0.jsonPointer == nil }.map { "\($0.line ?? 0) \($0.label)" } == ["4 US_SSN"])
    }

    @Test("reports and findings come in line order, an invalid line's report before its text findings", arguments: ndjsonChunkings)
    func order(chunk: Int?) {
        let input = "x bob@example.com\n" + #"{"a":"carol@example.org"}"# + "\ny 536-22-1234\n"
        #expect(ndjsonRun(input, chunk: chunk).order == ["r1", "f1", "f2", "r3", "f3"])
    }

    @Test("an invalid line is counted once, with what its text sanitizing redacted", arguments: [
        (NDJSONStream.InvalidLinePolicy.text, ["EMAIL": 1]),
        (.skip, [:]),
    ])
    func countsOfInvalidLine(policy: NDJSONStream.InvalidLinePolicy, counts: [String: Int]) {
        let run = ndjsonRun(#"{"note": "bob@example.com",}"# + "\n", policy: policy)
        #expect(run.counts == counts)
        #expect(run.findings.allSatisfy { $0.jsonPointer == nil })
    }

    @Test("placeholders are numbered across the lines of one input", arguments: ndjsonChunkings)
    func placeholders(chunk: Int?) throws {
        let sanitizer = try Sanitizer(options: .init(operatorOverride: .defaultPlaceholder))
        let input = #"{"a":"bob@example.com"}"# + "\n" + "mail carol@example.org\n" + #"{"b":"carol@example.org","c":"bob@example.com"}"# + "\n"
        let run = ndjsonRun(input, chunk: chunk, sanitizer: sanitizer)
        #expect(run.output == #"{"a":"[EMAIL_1]"}"# + "\n" + "mail [EMAIL_2]\n" + #"{"b":"[EMAIL_2]","c":"[EMAIL_1]"}"# + "\n")
    }

    @Test("the depth limit applies per line", arguments: ndjsonChunkings)
    func depthPerLine(chunk: Int?) throws {
        var options = Sanitizer.Options()
        options.maxJSONDepth = 2
        let sanitizer = try Sanitizer(options: options)
        let input = "[[\"bob@example.com\"]]\n[[[\"bob@example.com\"]]]\n[[1]]\n"
        let run = ndjsonRun(input, chunk: chunk, sanitizer: sanitizer)
        #expect(run.output == "[[\"[EMAIL]\"]]\n[[[\"[EMAIL]\"]]]\n[[1]]\n")
        #expect(run.reports.map(\.error) == [.jsonTooDeep(line: 2, column: 3, limit: 2)])
    }

    @Test("many lines give the same output, reports, findings and counts on 1, 2, 3 and 8 threads",
          arguments: NDJSONStream.InvalidLinePolicy.allCases, [nil, 4096] as [Int?])
    func threadsAgree(policy: NDJSONStream.InvalidLinePolicy, chunk: Int?) {
        // Every table input (with a line break after the one that lacks it) and invalid lines,
        // 40 times over: parts of a batch then hold many lines, valid and not.
        let lines = ndjsonCases.map { $0.input.hasSuffix("\n") ? $0.input : $0.input + "\n" }.joined() + ndjsonWithInvalidLine
        let input = String(repeating: lines, count: 40)
        let one = ndjsonRun(input, policy: policy, chunk: chunk, sanitizer: builtinSanitizer, threads: 1)
        // Nine invalid lines per copy: six table inputs (one of them a pretty-printed document,
        // three lines) and the one in `ndjsonWithInvalidLine`.
        #expect(one.reports.count == (policy == .fail ? 1 : 40 * 9))
        for threads in [2, 3, 8] {
            #expect(ndjsonRun(input, policy: policy, chunk: chunk, sanitizer: builtinSanitizer, threads: threads) == one, "\(threads) threads")
        }
    }

    @Test("InputFormat.detect", arguments: inputFormatCases)
    func detect(input: String, format: InputFormat) {
        #expect(InputFormat.detect(Array(input.utf8), sanitizer: builtinSanitizer) == format)
    }
}
