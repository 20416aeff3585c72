import Testing

@testable import PIISanitizer

/// Runs `validator` over the UTF-8 bytes of `text`, the way the matcher hands spans to validators.
private func run(_ text: String, _ validator: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
    Array(text.utf8).withUnsafeBufferPointer(validator)
}

@Suite("Validators")
struct ValidatorsTests {
    // Luhn digits computed with a reference implementation in Python.
    @Test(arguments: [
        ("4111111111111111", true), ("4111 1111 1111 1111", true), ("4111-1111-1111-1111", true),
        ("5555555555554444", true), ("378282246310005", true), ("6011111111111117", true),
        ("3530111333300000", true), ("30569309025904", true), ("4222222222222", true),
        ("123456789015", true), ("1234567890123456785", true), ("5105-1051-0510-5100", true),
        ("4111111111111112", false), ("1234567812345678", false), ("0000000000000000", false),
        ("4444444444444444", false), ("4111-1111 1111-1111", false), ("79927398713", false),
        ("12345678901234567894", false), ("4111x11111111111", false), ("", false), ("4111_1111_1111_1111", false),
        ("４１１１１１１１１１１１１１１１", false),
    ])
    func luhn(input: String, expected: Bool) {
        #expect(run(input, Validators.luhn) == expected)
    }

    // Check digits recomputed in Python (ISO 7064 mod 97-10) from the SWIFT registry examples.
    @Test(arguments: [
        ("DE89 3704 0044 0532 0130 00", true), ("DE89370400440532013000", true), ("GB29 NWBK 6016 1331 9268 19", true),
        ("FR14 2004 1010 0505 0001 3M02 606", true), ("NL91ABNA0417164300", true), ("NO93 8601 1117 947", true),
        ("BE68 5390 0754 7034", true), ("CH93 0076 2011 6238 5295 7", true), ("MT84 MALT 0110 0001 2345 MTLC AST0 01S", true),
        ("LC55 HEMM 0001 0001 0012 0012 0002 3015", true), ("RU0204452560040702810412345678901", true),
        ("YE15CBYE0001018861234567891234", true), ("HN88CABF00000000000250005469", true),
        ("DE89 3704 0044 0532 0130 01", false), ("DE88370400440532013000", false), ("DE8937040044053201300", false),
        ("DE893704004405320130000", false), ("de89370400440532013000", false), ("DE89  3704 0044 0532 0130 00", false),
        (" DE89370400440532013000", false), ("US64SVBKUS6S3300958879", false), ("XX89370400440532013000", false),
        ("GB29-NWBK-6016-1331-9268-19", false), ("DEAB370400440532013000", false), ("", false),
        ("NO00 8601 1117 947", false), ("GB29 NWBK 6016 1331 9268 1é", false),
    ])
    func ibanMod97(input: String, expected: Bool) {
        #expect(run(input, Validators.ibanMod97) == expected)
    }

    @Test(arguments: [
        ("536-22-1234", true), ("536 22 1234", true), ("536221234", true), ("123-45-6788", true),
        ("001-01-0001", true), ("899-99-9998", true), ("665-12-3456", true), ("772-10-0001", true),
        ("000-12-3456", false), ("666-12-3456", false), ("900-12-3456", false), ("999-99-9998", false),
        ("123-00-4567", false), ("123-45-0000", false), ("111-11-1111", false), ("078-05-1120", false),
        ("219-09-9999", false), ("123-45-6789", false), ("987-65-4321", false), ("123-45 6788", false),
        ("12-345-678", false), ("1234567880", false), ("123.45.6788", false), ("", false),
    ])
    func usSSN(input: String, expected: Bool) {
        #expect(run(input, Validators.usSSN) == expected)
    }

