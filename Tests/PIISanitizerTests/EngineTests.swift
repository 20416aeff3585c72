import Foundation
@testable import PIISanitizer
import Testing

// End-to-end tests of the built-in set: every input goes through the whole pipeline (keywords,
// PCRE2, validators, overlap resolution, operators), and every path that must agree is run by one
// test body (STYLE habit 9). Values are fake; card numbers and IBANs were checked with Python
// (Luhn, ISO 7064 mod 97-10).

/// The built-in set with PCRE2's interpreter instead of its JIT.
let engineInterpreter: Sanitizer = {
    do { return try Sanitizer(options: .init(useJIT: false)) } catch { fatalError("interpreter set must load: \(error)") }
}()

/// One input line and its exact output with the default operator.
struct RedactionCase: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: String
    init(_ input: String, _ expected: String) {
        self.input = input
        self.expected = expected
    }

    /// A near miss: must come out unchanged.
    static func same(_ input: String) -> RedactionCase { RedactionCase(input, input) }
    var testDescription: String { input }
}

let engineRedactionTable: [RedactionCase] = [
    // PII in logs and chat.
    .init("2024-05-14T10:22:31Z INFO login ok user=bob.smith@example.com ip=195.86.232.108",
          "2024-05-14T10:22:31Z INFO login ok user=[EMAIL] ip=[IP_ADDRESS]"),
    .init("[chat] alice: you can reach me at alice.nguyen+work@mail.example.co.uk or +1 415-555-2671",
          "[chat] alice: you can reach me at [EMAIL] or [PHONE]"),
    .init("charged 4111 1111 1111 1111 for order 8812, receipt sent", "charged [CREDIT_CARD] for order 8812, receipt sent"),
    .init("refund to 5555-5555-5555-4444 approved", "refund to [CREDIT_CARD] approved"),
    .init("HR note: SSN 536-22-1234 verified", "HR note: SSN [US_SSN] verified"),
    .init("wire transfer to DE89 3704 0044 0532 0130 00 scheduled", "wire transfer to [IBAN] scheduled"),
    .init("beneficiary GB82WEST12345698765432 confirmed", "beneficiary [IBAN] confirmed"),
    .init("call the office at (415) 555-2671 ext 12", "call the office at [PHONE] ext 12"),
    .init("Telefon: 030/12345678, Fax folgt", "Telefon: [PHONE], Fax folgt"),
    .init("Mme Dupont: mon numéro 06 12 34 56 78, merci", "Mme Dupont: mon numéro [PHONE], merci"),
    .init("👋 こんにちは！連絡先は taro.yamada@example.jp、電話は +81 90-1234-5678 です",
          "👋 こんにちは！連絡先は [EMAIL]、電話は [PHONE] です"),
    .init("GET /api/health 200 from 10.183.201.15 in 12ms", "GET /api/health 200 from [IP_ADDRESS] in 12ms"),
    .init("peer 2001:41d0:94ea:ab7d:a03e:faa1:9e7a:c3ca disconnected", "peer [IP_ADDRESS] disconnected"),
    .init("wlan0: STA be:5a:99:b5:79:06 IEEE 802.11 authenticated", "wlan0: STA [MAC_ADDRESS] IEEE 802.11 authenticated"),
    // Secrets.
    .init("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IlRlc3QgVXNlciIsImlhdCI6MTUxNjIzOTAyMn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c' https://api.example.com",
          "curl -H 'Authorization: Bearer [JWT]' https://api.example.com"),
    .init("aws_access_key_id = AKIA5FJETX7DZHPQTF6X", "aws_access_key_id = [AWS_ACCESS_KEY]"),
    .init("export GITHUB_TOKEN=ghp_R2d2C3poL1ke4Tok3nXyZ9aBcDeFgHiJkLmN", "export GITHUB_TOKEN=[GITHUB_TOKEN]"),
    .init("SLACK=xoxb-2951432957-4821367103-9aZ8bY7cX6dW5eV4fU3gT2hS", "SLACK=[SLACK_TOKEN]"),
    .init("stripe.api_key = 'sk_live_51Hx9Kq2eZvKYlo2C0aBcDeFg'", "stripe.api_key = '[STRIPE_KEY]'"),
    .init("GET /maps?key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW&q=berlin", "GET /maps?key=[GOOGLE_API_KEY]&q=berlin"),
    .init("OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk", "OPENAI_API_KEY=[OPENAI_API_KEY]"),
    .init("x-api-key: sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "x-api-key: [ANTHROPIC_API_KEY]"),
    .init("NPM_TOKEN=npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c", "NPM_TOKEN=[NPM_TOKEN]"),
    .init("DATABASE_URL=postgresql://svc_backup:1M4dXYNJGM4*K@db.internal:5432/app",
          // `K@db.internal` is also an e-mail address; the union of overlapping spans is redacted.
          "DATABASE_URL=postgresql://[URL_CREDENTIALS]:5432/app"),
    .init("DB_PASSWORD=hunter2 ./run", "DB_PASSWORD=[PASSWORD] ./run"),
    .init("login ok session=Zq81kLp0Ar user=7", "login ok session=[SESSION] user=7"),
    .init(#"config: {"api_key": "abc123def456", "region": "eu-west-1"}"#, #"config: {"api_key": "[API_KEY]", "region": "eu-west-1"}"#),
    .init("Authorization: Basic YWRtaW46czNjcjN0LXBhc3M=", "Authorization: Basic [BASIC_AUTH]"),
    .init("POST https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/aBcDeFgHiJkLmNoPqRsTuVwX ok", "POST [WEBHOOK_URL] ok"),
    // Near misses: nothing here is PII.
    .same("retry with card 4111 1111 1111 1112 (declined: invalid number)"),  // fails Luhn
    .same("batch 4929000000000006 queued"),  // 16 digits, fails Luhn
    .same("import rows 000-12-3456 666-12-3456 900-12-3456 skipped"),  // SSN areas never issued
    .same("typo in DE88 3704 0044 0532 0130 00 rejected"),  // bad IBAN check digits
    .same("2024-01-15 10:30:00,123 job=export id=3f2c8a1e-9b4d-4c6f-8e2a-7d5b1c9e0f3a done"),
    .same("agent version 2.5.34.79, job started"),
    .same(#"  File "app.py", line 12, in main: app.py:123:45: warning"#),
    .same("total price $1,299.99 (was 1499.00) for 3 items"),
    .same("listening on port 8080 (pid 31337)"),
    .same("rx_bytes=4829301827 tx_bytes=1716767009"),
    .same("event ts 1716767009347 seq 4829301827"),
    .same("build 2024.05.14-rc1 at 12:30:45 UTC"),
    .same("localhost 127.0.0.1 and 0.0.0.0 are fine"),
    .same("password: ${DB_PASSWORD}"),
    .same("max_tokens=4096 prompt_tokens=100 token_count=12"),
    .same("Card ending 1111 expires 12/27"),
    .same("std::vector<int> v; // see icon@2x.png"),
]

/// Every way text can go through the engine; all of them must produce the same bytes.
enum EnginePath: String, CaseIterable, Sendable {
    case string, bytes, streamWhole, streamBytewise, interpreter, interpreterStreamBytewise
    /// The text as a JSON string value (`{"message": "…"}`), sanitized as JSON and decoded again.
    case jsonLeaf

    func run(_ input: String, _ sanitizer: Sanitizer = builtinSanitizer, interpreter: Sanitizer = engineInterpreter) -> String {
        switch self {
        case .string: sanitizer.sanitize(input)
        case .bytes: String(decoding: sanitizer.sanitize(bytes: Array(input.utf8)), as: UTF8.self)
        case .streamWhole: String(decoding: stream(sanitizer, [Array(input.utf8)]), as: UTF8.self)
        case .streamBytewise: String(decoding: stream(sanitizer, input.utf8.map { [$0] }), as: UTF8.self)
        case .interpreter: interpreter.sanitize(input)
        case .interpreterStreamBytewise: String(decoding: stream(interpreter, input.utf8.map { [$0] }), as: UTF8.self)
        case .jsonLeaf: jsonLeaf(input, sanitizer)
        }
    }

    private func jsonLeaf(_ input: String, _ sanitizer: Sanitizer) -> String {
        guard let document = try? JSONEncoder().encode(["message": input]),
            let sanitized = try? sanitizer.sanitizeJSON(document),
            let decoded = try? JSONDecoder().decode([String: String].self, from: sanitized),
            let message = decoded["message"]
        else { return "<not valid JSON>" }
        return message
    }
}

/// Feeds `chunks` to a `TextStream` and returns everything it emitted.
func stream(_ sanitizer: Sanitizer, _ chunks: [[UInt8]], onFinding: ((Finding) -> Void)? = nil) -> [UInt8] {
    var s = TextStream(sanitizer: sanitizer)
    s.onFinding = onFinding
    var out: [UInt8] = []
    for chunk in chunks {
        chunk.withUnsafeBytes { s.write($0) { out += $0 } }
    }
    s.finish { out += $0 }
    return out
}

@Suite("Engine: built-in set")
struct EngineTests {
    @Test("every built-in pattern carries positive and negative examples")
    func examplesExist() {
        let specs = builtinSanitizer.set.allSpecs
        #expect(specs.count >= 25)
        for spec in specs {
            #expect(!spec.examples.positive.isEmpty, "\(spec.id) has no positive example")
            #expect(!spec.examples.negative.isEmpty, "\(spec.id) has no negative example")
        }
        #expect(Set(specs.map(\.id)).count == specs.count, "pattern ids are unique")
    }

    @Test("embedded examples pass through the full pipeline", arguments: [true, false])
    func embeddedExamples(useJIT: Bool) throws {
        let sanitizer = try Sanitizer(options: .init(useJIT: useJIT))
        #expect(sanitizer.set.patterns.allSatisfy { $0.regex.isJITCompiled == useJIT })
        #expect(sanitizer.runExamples().map(\.description) == [])
    }

    /// Every embedded example text, positive and negative.
    static let exampleTexts: [String] = builtinSanitizer.set.allSpecs.flatMap { spec in
        spec.examples.positive.map(\.text) + spec.examples.negative
    }

    @Test("embedded examples: every path agrees with the one-shot result", arguments: EnginePath.allCases)
    func examplesAgree(path: EnginePath) {
        for text in Self.exampleTexts {
            #expect(path.run(text) == builtinSanitizer.sanitize(text), "\(path): \(text.debugDescription)")
        }
    }

    @Test("redaction table: exact output on every path", arguments: EnginePath.allCases, engineRedactionTable)
    func redaction(path: EnginePath, row: RedactionCase) {
        #expect(path.run(row.input) == row.expected)
        // The same line inside a multi-line log, with CRLF endings.
        let log = "first line\r\n\(row.input)\r\nlast line"
        #expect(path.run(log) == "first line\r\n\(row.expected)\r\nlast line")
    }

    @Test("the whole table as one input: every path agrees", arguments: EnginePath.allCases)
    func wholeTable(path: EnginePath) {
        let input = engineRedactionTable.map(\.input).joined(separator: "\n") + "\n"
        let expected = engineRedactionTable.map(\.expected).joined(separator: "\n") + "\n"
        #expect(path.run(input) == expected)
    }

    @Test("overlaps and adjacency", arguments: [
        // Credentials whose password holds an '@': the rest of it looks like an e-mail address.
        ("redis://admin:p4ss@w0rd@cache.example.com:6379/0", "redis://[URL_CREDENTIALS]@[EMAIL]:6379/0", ["URL_CREDENTIALS", "EMAIL"]),
        // Overlapping spans merge: `s3cr3t@example.com` is an e-mail address too, so the host goes with it.
        ("https://bob:s3cr3t@example.com/x?email=carol@example.org", "https://[URL_CREDENTIALS]/x?email=[EMAIL]",
         ["URL_CREDENTIALS", "EMAIL"]),
        // A token in a key=value assignment: one finding, the more specific label.
        ("token=ghp_R2d2C3poL1ke4Tok3nXyZ9aBcDeFgHiJkLmN", "token=[GITHUB_TOKEN]", ["GITHUB_TOKEN"]),
        (#"{"access_token": "ghp_R2d2C3poL1ke4Tok3nXyZ9aBcDeFgHiJkLmN"}"#, #"{"access_token": "[GITHUB_TOKEN]"}"#, ["GITHUB_TOKEN"]),
        ("api_key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW", "api_key=[GOOGLE_API_KEY]", ["GOOGLE_API_KEY"]),
        // Adjacent findings stay separate.
        ("a@x.com,b@y.com", "[EMAIL],[EMAIL]", ["EMAIL", "EMAIL"]),
        // The phone is one only once the address before its `(` is redacted: found in one run.
        ("'ana@corp.example.jp(609) 714-9210'", "'[EMAIL][PHONE]'", ["EMAIL", "PHONE"]),
        ("195.86.232.108/195.86.232.109", "[IP_ADDRESS]/[IP_ADDRESS]", ["IP_ADDRESS", "IP_ADDRESS"]),
        ("src=10.0.0.1:443 dst=[2001:41d0:94ea:ab7d::1]:8443", "src=[IP_ADDRESS]:443 dst=[[IP_ADDRESS]]:8443",
         ["IP_ADDRESS", "IP_ADDRESS"]),
        ("<bob@example.com><carol@example.org>", "<[EMAIL]><[EMAIL]>", ["EMAIL", "EMAIL"]),
    ])
    func overlaps(input: String, expected: String, labels: [String]) {
        for path in EnginePath.allCases { #expect(path.run(input) == expected, "\(path)") }
        #expect(builtinSanitizer.sanitizeWithFindings(input).findings.map(\.label) == labels)
    }

    @Test("a token in a kv assignment is one finding with the token's pattern")
    func tokenInAssignment() {
        let line = "token=ghp_R2d2C3poL1ke4Tok3nXyZ9aBcDeFgHiJkLmN"
        let result = builtinSanitizer.sanitizeWithFindings(line)
        #expect(result.findings.map(\.label) == ["GITHUB_TOKEN"])
        #expect(result.findings.map(\.patternID) == ["github_token"])
        #expect(result.findings.map(\.byteRange) == [6..<46])
    }

    static let operators: [RedactionOperator] = [
        .defaultReplace, .replace(template: "[REDACTED:{label}]"), .replace(template: "[REDACTED]"),
        .defaultMask, .mask(keepLast: 0, character: "#"), .defaultHash, .defaultPlaceholder, .remove,
    ]

    /// Rows where `remove` cannot be idempotent: once a key's value is deleted, the next word sits
    /// right after `key=` (or after the `Basic` scheme) and is, by every rule, that key's value.
    @Test("idempotence: sanitizing twice changes nothing", arguments: operators)
    func idempotence(op: RedactionOperator) throws {
        let sanitizer = try Sanitizer(options: .init(operatorOverride: op, hashKey: HashKey(bytes: Array("k3y-for-idempotence-tests".utf8))))
        for row in engineRedactionTable {
            let once = sanitizer.sanitize(row.input)
            #expect(sanitizer.sanitize(once) == once, "\(op.name): \(row.input)")
            if row.input == row.expected { #expect(once == row.input, "near miss changed by \(op.name)") }
        }
        let whole = sanitizer.sanitize(engineRedactionTable.map(\.input).joined(separator: "\n"))
        #expect(sanitizer.sanitize(whole) == whole)
    }

    @Test("hash tokens are not re-redacted when their label is a key word", arguments: [
        "[PASSWORD:dafe4a2a938426af]", "DB_PASSWORD=[PASSWORD:dafe4a2a938426af] ./run", "[API_KEY:a822944b23600e4b]",
        "[CREDIT_CARD:81abc53f157cef54]", "[US_SSN:0b181f66bf816660]", "[SESSION:f463ba4957b30481]", "[TOKEN:15cab51d8bc45670]",
    ])
    func hashTokensStable(token: String) throws {
        let sanitizer = try Sanitizer(options: .init(operatorOverride: .defaultHash, hashKey: HashKey(bytes: Array("k3y-for-idempotence-tests".utf8))))
        #expect(sanitizer.sanitize(token) == token)
        #expect(builtinSanitizer.sanitize(token) == token)
    }

    @Test("labels and descriptions name every active pattern")
    func descriptions() {
        let descriptions = builtinSanitizer.patternDescriptions
        #expect(descriptions.map(\.id) == builtinSanitizer.set.allSpecs.map(\.id))
        #expect(descriptions.allSatisfy { $0.enabled })
        let labels = Set(builtinSanitizer.labels)
        #expect(descriptions.allSatisfy { labels.contains($0.label) })
        for label in ["EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "IP_ADDRESS", "PASSWORD", "API_KEY", "PRIVATE_KEY"] {
            #expect(labels.contains(label), "\(label)")
        }
        #expect(builtinSanitizer.labels == builtinSanitizer.labels.sorted())
    }
}
