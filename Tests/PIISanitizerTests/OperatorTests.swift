@testable import PIISanitizer
import Testing

// Operators and options, with exact outputs. Hash tokens were computed independently with
// Python: hmac.new(key, value, hashlib.sha256).hexdigest().

private let key1 = HashKey(bytes: Array("0123456789abcdef0123456789abcdef".utf8))!
private let key2 = HashKey(bytes: Array("fedcba9876543210fedcba9876543210".utf8))!

private func sanitizer(_ op: RedactionOperator, key: HashKey? = nil, jit: Bool = true) throws -> Sanitizer {
    try Sanitizer(options: .init(operatorOverride: op, hashKey: key, useJIT: jit))
}

/// Runs `input` through the string path and the byte-at-a-time stream, JIT on and off; all must agree.
private func outputs(_ op: RedactionOperator, key: HashKey? = nil, _ input: String) throws -> [String] {
    var results: [String] = []
    for jit in [true, false] {
        let s = try sanitizer(op, key: key, jit: jit)
        results.append(s.sanitize(input))
        results.append(String(decoding: stream(s, input.utf8.map { [$0] }), as: UTF8.self))
    }
    return results
}

@Suite("Operators")
struct OperatorTests {
    @Test("each operator, exact output", arguments: [
        (RedactionOperator.replace(template: "[REDACTED:{label}]"), "mail bob@example.com, call +1 415-555-2671",
         "mail [REDACTED:EMAIL], call [REDACTED:PHONE]"),
        (.replace(template: "<{id}>"), "mail bob@example.com, call +1 415-555-2671", "mail <email>, call <phone_international>"),
        (.replace(template: "[REDACTED]"), "DB_PASSWORD=hunter2 ./run", "DB_PASSWORD=[REDACTED] ./run"),
        (.defaultMask, "card 4111 1111 1111 1111 declined", "card **** **** **** 1111 declined"),
        (.defaultMask, "SSN 536-22-1234", "SSN ***-**-1234"),
        (.defaultMask, "mail bob@example.com", "mail ***@******e.com"),
        (.mask(keepLast: 2, character: "#"), "SSN 536-22-1234", "SSN ###-##-##34"),
        (.mask(keepLast: 0, character: "•"), "card 4111 1111 1111 1111", "card •••• •••• •••• ••••"),
        // Non-ASCII is masked one mask per character and never kept in the tail.
        (.defaultMask, "password=pässwört1 ok", "password=******rt1 ok"),
        (.defaultPlaceholder, "a@x.com b@y.com a@x.com", "[EMAIL_1] [EMAIL_2] [EMAIL_1]"),
        (.defaultPlaceholder, "a@x.com 195.86.232.108 b@y.com 195.86.232.108 a@x.com",
         "[EMAIL_1] [IP_ADDRESS_1] [EMAIL_2] [IP_ADDRESS_1] [EMAIL_1]"),
        (.placeholder(template: "<{label}#{n}>"), "a@x.com b@y.com", "<EMAIL#1> <EMAIL#2>"),
        (.remove, "mail bob@example.com now", "mail  now"),
        (.remove, "token=ghp_R2d2C3poL1ke4Tok3nXyZ9aBcDeFgHiJkLmN;", "token=;"),
        (.defaultHash, "a@x.com b@y.com a@x.com", "[EMAIL:c3f773be0fe3d064] [EMAIL:e5b2e7495857ea48] [EMAIL:c3f773be0fe3d064]"),
        (.hash(length: 8), "from 195.86.232.108", "from [IP_ADDRESS:7d752609]"),
        (.hash(length: 9), "from 195.86.232.108", "from [IP_ADDRESS:7d7526095]"),
        (.hash(length: 64), "a@x.com", "[EMAIL:c3f773be0fe3d06428a382426daf5b498a6cd6e57d7bb5ab274b3513d40f926a]"),
    ])
    func exact(op: RedactionOperator, input: String, expected: String) throws {
        for output in try outputs(op, key: key1, input) { #expect(output == expected) }
    }

    @Test("placeholder numbering restarts with every input but runs across one stream")
    func placeholderScope() throws {
        let s = try sanitizer(.defaultPlaceholder)
        #expect(s.sanitize("b@y.com") == "[EMAIL_1]")
        #expect(s.sanitize("a@x.com") == "[EMAIL_1]")
        let streamed = stream(s, [Array("b@y.com\n".utf8), Array("a@x.com\nb@y.com\n".utf8)])
        #expect(String(decoding: streamed, as: UTF8.self) == "[EMAIL_1]\n[EMAIL_2]\n[EMAIL_1]\n")
    }

    @Test("hash tokens: deterministic, distinct per value and per key, fixed shape")
    func hashTokens() throws {
        let one = try sanitizer(.defaultHash, key: key1), two = try sanitizer(.defaultHash, key: key2)
        #expect(one.sanitize("a@x.com") == one.sanitize("a@x.com"))
        #expect(one.sanitize("a@x.com") != one.sanitize("b@y.com"))
        #expect(two.sanitize("a@x.com") == "[EMAIL:57a35cb8d5b4b318]")
        #expect(two.sanitize("card 4111 1111 1111 1111") == "card [CREDIT_CARD:014fa3eac658ac83]")
        #expect(one.sanitize("card 4111 1111 1111 1111") == "card [CREDIT_CARD:b9790c7492f11371]")
        let token = one.sanitize("bob@example.com")
        #expect(token.wholeMatch(of: /\[EMAIL:[0-9a-f]{16}\]/) != nil, "\(token)")
    }

    @Test("hash keys must have at least 16 bytes")
    func hashKeyLength() {
        #expect(HashKey(bytes: Array(repeating: 7, count: 15)) == nil)
        #expect(HashKey(bytes: []) == nil)
        #expect(HashKey(bytes: Array(repeating: 7, count: 16)) != nil)
    }

    @Test("the hash operator without a key is refused", arguments: [RedactionOperator.defaultHash, .hash(length: 8)])
    func missingKey(op: RedactionOperator) {
        #expect(throws: SanitizerError.missingHashKey(
            reason: "pattern 'private_key_pem' uses the hash operator; set a key (PII_SANITIZE_HASH_KEY or --hash-key-file)"
        )) { try sanitizer(op) }
    }

    @Test("operators by name", arguments: [
        ("replace", RedactionOperator.replace(template: "[{label}]")), ("mask", .mask(keepLast: 4, character: "*")),
        ("hash", .hash(length: 16)), ("placeholder", .placeholder(template: "[{label}_{n}]")), ("remove", .remove),
    ])
    func byName(name: String, op: RedactionOperator) {
        #expect(RedactionOperator(name: name) == op)
        #expect(op.name == name)
    }

    @Test("unknown operator names", arguments: ["", "Replace", "redact", "masked", " mask", "hash "])
    func unknownName(name: String) {
        #expect(RedactionOperator(name: name) == nil)
    }
}

