@testable import PIISanitizer
import Testing

// What a valid user pattern file does: extend, override, disable, set operators and allowlists.

private let ticket = #"""
    {"id": "acme_ticket", "label": "TICKET", "category": "custom", "regex": "(?<![A-Z])TCK-[0-9]{6}(?![0-9])", "keywords": ["tck-"],
     "description": "ACME support tickets", "source": "internal wiki",
     "examples": {"positive": [{"text": "see TCK-123456 now", "match": "TCK-123456"}], "negative": ["TCK-12345", "XTCK-123456", "TCK-1234567"]}}
    """#

private let extending = #"""
    {"$schema": "https://example.invalid/patterns-v1.json", "version": 1, "name": "acme", "description": "ACME additions",
     "extends": ["builtin"], "disable": ["ipv4", "mac_address"], "x-owner": "security team",
     "patterns": [
       \#(ticket),
       {"id": "email", "label": "EMAIL", "category": "pii", "regex": "[a-z]+@corp\\.example\\.com", "operator": "placeholder",
        "examples": {"positive": [{"text": "to ann@corp.example.com", "match": "ann@corp.example.com"}], "negative": ["bob@example.com"]}}
     ]}
    """#

/// Loads from memory and from a temporary file, JIT on and off.
private func sanitizers(_ contents: String, _ options: Sanitizer.Options = .init()) throws -> [Sanitizer] {
    let path = try temporaryFile(contents)
    var all: [Sanitizer] = []
    for jit in [true, false] {
        var o = options
        o.useJIT = jit
        all.append(try Sanitizer(patternFileContents: Array(contents.utf8), name: "acme.json", options: o))
        all.append(try Sanitizer(patternFile: path, options: o))
    }
    return all
}

@Suite("Pattern files: behaviour")
struct PatternFileBehaviorTests {
    @Test("a file that extends the built-in set adds, overrides and disables patterns")
    func extendsBuiltin() throws {
        let line = "ticket TCK-123456 from ann@corp.example.com cc bob@example.com at 195.86.232.108 sta be:5a:99:b5:79:06 ssn 536-22-1234"
        let expected = "ticket [TICKET] from [EMAIL_1] cc bob@example.com at 195.86.232.108 sta be:5a:99:b5:79:06 ssn [US_SSN]"
        for s in try sanitizers(extending) {
            #expect(s.sanitize(line) == expected)
            #expect(s.runExamples().map(\.description) == [])
            let descriptions = s.patternDescriptions
            #expect(descriptions.map(\.id) == builtinSanitizer.patternDescriptions.map(\.id) + ["acme_ticket"])
            #expect(descriptions.filter { !$0.enabled }.map(\.id).sorted() == ["ipv4", "mac_address"])
            #expect(descriptions.last == PatternDescription(id: "acme_ticket", label: "TICKET", category: "custom",
                                                            description: "ACME support tickets", enabled: true, keywords: ["tck-"]))
            #expect(s.labels.contains("TICKET") && s.labels.contains("PASSWORD"))
        }
    }

    @Test("a file without extends holds only its own patterns")
    func standalone() throws {
        for s in try sanitizers(patternFile([ticket])) {
            #expect(s.sanitize("bob@example.com TCK-123456 password=hunter2 195.86.232.108") == "bob@example.com [TICKET] password=hunter2 195.86.232.108")
            #expect(s.patternDescriptions.map(\.id) == ["acme_ticket"])
            #expect(s.labels == ["TICKET"])
            #expect(s.runExamples() == [])
        }
    }

    @Test("a failing example names the pattern and the pointer")
    func failingExample() throws {
        let bad = patternFile([ticketPattern(#""examples": {"positive": [{"text": "TCK-12345", "match": "TCK-12345"}], "negative": ["TCK-000000"]}"#)],
                              top: #""extends": ["builtin"]"#)
        for s in try sanitizers(bad) {
            #expect(s.runExamples().map(\.description) == [
                "ticket /patterns/0/examples/positive/0: the pattern found nothing",
                "ticket /patterns/0/examples/negative/0: a near miss was changed (by ticket)",
            ])
        }
    }

    @Test("operators from the file: defaults, per pattern, and the override beats both")
    func fileOperators() throws {
        let placeholderDefault = #"{"version": 1, "extends": ["builtin"], "defaults": {"operator": "placeholder"}}"#
        for s in try sanitizers(placeholderDefault) {
            #expect(s.sanitize("a@x.com b@y.com a@x.com DB_PASSWORD=hunter2") == "[EMAIL_1] [EMAIL_2] [EMAIL_1] DB_PASSWORD=[PASSWORD_1]")
        }
        let masked = patternFile([ticket], top: #""defaults": {"operator": {"type": "mask", "keepLast": 2, "character": "x"}}"#)
        for s in try sanitizers(masked) { #expect(s.sanitize("TCK-123456") == "xxx-xxxx56") }
        let custom = patternFile([ticketPattern(#""operator": {"type": "replace", "template": "<{id}:{label}>"}"#)])
        for s in try sanitizers(custom) { #expect(s.sanitize("TCK-123456") == "<ticket:TICKET>") }
        for s in try sanitizers(extending, .init(operatorOverride: .defaultReplace)) {
            #expect(s.sanitize("ann@corp.example.com") == "[EMAIL]")
        }
        let hashed = patternFile([ticketPattern(#""operator": "hash""#)])
        #expect(throws: SanitizerError.missingHashKey(
            reason: "pattern 'ticket' uses the hash operator; set a key (PII_SANITIZE_HASH_KEY or --hash-key-file)"
        )) { try Sanitizer(patternFileContents: Array(hashed.utf8), name: "h.json") }
        let key = HashKey(bytes: Array("0123456789abcdef0123456789abcdef".utf8))
        for s in try sanitizers(patternFile([ticketPattern(#""operator": {"type": "hash", "length": 8}"#)]), .init(hashKey: key)) {
            #expect(s.sanitize("TCK-123456").wholeMatch(of: /\[TICKET:[0-9a-f]{8}\]/) != nil)
        }
    }

    @Test("allowlists: global values and regexes, and per pattern")
    func allowlists() throws {
        let file = #"""
            {"version": 1, "extends": ["builtin"],
             "allowlist": {"values": ["noreply@example.com"], "regexes": ["^[a-z]+@example\\.org$"]},
             "patterns": [{"id": "acme_ticket", "label": "TICKET", "category": "custom", "regex": "TCK-[0-9]{6}",
                           "allowlist": {"values": ["TCK-000000"], "regexes": ["^TCK-9"]}}]}
            """#
        for s in try sanitizers(file) {
            #expect(s.sanitize("noreply@example.com bob@example.com carol@example.org dave@example.org.uk")
                    == "noreply@example.com [EMAIL] carol@example.org [EMAIL]")
            #expect(s.sanitize("TCK-000000 TCK-123456 TCK-987654") == "TCK-000000 [TICKET] TCK-987654")
        }
    }

    @Test("priorities decide the label of overlapping findings", arguments: [(90, 10, "[ORDER] and [NUMBER]"), (10, 90, "[NUMBER] and [NUMBER]")])
    func priorities(order: Int, number: Int, expected: String) throws {
        let file = patternFile([
            #"{"id": "order", "label": "ORDER", "category": "custom", "priority": \#(order), "regex": "ORD-[0-9]{4}-[0-9]{4}"}"#,
            #"{"id": "number", "label": "NUMBER", "category": "custom", "priority": \#(number), "regex": "[0-9]{4}-[0-9]{4}"}"#,
        ])
        for s in try sanitizers(file) {
            #expect(s.sanitize("ORD-1234-5678 and 1111-2222") == expected)
            let findings = s.sanitizeWithFindings("ORD-1234-5678").findings
            #expect(findings.map(\.byteRange) == [0..<13], "the union of both spans")
        }
    }

    @Test("disabled and enabled: false patterns do not run")
    func disabled() throws {
        let file = patternFile([ticketPattern(#""enabled": false"#), ticketPattern(id: "ticket_b", regex: "TCK-[0-9]{3}(?![0-9])")])
        for s in try sanitizers(file) {
            #expect(s.sanitize("TCK-123456 TCK-123") == "TCK-123456 [TICKET]")
            #expect(s.patternDescriptions.map(\.enabled) == [false, true])
        }
        for s in try sanitizers(patternFile([ticketPattern()]), .init(disabledPatterns: ["ticket"])) {
            #expect(s.sanitize("TCK-123456") == "TCK-123456")
        }
        #expect(throws: SanitizerError.unknownSelection(kind: "pattern id", names: ["email"])) {
            try Sanitizer(patternFileContents: Array(patternFile([ticketPattern()]).utf8), name: "t.json", options: .init(disabledPatterns: ["email"]))
        }
    }

    @Test("kv_text patterns take their label from the file's key rules")
    func keyValue() throws {
        let file = patternFile(
            [#"{"id": "kv", "label": "SECRET", "category": "secret", "kind": "kv_text", "regex": "(?<key>[a-z_]+)=(?<value>\\S+)", "group": "value"}"#],
            top: #""keyRules": {"terms": [{"term": "pin", "label": "PIN", "mode": "exact"}, {"term": "secret", "label": "SECRET"}], "neutralizeAfter": ["name"], "tests": {"sensitive": ["pin", "app_secret"], "notSensitive": ["pin_code", "secret_name"]}}"#)
        for s in try sanitizers(file) {
            #expect(s.sanitize("pin=1234 user=bob app_secret=x9 secret_name=prod pin_code=9") == "pin=[PIN] user=bob app_secret=[SECRET] secret_name=prod pin_code=9")
            #expect(s.labels == ["PIN", "SECRET"])
            #expect(s.runExamples() == [])
        }
        for s in try sanitizers(file, .init(onlyLabels: ["PIN"])) {
            #expect(s.sanitize("pin=1234 app_secret=x9") == "pin=[PIN] app_secret=x9")
        }
    }
}
