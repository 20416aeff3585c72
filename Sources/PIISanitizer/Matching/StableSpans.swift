/// Span resolution that already contains what a second run would find.
///
/// A redaction changes the characters next to a span, and patterns look at their neighbours:
/// in `bob@example.sakam-----BEGIN PRIVATE KEY…` the e-mail is not one while a `-` follows it,
/// but once the key is `[PRIVATE_KEY]` it is. A second run would then redact it — so the first
/// run left a value in place (a leak) and sanitizing was not idempotent. Here the spans are
/// rendered, the text around each replacement is scanned again, and what that finds is added (in
/// input coordinates), until nothing new turns up. Only text near a replacement is rescanned, and
/// only when a neighbour of the span is not a plain delimiter, so clean text costs nothing extra.
extension PatternSet {
    /// The most rounds of rendering and rescanning; each adds at least one finding, and real text
    /// settles in one. A line still growing in the last round is redacted whole (fail closed).
    static let maxStabilizingRounds = 3
    /// How far from a replacement, within its line, the rescan looks on each side.
    static let rescanReach = 4096

    /// Scans `buffer`, resolves overlaps, and extends the result until rendering it and scanning
    /// the rendered text near each replacement finds nothing new.
    /// Replacements are rendered with a fresh context each round: a placeholder's number may then
    /// differ from the final one, but not the characters around it, which are what matters here.
    func stableSpans(
        _ buffer: UnsafeBufferPointer<UInt8>, workspace: inout Workspace, limitHits: inout Int, redactor: Redactor
    ) -> [ResolvedSpan] {
        workspace.raw.removeAll(keepingCapacity: true)
        scan(buffer, scratch: workspace.scratch, keywordState: &workspace.keywords, into: &workspace.raw, limitHits: &limitHits)
        if workspace.raw.isEmpty { return [] }
        var keyBlocks: PrivateKeyBlocks?  // found once a line redacted whole needs them
        for k in workspace.raw.indices where workspace.raw[k].failClosed {
            Self.widenToKeyBlock(&workspace.raw[k], in: buffer, blocks: &keyBlocks)
        }
        var spans = SpanResolver.resolve(&workspace.raw, patterns: patterns)
        if spans.allSatisfy({ Self.isDelimited($0, in: buffer) }) { return spans }
        // Borrowed from the workspace (and given back below) so that no call allocates anew.
        var rendered = workspace.rendered, tokens = workspace.tokens, extra = workspace.extra
        workspace.rendered = []
        workspace.tokens = []
        workspace.extra = []
        defer {
            workspace.rendered = rendered
            workspace.tokens = tokens
            workspace.extra = extra
        }
        for round in 1...Self.maxStabilizingRounds {
            rendered.removeAll(keepingCapacity: true)
            tokens.removeAll(keepingCapacity: true)
            var context = RedactionContext()
            var copied = 0
            for span in spans {
                rendered.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied..<span.start]))
                let start = rendered.count
                let pattern = patterns[span.winner.pattern]
                redactor.render(pattern.operator, label: span.winner.label, id: pattern.id,
                                value: UnsafeBufferPointer(rebasing: buffer[span.start..<span.end]), into: &rendered, context: &context)
                tokens.append(start..<rendered.count)
                copied = span.end
            }
            rendered.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied...]))

            extra.removeAll(keepingCapacity: true)
            let open = tokens.indices.filter { !Self.isDelimited(spans[$0], in: buffer) }.map { tokens[$0] }
            rendered.withUnsafeBufferPointer { out in
                for window in Self.windows(around: open, in: out) {
                    let before = extra.count
                    scan(UnsafeBufferPointer(rebasing: out[window]), scratch: workspace.scratch, keywordState: &workspace.keywords,
                         into: &extra, limitHits: &limitHits)
                    for k in before..<extra.count {
                        extra[k].start += window.lowerBound
                        extra[k].end += window.lowerBound
                    }
                }
            }
            // Back to input coordinates: a position inside a replacement stands for its whole span.
            var grew = false
            var merged = spans.map { s -> RawFinding in
                var f = s.winner
                f.start = s.start
                f.end = s.end
                return f
            }
            for var f in extra {
                f.start = Self.inputOffset(of: f.start, spans: spans, tokens: tokens, isEnd: false)
                f.end = Self.inputOffset(of: f.end, spans: spans, tokens: tokens, isEnd: true)
                guard f.start < f.end else { continue }
                if f.failClosed { Self.widenToKeyBlock(&f, in: buffer, blocks: &keyBlocks) }
                if !spans.contains(where: { $0.start <= f.start && f.end <= $0.end }) {
                    grew = true
                    if round == Self.maxStabilizingRounds {
                        // Still growing in the last round (a chain of values, each revealed by
                        // the last one's replacement): the rest of the chain would only show in
                        // a later run, so the line is redacted whole (fail closed), which no
                        // later run changes.
                        f.start = PatternSet.lineStart(buffer, before: f.start)
                        f.end = PatternSet.lineEnd(buffer, from: f.end)
                        f.failClosed = true
                        Self.widenToKeyBlock(&f, in: buffer, blocks: &keyBlocks)
                    }
                }
                merged.append(f)
            }
            if !grew { break }
            spans = SpanResolver.resolve(&merged, patterns: patterns)
        }
        return spans
    }

    /// Widens `finding`, a line redacted whole (fail closed), to the private-key block it lies in
    /// (see `PrivateKeyBlocks`); `blocks` holds the buffer's markers once found.
    private static func widenToKeyBlock(_ finding: inout RawFinding, in buffer: UnsafeBufferPointer<UInt8>, blocks: inout PrivateKeyBlocks?) {
        if blocks == nil { blocks = PrivateKeyBlocks(buffer) }
        blocks!.widen(&finding, in: buffer)
    }

    /// Whether both neighbours of `span` are delimiters that no pattern reads through (tabs,
    /// line breaks, quotes, `;<>|`) or the buffer's edge: then what any pattern sees around the
    /// span is the same before and after it is rewritten, and no rescan is needed (a JSON value
    /// that is one e-mail address, a tab-separated field). `ip=10.1.2.3`, `x@y.z-----BEGIN` or
    /// `… 0958 +44 20 …` are rescanned.
    static func isDelimited(_ span: ResolvedSpan, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        (span.start == 0 || isDelimiter(buffer[span.start - 1])) && (span.end == buffer.count || isDelimiter(buffer[span.end]))
    }

    private static func isDelimiter(_ b: UInt8) -> Bool {
        switch b {
        // Not the space, comma, dot, slash or dash: patterns look through those (`(?<!\d[ ./-])`
        // keeps a phone number from starting inside a digit group). Nor parentheses: a phone
        // number may start with `(`, and its look-behind sees what precedes it
        // (`a@b.jp(609) 714-9210` holds a phone only once the address is `[EMAIL]`).
        case 0x09, 0x0A, 0x0D, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ";"),
            UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"):
            true
        default:
            false
        }
    }

    /// The lines (at most `rescanReach` bytes each side) around each replacement, merged.
    static func windows(around tokens: [Range<Int>], in out: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for token in tokens {
            var lo = token.lowerBound
            let floor = max(0, lo - rescanReach)
            while lo > floor, out[lo - 1] != 0x0A { lo -= 1 }
            var hi = token.upperBound
            let ceiling = min(out.count, hi + rescanReach)
            while hi < ceiling, out[hi] != 0x0A { hi += 1 }
            if let last = result.last, lo <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, hi)
            } else {
                result.append(lo..<hi)
            }
        }
        return result
    }

    /// Maps an offset in the rendered text to the input: text between replacements maps one to
    /// one; an offset inside (or, for an end, at the end of) a replacement maps to its span's end,
    /// and a start inside one to its span's start, so a finding that touches a replacement covers
    /// the value behind it.
    static func inputOffset(of position: Int, spans: [ResolvedSpan], tokens: [Range<Int>], isEnd: Bool) -> Int {
        // The last replacement that starts before `position` (binary search: tokens are sorted).
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tokens[mid].lowerBound < position { lo = mid + 1 } else { hi = mid }
        }
        let k = lo - 1
        guard k >= 0 else { return position }
        let token = tokens[k], span = spans[k]
        if position < token.upperBound { return isEnd ? span.end : span.start }
        if position == token.upperBound { return span.end }
        return span.end + (position - token.upperBound)
    }
}
