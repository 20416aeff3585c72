import Foundation
import PIISanitizer
import Testing

// End-to-end: the built executable, stdin/stdout/stderr through pipes, exit statuses.

/// PII values used in the inputs below; none may ever appear on stderr.
let cliSecrets = ["bob@example.com", "4111 1111 1111 1111", "hunter2", "536-22-1234", "415-555-2671", "195.86.232.108"]
let cliInput = "mail bob@example.com card 4111 1111 1111 1111\nDB_PASSWORD=hunter2 ssn 536-22-1234 tel +1 415-555-2671 ip 195.86.232.108\n"

private func expectNoSecrets(_ result: CLI.Result, sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in cliSecrets {
        #expect(!result.err.contains(secret), "stderr quotes \(secret)", sourceLocation: sourceLocation)
    }
}

@Suite("CLI: sanitize")
struct CLISanitizeTests {
    @Test("stdin to stdout", arguments: [
        ("", ""),
        ("no trailing newline", "no trailing newline"),
        ("mail bob@example.com\n", "mail [EMAIL]\n"),
        ("card 4111 1111 1111 1111 declined\nretry 4111 1111 1111 1112\n", "card [CREDIT_CARD] declined\nretry 4111 1111 1111 1112\n"),
        ("HR note: SSN 536-22-1234 verified\nrows 000-12-3456 666-12-3456 900-12-3456\n",
         "HR note: SSN [US_SSN] verified\nrows 000-12-3456 666-12-3456 900-12-3456\n"),
        ("wire DE89 3704 0044 0532 0130 00\ntypo DE88 3704 0044 0532 0130 00\n", "wire [IBAN]\ntypo DE88 3704 0044 0532 0130 00\n"),
        ("peer 2001:41d0:94ea:ab7d:a03e:faa1:9e7a:c3ca from 10.183.201.15\nagent version 2.5.34.79, job\n",
         "peer [IP_ADDRESS] from [IP_ADDRESS]\nagent version 2.5.34.79, job\n"),
        ("export GITHUB_TOKEN=ghp_R2d2C3poL1ke4Tok3nXyZ9aBcDeFgHiJkLmN\r\n", "export GITHUB_TOKEN=[GITHUB_TOKEN]\r\n"),
        ("DATABASE_URL=redis://admin:p4ss@w0rd@cache.example.com:6379/0", "DATABASE_URL=redis://[URL_CREDENTIALS]@[EMAIL]:6379/0"),
        ("app.py:123:45: warning\nport 8080 pid 31337 rx_bytes=4829301827 price $1,299.99\n",
         "app.py:123:45: warning\nport 8080 pid 31337 rx_bytes=4829301827 price $1,299.99\n"),
        ("👋 連絡先は taro.yamada@example.jp、電話は +81 90-1234-5678 です\n", "👋 連絡先は [EMAIL]、電話は [PHONE] です\n"),
        // Text that merely starts like JSON is still text (common log prefixes).
        ("[2024-05-14 10:22:31] INFO login bob@example.com\n", "[2024-05-14 10:22:31] INFO login [EMAIL]\n"),
        ("[chat] alice: mail a@x.com\n[chat] bob: ok\n", "[chat] alice: mail [EMAIL]\n[chat] bob: ok\n"),
        ("{user} logged in as bob@example.com\n", "{user} logged in as [EMAIL]\n"),
    ])
    func stdinToStdout(input: String, expected: String) throws {
        let result = try CLI.run([], stdin: Array(input.utf8))
        #expect(result.status == 0)
        #expect(result.out == expected)
        #expect(result.err == "")
        // The explicit subcommand and `-` behave the same.
        #expect(try CLI.run(["sanitize", "-"], stdin: Array(input.utf8)).out == expected)
    }

    @Test("bytes pass through exactly: invalid UTF-8, NUL, CRLF, lone CR")
    func exactBytes() throws {
        let plain: [UInt8] = [0xFF, 0xFE] + Array("ok\u{0} line\r\n".utf8) + [0xC3, 0x28, 0x0D, 0x0A, 0x0D] + Array("lone cr\r".utf8)
        let same = try CLI.run([], stdin: plain)
        #expect(same.status == 0)
        #expect(same.stdout == plain)
        let pii: [UInt8] = [0xFF] + Array(" mail bob@example.com\u{0}\r\n".utf8) + [0xE3, 0x81]
        #expect(try CLI.run([], stdin: pii).stdout == [0xFF] + Array(" mail [EMAIL]\u{0}\r\n".utf8) + [0xE3, 0x81])
    }

