import Foundation
@testable import PIISanitizer
import Testing

// Pattern files: every kind of mistake is refused with the file, the JSON Pointer, the pattern id
// and a reason; files that extend, override and disable the built-in set behave as written.

/// A valid pattern object with `extra` members spliced in (or replacing the defaults).
func ticketPattern(_ members: String = "", id: String = "ticket", regex: String = #"TCK-[0-9]{6}"#) -> String {
    #"{"id": "\#(id)", "label": "TICKET", "category": "custom", "regex": "\#(regex)""# + (members.isEmpty ? "" : ", " + members) + "}"
}

func patternFile(_ patterns: [String], top: String = "") -> String {
    #"{"version": 1, "patterns": [\#(patterns.joined(separator: ", "))]"# + (top.isEmpty ? "" : ", " + top) + "}"
}

/// Writes `contents` to a fresh temporary file and returns its path.
func temporaryFile(_ contents: String, name: String = "patterns.json") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pii-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(contents.utf8).write(to: url)
    return url.path
}

/// Loads `contents` from memory and from a file, JIT on and off; every way must give the same result.
private func load(_ contents: String, options: Sanitizer.Options = .init()) throws -> [Result<Sanitizer, SanitizerError>] {
    let path = try temporaryFile(contents, name: "bad.json")
    var results: [Result<Sanitizer, SanitizerError>] = []
    for jit in [true, false] {
        var o = options
        o.useJIT = jit
        results.append(Result { () throws(SanitizerError) in try Sanitizer(patternFileContents: Array(contents.utf8), name: "bad.json", options: o) })
        results.append(Result { () throws(SanitizerError) in try Sanitizer(patternFile: path, options: o) }
            .mapError { error in
                // The file path form names the path; map it back so both compare equal.
                guard case let .invalidPatternFile(file, pointer, id, reason) = error, file == path else {
                    if case let .patternFileSyntax(file, line, column, expected) = error, file == path {
                        return .patternFileSyntax(file: "bad.json", line: line, column: column, expected: expected)
                    }
                    return error
                }
                return .invalidPatternFile(file: "bad.json", pointer: pointer, patternID: id, reason: reason)
            })
    }
    return results
}

private func errors(_ contents: String) throws -> [SanitizerError?] {
    try load(contents).map { if case let .failure(e) = $0 { e } else { nil } }
}

struct BadFile: Sendable, CustomTestStringConvertible {
    let what: String
    let json: String
    let error: SanitizerError
    /// When true, `reason` is only the start of the reason (the rest lists known names, which grow).
    var reasonIsPrefix = false
    var testDescription: String { what }

    static func invalid(_ what: String, _ json: String, _ pointer: String, _ id: String?, _ reason: String, prefix: Bool = false) -> BadFile {
        BadFile(what: what, json: json, error: .invalidPatternFile(file: "bad.json", pointer: pointer, patternID: id, reason: reason),
                reasonIsPrefix: prefix)
    }

    static func syntax(_ what: String, _ json: String, _ line: Int, _ column: Int, _ expected: String) -> BadFile {
        BadFile(what: what, json: json, error: .patternFileSyntax(file: "bad.json", line: line, column: column, expected: expected))
    }
}