    @Test(arguments: [
        ("8.8.8.8", [], true), ("1.2.3.4", [], true), ("0.0.0.0", [], true), ("255.255.255.255", [], true),
        ("10.0.0.1/8", [], true), ("192.168.1.1/32", [], true), ("172.15.255.255", .private, true),
        ("172.32.0.1", .private, true), ("100.64.0.1", .all, true), ("127.0.0.1", [], true), ("1.2.3.4/0", .all, true),
        ("256.1.1.1", [], false), ("01.2.3.4", [], false), ("1.2.3", [], false), ("1.2.3.4.5", [], false),
        ("1.2.3.4/33", [], false), ("1.2.3.4/", [], false), ("1..2.3", [], false), ("1.2.3.4/08", [], false),
        (" 1.2.3.4", [], false), ("1.2.3.1000", [], false), ("10.0.0.1", .private, false),
        ("172.16.0.1", .private, false), ("172.31.255.255", .private, false), ("192.168.0.1/24", .private, false),
        ("127.0.0.1", .loopback, false), ("127.255.0.9", .all, false), ("0.0.0.0", .unspecified, false),
        ("255.255.255.255", .broadcast, false), ("169.254.1.1", .linkLocal, false), ("", [], false),
    ] as [(String, Validators.IPv4Skip, Bool)])
    func ipv4(input: String, skip: Validators.IPv4Skip, expected: Bool) {
        #expect(run(input) { Validators.ipv4($0, skip: skip) } == expected)
    }

    @Test(arguments: [
        ("2001:db8::1", true), ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", true), ("fe80::1:2%eth0", true),
        ("::ffff:192.168.1.1", true), ("1:2:3:4:5:6:7:8", true), ("1:2:3:4:5:6:1.2.3.4", true),
        ("2001:db8:0:0:1::1/64", true), ("::a:b:c", true), ("a:b:c::", true), ("FE80:0000:0000:0000:0202:B3FF:FE1E:8329", true),
        ("::", false), ("::1", false), ("a::b", false), ("dead::beef", false), ("std::vector", false),
        ("1:2:3:4:5:6:7:8:9", false), ("1::2::3", false), ("12345::1:2", false), ("1:2:3:4:5:6:7", false),
        (":1:2:3::", false), ("1:2:3::4:", false), ("0:0:0:0:0:0:0:1", false), ("0:0:0:0:0:0:0:0", false),
        ("::ffff:256.1.1.1", false), ("1:2:3::%", false), ("2001:db8::1/129", false), ("g::1:2", false),
        ("1:2:3:1.2.3.4:5", false), ("1:::2:3", false), ("", false), (":", false),
    ])
    func ipv6(input: String, expected: Bool) {
        #expect(run(input, Validators.ipv6) == expected)
    }

    @Test(arguments: [
        ("00:1A:2B:3C:4D:5E", true), ("00-1a-2b-3c-4d-5e", true), ("001a.2b3c.4d5e", true), ("01:00:5e:00:00:fb", true),
        ("ff:ff:ff:ff:ff:fe", true), ("aa:bb:cc:dd:ee:ff", true), ("00:00:00:00:00:01", true), ("AB-CD-EF-01-23-45", true),
        ("00:00:00:00:00:00", false), ("FF:FF:FF:FF:FF:FF", false), ("ffff.ffff.ffff", false), ("0000.0000.0000", false),
        ("00:1A-2B:3C:4D:5E", false), ("00:1A:2B:3C:4D", false), ("00:1A:2B:3C:4D:5G", false), ("001a2b3c4d5e", false),
        ("001a.2b3c:4d5e", false), ("00:1A:2B:3C:4D:5E:", false), ("00.1A.2B.3C.4D.5E", false), ("", false),
    ])
    func mac(input: String, expected: Bool) {
        #expect(run(input, Validators.mac) == expected)
    }

    // Headers and payloads base64url-encoded with Python's `base64.urlsafe_b64encode`.
    @Test(arguments: [
        ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", true),
        ("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", true), ("eyAiYWxnIiA6ICJSUzI1NiIgfQ.eyJhIjoxfQ.c2ln", true),
        ("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", true), ("eyJ0eXAiOiJKV1QiLCJlbmMiOiJBMTI4R0NNIn0.e30.sig", true),
        ("eyJhbGciOiJub25lIn0=.e30.sig", true), ("ICB7ImtpZCI6ImsxIiwiYWxnIjoiRVMyNTYifQo.e30.sig", true),
        ("eyJhbGciOiJIUzI1NiJ9.e30.sig", true),
        ("eyJ0eXAiOiJKV1QifQ.e30.sig", false), ("aGVsbG8gd29ybGQ.e30.sig", false), ("eyJ0eXAiOiJhbGcifQ.e30.sig", false),
        ("WyJhbGciXQ.e30.sig", false), ("eyJhbGciOiJIUzI1NiI.e30.sig", false), ("eyJhbGciOiJIUzI1NiJ9.e30", false),
        (".e30.sig", false), ("eyJhbGciOiJIUzI1NiJ9..sig", false), ("eyJhbGciOiJIUzI1N+J9.e30.sig", false),
        ("eyJhbGciOiJIUzI1NiJ9a.e30.sig", false), ("config.db.password", false), ("", false),
    ])
    func jwt(input: String, expected: Bool) {
        #expect(run(input, Validators.jwt) == expected)
    }

