@testable import PIISanitizer
import Testing

/// The built-in pattern set, loaded once for every suite.
let builtinSanitizer: Sanitizer = {
    do { return try Sanitizer() } catch { fatalError("the built-in pattern set must load: \(error)") }
}()

/// The default key rules: those of the built-in pattern file.
func defaultKeyRules() -> KeyRules { builtinSanitizer.set.keyRules }

/// The `keyRules.tests` vectors of the built-in file.
private func draftExamples(_ kind: String) -> [String] {
    kind == "sensitive" ? builtinSanitizer.set.keyRulesSpec.sensitiveExamples : builtinSanitizer.set.keyRulesSpec.notSensitiveExamples
}

private let rules = defaultKeyRules()

@Suite("Key rules")
struct KeyRulesTests {
    @Test("normalize splits into lower-cased words", arguments: [
        ("X-Api-Key", ["x", "api", "key"]),
        ("HTTP_X_API_KEY", ["http", "x", "api", "key"]),
        ("APIKey", ["api", "key"]),
        ("apikey", ["apikey"]),
        ("HTTPServer", ["http", "server"]),
        ("passwordConfirmation", ["password", "confirmation"]),
        ("newPassword", ["new", "password"]),
        ("address_line1", ["address", "line", "1"]),
        ("connect.sid", ["connect", "sid"]),
        ("OAuth2Token", ["o", "auth", "2", "token"]),
        ("IPv4", ["ipv", "4"]),
        ("URLs", ["urls"]),
        ("getIPs", ["get", "ips"]),
        ("x-hub-signature-256", ["x", "hub", "signature", "256"]),
        ("2fa_code", ["2", "fa", "code"]),
        ("headers[Authorization]", ["headers", "authorization"]),
        ("a b:c/d", ["a", "b", "c", "d"]),
        ("__", []),
        ("", []),
        ("pässwort", ["p", "sswort"]),
    ])
    func normalize(key: String, words: [String]) {
        #expect(KeyRules.normalize(key) == words)
    }

    @Test("the draft file has enough vectors")
    func vectorCounts() {
        #expect(draftExamples("sensitive").count >= 120)
        #expect(draftExamples("notSensitive").count >= 120)
    }

    @Test("draft vectors: sensitive", arguments: draftExamples("sensitive"))
    func draftSensitive(key: String) {
        #expect(rules.classify(key) != nil, "\(key) → \(KeyRules.normalize(key))")
    }

    @Test("draft vectors: not sensitive", arguments: draftExamples("notSensitive"))
    func draftNotSensitive(key: String) {
        #expect(rules.classify(key) == nil, "\(key) → \(KeyRules.normalize(key))")
    }

    @Test("sensitive keys and their labels", arguments: [
        ("password", "PASSWORD"), ("DB_PASSWORD", "PASSWORD"), ("newPassword", "PASSWORD"),
        ("user-password", "PASSWORD"), ("passwordConfirmation", "PASSWORD"), ("password_hash", "PASSWORD"),
        ("passwd", "PASSWORD"), ("mysql_pwd", "PASSWORD"), ("db_pass", "PASSWORD"),
        ("webhook_secret", "SECRET"), ("client_secret", "SECRET"), ("clientSecret", "SECRET"),
        ("client-secret", "SECRET"), ("aws_secret_access_key", "SECRET"), ("secret_key", "SECRET"), ("secret", "SECRET"),
        ("api_key", "API_KEY"), ("apiKey", "API_KEY"), ("api-key", "API_KEY"), ("X-Api-Key", "API_KEY"),
        ("HTTP_X_API_KEY", "API_KEY"), ("APIKey", "API_KEY"), ("apikey", "API_KEY"), ("api_key_prod", "API_KEY"),
        ("access_token", "TOKEN"), ("accessToken", "TOKEN"), ("refresh_token", "TOKEN"), ("id_token", "TOKEN"),
        ("Authorization", "TOKEN"), ("Proxy-Authorization", "TOKEN"), ("auth", "TOKEN"), ("OAuth2Token", "TOKEN"),
        ("Cookie", "SESSION"), ("Set-Cookie", "SESSION"), ("setCookie", "SESSION"), ("session", "SESSION"),
        ("sessionid", "SESSION"), ("session_id", "SESSION"), ("csrf_token", "SESSION"), ("connect.sid", "SESSION"),
        ("private_key", "PRIVATE_KEY"), ("privateKey", "PRIVATE_KEY"), ("PRIVATE_KEY", "PRIVATE_KEY"),
        ("credit_card", "CREDIT_CARD"), ("creditCard", "CREDIT_CARD"), ("ssn", "US_SSN"), ("SSN", "US_SSN"),
        ("user_email", "EMAIL"), ("phone_number", "PHONE"), ("client_ip", "IP_ADDRESS"), ("iban", "IBAN"),
        ("dob", "DATE_OF_BIRTH"), ("address_line1", "ADDRESS"), ("2fa_code", "OTP"), ("sig", "SIGNATURE"),
    ])
    func sensitive(key: String, label: String) {
        #expect(rules.classify(key) == label, "\(key) → \(KeyRules.normalize(key))")
    }