    @Test("files as arguments: concatenated output, placeholders numbered per file, '-' for stdin")
    func files() throws {
        let one = try CLI.file("one.log", "a@x.com b@y.com a@x.com\n")
        let two = try CLI.file("two.log", "b@y.com c@z.com\n")
        let both = try CLI.run(["--operator", "placeholder", one, two])
        #expect(both.status == 0)
        #expect(both.out == "[EMAIL_1] [EMAIL_2] [EMAIL_1]\n[EMAIL_1] [EMAIL_2]\n")
        let withStdin = try CLI.run(["--operator", "placeholder", one, "-", two], stdin: Array("c@z.com\n".utf8))
        #expect(withStdin.out == "[EMAIL_1] [EMAIL_2] [EMAIL_1]\n[EMAIL_1]\n[EMAIL_1] [EMAIL_2]\n")
        #expect(try CLI.run([one, two]).out == "[EMAIL] [EMAIL] [EMAIL]\n[EMAIL] [EMAIL]\n")
    }

    @Test("selection and operator flags", arguments: [
        (["--only", "EMAIL"], "mail [EMAIL] card 4111 1111 1111 1111\nDB_PASSWORD=hunter2 ssn 536-22-1234 tel +1 415-555-2671 ip 195.86.232.108\n"),
        (["--only", "email, PHONE"], "mail [EMAIL] card 4111 1111 1111 1111\nDB_PASSWORD=hunter2 ssn 536-22-1234 tel [PHONE] ip 195.86.232.108\n"),
        (["--only", "EMAIL", "--only", "US_SSN"], "mail [EMAIL] card 4111 1111 1111 1111\nDB_PASSWORD=hunter2 ssn [US_SSN] tel +1 415-555-2671 ip 195.86.232.108\n"),
        (["--disable", "ipv4,credit_card"], "mail [EMAIL] card 4111 1111 1111 1111\nDB_PASSWORD=[PASSWORD] ssn [US_SSN] tel [PHONE] ip 195.86.232.108\n"),
        (["--operator", "replace"], "mail [EMAIL] card [CREDIT_CARD]\nDB_PASSWORD=[PASSWORD] ssn [US_SSN] tel [PHONE] ip [IP_ADDRESS]\n"),
        (["--operator", "mask"], "mail ***@******e.com card **** **** **** 1111\nDB_PASSWORD=***ter2 ssn ***-**-1234 tel +* ***-***-2671 ip ***.**.**2.108\n"),
        (["--operator", "placeholder"], "mail [EMAIL_1] card [CREDIT_CARD_1]\nDB_PASSWORD=[PASSWORD_1] ssn [US_SSN_1] tel [PHONE_1] ip [IP_ADDRESS_1]\n"),
        (["--operator", "remove"], "mail  card \nDB_PASSWORD= ssn  tel  ip \n"),
        (["--operator", "remove", "--only", "PHONE"], "mail bob@example.com card 4111 1111 1111 1111\nDB_PASSWORD=hunter2 ssn 536-22-1234 tel  ip 195.86.232.108\n"),
    ])
    func flags(arguments: [String], expected: String) throws {
        let result = try CLI.run(arguments, stdin: Array(cliInput.utf8))
        #expect(result.status == 0)
        #expect(result.out == expected)
        #expect(result.err == "")
    }

