/// A maximal redacted region after overlaps are resolved: what the operator rewrites.
struct ResolvedSpan: Sendable {
    var start: Int
    var end: Int
    /// The winning finding (highest priority, then longest, then earliest).
    var winner: RawFinding
}

/// Resolves overlapping findings on the original text: the union of all spans is redacted (an
/// overlap decision can never leak a character), and each merged span takes the label and
/// operator of its highest-priority finding.
enum SpanResolver {
    /// - Complexity: O(n log n) for n findings.
    static func resolve(_ findings: inout [RawFinding], patterns: [CompiledPattern]) -> [ResolvedSpan] {
        if findings.isEmpty { return [] }
        findings.sort { ($0.start, $1.end) < ($1.start, $0.end) }
        var spans: [ResolvedSpan] = []
        spans.reserveCapacity(findings.count)
        for f in findings {
            if var last = spans.last, f.start < last.end {
                last.end = max(last.end, f.end)
                if beats(f, last.winner, patterns) { last.winner = f }
                spans[spans.count - 1] = last
            } else {
                spans.append(ResolvedSpan(start: f.start, end: f.end, winner: f))
            }
        }
        return spans
    }

    private static func beats(_ a: RawFinding, _ b: RawFinding, _ patterns: [CompiledPattern]) -> Bool {
        let pa = patterns[a.pattern].priority, pb = patterns[b.pattern].priority
        if pa != pb { return pa > pb }
        let la = a.end - a.start, lb = b.end - b.start
        if la != lb { return la > lb }
        return a.start < b.start
    }
}