    @Test("look-alike keys stay non-sensitive", arguments: [
        "token_count", "max_tokens", "prompt_tokens", "completion_tokens", "next_page_token", "nextPageToken",
        "pageToken", "progressToken", "token_type", "tokenizer", "email_verified", "emailVerified",
        "email_domain_count", "phone_verified", "password_changed_at", "passwordChangedAt", "passwordless",
        "ip_address_count", "primary_key", "foreign_key", "public_key", "secretKeyRef", "secret_name", "secret_arn",
        "is_secret_santa", "secret_rotation_days", "author", "authored_at", "auth_type", "PWD", "OLDPWD", "pass",
        "passed", "cookie_consent", "session_count", "sessionTimeout", "api_key_created_at", "api_key_id",
        "access_key_id", "credit_card_count", "refresh_token_ttl", "access_token_expires_in", "ssn_provided",
        "private_key_format", "keyboard", "monkey", "bypass", "compass", "classname", "footprint", "dsn_rate",
    ])
    func notSensitive(key: String) {
        #expect(rules.classify(key) == nil, "\(key) → \(KeyRules.normalize(key))")
    }

    @Test("the byte and string entry points agree", arguments: ["X-Api-Key", "token_count", "", "pässwort", "Set-Cookie"])
    func bytesAndStringAgree(key: String) {
        let viaBytes = Array(key.utf8).withUnsafeBufferPointer { rules.classify($0) }
        #expect(viaBytes == rules.classify(key))
    }

    @Test("keys are classified by their first 256 bytes")
    func longKeys() {
        #expect(rules.classify(String(repeating: "a", count: 10_000)) == nil)
        #expect(rules.classify("password_" + String(repeating: "x", count: 10_000)) == "PASSWORD")
        #expect(rules.classify(String(repeating: "x_", count: 200) + "password") == nil)
        #expect(rules.classify(String(repeating: "aB1_", count: 64)) == nil)
    }

    @Test("odd input never crashes")
    func oddInput() {
        let odd: [[UInt8]] = [[], [0], [0xFF, 0xFE], Array(0...255), Array("pässwort".utf8),
                              Array("ÄPIKEY".utf8), [0xE2, 0x80], Array(repeating: 0x41, count: 300)]
        for bytes in odd { _ = bytes.withUnsafeBufferPointer { rules.classify($0) } }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                [UInt8(ascii: "_"), UInt8(ascii: "A"), UInt8(ascii: "s"), UInt8(ascii: "1"), 0xC3, 0xA4,
                 UInt8(ascii: "k"), UInt8(ascii: "e"), UInt8(ascii: "y")].randomElement(using: &generator)!
            }
            _ = bytes.withUnsafeBufferPointer { rules.classify($0) }
        }
        #expect(rules.classify("pässwort") == nil)
    }
}

@Suite("Key rule modes")
struct KeyRuleModeTests {
    private static let custom = KeyRules(
        terms: [
            .init(words: ["pwd"], label: "PASSWORD", mode: .tokenWithPrefix),
            .init(words: ["auth"], label: "TOKEN", mode: .exact),
            .init(words: ["auth"], label: "TOKEN", mode: .token),  // same words: the more specific exact wins
            .init(words: ["secret"], label: "SECRET", mode: .token),
            .init(words: ["client", "secret"], label: "CLIENT_SECRET", mode: .token),
            .init(words: ["token"], label: "TOKEN", mode: .token),
            .init(words: ["Cvv2"], label: "CARD", mode: .token),  // normalized to ["cvv", "2"]
        ],
        neutralizeAfter: ["name", "count", "last4"],  // "last4" is two words, so it is ignored
        neutralizeBefore: ["is", "next page"])  // "next page" is two words, so it is ignored

    @Test("modes, specificity, plurals and the longest label", arguments: [
        ("mysql_pwd", "PASSWORD"), ("PWD", nil), ("pwd_name", nil), ("auth", "TOKEN"), ("auth_token", "TOKEN"),
        ("basic_auth", nil), ("secrets", "SECRET"), ("secret_name", nil), ("is_secret", nil),
        ("clientSecret", "CLIENT_SECRET"), ("clientsecret", "CLIENT_SECRET"), ("client_secrets", "CLIENT_SECRET"),
        ("tokens", nil), ("api_tokens", nil), ("next_page_token", "TOKEN"), ("cvv2", "CARD"), ("CVV_2", "CARD"),
        ("secret_4", "SECRET"), ("secretary", nil),
    ] as [(String, String?)])
    func modes(key: String, label: String?) {
        #expect(Self.custom.classify(key) == label, "\(key) → \(KeyRules.normalize(key))")
    }

    @Test("an empty vocabulary classifies nothing")
    func empty() {
        let none = KeyRules(terms: [.init(words: ["", "-"], label: "X", mode: .token)], neutralizeAfter: [], neutralizeBefore: [])
        #expect(none.classify("password") == nil)
        #expect(none.classify("") == nil)
    }
}
