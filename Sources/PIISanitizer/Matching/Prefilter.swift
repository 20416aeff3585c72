#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pattern's declared prefilter: cheap byte scans that find every line where the pattern could
/// produce a finding, so that the regex runs on those lines only.
///
/// The contract a pattern file accepts by declaring one (the built-in set is checked by a test
/// that compares the prefiltered scan with the full scan): every finding the pattern can accept
/// lies within one line, look-arounds included, and contains a candidate of at least one rule.
/// A line with a candidate is searched from its start exactly as the full scan would search it,
/// so the prefilter decides only *which* lines run, never *what* matches in them.
///
/// A class, like `CompiledPattern`: the scan reads every pattern's prefilter for every buffer
/// (each JSON string value), and a struct was copied there with a retain per array.
final class Prefilter: Sendable {
    /// One cheap necessary condition.
    enum Rule: Sendable, Equatable {
        /// An ASCII literal, matched ignoring ASCII case.
        case literal([UInt8])
        /// A run of units (digits, hex digits, or uppercase letters and digits) joined by short
        /// separator sequences.
        case run(Run)
    }

    /// Units joined by separator sequences of at most `maxGap` bytes; a run qualifies when its
    /// unit and group counts are within bounds. Runs never cross a line (no separator is `\n`).
    struct Run: Sendable, Equatable {
        enum Unit: String, Sendable, CaseIterable {
            case digit, hex
            /// `A-Z` and `0-9`: IBANs, and other uppercase codes.
            case upperAlnum = "upper_alnum"
        }
        var unit: Unit
        var separators: [UInt8]
        var maxGap = 1
        var minUnits = 1
        /// With a bound, the whole run must fit it: for patterns whose look-arounds make a match
        /// the entire run (a MAC address is exactly 12 hex digits between non-hex bytes).
        var maxUnits: Int?
        var minGroups = 1
    }

    let rules: [Rule]
    /// Per byte: bit 0 set for a unit and bit 1 for a separator of each `run` rule, in rule order.
    private let classes: [[UInt8]]

    init(rules: [Rule]) {
        self.rules = rules
        classes = rules.map { rule in
            var table = [UInt8](repeating: 0, count: 256)
            if case let .run(run) = rule {
                for b in 0..<256 where Self.isUnit(UInt8(b), run.unit) { table[b] = 1 }
                for s in run.separators { table[Int(s)] = 2 }
            }
            return table
        }
    }

    /// What a short buffer must hold for any rule to find a candidate, decided from a
    /// `ByteSummary` without scanning: a literal's first byte, or as many unit bytes as a
    /// qualifying run needs. No references, so the scan loop reads it without retaining.
    struct Quick: Sendable {
        /// The first byte of each literal rule, in both cases: bit `b % 64` of word `b / 64`.
        var firstBytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var minDigits = Int.max
        var minHex = Int.max
        var minUpperAlnum = Int.max

        /// Admits every buffer: for patterns without a prefilter.
        static let always = Quick(firstBytes: (~0, ~0, ~0, ~0), minDigits: 0, minHex: 0, minUpperAlnum: 0)

        func admits(_ summary: ByteSummary) -> Bool {
            summary.digits >= minDigits || summary.hex >= minHex || summary.digits + summary.upper >= minUpperAlnum
                || (firstBytes.0 & summary.present.0) | (firstBytes.1 & summary.present.1)
                | (firstBytes.2 & summary.present.2) | (firstBytes.3 & summary.present.3) != 0
        }
    }

    /// The bytes present in a buffer and its counts of digits, hex digits and uppercase letters: one pass that lets
    /// `Quick` rule out most patterns for a short buffer (a JSON string value) at once.
    struct ByteSummary {
        var present: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var digits = 0
        var hex = 0
        var upper = 0

        init(_ buffer: UnsafeBufferPointer<UInt8>) {
            // Branch-free per byte: a bit in one of four words, and class counts from a table.
            var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            var counts = 0  // digits, hex letters and uppercase letters in three 21-bit fields
            withUnsafeMutableBytes(of: &words) { raw in
                let w = raw.bindMemory(to: UInt64.self)
                Self.classCounts.withUnsafeBufferPointer { table in
                    for b in buffer {
                        w[Int(b >> 6)] |= 1 << UInt64(b & 63)
                        counts &+= Int(table[Int(b)])
                    }
                }
            }
            present = words
            digits = counts & 0x1F_FFFF
            hex = digits + (counts >> 21) & 0x1F_FFFF
            upper = counts >> 42
        }

