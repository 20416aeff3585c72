/// Deterministic synthetic log and NDJSON corpora for the benchmarks; generated at start-up, never
/// committed. `compare.sh`'s `gen_corpus.py` writes the same kinds of lines for the CLI comparison.
///
/// Every line carries what must stay (timestamps, UUIDs, versions, counters, durations); the dense
/// kind adds PII or a secret on four lines in five (e-mails, phones, cards, IPs, tokens).
struct CorpusGenerator {
    enum Density: Sendable {
        /// No PII at all: the prefilter's best case, and the most common real log.
        case clean
        /// PII or a secret on about 80 % of lines.
        case dense
    }

    private var rng: SplitMix64

    init(seed: UInt64 = 0x5EED_0F_B3_2026) {
        rng = SplitMix64(seed: seed)
    }

    /// Log lines until at least `bytes` bytes, cut at a line end.
    mutating func text(bytes: Int, density: Density) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 256)
        while out.count < bytes { out += Array(logLine(density: density).utf8) }
        return out
    }

    /// NDJSON events (one object per line) until at least `bytes` bytes.
    mutating func ndjson(bytes: Int, density: Density) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 256)
        while out.count < bytes { out += Array(event(density: density).utf8) }
        return out
    }

    /// `count` short JSON string documents (`"…"`), the shape of one tool-call argument or leaf.
    mutating func jsonStringValues(count: Int, withPII: Bool) -> [[UInt8]] {
        (0..<count).map { _ in
            let text = withPII ? "\(word()) \(pii()) \(word())" : "\(word()) \(word()) #\(next(100_000))"
            return Array("\"\(text)\"".utf8)
        }
    }

    // MARK: Lines

    mutating func logLine(density: Density) -> String {
        let level = ["INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR"][next(6)]
        let component = ["auth", "billing", "http", "db", "net", "deploy", "queue"][next(7)]
        var line = "\(timestamp()) \(level) \(component): \(word()) \(word()) req=\(uuid()) v\(version()) count=\(next(100_000)) took=\(next(900))ms"
        if density == .dense, next(5) != 0 { line += " \(["user=", "to ", "via ", "from ", "key "][next(5)])\(pii())" }
        return line + "\n"
    }

    mutating func event(density: Density) -> String {
        var fields = [
            "\"ts\":\(1_716_767_009_347 + next(10_000_000))", "\"level\":\"\(["info", "warn", "error"][next(3)])\"",
            "\"msg\":\"\(word()) \(word()) \(word())\"", "\"req\":\"\(uuid())\"", "\"version\":\"\(version())\"",
            "\"qty\":\(next(50)).0", "\"price\":\(next(1000)).\(next(90) + 10)", "\"ok\":true",
        ]
        if density == .dense, next(5) != 0 {
            fields.append(["\"user\":{\"email\":\"\(email())\"}", "\"note\":\"call \(phone())\"", "\"password\":\"\(token(12))\"",
                           "\"client\":\"\(ipv4())\"", "\"card\":\"\(card())\""][next(5)])
        }
        return "{" + fields.joined(separator: ",") + "}\n"
    }

    // MARK: Values that stay

    mutating func timestamp() -> String {
        "2026-03-\(pad(next(28) + 1, 2))T\(pad(next(24), 2)):\(pad(next(60), 2)):\(pad(next(60), 2)).\(pad(next(1000), 3))Z"
    }

    mutating func uuid() -> String {
        let h = hex(32)
        let c = Array(h)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-4\(String(c[13..<16]))-a\(String(c[17..<20]))-\(String(c[20..<32]))"
    }

    mutating func version() -> String { "\(next(5)).\(next(20)).\(next(100))" }

    mutating func word() -> String {
        ["login", "ok", "request", "served", "retry", "queued", "cache", "miss", "flush", "commit", "order",
         "refund", "sync", "lease", "renewed", "timeout", "closed", "opened", "batch", "done"][next(20)]
    }

    // MARK: PII and secrets

    mutating func pii() -> String {
        switch next(6) {
        case 0: email()
        case 1: phone()
        case 2: card()
        case 3: ipv4()
        case 4: "Bearer \(token(34))"
        default: "ghp_\(token(36))"
        }
    }

    mutating func email() -> String {
        "\(["ana", "bob", "li.wei", "j.smith", "ops"][next(5)])\(next(1000))@\(["example.com", "mail.test", "corp.example.org"][next(3)])"
    }

    mutating func phone() -> String {
        next(2) == 0 ? "+44 20 7946 \(pad(next(10_000), 4))" : "(415) 555-\(pad(next(10_000), 4))"
    }

    /// A 16-digit number with a valid Luhn check digit, in groups of four.
    mutating func card() -> String {
        var digits = [4] + (0..<14).map { _ in next(10) }
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            let v = i % 2 == 0 ? d * 2 : d
            sum += v > 9 ? v - 9 : v
        }
        digits.append((10 - sum % 10) % 10)
        let s = digits.map(String.init).joined()
        let c = Array(s)
        return stride(from: 0, to: 16, by: 4).map { String(c[$0..<$0 + 4]) }.joined(separator: " ")
    }

    /// A public (documentation-range) address: private and loopback ones are not redacted.
    mutating func ipv4() -> String { "203.0.113.\(next(254) + 1)" }

    mutating func token(_ length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet[next(alphabet.count)] })
    }

    // MARK: Helpers

    mutating func hex(_ length: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<length).map { _ in digits[next(16)] })
    }

    func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    mutating func next(_ bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
}

/// SplitMix64: tiny, fast, and the same sequence on every platform for a given seed.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
