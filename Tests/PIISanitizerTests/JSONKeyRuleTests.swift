import Foundation
@testable import PIISanitizer
import Testing

// Key rules, pair objects and JSON inside strings, as exact input → output tables. Each row runs
// through every `JSONRoute` (bytes, String, Data, findings, JSONStream in 1/2/3/7/64-byte chunks,
// the PCRE2 interpreter); JSONRewriterTests also checks every row for idempotence, valid output and
// streaming findings. Labels were checked against `builtinSanitizer.set.keyRules.classify`.

/// Values under sensitive keys: strings and numbers are redacted whole; true, false, null and ""
/// stay; containers keep their structure with every scalar inside redacted; decoys keep their values.
let jsonKeyRuleCases: [JSONRewriteCase] = [
    .init(#"{"password": "hunter2"}"#, #"{"password": "[PASSWORD]"}"#),
    .init(#"{"password": 1234}"#, #"{"password": "[PASSWORD]"}"#),
    .init(#"{"pin": -12.5e3, "password": 1.0}"#, #"{"pin": "[PASSWORD]", "password": "[PASSWORD]"}"#),
    .init(#"{"ssn": 536221234, "phone_number": 4155552671}"#, #"{"ssn": "[US_SSN]", "phone_number": "[PHONE]"}"#),
    .same(#"{"password": true, "passwd": false, "secret": null, "api_key": ""}"#),
    .init(#"{"api_key": "abc123def456"}"#, #"{"api_key": "[API_KEY]"}"#),
    .init(#"{"Authorization": "Bearer xyz"}"#, #"{"Authorization": "[TOKEN]"}"#),
    .init(#"{"X-Api-Key": "k1"}"#, #"{"X-Api-Key": "[API_KEY]"}"#),
    .init(#"{"DB_PASSWORD": "s3cret"}"#, #"{"DB_PASSWORD": "[PASSWORD]"}"#),
    .init(#"{"passwordConfirmation": "s3cret"}"#, #"{"passwordConfirmation": "[PASSWORD]"}"#),
    .init(#"{"access_token": "t0k3n", "OAuth2Token": "x"}"#, #"{"access_token": "[TOKEN]", "OAuth2Token": "[TOKEN]"}"#),
    .init(#"{"client_secret": "c"}"#, #"{"client_secret": "[SECRET]"}"#),
    .init(#"{"Cookie": "a=b; sid=c", "session_id": 5}"#, #"{"Cookie": "[SESSION]", "session_id": "[SESSION]"}"#),
    .init(#"{"mysql_pwd": "x", "private_key": "x"}"#, #"{"mysql_pwd": "[PASSWORD]", "private_key": "[PRIVATE_KEY]"}"#),
    .init(#"{"iban": "x", "email": "x", "dob": "1990-01-01"}"#, #"{"iban": "[IBAN]", "email": "[EMAIL]", "dob": "[DATE_OF_BIRTH]"}"#),
    .init(#"{"pass\u0077ord": "x"}"#, #"{"pass\u0077ord": "[PASSWORD]"}"#),
    .init(#"{"secret": "a\"b\\c\u0000\ud800"}"#, #"{"secret": "[SECRET]"}"#),
    // The key rule decides the label, even when the value is other PII.
    // A value one pattern matches whole keeps that pattern's label, as in text.
    .init(#"{"token": "bob@example.com"}"#, #"{"token": "[EMAIL]"}"#),
    // An operator output is left alone (idempotence).
    .same(#"{"password": "[PASSWORD]", "api_key": "[REDACTED]"}"#),
    .init("{\n  \"password\" :\n    \"x\"\t,\r\n  \"n\": 1\n}", "{\n  \"password\" :\n    \"[PASSWORD]\"\t,\r\n  \"n\": 1\n}"),
    // Containers under a sensitive key.
    .init(#"{"credentials": {"user": "bob", "pass": "x", "n": 5, "ok": true, "none": null, "list": ["a", 1, false, ""]}}"#,
          #"{"credentials": {"user": "[SECRET]", "pass": "[SECRET]", "n": "[SECRET]", "ok": true, "none": null, "list": ["[SECRET]", "[SECRET]", false, ""]}}"#),
    .init(#"{"password": ["a", "b"]}"#, #"{"password": ["[PASSWORD]", "[PASSWORD]"]}"#),
    .same(#"{"secret": {}, "token": [], "password": [[], {}]}"#),
    .init(#"{"api_key": [[1, [2]], {"x": {"y": "z"}}]}"#, #"{"api_key": [["[API_KEY]", ["[API_KEY]"]], {"x": {"y": "[API_KEY]"}}]}"#),
    .init(#"{"api_key": {"primary": "k-8f2a91", "rotations": 3, "enabled": true}}"#,
          #"{"api_key": {"primary": "[API_KEY]", "rotations": "[API_KEY]", "enabled": true}}"#),
    // The outer label wins over keys inside the container.
    .init(#"{"credentials": {"email": "x"}}"#, #"{"credentials": {"email": "[SECRET]"}}"#),
    .init(#"[{"password": "x"}, {"password": 2}, {"password": {"nested": {"deep": ["x", {"y": 1.5}]}}}]"#,
          #"[{"password": "[PASSWORD]"}, {"password": "[PASSWORD]"}, {"password": {"nested": {"deep": ["[PASSWORD]", {"y": "[PASSWORD]"}]}}}]"#),
    // The label ends with its member and its container.
    .init(#"{"a": {"b": 1}, "password": "x", "note": "plain", "c": {"d": "e"}}"#,
          #"{"a": {"b": 1}, "password": "[PASSWORD]", "note": "plain", "c": {"d": "e"}}"#),
    .init(#"{"password": {"a": 1}, "n": 2, "list": [3]}"#, #"{"password": {"a": "[PASSWORD]"}, "n": 2, "list": [3]}"#),
    // Decoys: the words around the term change its meaning.
    .same(#"{"token_count": 12, "max_tokens": 4096, "prompt_tokens": 812}"#),
    .same(#"{"password_changed_at": "2024-01-02", "email_verified": "yes", "email_verified_at": 1716767009}"#),
    .same(#"{"next_page_token": "abc", "primary_key": "pk1", "api_key_id": "k1"}"#),
    .same(#"{"secretKeyRef": {"name": "db-secret", "key": "password"}}"#),
    .same(#"{"author": "Jane", "PWD": "/home/jane", "passwordless": "on"}"#),
    .same(#"{"is_secret_santa": "yes", "ip_address_count": 3}"#),
    // A decoy key's value still goes through the value patterns.
    .init(#"{"author": "bob@example.com", "token_count": "536-22-1234"}"#, #"{"author": "[EMAIL]", "token_count": "[US_SSN]"}"#),
]

/// Pair objects and two-element arrays use the sibling name as the key.
let jsonPairCases: [JSONRewriteCase] = [
    .init(#"{"headers": [{"name": "Authorization", "value": "Bearer x"}, {"name": "Accept", "value": "text/html"}]}"#,
          #"{"headers": [{"name": "Authorization", "value": "[TOKEN]"}, {"name": "Accept", "value": "text/html"}]}"#),
    // AWS Tags.
    .init(#"{"Tags": [{"Key": "api_key", "Value": "AbC123"}, {"Key": "env", "Value": "prod"}]}"#,
          #"{"Tags": [{"Key": "api_key", "Value": "[API_KEY]"}, {"Key": "env", "Value": "prod"}]}"#),
    // Kubernetes env, including an entry that refers to a secret instead of holding it.
    .init(#"{"env": [{"name": "DB_PASSWORD", "value": "s3cret"}, {"name": "HOME", "value": "/root"}, {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]}"#,
          #"{"env": [{"name": "DB_PASSWORD", "value": "[PASSWORD]"}, {"name": "HOME", "value": "/root"}, {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]}"#),
    // The value member before the name member.
    .init(#"{"value": "s3cret", "name": "DB_PASSWORD"}"#, #"{"value": "[PASSWORD]", "name": "DB_PASSWORD"}"#),
    .init(#"[["DB_PASSWORD","s3cret"],["HOME","/root"]]"#, #"[["DB_PASSWORD","[PASSWORD]"],["HOME","/root"]]"#),
    .init(#"["Authorization", "Bearer x"]"#, #"["Authorization", "[TOKEN]"]"#),
    // A pair name is judged as written: with the card redacted these names are key-like and end
    // in `token`, which is what a second run reads.
    .init(#"["\\4111 1111 1111 1111\\token","s3cr3tV4lue"]"#, #"["\\[CREDIT_CARD]\\token","[TOKEN]"]"#),
    .init(#"{"name":"4111 1111 1111 1111/token","value":"s3cr3tV4lue"}"#, #"{"name":"[CREDIT_CARD]/token","value":"[TOKEN]"}"#),
    .init(#"{"name": "pin", "value": 1234}"#, #"{"name": "pin", "value": "[PASSWORD]"}"#),
    .init(#"{"header": "X-Api-Key", "value": "k"}"#, #"{"header": "X-Api-Key", "value": "[API_KEY]"}"#),
    .init(#"{"Name": "Cookie", "Value": "sid=1"}"#, #"{"Name": "Cookie", "Value": "[SESSION]"}"#),
    .init(#"{"name": "pass\u0077ord", "value": "x"}"#, #"{"name": "pass\u0077ord", "value": "[PASSWORD]"}"#),
    .init(#"{"field": "client_secret", "value": {"a": "x", "b": [1, null]}}"#,
          #"{"field": "client_secret", "value": {"a": "[SECRET]", "b": ["[SECRET]", null]}}"#),
    .init(#"{"env": [ {"name" : "API_TOKEN" ,"value":{"a":"x","b":[1,true]} } ]}"#,
          #"{"env": [ {"name" : "API_TOKEN" ,"value":{"a":"[API_KEY]","b":["[API_KEY]",true]} } ]}"#),
    .init(#"{"name": "Authorization", "value": "Bearer x", "extra": "bob@example.com"}"#,
          #"{"name": "Authorization", "value": "[TOKEN]", "extra": "[EMAIL]"}"#),
    .same(#"{"name": "password", "value": true}"#),
    // Not pairs: the name is not sensitive, there is no value member, or the array has three elements.
    .same(#"{"name": "token_count", "value": "12"}"#),
    .same(#"{"name": "HOME", "value": "/root"}"#),
    .init(#"{"name": "HOME", "value": "bob@example.com"}"#, #"{"name": "HOME", "value": "[EMAIL]"}"#),
    .same(#"{"name": "Authorization", "other": "abc"}"#),
    .same(#"["password", "a", "b"]"#),
    .same(#"{"tags": ["env", "prod"]}"#),
    .init(#"{"rows": [["bob@example.com", 42], ["carol@example.org", "active"]]}"#, #"{"rows": [["[EMAIL]", 42], ["[EMAIL]", "active"]]}"#),
]

/// JSON held in a string is sanitized as JSON (its keys respected) and re-escaped.
let jsonEmbeddedCases: [JSONRewriteCase] = [
    .init(#"{"body": "{\"password\": \"x\", \"mail\": \"c@d.org\"}"}"#, #"{"body": "{\"password\": \"[PASSWORD]\", \"mail\": \"[EMAIL]\"}"}"#),
    .init(#""{\"password\": \"x\"}""#, #""{\"password\": \"[PASSWORD]\"}""#),
    .init(#"{"a": "[\"bob@example.com\", 1.50]"}"#, #"{"a": "[\"[EMAIL]\", 1.50]"}"#),
    .init(#"{"c": " {\"token\": 5} "}"#, #"{"c": " {\"token\": \"[TOKEN]\"} "}"#),
    // Two levels of embedding.
    .init(#"{"a": "{\"b\": \"{\\\"password\\\": \\\"x\\\", \\\"n\\\": \\\"bob@example.com\\\"}\"}"}"#,
          #"{"a": "{\"b\": \"{\\\"password\\\": \\\"[PASSWORD]\\\", \\\"n\\\": \\\"[EMAIL]\\\"}\"}"}"#),
    // Looks like JSON but is not: the value patterns still run on it.
    .init(#"{"b": "[1, bob@example.com]"}"#, #"{"b": "[1, [EMAIL]]"}"#),
    // Embedded JSON with nothing to redact keeps its escapes.
    .same(#"{"d": "{\"n\": 1.0, \"u\": \"a\\/b\", \"e\": \"\\u00e9\"}"}"#),
    // Under a sensitive key the whole string goes.
    .init(#"{"password": "{\"a\": 1}"}"#, #"{"password": "[PASSWORD]"}"#),
]

@Suite("JSON key rules, pair objects and embedded JSON")
struct JSONKeyRuleTests {
    @Test("the key-rule table has at least 30 rows")
    func tableSize() {
        #expect(jsonKeyRuleCases.count >= 30)
    }

    @Test("the labels this file relies on", arguments: [
        ("password", "PASSWORD"), ("pin", "PASSWORD"), ("ssn", "US_SSN"), ("phone_number", "PHONE"), ("api_key", "API_KEY"),
        ("Authorization", "TOKEN"), ("X-Api-Key", "API_KEY"), ("DB_PASSWORD", "PASSWORD"), ("client_secret", "SECRET"),
        ("Cookie", "SESSION"), ("credentials", "SECRET"), ("API_TOKEN", "API_KEY"), ("token", "TOKEN"),
    ])
    func labels(key: String, label: String) {
        #expect(builtinSanitizer.set.keyRules.classify(key) == label)
    }

    @Test("decoy keys are not sensitive", arguments: [
        "token_count", "max_tokens", "password_changed_at", "email_verified", "next_page_token", "secretKeyRef", "author", "PWD",
        "primary_key", "is_secret_santa", "ip_address_count", "prompt_tokens", "api_key_id", "passwordless", "name", "value", "mail",
    ])
    func decoys(key: String) {
        #expect(builtinSanitizer.set.keyRules.classify(key) == nil)
    }

    @Test("key rules", arguments: jsonKeyRuleCases, JSONRoute.allCases)
    func keyRules(c: JSONRewriteCase, route: JSONRoute) {
        checkJSONCase(c, route)
    }

    @Test("pair objects", arguments: jsonPairCases, JSONRoute.allCases)
    func pairs(c: JSONRewriteCase, route: JSONRoute) {
        checkJSONCase(c, route)
    }

    @Test("JSON inside strings", arguments: jsonEmbeddedCases, JSONRoute.allCases)
    func embedded(c: JSONRewriteCase, route: JSONRoute) {
        checkJSONCase(c, route)
    }

    @Test("a key-rule finding names the key rules and points at the value")
    func keyRuleFindings() throws {
        let input = #"{"headers": [{"name": "Authorization", "value": "Bearer x"}], "pwd": {"db_password": 12}, "list": [["api_key", "k"]]}"#
        let result = try builtinSanitizer.sanitizeJSONWithFindings(Array(input.utf8))
        #expect(result.findings.map { "\($0.jsonPointer ?? "-") \($0.label) \($0.patternID)" } == [
            "/headers/0/value TOKEN key_rules",
            "/pwd/db_password PASSWORD key_rules",
            "/list/0/1 API_KEY key_rules",
        ])
    }

    @Test("an embedded document decodes to valid JSON with its keys respected")
    func embeddedDecodes() throws {
        let input = #"{"body": "{\"password\": \"x\", \"mail\": \"c@d.org\", \"n\": 1.50}", "id": 7}"#
        let output = try builtinSanitizer.sanitizeJSON(input)
        let outer = try #require(foundationJSON(output) as? [String: Any], "\(output)")
        let body = try #require(outer["body"] as? String)
        #expect(body == #"{"password": "[PASSWORD]", "mail": "[EMAIL]", "n": 1.50}"#)
        let inner = try #require(foundationJSON(body) as? [String: Any])
        #expect(inner["password"] as? String == "[PASSWORD]")
        #expect(inner["mail"] as? String == "[EMAIL]")
        #expect(outer["id"] as? Int == 7)
    }

    @Test("a rewritten embedded document keeps the outer string's other escapes")
    func embeddedKeepsEscapes() throws {
        let input = #"{"body": "{\"password\": \"x\", \"city\": \"Z\u00fcrich\", \"u\": \"a\/b\"}"}"#
        let output = try builtinSanitizer.sanitizeJSON(input)
        // The redaction itself works and the result is valid JSON either way.
        #expect(output.contains(#"\"password\": \"[PASSWORD]\""#))
        #expect(foundationJSON(output) != nil)
        #expect(output == #"{"body": "{\"password\": \"[PASSWORD]\", \"city\": \"Z\u00fcrich\", \"u\": \"a\/b\"}"}"#)
    }

    @Test("a pair object whose name comes first is redacted however long the object is")
    func longPairObject() throws {
        // The name precedes the value, so no look-ahead is needed to know the value is sensitive.
        let padding = String(repeating: "x", count: 70_000)
        let input = #"{"name": "DB_PASSWORD", "value": "s3cret", "pad": "\#(padding)"}"#
        let output = try builtinSanitizer.sanitizeJSON(input)
        #expect(output.hasSuffix(#""pad": "\#(padding)"}"#))
        let head = String(output.prefix(60))
        #expect(head.hasPrefix(#"{"name": "DB_PASSWORD", "value": "[PASSWORD]", "pad": "#))
    }

    @Test("pair objects within the look-ahead window are found in one shot and in every chunking")
    func pairWithinWindow() throws {
        let padding = String(repeating: "x", count: 60_000)
        let input = #"{"value": "s3cret", "pad": "\#(padding)", "name": "DB_PASSWORD"}"#
        let expected = #"{"value": "[PASSWORD]", "pad": "\#(padding)", "name": "DB_PASSWORD"}"#
        #expect(try builtinSanitizer.sanitizeJSON(input) == expected)
        for size in [64, 4096] {
            #expect(try jsonStream(builtinSanitizer, Array(input.utf8), chunk: size).output == Array(expected.utf8), "chunks of \(size)")
        }
    }
}