        /// Per byte, what it adds to the packed counts: 1 for a digit, 1 << 21 for `a-f`/`A-F`,
        /// 1 << 42 for `A-Z` (summarized buffers are short, so no field overflows).
        private static let classCounts: [Int] = (0..<256).map { b in
            let b = UInt8(b)
            var c = 0
            if b &- 0x30 < 10 { c += 1 }
            if (b | 0x20) &- 0x61 < 6 { c += 1 << 21 }
            if b &- 0x41 < 26 { c += 1 << 42 }
            return c
        }
    }

    /// The quick test for these rules: a candidate of a literal rule holds its first byte, and a
    /// qualifying run at least `max(minUnits, minGroups)` unit bytes.
    var quick: Quick {
        var q = Quick()
        func mark(_ b: UInt8) {
            let bit = UInt64(1) << (b & 63)
            switch b >> 6 {
            case 0: q.firstBytes.0 |= bit
            case 1: q.firstBytes.1 |= bit
            case 2: q.firstBytes.2 |= bit
            default: q.firstBytes.3 |= bit
            }
        }
        for rule in rules {
            switch rule {
            case let .literal(bytes):
                // Matched ignoring ASCII case.
                let first = KeywordScanner.lower(bytes[0])
                mark(first)
                if first &- 0x61 < 26 { mark(first - 0x20) }
            case let .run(run):
                let units = max(run.minUnits, run.minGroups)
                switch run.unit {
                case .digit: q.minDigits = min(q.minDigits, units)
                case .hex: q.minHex = min(q.minHex, units)
                case .upperAlnum: q.minUpperAlnum = min(q.minUpperAlnum, units)
                }
            }
        }
        return q
    }

    /// The fewest unit and separator bytes a qualifying run of `rule` spans.
    static func span(of rule: Run) -> Int { max(rule.minUnits, rule.minGroups) + rule.minGroups - 1 }

    /// Whether every rule is a run of digits: such prefilters share one pass over a buffer
    /// (`PatternSet.collectDigitRunHits`).
    var isDigitRuns: Bool {
        rules.allSatisfy { if case let .run(run) = $0 { run.unit == .digit } else { false } }
    }

    /// The first candidate of any rule in `p[from..<to]`, a stretch that no rule's run can
    /// extend past: `from` is 0 or follows, and `to` is the buffer's end or is, a byte that is
    /// neither a unit nor a separator of any rule.
    func firstCandidate(inStretch p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var best: Int?
        for k in rules.indices {
            guard case let .run(run) = rules[k] else { continue }
            let hit = classes[k].withUnsafeBufferPointer { Self.runs(run, classes: $0, p, from: from, to: to) }
            if let hit, hit < best ?? Int.max { best = hit }
        }
        return best
    }

    static func isUnit(_ b: UInt8, _ unit: Run.Unit) -> Bool {
        switch unit {
        case .digit: b &- 0x30 < 10
        case .hex: b &- 0x30 < 10 || (b | 0x20) &- 0x61 < 6
        case .upperAlnum: b &- 0x30 < 10 || b &- 0x41 < 26
        }
    }

    /// The offset of the first candidate of any rule at or after `from`, or nil.
    /// - Complexity: O(n) over the bytes searched, for each rule.
    func firstCandidate(in buffer: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var best: Int?
        for k in rules.indices {
            if let hit = next(k, in: buffer, from: from, to: best ?? buffer.count) { best = hit }
        }
        return best
    }