    @Test(arguments: [
        ("+1 (415) 555-2671", true), ("415-555-2671", true), ("+44 20 7946 0958", true), ("555-0199", true),
        ("0049 30 901820", true), ("+49 (0)30 901820", true), ("98765432", true), ("123456780", true),
        ("123456", false), ("1234567", false), ("0123456789", false), ("555-5555", false),
        ("1234567890123456", false), ("000 000 0000", false), ("abc-defg", false), ("23456789", false), ("", false),
    ])
    func phone(input: String, expected: Bool) {
        #expect(run(input, Validators.phone) == expected)
    }

    // Entropies (bits/byte) checked in Python; every case uses minEntropy 3.0.
    @Test(arguments: [
        ("ghp_16C7e42F292c6912E7710c838347Ae178B4a", true), ("AKIAIOSFODNN7EXAMPLE", true),
        ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", true), ("xoxb-123456789012-abcdefghijABCDEF", true),
        ("aBcDeFgHiJkLmNoPqRsTuVwXyZ", true), ("Zq8vK2mN4pR7", true), ("ab12cd34ef56", true), ("Tr0ub4dor&3", true),
        ("password", false), ("aaaaaaaa1", false), ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", false), ("12345678", false),
        ("abcdefghijklmnopqrstuvwxyz", false), ("a1a1a1a1a1a1", false), ("abc1", false),
        ("aaaaBBBBccccDDDDeeeeFFFF", false), ("AbAbAbAbAbAbAbAbAbAbAbAb", false), ("", false),
    ])
    func tokenShape(input: String, expected: Bool) {
        #expect(run(input) { Validators.tokenShape($0, minEntropy: 3.0) } == expected)
    }

    @Test(arguments: [
        ("", 0.0), ("aaaa", 0.0), ("ab", 1.0), ("abcd", 2.0), ("aabb", 1.0), ("abcdefgh", 3.0),
    ])
    func shannonEntropy(input: String, expected: Double) {
        let entropy = Array(input.utf8).withUnsafeBufferPointer(Validators.shannonEntropy)
        #expect(abs(entropy - expected) < 1e-9)
    }

    @Test func shannonEntropyOfEveryByteIsEight() {
        let all = (0...255).map { UInt8($0) }
        #expect(abs(all.withUnsafeBufferPointer(Validators.shannonEntropy) - 8.0) < 1e-9)
    }

    // Payloads encoded with Python's `base64.b64encode`.
    @Test(arguments: [
        ("dXNlcjpwYXNz", true), ("QWxhZGRpbjpvcGVuIHNlc2FtZQ==", true), ("YTpi", true), ("YWRtaW46", true),
        ("OnNlY3JldA==", true), ("w7xzZXI6cMOkc3N3w7ZyZA==", true), ("dXNlcjpwQHNzOndvcmQ=", true), ("dXNlcjpwYQ==", true),
        ("am9obi5kb2VAZXhhbXBsZS5jb206UzNjcjN0IQ==", true),
        ("dXNlcnBhc3M=", false), ("dXNlcjoBcGFzcw==", false), ("/zr+", false), ("dXNlcjpwYXNzCg==", false),
        ("dXNlcn86eA==", false), ("dXNlcjpwYXNz=", false), ("dXNlcjpwYXN", false), ("QWxhZGRpbjpvcGVuIHNlc2FtZQ=", false),
        ("dXNl cjpw", false), ("QWxhZGRpbjpvcGVuIHNlc2FtZR==", false), ("====", false), ("", false),
        ("dXNlcjpw-XNz", false), ("dXNlcjpw===", false),
    ])
    func basicAuth(input: String, expected: Bool) {
        #expect(run(input, Validators.basicAuth) == expected)
    }