    @Test("hash operator: key from the environment or a key file, same tokens")
    func hash() throws {
        // Tokens computed with Python: hmac.new(key, value, hashlib.sha256).hexdigest()[:16].
        let expected = "[EMAIL:c3f773be0fe3d064] [EMAIL:e5b2e7495857ea48] [EMAIL:c3f773be0fe3d064]\n"
        let input = Array("a@x.com b@y.com a@x.com\n".utf8)
        let key = "0123456789abcdef0123456789abcdef"
        let viaEnvironment = try CLI.run(["--operator", "hash"], stdin: input, environment: ["PII_SANITIZE_HASH_KEY": key])
        #expect(viaEnvironment.status == 0)
        #expect(viaEnvironment.out == expected)
        let keyFile = try CLI.file("key", key + "\n")  // a trailing newline is not part of the key
        let viaFile = try CLI.run(["--operator", "hash", "--hash-key-file", keyFile], stdin: input)
        #expect(viaFile.status == 0)
        #expect(viaFile.out == expected)
        // The file wins over the environment.
        let both = try CLI.run(["--operator", "hash", "--hash-key-file", keyFile], stdin: input,
                               environment: ["PII_SANITIZE_HASH_KEY": "fedcba9876543210fedcba9876543210"])
        #expect(both.out == expected)
        let otherKey = try CLI.run(["--operator", "hash"], stdin: input, environment: ["PII_SANITIZE_HASH_KEY": "fedcba9876543210fedcba9876543210"])
        #expect(otherKey.out == "[EMAIL:57a35cb8d5b4b318] [EMAIL:371344ceed824ef6] [EMAIL:57a35cb8d5b4b318]\n")
    }

    @Test("--stats prints counts per label to stderr, never values")
    func stats() throws {
        let result = try CLI.run(["--stats"], stdin: Array(cliInput.utf8))
        #expect(result.status == 0)
        #expect(result.out == "mail [EMAIL] card [CREDIT_CARD]\nDB_PASSWORD=[PASSWORD] ssn [US_SSN] tel [PHONE] ip [IP_ADDRESS]\n")
        #expect(result.err == "pii-sanitize: 6 redacted\n  CREDIT_CARD\t1\n  EMAIL\t1\n  IP_ADDRESS\t1\n  PASSWORD\t1\n  PHONE\t1\n  US_SSN\t1\n")
        expectNoSecrets(result)
        let two = try CLI.file("two.log", "a@x.com\n")
        let summed = try CLI.run(["--stats", two, "-"], stdin: Array("b@y.com c@z.com\n".utf8))
        #expect(summed.err == "pii-sanitize: 3 redacted\n  EMAIL\t3\n")
        #expect(try CLI.run(["--stats"], stdin: Array("nothing\n".utf8)).err == "pii-sanitize: 0 redacted\n")
    }

    @Test("a 5 MB input streams through and matches the library, on any number of threads", arguments: ["1", "2", "4"])
    func large(threads: String) throws {
        var input: [UInt8] = [], expected: [UInt8] = []
        var i = 0
        while input.count < 5 << 20 {
            let lines: [(String, String)] = [
                ("2024-05-14T10:22:31.\(i % 1000)Z INFO req=\(i) user=user\(i)@example.com ip=10.0.\(i % 250).\(i % 200 + 1)",
                 "2024-05-14T10:22:31.\(i % 1000)Z INFO req=\(i) user=[EMAIL] ip=[IP_ADDRESS]"),
                ("charged 4111 1111 1111 1111 for order \(i)", "charged [CREDIT_CARD] for order \(i)"),
                ("agent version 2.5.34.79, job \(i) started", "agent version 2.5.34.79, job \(i) started"),
                ("DB_PASSWORD=hunter\(i) ./run", "DB_PASSWORD=[PASSWORD] ./run"),
            ]
            let (line, out) = lines[i % lines.count]
            input += Array(line.utf8) + (i % 7 == 0 ? [0x0D, 0x0A] : [0x0A])
            expected += Array(out.utf8) + (i % 7 == 0 ? [0x0D, 0x0A] : [0x0A])
            i += 1
        }
        let result = try CLI.run(["--stats", "--threads", threads], stdin: input)
        #expect(result.status == 0)
        #expect(result.stdout.count == expected.count)
        #expect(result.stdout == expected)
        #expect(result.stdout == (try Sanitizer()).sanitize(bytes: input))
        let quarter = (i + 3) / 4
        #expect(result.err.contains("  CREDIT_CARD\t\((i + 2) / 4)\n") && result.err.contains("  EMAIL\t\(quarter)\n"))
    }

    @Test("--threads or --max-depth below 1 is a usage error", arguments: [
        ("--threads", "0"), ("--threads", "-2"), ("--max-depth", "0"), ("--max-depth", "-1"),
    ])
    func belowOne(option: String, value: String) throws {
        let result = try CLI.run(["\(option)=\(value)"], stdin: Array("{}\n".utf8))
        #expect(result.status == 64)
        #expect(result.err.contains("\(option) must be at least 1"))
        #expect(result.out == "")
    }
}
