import Dispatch
import PCRE2
import Testing

/// Every match of `regex` in `subject`, as byte ranges, advancing past empty matches by one scalar.
private func matches(
    _ regex: Regex, in subject: [UInt8], group: Int = 0, limits: MatchLimits = MatchLimits()
) throws(PCRE2Error) -> [Range<Int>] {
    let scratch = MatchScratch(captureCapacity: regex.captureCount + 1, limits: limits)
    var found: [Range<Int>] = []
    var failure: PCRE2Error?
    subject.withUnsafeBufferPointer { buffer in
        var start = 0
        while start <= buffer.count {
            do throws(PCRE2Error) {
                guard try regex.firstMatch(in: buffer, from: start, scratch: scratch), let whole = scratch.range(of: 0) else { return }
                if let r = scratch.range(of: group) { found.append(r) }
                if whole.isEmpty {
                    start = whole.lowerBound + 1
                    while start < buffer.count, buffer[start] & 0xC0 == 0x80 { start += 1 }
                } else {
                    start = whole.upperBound
                }
            } catch {
                failure = error
                return
            }
        }
    }
    if let failure { throw failure }
    return found
}

/// The matched texts, for readable expectations.
private func texts(_ pattern: String, _ options: RegexOptions = [], jit: JITChoice, in subject: String) throws -> [String] {
    let regex = try Regex(pattern, options: options, jit: jit)
    let bytes = Array(subject.utf8)
    return try matches(regex, in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
}

@Suite("PCRE2 wrapper")
struct RegexTests {
    @Test("compile errors carry PCRE2's message and the pattern offset", arguments: [
        ("a(b", "missing closing parenthesis", 3),
        ("a{2,1}", "numbers out of order in {} quantifier", 5),
        ("[z-a]", "range out of order in character class", 3),
        ("ab\\", "\\ at end of pattern", 3),
        ("(?<n>a)(?<n>b)", "two named subpatterns have the same name (PCRE2_DUPNAMES not set)", 12),
        ("x(?<=a+)y", "lookbehind assertion is not fixed length", 1),
        ("(?P<1a>x)", "subpattern name must start with a non-digit", 4),
        ("a)", "unmatched closing parenthesis", 1),
        ("*a", "quantifier does not follow a repeatable item", 0),
    ])
    func compileErrors(pattern: String, message: String, offset: Int) {
        for jit in [JITChoice.never, .attempt, .always] {
            let error = #expect(throws: PCRE2Error.self) { try Regex(pattern, jit: jit) }
            if let error {
                #expect(error.message == message)
                #expect(error.patternOffset == offset)
                #expect(error.description == "\(message) at offset \(offset)")
                #expect(error.code > 0, "compile error codes are positive")
                #expect(!error.isResourceLimit)
            }
        }
    }

    @Test("JIT and interpreter agree", arguments: [
        (#"\d+"#, RegexOptions(), "a1b22c333", ["1", "22", "333"]),
        (#"(?<![A-Za-z0-9])[a-z]+@[a-z]+\.com"#, [], "x bob@example.com,carol@ex.com", ["bob@example.com", "carol@ex.com"]),
        ("colou?r", [.caseless], "Color COLOUR colr", ["Color", "COLOUR"]),
        ("^line", [.multiline], "line 1\nline 2\n line", ["line", "line"]),
        ("^line", [], "line 1\nline 2", ["line"]),
        ("a.b", [.dotAll], "a\nb a-b", ["a\nb", "a-b"]),
        ("a.b", [], "a\nb a-b", ["a-b"]),
        ("a b  # comment\n c", [.extended], "abc a b c", ["abc"]),
        ("x*", [], "axxb", ["", "xx", "", ""]),
        ("é+", [], "café ééé", ["é", "ééé"]),
        (#"\w+"#, [], "naïve 日本", ["na", "ve"]),  // no UCP: \w is ASCII
        (".", [], "日本", ["日", "本"]),
        ("(?i)straße", [], "STRASSE Straße", ["Straße"]),
        (#"\bfoo\b"#, [], "foo food foo_ foo.", ["foo", "foo"]),
        ("(a|ab)(c|bcd)(d*)", [], "abcd", ["abcd"]),
        ("", [], "ab", ["", "", ""]),
        ("(?=x)", [], "axx", ["", ""]),
    ] as [(String, RegexOptions, String, [String])])
    func engines(pattern: String, options: RegexOptions, subject: String, expected: [String]) throws {
        #expect(try texts(pattern, options, jit: .never, in: subject) == expected)
        #expect(try texts(pattern, options, jit: .always, in: subject) == expected)
        #expect(try texts(pattern, options, jit: .attempt, in: subject) == expected)
    }

    @Test("JIT choice is honoured")
    func jitChoice() throws {
        #expect(try Regex("a+", jit: .never).isJITCompiled == false)
        #expect(try Regex("a+", jit: .always).isJITCompiled == true)
        #expect(try Regex("a+", jit: .attempt).isJITCompiled == true)
    }

    @Test("with .attempt the JIT compiles on the first match, not in init")
    func jitOnFirstUse() throws {
        #expect(try Regex("a+", jit: .never).isEngineDecided)
        #expect(try Regex("a+", jit: .always).isEngineDecided)
        let regex = try Regex("a+", jit: .attempt)
        #expect(!regex.isEngineDecided)
        #expect(try matches(regex, in: Array("baab".utf8)) == [1..<3])
        #expect(regex.isEngineDecided)
        #expect(regex.isJITCompiled)
    }

    @Test("threads that meet a pattern's first match at once all match it (run under TSan by test.sh)")
    func jitOnFirstUseConcurrently() throws {
        let subject = Array(String(repeating: "id 42 and 7; ", count: 50).utf8)
        for _ in 0..<20 {
            let regex = try Regex(#"\b\d+\b"#, jit: .attempt)
            // Each iteration writes only its own element, and concurrentPerform returns after all.
            nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
            defer { results.deallocate() }
            results.initialize(repeating: -1)
            DispatchQueue.concurrentPerform(iterations: results.count) { i in
                results[i] = (try? matches(regex, in: subject).count) ?? -2
            }
            #expect(Array(results) == Array(repeating: 100, count: 8))
            #expect(regex.isJITCompiled)
        }
    }

    @Test("named groups")
    func namedGroups() throws {
        for jit in [JITChoice.never, .always] {
            let regex = try Regex(#"(?<key>[a-z_]+)\s*=\s*(?:"(?<quoted>[^"]*)"|(?<bare>\S+))"#, jit: jit)
            #expect(regex.captureCount == 3)
            #expect(regex.groupNumber(named: "key") == 1)
            #expect(regex.groupNumber(named: "quoted") == 2)
            #expect(regex.groupNumber(named: "bare") == 3)
            #expect(regex.groupNumber(named: "value") == nil)
            #expect(regex.groupNumber(named: "") == nil)
            let subject = Array(#"user = bob pass="s3 cr3t""#.utf8)
            #expect(try matches(regex, in: subject, group: 1) == [0..<4, 11..<15])
            #expect(try matches(regex, in: subject, group: 2) == [17..<24])
            #expect(try matches(regex, in: subject, group: 3) == [7..<10])
            let scratch = MatchScratch(captureCapacity: 4)
            let matched = try subject.withUnsafeBufferPointer { try regex.firstMatch(in: $0, from: 5, scratch: scratch) }
            #expect(matched)
            #expect(scratch.range(of: 0) == 11..<25)
            #expect(scratch.range(of: 3) == nil, "a group that did not participate")
            #expect(scratch.range(of: 9) == nil, "a group beyond the scratch capacity")
        }
    }

    @Test("invalid UTF-8 subjects", arguments: [
        ("[a-z]+", [0xFF, 0x61, 0x62, 0x63, 0xC3, 0x28, 0x78, 0x79, 0x7A] as [UInt8], [1..<4, 6..<9]),
        ("a.b", [0x61, 0xFF, 0x62, 0x61, 0x2D, 0x62], [3..<6]),  // an invalid byte is no character
        (#"\d{3}"#, [0x31, 0x32, 0x80, 0x33, 0x34, 0x35, 0xE3, 0x81], [3..<6]),
        ("é", [0xC3, 0xA9, 0xC3, 0xC3, 0xA9, 0xA9], [0..<2, 3..<5]),
        ("x", [0xED, 0xA0, 0x80, 0x78, 0xF5, 0x78, 0xC0, 0xAF], [3..<4, 5..<6]),
        (#"\x{FFFD}"#, [0xFF, 0xEF, 0xBF, 0xBD], [1..<4]),
    ] as [(String, [UInt8], [Range<Int>])])
    func invalidUTF8(pattern: String, subject: [UInt8], expected: [Range<Int>]) throws {
        for jit in [JITChoice.never, .always] {
            #expect(try matches(try Regex(pattern, jit: jit), in: subject) == expected, "\(jit)")
        }
    }

    @Test("lookbehind sees bytes before the start offset")
    func lookbehindBeforeStart() throws {
        for jit in [JITChoice.never, .always] {
            let regex = try Regex("(?<=@)[a-z]+", jit: jit)
            let subject = Array("a@bc".utf8)
            let scratch = MatchScratch(captureCapacity: 1)
            let matched = try subject.withUnsafeBufferPointer { try regex.firstMatch(in: $0, from: 2, scratch: scratch) }
            #expect(matched && scratch.range(of: 0) == 2..<4)
        }
    }

    @Test("catastrophic backtracking hits the match limit instead of hanging", arguments: [JITChoice.never, .always])
    func resourceLimit(jit: JITChoice) throws {
        let regex = try Regex("(a+)+$", jit: jit)
        let subject = Array((String(repeating: "a", count: 40) + "b").utf8)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            _ = try matches(regex, in: subject, limits: MatchLimits(matchLimit: 10_000, interpreterMatchLimit: 10_000))
            Issue.record("the match completed")
        } catch {
            #expect(error.isResourceLimit)
            #expect(error.code < 0, "match error codes are negative")
            #expect(error.patternOffset == nil)
            #expect(error.message == "match limit exceeded")
            #expect(error.description == "match limit exceeded")
        }
        #expect(clock.now - started < .seconds(5))
        // The same pattern on a subject that matches quickly is fine under the same limit.
        #expect(try matches(regex, in: Array("aaaa".utf8), limits: MatchLimits(matchLimit: 10_000, interpreterMatchLimit: 10_000)) == [0..<4])
    }

    @Test("the depth limit stops the interpreter")
    func depthLimit() throws {
        let regex = try Regex("(a|b)*c", jit: .never)
        // The 'c' at the end defeats PCRE2's required-character shortcut, so the interpreter really recurses.
        let subject = Array((String(repeating: "ab", count: 5_000) + "xc").utf8)
        let error = #expect(throws: PCRE2Error.self) { try matches(regex, in: subject, limits: MatchLimits(depthLimit: 100)) }
        #expect(error?.isResourceLimit == true)
        #expect(error?.message == "matching depth limit exceeded")
    }

    @Test("empty subject", arguments: [
        ("^$", [0..<0]), ("a*", [0..<0]), ("a", []), (#"\z"#, [0..<0]), ("(?<=a)", []),
    ] as [(String, [Range<Int>])])
    func emptySubject(pattern: String, expected: [Range<Int>]) throws {
        for jit in [JITChoice.never, .always] {
            let regex = try Regex(pattern, jit: jit)
            #expect(try matches(regex, in: [], limits: MatchLimits()) == expected)
            // An empty buffer with no base address at all.
            let scratch = MatchScratch(captureCapacity: 1)
            let matched = try regex.firstMatch(in: UnsafeBufferPointer(start: nil, count: 0), from: 0, scratch: scratch)
            #expect(matched == !expected.isEmpty)
        }
    }

    @Test("the scratch pool reuses scratch, keeps a bounded number, and hands each to one user")
    func scratchPool() throws {
        let pool = MatchScratchPool(captureCapacity: 2, keep: 2)
        var first: MatchScratchLease? = pool.lease()
        let reused = ObjectIdentifier(first!.scratch)
        #expect(pool.idleCount == 0)
        first = nil
        #expect(pool.idleCount == 1, "a released lease returns its scratch")
        let again = pool.lease()
        #expect(ObjectIdentifier(again.scratch) == reused)
        var held = (0..<4).map { _ in pool.lease() }
        #expect(Set(held.map { ObjectIdentifier($0.scratch) } + [reused]).count == 5, "no scratch lent twice at once")
        held.removeAll()
        #expect(pool.idleCount == 2, "at most `keep` stay idle")
        // Leased and released from many threads at once, each lease still matches correctly.
        let regex = try Regex("(b+)c", jit: .always)
        let subject = Array("aabbbc".utf8)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            let lease = pool.lease()
            let matched = try? subject.withUnsafeBufferPointer { try regex.firstMatch(in: $0, from: 0, scratch: lease.scratch) }
            #expect(matched == true && lease.scratch.range(of: 1) == 2..<5)
        }
        #expect(pool.idleCount == 2)
    }
}