    /// Calls `body` with candidates in increasing order; `body` returns the offset from which to
    /// continue (past the candidate's line).
    ///
    /// With several rules, each remembers its next hit, so a rule that finds nothing more is not
    /// searched again for every candidate of another (which would be quadratic in the block).
    /// - Complexity: O(n) for each rule, plus `body`.
    func forEachCandidate(in buffer: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Int) {
        if rules.count == 1 {
            var from = 0
            while from < buffer.count, let hit = next(0, in: buffer, from: from, to: buffer.count) { from = body(hit) }
            return
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: rules.count) { nextHit in
            // -2: not searched yet; -1: no more hits; otherwise the offset of the rule's next hit.
            nextHit.initialize(repeating: -2)
            var from = 0
            while from < buffer.count {
                var best = Int.max
                for k in rules.indices where nextHit[k] != -1 {
                    if nextHit[k] < from { nextHit[k] = next(k, in: buffer, from: from, to: buffer.count) ?? -1 }
                    if nextHit[k] >= 0, nextHit[k] < best { best = nextHit[k] }
                }
                if best == Int.max { return }
                from = body(best)
            }
        }
    }

    /// The first candidate of rule `k` starting in `from..<to`.
    private func next(_ k: Int, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        switch rules[k] {
        case let .literal(bytes): Self.literal(bytes, in: buffer, from: from, to: to)
        case let .run(run): classes[k].withUnsafeBufferPointer { Self.run(run, classes: $0, in: buffer, from: from, to: to) }
        }
    }

    /// The first occurrence of `needle` (ASCII, any case) starting in `from..<to`.
    private static func literal(_ needle: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard let base = buffer.baseAddress, from < to else { return nil }
        let n = buffer.count
        let first = KeywordScanner.lower(needle[0])
        let caseless = first &- 0x61 < 26
        var at = from
        while at < to {
            if caseless {
                while at < to, KeywordScanner.lower(base[at]) != first { at += 1 }
                if at == to { return nil }
            } else {
                // memchr finds candidates at memory speed.
                guard let hit = memchr(base + at, Int32(first), to - at) else { return nil }
                at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            }
            if at + needle.count <= n {
                var j = 1
                while j < needle.count, KeywordScanner.lower(base[at + j]) == needle[j] { j += 1 }
                if j == needle.count { return at }
            }
            at += 1
        }
        return nil
    }

    /// The start of the first qualifying run that starts in `from..<to`; `from` is 0 or a line start.
    ///
    /// A qualifying run spans at least `span` unit or separator bytes, so the search tests the
    /// last byte of each `span`-byte window first and skips the whole window when it cannot be
    /// part of a run (the Boyer-Moore-Horspool idea on byte classes); only stretches of unit and
    /// separator bytes that long are analyzed.
    private static func run(
        _ rule: Run, classes: UnsafeBufferPointer<UInt8>, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int
    ) -> Int? {
        guard let p = buffer.baseAddress else { return nil }
        let n = buffer.count
        let span = Self.span(of: rule)
        var i = from
        while i < to, i + span <= n {
            // Is every byte of the window [i, i + span) a unit or a separator? Look from its end.
            var j = i + span - 1
            while j >= i, classes[Int(p[j])] != 0 { j -= 1 }
            if j >= i {
                i = j + 1
                continue
            }
            // The stretch holding the window starts at `i` (the byte before is not a unit or
            // separator, or is before `from`, a line start); find where it ends.
            var end = i + span
            while end < n, classes[Int(p[end])] != 0 { end += 1 }
            if let hit = runs(rule, classes: classes, p, from: i, to: end), hit < to { return hit }
            i = end + 1
        }
        return nil
    }

    /// The first qualifying run in the stretch `from..<to` of unit and separator bytes.
    private static func runs(
        _ rule: Run, classes: UnsafeBufferPointer<UInt8>, _ p: UnsafePointer<UInt8>, from: Int, to n: Int
    ) -> Int? {
        var i = from
        while i < n {
            guard classes[Int(p[i])] == 1 else {
                i += 1
                continue
            }
            let start = i
            var units = 0, groups = 0
            while true {
                while i < n, classes[Int(p[i])] == 1 {
                    units += 1
                    i += 1
                }
                groups += 1
                if rule.maxUnits == nil, units >= rule.minUnits, groups >= rule.minGroups { return start }
                var j = i
                while j < n, j - i <= rule.maxGap, classes[Int(p[j])] == 2 { j += 1 }
                guard j > i, j - i <= rule.maxGap, j < n, classes[Int(p[j])] == 1 else { break }
                i = j
            }
            if let maxUnits = rule.maxUnits, units >= rule.minUnits, units <= maxUnits, groups >= rule.minGroups {
                return start
            }
        }
        return nil
    }
}