let badFiles: [BadFile] = [
    .syntax("invalid JSON", "{\"version\": 1,\n  \"patterns\": [}", 2, 16, "a value"),
    .syntax("trailing comma", #"{"version": 1,}"#, 1, 15, "a member name in quotes"),
    .syntax("unterminated string", "{\"version\": 1, \"name\": \"x\n", 1, 26, "an escaped control character"),
    .syntax("trailing garbage", #"{"version": 1} x"#, 1, 16, "end of document"),
    .syntax("duplicate member", #"{"version": 1, "version": 1}"#, 1, 16, "a member name not used before in this object (duplicate)"),
    .syntax("duplicate pattern member", "{\"version\": 1, \"patterns\": [\n" + ticketPattern(#""label": "X""#) + "]}", 2, 84,
            "a member name not used before in this object (duplicate)"),
    .syntax("empty file", "", 1, 1, "a value"),
    .invalid("wrong schema version", #"{"version": 2}"#, "/version", nil, "unsupported schema version 2 (this build reads version 1)"),
    .invalid("version as a string", #"{"version": "1"}"#, "/version", nil, "expected an integer, found a string"),
    .invalid("missing version", #"{"patterns": []}"#, "", nil, "missing member 'version'"),
    .invalid("not an object", "[]", "", nil, "expected an object, found an array"),
    .invalid("unknown top-level member", #"{"version": 1, "pattern": []}"#, "/pattern", nil,
             "unknown member 'pattern' (known: $schema, allowlist, defaults, description, disable, extends, keyRules, name, patterns, version; prefix 'x-' for extensions)"),
    .invalid("unknown base", #"{"version": 1, "extends": ["builtin", "base"]}"#, "/extends/1", nil, "unknown base 'base' (only 'builtin' exists)"),
    .invalid("patterns not an array", #"{"version": 1, "patterns": {}}"#, "/patterns", nil, "expected an array, found an object"),
    .invalid("unknown pattern member (typo)", patternFile([#"{"id": "ticket", "label": "TICKET", "category": "custom", "regx": "x"}"#]),
             "/patterns/0/regx", "ticket", "unknown member 'regx' (known: ", prefix: true),
    .invalid("missing regex", patternFile([#"{"id": "ticket", "label": "TICKET", "category": "custom"}"#]),
             "/patterns/0", "ticket", "missing member 'regex'"),
    .invalid("missing id", patternFile([#"{"label": "TICKET", "category": "custom", "regex": "x"}"#]), "/patterns/0", nil, "missing member 'id'"),
    .invalid("bad id format", patternFile([ticketPattern(id: "Ticket-1")]), "/patterns/0/id", "Ticket-1",
             "id must be lower_snake_case ([a-z][a-z0-9_]*, at most 64 bytes)"),
    .invalid("id too long", patternFile([ticketPattern(id: String(repeating: "t", count: 65))]), "/patterns/0/id",
             String(repeating: "t", count: 65), "id must be lower_snake_case ([a-z][a-z0-9_]*, at most 64 bytes)"),
    .invalid("bad label", patternFile([#"{"id": "ticket", "label": "Ticket", "category": "custom", "regex": "x"}"#]),
             "/patterns/0/label", "ticket", "label must be UPPER_SNAKE_CASE"),
    .invalid("bad category", patternFile([#"{"id": "ticket", "label": "TICKET", "category": "secrets", "regex": "x"}"#]),
             "/patterns/0/category", "ticket", "category must be one of pii, secret, custom"),
    .invalid("duplicate pattern id", patternFile([ticketPattern(), ticketPattern()]), "/patterns/1/id", "ticket",
             "duplicate pattern id 'ticket' (first defined at /patterns/0)"),
    .invalid("regex does not compile", patternFile([ticketPattern(regex: "TCK-(")]), "/patterns/0/regex", "ticket",
             "regex does not compile: missing closing parenthesis at offset 5"),
    .invalid("group does not exist", patternFile([ticketPattern(#""group": 2"#, regex: "TCK-([0-9]+)")]), "/patterns/0/group", "ticket",
             "group 2 does not exist (the regex has 1)"),
    .invalid("named group does not exist", patternFile([ticketPattern(#""group": "value""#)]), "/patterns/0/group", "ticket",
             "the regex has no group named 'value'"),
    .invalid("kv_text without key and value groups", patternFile([ticketPattern(#""kind": "kv_text", "group": "value""#, regex: "(?<value>x+)")]),
             "/patterns/0/regex", "ticket", "a kv_text pattern needs named groups 'key' and 'value'"),
    .invalid("unknown kind", patternFile([ticketPattern(#""kind": "kv""#)]), "/patterns/0/kind", "ticket", "kind must be 'regex' or 'kv_text'"),
    .invalid("unknown flag", patternFile([ticketPattern(#""flags": "ig""#)]), "/patterns/0/flags", "ticket", "flags may only contain i, m, s, x"),
    .invalid("unknown validator", patternFile([ticketPattern(#""validator": "luhnn""#)]), "/patterns/0/validator", "ticket",
             "unknown validator 'luhnn' (known: luhn, ", prefix: true),
    .invalid("unknown validator by name", patternFile([ticketPattern(#""validator": {"name": "luhnn"}"#)]), "/patterns/0/validator/name", "ticket",
             "unknown validator 'luhnn' (known: luhn, ", prefix: true),
    .invalid("validator parameter it does not take", patternFile([ticketPattern(#""validator": {"name": "luhn", "skip": ["private"]}"#)]),
             "/patterns/0/validator/skip", "ticket", "validator 'luhn' takes no parameter 'skip'"),
    .invalid("bad validator parameter value", patternFile([ticketPattern(#""validator": {"name": "ipv4", "skip": ["private", "loopbak"]}"#)]),
             "/patterns/0/validator/skip/1", "ticket",
             "unknown address class 'loopbak' (unspecified, loopback, broadcast, private, link_local)"),
    .invalid("validator parameter out of range", patternFile([ticketPattern(#""validator": {"name": "phone", "minDigits": 3}"#)]),
             "/patterns/0/validator/minDigits", "ticket", "expected an integer from 7 to 15"),
    .invalid("unknown operator", patternFile([ticketPattern(#""operator": "redact""#)]), "/patterns/0/operator", "ticket",
             "unknown operator 'redact' (replace, mask, hash, placeholder, remove)"),
    .invalid("unknown operator type", patternFile([ticketPattern(#""operator": {"type": "blur"}"#)]), "/patterns/0/operator/type", "ticket",
             "unknown operator 'blur' (replace, mask, hash, placeholder, remove)"),
    .invalid("operator member that does not apply", patternFile([ticketPattern(#""operator": {"type": "mask", "template": "x"}"#)]),
             "/patterns/0/operator/template", "ticket", "'template' does not apply to operator 'mask'"),
    .invalid("unknown default operator", #"{"version": 1, "defaults": {"operator": "blur"}}"#, "/defaults/operator", nil,
             "unknown operator 'blur' (replace, mask, hash, placeholder, remove)"),
    .invalid("disable of an unknown id", #"{"version": 1, "extends": ["builtin"], "disable": ["email", "ipv5"]}"#, "/disable/1", "ipv5",
             "cannot disable unknown pattern id 'ipv5'"),
    .invalid("disable without extends", #"{"version": 1, "disable": ["email"]}"#, "/disable/0", "email", "cannot disable unknown pattern id 'email'"),
    .invalid("priority above range", patternFile([ticketPattern(#""priority": 101"#)]), "/patterns/0/priority", "ticket",
             "expected an integer from 0 to 100"),
    .invalid("priority below range", patternFile([ticketPattern(#""priority": -1"#)]), "/patterns/0/priority", "ticket",
             "expected an integer from 0 to 100"),
    .invalid("priority not an integer", patternFile([ticketPattern(#""priority": 50.5"#)]), "/patterns/0/priority", "ticket",
             "expected an integer, found a number"),
    .invalid("keywords non-ASCII", patternFile([ticketPattern(#""keywords": ["tck", "tické"]"#)]), "/patterns/0/keywords/1", "ticket",
             "keywords must be non-empty ASCII literals"),
    .invalid("keywords empty string", patternFile([ticketPattern(#""keywords": [""]"#)]), "/patterns/0/keywords/0", "ticket",
             "keywords must be non-empty ASCII literals"),
    .invalid("example match not in text", patternFile([ticketPattern(#""examples": {"positive": [{"text": "TCK-123456", "match": "TCK-9"}]}"#)]),
             "/patterns/0/examples/positive/0/match", "ticket", "'match' must be a non-empty part of 'text'"),
    .invalid("allowlist regex does not compile", patternFile([ticketPattern(#""allowlist": {"regexes": ["^TCK-[0-9"]}"#)]),
             "/patterns/0/allowlist/regexes/0", "ticket", "regex does not compile: missing terminating ] for character class at offset 9"),
    .invalid("member with a slash in its name", #"{"version": 1, "a/b~c": 1}"#, "/a~1b~0c", nil, "unknown member 'a/b~c' (known: ", prefix: true),
]

@Suite("Pattern files")
struct PatternFileTests {
    @Test("bad files are refused with file, pointer, id and reason", arguments: badFiles)
    func badFile(_ bad: BadFile) throws {
        for error in try errors(bad.json) {
            guard let error else {
                Issue.record("the file loaded")
                continue
            }
            if bad.reasonIsPrefix, case let .invalidPatternFile(file, pointer, id, reason) = error,
                case let .invalidPatternFile(eFile, ePointer, eID, eReason) = bad.error
            {
                #expect(file == eFile && pointer == ePointer && id == eID)
                #expect(reason.hasPrefix(eReason), "\(reason)")
            } else {
                #expect(error == bad.error)
            }
        }
    }

    @Test("regex errors carry PCRE2's message and offset", arguments: [
        ("TCK-(", "missing closing parenthesis"), ("a{2,1}", "numbers out of order in {} quantifier"), ("[z-a]", "range out of order"),
        (#"(?<n>a)(?<n>b)"#, "two named subpatterns have the same name"), (#"x\\"#, #"\ at end of pattern"#),
    ])
    func regexErrors(regex: String, message: String) throws {
        let json = patternFile([ticketPattern(regex: regex)])
        for error in try errors(json) {
            guard case let .invalidPatternFile(file, pointer, id, reason) = error else {
                Issue.record("expected invalidPatternFile, got \(String(describing: error))")
                continue
            }
            #expect(file == "bad.json" && pointer == "/patterns/0/regex" && id == "ticket")
            #expect(reason.hasPrefix("regex does not compile: "))
            #expect(reason.contains(message) && reason.contains("offset"), "\(reason)")
        }
    }

    @Test("error descriptions", arguments: [
        (SanitizerError.invalidPatternFile(file: "p.json", pointer: "/patterns/0/label", patternID: "ticket", reason: "label must be UPPER_SNAKE_CASE"),
         "p.json: at /patterns/0/label (pattern 'ticket'): label must be UPPER_SNAKE_CASE"),
        (.invalidPatternFile(file: "p.json", pointer: "", patternID: nil, reason: "missing member 'version'"), "p.json: at /: missing member 'version'"),
        (.patternFileSyntax(file: "p.json", line: 2, column: 16, expected: "a value"), "p.json:2:16: invalid JSON: expected a value"),
        (.unreadablePatternFile(file: "/nope.json", reason: "No such file or directory"),
         "/nope.json: cannot read pattern file: No such file or directory"),
        (.missingHashKey(reason: "x"), "hash operator needs a key: x"),
    ])
    func descriptions(error: SanitizerError, text: String) {
        #expect(error.description == text)
    }

    @Test("unreadable files")
    func unreadable() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("pii-tests-\(UUID().uuidString)/none.json").path
        #expect(throws: SanitizerError.unreadablePatternFile(file: missing, reason: "No such file or directory")) {
            try Sanitizer(patternFile: missing)
        }
        let directory = URL(fileURLWithPath: try temporaryFile("{}")).deletingLastPathComponent().path
        #expect(throws: SanitizerError.unreadablePatternFile(file: directory, reason: "Is a directory")) {
            try Sanitizer(patternFile: directory)
        }
    }
}
