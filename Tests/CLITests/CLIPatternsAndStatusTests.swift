import Foundation
import Testing

// `patterns list|test|validate`, and the exit status and stderr of everything that can go wrong.

private let ticketFile = #"""
    {"version": 1, "patterns": [{"id": "ticket", "label": "TICKET", "category": "custom", "regex": "TCK-[0-9]{6}", "keywords": ["tck-"],
      "examples": {"positive": [{"text": "see TCK-123456", "match": "TCK-123456"}], "negative": ["TCK-12345"]}}]}
    """#

private let failingExamplesFile = #"""
    {"version": 1, "extends": ["builtin"], "patterns": [{"id": "ticket", "label": "TICKET", "category": "custom", "regex": "TCK-[0-9]{6}",
      "examples": {"positive": [{"text": "see TCK-12345 and bob@example.com", "match": "TCK-12345"}], "negative": ["open TCK-000000"]}}]}
    """#

@Suite("CLI: patterns")
struct CLIPatternsTests {
    @Test("patterns list shows every pattern with its state")
    func list() throws {
        let result = try CLI.run(["patterns", "list", "--disable", "ipv4"])
        #expect(result.status == 0)
        let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "ID\tLABEL\tCATEGORY\tENABLED\tKEYWORDS")
        #expect(lines.last == "")
        #expect(lines.contains("email\tEMAIL\tpii\tyes\t@"))
        #expect(lines.contains("ipv4\tIP_ADDRESS\tpii\tno\t"))
        #expect(lines.contains("credit_card\tCREDIT_CARD\tpii\tyes\t"))
        #expect(lines.count >= 27)
        let path = try CLI.file("ticket.json", ticketFile)
        #expect(try CLI.run(["patterns", "list", "--patterns", path]).out == "ID\tLABEL\tCATEGORY\tENABLED\tKEYWORDS\nticket\tTICKET\tcustom\tyes\ttck-\n")
    }

    @Test("patterns test passes on the built-in set and on a good file")
    func testPasses() throws {
        let builtin = try CLI.run(["patterns", "test"])
        #expect(builtin.status == 0)
        #expect(builtin.out.wholeMatch(of: /[0-9]+ patterns: all examples passed\n/) != nil, "\(builtin.out)")
        #expect(builtin.err == "")
        let path = try CLI.file("ticket.json", ticketFile)
        let file = try CLI.run(["patterns", "test", path])
        #expect(file.status == 0)
        #expect(file.out == "1 patterns: all examples passed\n")
    }

    @Test("patterns test names the failing pattern and example, exit 1")
    func testFails() throws {
        let path = try CLI.file("failing.json", failingExamplesFile)
        let result = try CLI.run(["patterns", "test", path])
        #expect(result.status == 1)
        #expect(result.out == "")
        #expect(result.err == """
            pii-sanitize: FAIL ticket /patterns/0/examples/positive/0: the pattern found nothing
            pii-sanitize: FAIL ticket /patterns/0/examples/negative/0: a near miss was changed (by ticket)
            pii-sanitize: 2 example(s) failed in 1 pattern(s)

            """)
        #expect(!result.err.contains("bob@example.com") && !result.err.contains("TCK-000000"))
    }

    @Test("patterns validate")
    func validate() throws {
        let good = try CLI.file("ticket.json", ticketFile)
        let ok = try CLI.run(["patterns", "validate", good])
        #expect(ok.status == 0)
        #expect(ok.out == "\(good): valid, 1 patterns\n")
        let bad = try CLI.file("bad.json", #"{"version": 1, "patterns": [{"id": "ticket", "label": "Ticket", "category": "custom", "regex": "x"}]}"#)
        let refused = try CLI.run(["patterns", "validate", bad])
        #expect(refused.status == 78)
        #expect(refused.out == "")
        #expect(refused.err == "pii-sanitize: \(bad): at /patterns/0/label (pattern 'ticket'): label must be UPPER_SNAKE_CASE\n")
        let syntax = try CLI.file("syntax.json", "{\"version\": 1,\n  \"patterns\": [}")
        let broken = try CLI.run(["patterns", "validate", syntax])
        #expect(broken.status == 78)
        #expect(broken.err == "pii-sanitize: \(syntax):2:16: invalid JSON: expected a value\n")
        let missing = try CLI.run(["patterns", "validate", "/nonexistent/patterns.json"])
        #expect(missing.status == 66)
        #expect(missing.err == "pii-sanitize: /nonexistent/patterns.json: cannot read pattern file: No such file or directory\n")
    }
}

/// Arguments, the expected exit status, and the start of the expected stderr.
struct Failure: Sendable, CustomTestStringConvertible {
    let what: String
    let arguments: [String]
    let status: Int32
    let stderrPrefix: String
    var environment: [String: String] = [:]
    var testDescription: String { what }
}

private let badPatterns = #"{"version": 1, "patterns": [{"id": "ticket", "label": "TICKET", "category": "custom", "regex": "TCK-("}]}"#

@Suite("CLI: exit statuses")
struct CLIStatusTests {
    static let failures: [Failure] = [
        Failure(what: "unknown flag", arguments: ["--frobnicate"], status: 64, stderrPrefix: "Error: Unknown option '--frobnicate'"),
        Failure(what: "bad --operator", arguments: ["--operator", "blur"], status: 64,
                stderrPrefix: "Error: unknown operator 'blur' (replace, mask, hash, placeholder, remove)"),
        Failure(what: "unknown label in --only", arguments: ["--only", "EMAIL,EMAILS"], status: 64, stderrPrefix: "pii-sanitize: unknown label: EMAILS\n"),
        Failure(what: "unknown id in --disable", arguments: ["--disable", "ipv5"], status: 64, stderrPrefix: "pii-sanitize: unknown pattern id: ipv5\n"),
        Failure(what: "missing input file", arguments: ["/nonexistent/input.log"], status: 66,
                stderrPrefix: "pii-sanitize: cannot read '/nonexistent/input.log': No such file or directory\n"),
        Failure(what: "missing --patterns file", arguments: ["--patterns", "/nonexistent/p.json"], status: 66,
                stderrPrefix: "pii-sanitize: /nonexistent/p.json: cannot read pattern file: No such file or directory\n"),
        Failure(what: "missing --hash-key-file", arguments: ["--operator", "hash", "--hash-key-file", "/nonexistent/key"], status: 66,
                stderrPrefix: "pii-sanitize: cannot read hash key file '/nonexistent/key': No such file or directory\n"),
        Failure(what: "hash operator without a key", arguments: ["--operator", "hash"], status: 78,
                stderrPrefix: "pii-sanitize: hash operator needs a key: pattern 'private_key_pem' uses the hash operator; set a key (PII_SANITIZE_HASH_KEY or --hash-key-file)\n"),
        Failure(what: "hash key too short", arguments: ["--operator", "hash"], status: 78,
                stderrPrefix: "pii-sanitize: the hash key must be at least 16 bytes\n", environment: ["PII_SANITIZE_HASH_KEY": "short"]),
    ]

    @Test("usage, input and configuration errors", arguments: failures)
    func failure(_ f: Failure) throws {
        let result = try CLI.run(f.arguments, stdin: Array(cliInput.utf8), environment: f.environment)
        #expect(result.status == f.status)
        #expect(result.err.hasPrefix(f.stderrPrefix), "\(result.err)")
        #expect(result.out == "", "nothing is written when the run cannot start")
        for secret in cliSecrets { #expect(!result.err.contains(secret), "stderr quotes \(secret)") }
    }

    @Test("a bad pattern file exits 78 and names file, pointer and pattern")
    func badPatternFile() throws {
        let path = try CLI.file("bad.json", badPatterns)
        let result = try CLI.run(["--patterns", path], stdin: Array(cliInput.utf8))
        #expect(result.status == 78)
        #expect(result.out == "")
        #expect(result.err == "pii-sanitize: \(path): at /patterns/0/regex (pattern 'ticket'): regex does not compile: missing closing parenthesis at offset 5\n")
        for secret in cliSecrets { #expect(!result.err.contains(secret)) }
    }

    @Test("an unreadable file among others: the rest is still sanitized, exit 66")
    func missingAmongOthers() throws {
        let good = try CLI.file("good.log", cliInput)
        let result = try CLI.run([good, "/nonexistent/input.log", "-"], stdin: Array("mail carol@example.org\n".utf8))
        #expect(result.status == 66)
        #expect(result.out == "mail [EMAIL] card [CREDIT_CARD]\nDB_PASSWORD=[PASSWORD] ssn [US_SSN] tel [PHONE] ip [IP_ADDRESS]\nmail [EMAIL]\n")
        #expect(result.err == "pii-sanitize: cannot read '/nonexistent/input.log': No such file or directory\n")
        for secret in cliSecrets + ["carol@example.org"] { #expect(!result.err.contains(secret)) }
    }

    @Test("a directory as input exits 66")
    func directoryInput() throws {
        let directory = try CLI.temporaryDirectory()
        let result = try CLI.run([directory])
        #expect(result.status == 66)
        #expect(result.err == "pii-sanitize: cannot read '\(directory)': Is a directory\n")
    }

    @Test("help and version exit 0")
    func helpAndVersion() throws {
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("USAGE: pii-sanitize"))
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.out.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+\n/) != nil)
    }
}