@Suite("Options")
struct OptionsTests {
    static let line = "mail bob@example.com or call +1 415-555-2671 from 195.86.232.108 DB_PASSWORD=hunter2"

    @Test("selections", arguments: [
        (Sanitizer.Options(), "mail [EMAIL] or call [PHONE] from [IP_ADDRESS] DB_PASSWORD=[PASSWORD]"),
        (.init(onlyLabels: ["EMAIL"]), "mail [EMAIL] or call +1 415-555-2671 from 195.86.232.108 DB_PASSWORD=hunter2"),
        (.init(onlyLabels: ["PHONE", "IP_ADDRESS"]), "mail bob@example.com or call [PHONE] from [IP_ADDRESS] DB_PASSWORD=hunter2"),
        // Key-rule labels select kv findings.
        (.init(onlyLabels: ["PASSWORD"]), "mail bob@example.com or call +1 415-555-2671 from 195.86.232.108 DB_PASSWORD=[PASSWORD]"),
        (.init(disabledPatterns: ["ipv4"]), "mail [EMAIL] or call [PHONE] from 195.86.232.108 DB_PASSWORD=[PASSWORD]"),
        (.init(disabledPatterns: ["email", "secret_assignment_bare"]), "mail bob@example.com or call [PHONE] from [IP_ADDRESS] DB_PASSWORD=hunter2"),
        (.init(onlyLabels: ["EMAIL"], operatorOverride: .defaultPlaceholder),
         "mail [EMAIL_1] or call +1 415-555-2671 from 195.86.232.108 DB_PASSWORD=hunter2"),
    ])
    func selections(options: Sanitizer.Options, expected: String) throws {
        for jit in [true, false] {
            var o = options
            o.useJIT = jit
            let s = try Sanitizer(options: o)
            #expect(s.sanitize(Self.line) == expected)
            #expect(String(decoding: stream(s, [Array(Self.line.utf8)]), as: UTF8.self) == expected)
        }
    }

    @Test("disabling keeps IPv6 and shows the pattern as disabled")
    func disabledIPv4() throws {
        let s = try Sanitizer(options: .init(disabledPatterns: ["ipv4"]))
        #expect(s.sanitize("from 195.86.232.108 and 2001:41d0:94ea:ab7d::1") == "from 195.86.232.108 and [IP_ADDRESS]")
        #expect(s.patternDescriptions.filter { !$0.enabled }.map(\.id) == ["ipv4"])
        #expect(s.runExamples().map(\.description) == [])
    }

    @Test("unknown labels and ids are refused", arguments: [
        (Sanitizer.Options(onlyLabels: ["EMAILS"]), SanitizerError.unknownSelection(kind: "label", names: ["EMAILS"])),
        (.init(onlyLabels: ["EMAIL", "email", "SSN"]), .unknownSelection(kind: "label", names: ["SSN", "email"])),
        (.init(disabledPatterns: ["ipv5"]), .unknownSelection(kind: "pattern id", names: ["ipv5"])),
        (.init(disabledPatterns: ["zzz", "ipv4", "IPV4"]), .unknownSelection(kind: "pattern id", names: ["IPV4", "zzz"])),
    ])
    func unknown(options: Sanitizer.Options, error: SanitizerError) {
        #expect(throws: error) { try Sanitizer(options: options) }
    }

    @Test("unknown selection message")
    func unknownMessage() {
        #expect(SanitizerError.unknownSelection(kind: "label", names: ["A", "B"]).description == "unknown label: A, B")
    }
}