    @Test(arguments: [
        ("hunter2", true), ("changeme", true), ("password", true), ("s3cr3t!", true), ("'quoted secret'", true),
        ("hunter", true), ("P@ssw0rd123", true), ("Tr0ub4dor&3", true), ("\"correcthorse\";", true), ("пароль123", true),
        ("$2b$12$R9h/cIPz0gi.URNNX3kh2O", true), ("hGtRkLpQ", true), ("abc%2Fdef", true),
        ("%s", false), ("%-10s", false), ("%1$s", false), ("%(password)s", false), ("%-8.3f", false), ("%lld", false), ("{password}", false), ("{{ secret }}", false),
        ("${DB_PASSWORD}", false), ("$PASSWORD", false), ("<your-password>", false), ("****", false), ("xxxx", false),
        ("XXXX-XXXX", false), ("[PASSWORD]", false), ("[EMAIL_1]", false), ("[SECRET:abc123]", false),
        ("null", false), ("None", false), ("TRUE", false), ("String", false), ("required", false),
        ("getPassword()", false), ("config.db.password", false), ("os.environ.get", false), ("self.token", false),
        ("$this->password", false), ("Config::API_KEY", false), ("user_password", false), ("DB_PASSWORD", false),
        ("getToken", false), ("userID", false), ("0xDEADBEEF", false), ("abc", false), ("os.environ['X']", false),
        ("password:", false), ("••••••", false), ("%DB_PASS%", false), ("prefix-${X}-suffix", false), ("", false),
        ("   ", false), ("\"\"", false),
    ])
    func literalValue(input: String, expected: Bool) {
        #expect(run(input) { Validators.literalValue($0, minLength: 4, allowIdentifiers: false) } == expected)
    }

    @Test(arguments: [
        ("config.db.password", true), ("user_password", true), ("getToken", true), ("hunter", true),
        ("DB_PASSWORD", true), ("self.token", true), ("changeme", true), ("hunter2", true),
        ("%-10s", false), ("null", false), ("{name}", false), ("[PASSWORD]", false), ("getToken()", false),
        ("abc", false), ("$VAR", false), ("xxx-xxx", false),
    ])
    func literalValueAllowingIdentifiers(input: String, expected: Bool) {
        #expect(run(input) { Validators.literalValue($0, minLength: 4, allowIdentifiers: true) } == expected)
    }

    @Test func literalValueHonoursMinLength() {
        #expect(run("abcd1234") { Validators.literalValue($0, minLength: 8, allowIdentifiers: false) })
        #expect(!run("abcd123") { Validators.literalValue($0, minLength: 8, allowIdentifiers: false) })
        #expect(run("ab") { Validators.literalValue($0, minLength: 0, allowIdentifiers: false) })
    }

    /// Every validator must return (not trap) on empty, huge, binary and non-ASCII spans.
    @Test func neverCrashesOnHostileInput() {
        var generator = SystemRandomNumberGenerator()
        var inputs: [[UInt8]] = [[], Array(repeating: 0xFF, count: 1 << 20), Array(repeating: UInt8(ascii: "9"), count: 1 << 16)]
        inputs.append(Array("é:ü.%/[{$".utf8))
        inputs.append(Array(repeating: UInt8(ascii: ":"), count: 64))
        inputs.append(Array(repeating: UInt8(ascii: "."), count: 64))
        for length in [1, 2, 3, 4, 5, 14, 17, 34, 100, 5000] {
            for _ in 0..<50 { inputs.append((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        }
        for bytes in inputs {
            bytes.withUnsafeBufferPointer { s in
                _ = Validators.luhn(s)
                _ = Validators.ibanMod97(s)
                _ = Validators.usSSN(s)
                _ = Validators.ipv4(s, skip: .all)
                _ = Validators.ipv6(s)
                _ = Validators.mac(s)
                _ = Validators.jwt(s)
                _ = Validators.phone(s)
                _ = Validators.tokenShape(s, minEntropy: 3)
                _ = Validators.basicAuth(s)
                _ = Validators.literalValue(s, minLength: 1, allowIdentifiers: false)
                #expect(Validators.shannonEntropy(s) >= 0)
            }
        }
    }
}
