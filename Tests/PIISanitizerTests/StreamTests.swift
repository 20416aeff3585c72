@testable import PIISanitizer
import Testing

// Bytes that are not text, line endings, findings with exact offsets, and the streaming path.

/// A fake key: random bytes, base64-encoded.
let fakePEMBody = """
    pU3KGCUwux1tEyze1iN7LtkeP3IfyxlxF0SU1kk8nVw0YL4xIB5p/tqg7ui5mX9c
    fCmZ/a/lkyU81lSvTfrXFCegrrP+6SMvivIhH57kkcWxC+y1Vjv8Hm+TQn7LyP4p
    VeXNjkbcjtS3wnZNKlpNdncG+F2GkAJK1r2jQBvpyMvMyTX2zR9hImrhUziuGjQA
    TTO6DSRqwEyBsbryPjv57vX3nytJNK+H9VILablLDZguhbtVtnKocmN6zXRm/LYO
    Do/xhGOw5LK6KXA0dPBkrGj3APWwKz3GZvRb3qosyu3NK1FXQQ5N7krys09DCgc0
    """

func fakePEM(_ kind: String = "RSA PRIVATE KEY", newline: String = "\n") -> String {
    (["-----BEGIN \(kind)-----"] + fakePEMBody.split(separator: "\n").map(String.init) + ["-----END \(kind)-----"])
        .joined(separator: newline)
}

/// The parts of a finding these tests pin down (new optional fields do not break them).
struct Seen: Equatable, Sendable {
    let label: String, patternID: String, bytes: Range<Int>, characters: Range<Int>, failedClosed: Bool
    init(_ label: String, _ patternID: String, _ bytes: Range<Int>, _ characters: Range<Int>, failedClosed: Bool = false) {
        self.label = label
        self.patternID = patternID
        self.bytes = bytes
        self.characters = characters
        self.failedClosed = failedClosed
    }
}

extension Finding {
    var seen: Seen { Seen(label, patternID, byteRange, characterRange, failedClosed: failedClosed) }
}

@Suite("Bytes, findings and streams")
struct StreamTests {
    /// Input bytes and exact output bytes.
    static let passThrough: [([UInt8], [UInt8])] = [
        ([], []),
        (Array("no trailing newline".utf8), Array("no trailing newline".utf8)),
        (Array("\n".utf8), Array("\n".utf8)),
        (Array("\r".utf8), Array("\r".utf8)),
        (Array("line one\r\nline two\r\n\r\n".utf8), Array("line one\r\nline two\r\n\r\n".utf8)),
        (Array("lone\rcarriage return\r".utf8), Array("lone\rcarriage return\r".utf8)),
        ([0, 0, 0x0A, 0], [0, 0, 0x0A, 0]),
        ([0xFF, 0xFE, 0x61, 0x00, 0x62, 0x0D, 0x0A], [0xFF, 0xFE, 0x61, 0x00, 0x62, 0x0D, 0x0A]),
        ([0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF5, 0x80, 0x80, 0x80, 0x0A], [0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF5, 0x80, 0x80, 0x80, 0x0A]),
        (Array("truncated ".utf8) + [0xE3, 0x81], Array("truncated ".utf8) + [0xE3, 0x81]),
        // Redaction around odd bytes.
        ([0xC3, 0x28] + Array(" bob@example.com\r\n".utf8), [0xC3, 0x28] + Array(" [EMAIL]\r\n".utf8)),
        ([0xFF] + Array("bob@example.com".utf8) + [0xFE], [0xFF] + Array("[EMAIL]".utf8) + [0xFE]),
        (Array("bob@example.com".utf8) + [0] + Array("carol@example.org".utf8), Array("[EMAIL]".utf8) + [0] + Array("[EMAIL]".utf8)),
        (Array("bob@example.com\rcarol@example.org\r".utf8), Array("[EMAIL]\r[EMAIL]\r".utf8)),
        (Array("ip 195.86.232.108\r\n".utf8) + [0x80, 0x0A], Array("ip [IP_ADDRESS]\r\n".utf8) + [0x80, 0x0A]),
        (Array("DB_PASSWORD=hunter2".utf8) + [0xFF, 0x0A], Array("DB_PASSWORD=[PASSWORD]".utf8) + [0xFF, 0x0A]),
        (Array("mail bob@example.com ".utf8) + [0xE3, 0x81], Array("mail [EMAIL] ".utf8) + [0xE3, 0x81]),
    ]

    @Test("bytes pass through unchanged and redaction works around them", arguments: passThrough)
    func bytes(input: [UInt8], expected: [UInt8]) {
        let paths: [(String, [UInt8])] = [
            ("bytes", builtinSanitizer.sanitize(bytes: input)),
            ("interpreter bytes", engineInterpreter.sanitize(bytes: input)),
            ("stream whole", stream(builtinSanitizer, [input])),
            ("stream bytewise", stream(builtinSanitizer, input.map { [$0] })),
            ("stream halves", stream(builtinSanitizer, [Array(input.prefix(input.count / 2)), Array(input.dropFirst(input.count / 2))])),
        ]
        for (name, output) in paths { #expect(output == expected, "\(name)") }
        // Where the input is valid UTF-8, the String path agrees.
        if let text = String(validating: input, as: UTF8.self) {
            #expect(Array(builtinSanitizer.sanitize(text).utf8) == expected)
        }
    }

    @Test("findings: labels, pattern ids, byte and character ranges")
    func findings() {
        let line = "👋 こんにちは！連絡先は taro.yamada@example.jp、電話は +81 90-1234-5678 です"
        let result = builtinSanitizer.sanitizeWithFindings(line)
        #expect(result.text == "👋 こんにちは！連絡先は [EMAIL]、電話は [PHONE] です")
        #expect(result.findings.map(\.seen) == [
            Seen("EMAIL", "email", 36..<58, 13..<35), Seen("PHONE", "phone_international", 71..<87, 40..<56),
        ])
        #expect(result.findings.map(\.line) == [1, 1])
        #expect(result.findings.map(\.column) == [14, 41])
        #expect(result.findings.map(\.jsonPointer) == [nil, nil])
        let kv = builtinSanitizer.sanitizeWithFindings("x DB_PASSWORD=hunter2 y\r\nnext: 👋 a@x.com")
        #expect(kv.findings.map(\.seen) == [Seen("PASSWORD", "secret_assignment_bare", 14..<21, 14..<21), Seen("EMAIL", "email", 36..<43, 33..<40)])
        #expect(kv.findings.map(\.line) == [1, 2])
        #expect(kv.findings.map(\.column) == [15, 9])
        #expect(builtinSanitizer.sanitizeWithFindings("nothing here").findings == [])
        #expect(builtinSanitizer.sanitizeWithFindings("").findings == [])
    }

    @Test("stream findings carry offsets into the whole stream")
    func streamFindings() {
        let input = Array("héllo bob@example.com\n👋 carol@example.org 2001:41d0:94ea:ab7d::1\n".utf8)
        let expected = [Seen("EMAIL", "email", 7..<22, 6..<21), Seen("EMAIL", "email", 28..<45, 24..<41), Seen("IP_ADDRESS", "ipv6", 46..<68, 42..<64)]
        for chunks in [[input], input.map { [$0] }, [Array(input[..<25]), Array(input[25...])]] {
            var found: [Finding] = []
            _ = stream(builtinSanitizer, chunks) { found.append($0) }
            #expect(found.map(\.seen) == expected)
            #expect(found.map(\.line) == [1, 2, 2])
            #expect(found.map(\.column) == [7, 3, 21])
        }
    }

    @Test("stream and one-shot findings agree for every table row")
    func findingsAgree() {
        let input = engineRedactionTable.map(\.input).joined(separator: "\n") + "\n"
        var found: [Finding] = []
        _ = stream(builtinSanitizer, input.utf8.map { [$0] }) { found.append($0) }
        #expect(found == builtinSanitizer.sanitizeWithFindings(input).findings)
        // Each redaction adds one '[' to its line.
        let brackets = { (s: String) in s.filter { $0 == "[" }.count }
        #expect(found.count == engineRedactionTable.reduce(0) { $0 + brackets($1.expected) - brackets($1.input) })
    }

    @Test("invalid UTF-8 bytes count one character each")
    func invalidBytesCountAsCharacters() {
        // Finding.characterRange: "Invalid UTF-8 bytes count one each." A stray continuation byte is invalid too.
        for (prefix, characters) in [([0xFF, 0x20] as [UInt8], 2), ([0x80, 0x20], 2), ([0xE3, 0x81, 0x20], 3), ([0xC3, 0xA9, 0x20], 2)] {
            var found: [Finding] = []
            _ = stream(builtinSanitizer, [prefix + Array("a@x.com".utf8)]) { found.append($0) }
            #expect(found.map(\.characterRange) == [characters..<(characters + 7)], "prefix \(prefix)")
            #expect(found.map(\.byteRange) == [prefix.count..<(prefix.count + 7)])
        }
    }

    @Test("stream counts per label")
    func counts() {
        var s = TextStream(sanitizer: builtinSanitizer)
        Array("a@x.com b@y.com 195.86.232.108\nDB_PASSWORD=hunter2\n".utf8).withUnsafeBytes { s.write($0) { _ in } }
        s.finish { _ in }
        #expect(s.counts == ["EMAIL": 2, "IP_ADDRESS": 1, "PASSWORD": 1])
        #expect(s.limitHits == 0)
    }

    static let pemInputs: [(String, String)] = [
        ("key:\n\(fakePEM())\nend\n", "key:\n[PRIVATE_KEY]\nend\n"),
        ("key:\r\n\(fakePEM(newline: "\r\n"))\r\nend", "key:\r\n[PRIVATE_KEY]\r\nend"),
        ("before a@x.com\n\(fakePEM("PRIVATE KEY"))\nafter b@y.com\n", "before [EMAIL]\n[PRIVATE_KEY]\nafter [EMAIL]\n"),
        ("cert:\n\(fakePEM("CERTIFICATE"))\nkey: \(fakePEM("EC PRIVATE KEY"))\n", "cert:\n\(fakePEM("CERTIFICATE"))\nkey: [PRIVATE_KEY]\n"),
    ]

    @Test("a PEM block is redacted whole however the stream is split", arguments: pemInputs)
    func pemSplit(input: String, expected: String) {
        #expect(builtinSanitizer.sanitize(input) == expected)
        let bytes = Array(input.utf8)
        var failing: [Int] = []
        for split in 0...bytes.count {
            let out = stream(builtinSanitizer, [Array(bytes[..<split]), Array(bytes[split...])])
            if String(decoding: out, as: UTF8.self) != expected { failing.append(split) }
        }
        #expect(failing == [], "split offsets that change the output (\(bytes.count) bytes)")
        let bytewise = String(decoding: stream(builtinSanitizer, bytes.map { [$0] }), as: UTF8.self)
        #expect(bytewise == expected)
    }

    @Test("an open PEM block larger than maxHeldBytes never lets key lines through", arguments: [1, 16, 4096])
    func pemOverLimit(chunkSize: Int) {
        var s = TextStream(sanitizer: builtinSanitizer)
        s.maxHeldBytes = 64
        let bytes = Array("key:\n\(fakePEM())\nend\n".utf8)
        var out: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            bytes[start..<min(start + chunkSize, bytes.count)].withUnsafeBytes { s.write($0) { out += $0 } }
        }
        s.finish { out += $0 }
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.hasPrefix("key:\n[PRIVATE_KEY]"))
        #expect(text.hasSuffix("\nend\n"))
        for line in fakePEMBody.split(separator: "\n") {
            #expect(!text.contains(line.suffix(20)), "key material in the output: …\(line.suffix(20))")
        }
    }

    @Test("lines longer than maxHeldBytes are cut at spaces and still redacted")
    func longLines() {
        let line = (0..<200).map { "user\($0)@example.com" }.joined(separator: " ")
        let expected = Array(repeating: "[EMAIL]", count: 200).joined(separator: " ")
        for chunkSize in [1, 7, 64, 4096] {
            var s = TextStream(sanitizer: builtinSanitizer)
            s.maxHeldBytes = 256
            var out: [UInt8] = []
            let bytes = Array(line.utf8)
            for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                bytes[start..<min(start + chunkSize, bytes.count)].withUnsafeBytes { s.write($0) { out += $0 } }
            }
            s.finish { out += $0 }
            #expect(String(decoding: out, as: UTF8.self) == expected, "chunk size \(chunkSize)")
        }
    }

    @Test("no finding, description or error message contains the value")
    func noValuesInMessages() throws {
        let secret = "hunter2-Zq81kLp0Ar"
        let result = builtinSanitizer.sanitizeWithFindings("DB_PASSWORD=\(secret) mail bob@example.com")
        #expect(result.findings.count == 2)
        for finding in result.findings {
            for text in [String(describing: finding), String(reflecting: finding), "\(result.findings)"] {
                #expect(!text.contains(secret) && !text.contains("bob@example.com") && !text.contains("hunter2"))
            }
        }
        // A pattern file whose example fails: the failure names the pattern and pointer, not the text.
        let file = #"""
            {"version": 1, "patterns": [{"id": "ticket", "label": "TICKET", "category": "custom", "regex": "TCK-[0-9]{6}",
              "examples": {"positive": [{"text": "ticket TCK-12345 hunter2-Zq81kLp0Ar", "match": "TCK-12345"}],
                           "negative": ["open TCK-123456 hunter2-Zq81kLp0Ar"]}}]}
            """#
        let failures = try Sanitizer(patternFileContents: Array(file.utf8), name: "t.json").runExamples()
        #expect(failures.map(\.description) == [
            "ticket /patterns/0/examples/positive/0: the pattern found nothing",
            "ticket /patterns/0/examples/negative/0: a near miss was changed (by ticket)",
        ])
        // Errors about a file that holds a secret never quote it.
        let broken = [
            #"{"version": 1, "allowlist": {"values": ["hunter2-Zq81kLp0Ar\q"]}}"#,
            #"{"version": 1, "patterns": [{"id": "x", "label": "X", "category": "custom", "regex": "hunter2-Zq81kLp0Ar("}]}"#,
            #"{"version": 1, "patterns": [{"id": "x", "label": "X", "category": "custom", "regex": "a", "examples": {"positive": [{"text": "hunter2-Zq81kLp0Ar", "match": "zzz"}]}}]}"#,
        ]
        for contents in broken {
            do {
                _ = try Sanitizer(patternFileContents: Array(contents.utf8), name: "s.json")
                Issue.record("\(contents) loaded")
            } catch {
                #expect(!error.description.contains("Zq81kLp0Ar"), "\(error.description)")
            }
        }
    }

    /// About 1.2 MB of log lines with PII, private keys (closed, and one left open) and a
    /// placeholder-numbered operator: enough for several 64 KiB parts per block.
    static func largeMixedText() -> [UInt8] {
        var text = ""
        var k = 0
        while text.utf8.count < 1_200_000 {
            switch k % 97 {
            case 13: text += fakePEM() + "\n"
            case 51: text += "-----BEGIN PRIVATE KEY-----\n" + fakePEMBody + "\n"  // never closed
            default: text += "2026-03-17T16:41:55Z INFO req=\(k) user\(k % 7)@example.com from 203.0.113.\(k % 250) card 4111 1111 1111 1111\n"
            }
            k += 1
        }
        return Array(text.utf8)
    }

    @Test("a stream searched by several threads writes what one thread writes", arguments: [2, 3, 8])
    func threads(_ threads: Int) throws {
        let input = Self.largeMixedText()
        let sanitizer = try Sanitizer(options: .init(operatorOverride: .defaultPlaceholder))
        func run(threads: Int) -> ([UInt8], [Seen], [String: Int]) {
            var stream = TextStream(sanitizer: sanitizer)
            stream.threads = threads
            var findings: [Seen] = []
            stream.onFinding = { findings.append($0.seen) }
            var output: [UInt8] = []
            input.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let end = min(raw.count, offset + 300_000)
                    stream.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) { output += $0 }
                    offset = end
                }
            }
            stream.finish { output += $0 }
            return (output, findings, stream.counts)
        }
        let one = run(threads: 1), many = run(threads: threads)
        #expect(one.1.count > 10_000)
        #expect(many.0 == one.0)
        #expect(many.1 == one.1)
        #expect(many.2 == one.2)
    }

    @Test("only the pattern's END closes a held key block", arguments: [
        ("-----BEGIN RSA PRIVATE KEY-----\n", "-----ENDr/2025 not a key end\n"),
        ("-----BEGIN RSA PRIVATE KEY-----\n", "x -----END PUBLIC KEY-----\n"),
        ("-----BEGIN RSA PRIVATE KEY-----\n", "-----END RSA PRIVATE KEY\n"),
        // One BEGIN marker: its class holds `-`, `E`, `N` and `D`.
        ("x-----BEGIN-----END PRIVATE KEY-----\n", "more\n"),
    ])
    func falseKeyEnd(beginLine: String, line: String) throws {
        // A truncated key runs on to the next BEGIN line, over the e-mail line too: a stream must
        // not cut the held block after a line that merely contains `-----END`.
        let input = Array((beginLine + fakePEMBody + "\n" + line + "mail bob@example.com\n").utf8)
        let sanitizer = try Sanitizer()
        var stream = TextStream(sanitizer: sanitizer)
        var output: [UInt8] = []
        for piece in input.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            (Array(piece) + [0x0A]).withUnsafeBytes { stream.write($0) { output += $0 } }
        }
        stream.finish { output += $0 }
        #expect(output == sanitizer.sanitize(bytes: input))
        #expect(!output.contains(UInt8(ascii: "@")))
    }

    @Test("an END closes the first open block before it, over a later BEGIN line: a stream holds from that BEGIN", arguments: [
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n",
         "[PRIVATE_KEY]\n"),
        ("-----BEGIN PRIVATE KEY-----\n\(fakePEMBody)\n-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n",
         "[PRIVATE_KEY]\n"),
        // The second block closed, then a third BEGIN: the first two are one key, the third is held.
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\nx\n"
            + "-----BEGIN PRIVATE KEY-----\n\(fakePEMBody)\n",
         "[PRIVATE_KEY]\nx\n[PRIVATE_KEY]"),
        // The END inside the second BEGIN marker closes the first block (the pattern reads it so),
        // but not the second: the stream holds from the first, not from the second's line.
        ("-----BEGIN PRIVATE KEY-----\nAAAA\nx-----BEGIN-----END PRIVATE KEY-----\nmore\n-----END PRIVATE KEY-----\nbob@example.com\n",
         "[PRIVATE_KEY]\nmore\n-----END PRIVATE KEY-----\n[EMAIL]\n"),
        // The first block's END opens the next block on the same line, which a high byte keeps
        // open: the stream holds from the first block's line, not the second's.
        ("-----BEGINPRIVATE KEY-----\n-----END-----BEGINPRIVATE KEY-----\u{E9}-----ENDPRIVATE KEY-----\nbob@example.com\n",
         "[PRIVATE_KEY]\u{E9}-----ENDPRIVATE KEY-----\n[EMAIL]\n"),
    ])
    func endAfterNextBegin(input: String, expected: String) throws {
        // A stream that had the second BEGIN line but not yet the END used to cut before that line
        // and write the first block, which a one-shot run redacts with the second as one key.
        let bytes = Array(input.utf8)
        var stream = TextStream(sanitizer: builtinSanitizer)
        var output: [UInt8] = []
        for piece in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            (Array(piece) + [0x0A]).withUnsafeBytes { stream.write($0) { output += $0 } }
        }
        stream.finish { output += $0 }
        #expect(String(decoding: output, as: UTF8.self) == expected)
        #expect(builtinSanitizer.sanitize(input) == expected)
    }
}
