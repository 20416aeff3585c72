import PCRE2

extension PatternSet {
    /// Runs every pattern whose keywords occur in `buffer` and appends the accepted candidates.
    ///
    /// A pattern that hits a PCRE2 resource limit fails closed: the rest of the line it was
    /// searching is reported as one finding and `limitHits` counts the event.
    /// - Complexity: one keyword pass plus one JIT search per active pattern.
    func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, keywordState: inout KeywordScanner.State,
        into findings: inout [RawFinding], limitHits: inout Int
    ) {
        keywords.scan(buffer, state: &keywordState)
        // Lines already redacted whole: no other pattern needs to spend its limit on them, so a
        // line costs at most one limit's worth of steps however many patterns are catastrophic.
        var closedLines: Set<Int> = []
        // Which patterns run, as a bitset: those without keywords, and those with a keyword found
        // (marked from the few found keywords); in a short buffer (a JSON string value, a short
        // line), not the prefiltered ones its byte summary rules out. Only set bits are visited.
        var active = keywordState.active
        keywordState.active = []  // taken, not copied: written back below
        defer { keywordState.active = active }
        if active.count != alwaysRunWords.count { active = alwaysRunWords }
        for w in active.indices { active[w] = alwaysRunWords[w] }
        for k in keywordState.foundList {
            for i in patternsByKeyword[k] { active[i >> 6] |= 1 << UInt64(i & 63) }
        }
        if buffer.count <= Self.quickTestMaxBytes {
            let summary = Prefilter.ByteSummary(buffer)
            quickTests.withUnsafeBufferPointer { quick in
                for w in active.indices {
                    var bits = active[w]
                    while bits != 0 {
                        let bit = bits & (0 &- bits)
                        bits ^= bit
                        if !quick[w << 6 | bit.trailingZeroBitCount].admits(summary) { active[w] ^= bit }
                    }
                }
            }
        }
        // In a long buffer, the digit-run prefilters share one pass instead of one each.
        keywordState.digitRunHitsCollected = buffer.count > Self.quickTestMaxBytes && !digitRunPatterns.isEmpty
        if keywordState.digitRunHitsCollected { collectDigitRunHits(buffer, active: active, into: &keywordState.digitRunHits) }
        for w in active.indices {
            var bits = active[w]
            while bits != 0 {
                let index = w << 6 | bits.trailingZeroBitCount
                bits &= bits - 1
                scanPattern(index, in: buffer, scratch: scratch, keywordState: &keywordState, into: &findings, limitHits: &limitHits,
                            closedLines: &closedLines)
            }
        }
    }

    /// Runs pattern `index` over `buffer`: on its keyword lines, on its prefilter's candidate
    /// lines, or over the whole buffer.
    private func scanPattern(
        _ index: Int, in buffer: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, keywordState: inout KeywordScanner.State,
        into findings: inout [RawFinding], limitHits: inout Int, closedLines: inout Set<Int>
    ) {
        let pattern = patterns[index]
        if pattern.keyGroup != nil && !pattern.keywordIDs.isEmpty {
            // Key-value patterns start with a wide class, so PCRE2 would try almost every
            // position; their matches never span lines, so they run only on the lines that
            // hold one of their keywords.
            scanLinesWithKeywords(
                index, in: buffer, scratch: scratch, keywordState: &keywordState, into: &findings, limitHits: &limitHits,
                closedLines: &closedLines)
            return
        }
        if keywordState.digitRunHitsCollected, digitRunSlots[index] >= 0 {
            var from = 0
            for hit in keywordState.digitRunHits[digitRunSlots[index]] where hit >= from {
                from = searchCandidateLine(index, at: hit, in: buffer, scratch: scratch, into: &findings, limitHits: &limitHits,
                                           closedLines: &closedLines)
            }
            return
        }
        if let prefilter = pattern.prefilter {
            scanCandidateLines(index, prefilter, in: buffer, scratch: scratch, into: &findings, limitHits: &limitHits, closedLines: &closedLines)
            return
        }
        let stoppedAt = run(index, on: buffer, base: 0, scratch: scratch, into: &findings)
        guard let stoppedAt else { return }
        // A limit was hit somewhere after `stoppedAt`: search the rest line by line, so that only
        // the lines the pattern cannot decide are redacted whole.
        var lineStart = Self.lineStart(buffer, before: stoppedAt)
        while lineStart < buffer.count {
            let end = Self.lineEnd(buffer, from: lineStart)
            let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<end])
            if !closedLines.contains(lineStart), run(index, on: line, base: lineStart, scratch: scratch, into: &findings) != nil {
                findings.append(RawFinding(start: lineStart, end: end, pattern: index, label: pattern.label, failClosed: true))
                closedLines.insert(lineStart)
                limitHits += 1
            }
            lineStart = end + 1
        }
    }

    /// Up to this size a buffer is summarized for the prefilters' quick tests; in larger ones
    /// nearly every test passes, and the summary would cost a pass for nothing.
    static let quickTestMaxBytes = 1024

    /// Runs pattern `index` on each line of `buffer` that holds one of its keywords; a line where
    /// the pattern hits a limit is redacted whole (fail closed).
    private func scanLinesWithKeywords(
        _ index: Int, in buffer: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, keywordState state: inout KeywordScanner.State,
        into findings: inout [RawFinding], limitHits: inout Int, closedLines: inout Set<Int>
    ) {
        let pattern = patterns[index]
        if state.occurrencesGroup != keywordGroups[index] {
            state.occurrences.removeAll(keepingCapacity: true)
            if state.occurrences.capacity < 64 { state.occurrences.reserveCapacity(64) }
            var from = 0
            while let hit = keywords.firstOccurrence(of: keywordTables[index], in: buffer, from: from) {
                state.occurrences.append(hit)
                from = hit + 1
            }
            state.occurrencesGroup = keywordGroups[index]
        }
        var next = 0
        while next < state.occurrences.count {
            let hit = state.occurrences[next]
            let start = Self.lineStart(buffer, before: hit), end = Self.lineEnd(buffer, from: hit)
            var past = next + 1
            while past < state.occurrences.count, state.occurrences[past] < end { past += 1 }
            // The subject ends with the line (so `$` and look-aheads see its end) but starts with
            // the buffer, so look-behinds see what precedes the line.
            let subject = UnsafeBufferPointer(rebasing: buffer[..<end])
            let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
            let stopped = if closedLines.contains(start) {
                nil as Int?
            } else if let anchored = pattern.anchored, let matchStart = pattern.spec.matchStart,
                !line.contains(where: { $0 >= 0x80 })
            {
                state.occurrences.withUnsafeBufferPointer { all in
                    runAnchored(index, anchored, matchStart, on: subject, from: start,
                                keywordsAt: UnsafeBufferPointer(rebasing: all[next..<past]), scratch: scratch, into: &findings)
                }
            } else {
                run(index, on: subject, base: 0, from: start, scratch: scratch, into: &findings)
            }
            if stopped != nil {
                findings.append(RawFinding(start: start, end: end, pattern: index, label: pattern.label, failClosed: true))
                closedLines.insert(start)
                limitHits += 1
            }
            next = past
        }
    }

    /// Finds in `subject` from `from` what `run` finds, trying only the starts `matchStart`
    /// allows (`keywordsAt`: every keyword occurrence in the line, in order): the first byte of each word holding a keyword (at most `maxKeywordOffset` before
    /// it). A search from `p` finds the leftmost match starting at or after `p`, and every match
    /// starts at such a word, so trying those starts in order, anchored, finds the same matches.
    /// Only for ASCII subjects: with PCRE2's caseless UTF matching, non-ASCII letters (K, ſ) can
    /// stand in for keyword letters that the ASCII keyword scan does not see.
    /// - Returns: nil when the search completed, or the offset where it gave up on a resource limit.
    private func runAnchored(
        _ index: Int, _ anchored: Regex, _ matchStart: MatchStart, on subject: UnsafeBufferPointer<UInt8>, from: Int,
        keywordsAt: UnsafeBufferPointer<Int>, scratch: MatchScratch, into findings: inout [RawFinding]
    ) -> Int? {
        var position = from  // where the equivalent unanchored search would continue
        var lastTried = -1
        for k in keywordsAt {
            var start = k
            while start > 0, k - start <= matchStart.maxKeywordOffset, matchStart.wordBytes[Int(subject[start - 1])] { start -= 1 }
            if start >= position, start > lastTried, k - start <= matchStart.maxKeywordOffset {
                lastTried = start
                let matched: Bool
                do {
                    matched = try anchored.firstMatch(in: subject, from: start, scratch: scratch)
                } catch {
                    return start
                }
                if matched, let whole = scratch.range(of: 0) {
                    position = whole.isEmpty ? Self.nextScalar(subject, after: whole.lowerBound) : whole.upperBound
                    record(index, in: subject, base: 0, scratch: scratch, into: &findings)
                }
            }
        }
        return nil
    }

    /// Runs pattern `index` on each line of `buffer` holding a candidate of its prefilter; a line
    /// where the pattern hits a limit is redacted whole (fail closed).
    ///
    /// Each such line is searched from its start with everything before it visible to
    /// look-behinds and its line break visible to look-aheads, so it yields exactly what the full
    /// scan yields there; lines without a candidate hold no finding by the prefilter's contract.
    private func scanCandidateLines(
        _ index: Int, _ prefilter: Prefilter, in buffer: UnsafeBufferPointer<UInt8>, scratch: MatchScratch,
        into findings: inout [RawFinding], limitHits: inout Int, closedLines: inout Set<Int>
    ) {
        prefilter.forEachCandidate(in: buffer) { hit in
            searchCandidateLine(index, at: hit, in: buffer, scratch: scratch, into: &findings, limitHits: &limitHits,
                                closedLines: &closedLines)
        }
    }

    /// Runs pattern `index` on the line holding candidate `hit`; returns where the next line starts.
    private func searchCandidateLine(
        _ index: Int, at hit: Int, in buffer: UnsafeBufferPointer<UInt8>, scratch: MatchScratch,
        into findings: inout [RawFinding], limitHits: inout Int, closedLines: inout Set<Int>
    ) -> Int {
        let start = Self.lineStart(buffer, before: hit), end = Self.lineEnd(buffer, from: hit)
        let subject = UnsafeBufferPointer(rebasing: buffer[..<min(end + 1, buffer.count)])
        if !closedLines.contains(start), run(index, on: subject, base: 0, from: start, scratch: scratch, into: &findings) != nil {
            findings.append(RawFinding(start: start, end: end, pattern: index, label: patterns[index].label, failClosed: true))
            closedLines.insert(start)
            limitHits += 1
        }
        return end + 1
    }

    /// For each active digit-run pattern, the first candidate of its prefilter in every stretch
    /// of digits and separators (of any of their rules) that holds one, in order. A line's first
    /// candidate lies in its first stretch that holds one, so these are the candidates
    /// `Prefilter.forEachCandidate` would stop at, found in one pass: windows of `digitRunSpan`
    /// bytes are tested from their end and skipped past a byte no rule reads, so only stretches
    /// that long are analyzed.
    private func collectDigitRunHits(_ buffer: UnsafeBufferPointer<UInt8>, active: [UInt64], into hits: inout [[Int]]) {
        if hits.count != digitRunPatterns.count { hits = [[Int]](repeating: [], count: digitRunPatterns.count) }
        for slot in hits.indices { hits[slot].removeAll(keepingCapacity: true) }
        guard let p = buffer.baseAddress else { return }
        let running = digitRunPatterns.map { active[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }
        let n = buffer.count, span = digitRunSpan
        digitRunClasses.withUnsafeBufferPointer { classes in
            var i = 0
            while i + span <= n {
                var j = i + span - 1
                while j >= i, classes[Int(p[j])] != 0 { j -= 1 }
                if j >= i {
                    i = j + 1
                    continue
                }
                var digits = 0
                for k in i..<(i + span) where classes[Int(p[k])] == 1 { digits += 1 }
                var end = i + span
                while end < n, classes[Int(p[end])] != 0 {
                    if classes[Int(p[end])] == 1 { digits += 1 }
                    end += 1
                }
                for (slot, index) in digitRunPatterns.enumerated() where running[slot] {
                    // Most stretches (dates, times, short counts) are too short for most rules.
                    guard end - i >= digitRunNeeds[slot].bytes, digits >= digitRunNeeds[slot].digits else { continue }
                    if let hit = patterns[index].prefilter!.firstCandidate(inStretch: p, from: i, to: end) { hits[slot].append(hit) }
                }
                i = end + 1
            }
        }
    }

    /// Runs one pattern over `subject` (which starts at `base` in the caller's buffer) from `from`.
    /// - Returns: nil when the search completed, or the offset where it gave up on a resource limit.
    private func run(
        _ index: Int, on subject: UnsafeBufferPointer<UInt8>, base: Int, from: Int = 0, scratch: MatchScratch,
        into findings: inout [RawFinding]
    ) -> Int? {
        let pattern = patterns[index]
        var start = from
        while start <= subject.count {
            let matched: Bool
            do {
                matched = try pattern.regex.firstMatch(in: subject, from: start, scratch: scratch)
            } catch {
                return base + start
            }
            guard matched, let whole = scratch.range(of: 0) else { return nil }
            start = whole.isEmpty ? Self.nextScalar(subject, after: whole.lowerBound) : whole.upperBound
            // A candidate trimmed back to what the validator accepts (`+44 20 7946 0958 +44 …`)
            // gives the rest of the match back: the next value may start there.
            if let end = record(index, in: subject, base: base, scratch: scratch, into: &findings), end < start { start = end }
        }
        return nil
    }

    /// Appends the finding for the match in `scratch`, if the pattern's filters accept it.
    /// - Returns: where the recorded span ends in `subject`, or nil when nothing was recorded.
    @discardableResult
    private func record(
        _ index: Int, in subject: UnsafeBufferPointer<UInt8>, base: Int, scratch: MatchScratch, into findings: inout [RawFinding]
    ) -> Int? {
        let pattern = patterns[index]
        guard let span = scratch.range(of: pattern.group), !span.isEmpty,
            !insideOperatorOutput(span, in: subject, scratch: scratch)
        else { return nil }
        var label = pattern.label
        if let keyGroup = pattern.keyGroup {
            guard let key = scratch.range(of: keyGroup),
                let keyLabel = keyRules.classify(UnsafeBufferPointer(rebasing: subject[key]))
            else { return nil }
            label = keyLabel
        }
        guard let accepted = acceptedSpan(span, in: subject, pattern: pattern, scratch: scratch) else { return nil }
        findings.append(RawFinding(start: base + accepted.lowerBound, end: base + accepted.upperBound, pattern: index, label: label))
        return accepted.upperBound
    }

    /// True when `span` lies inside a token the operators wrote (`[PASSWORD:3fa4…]`), so a second
    /// pass never rewrites part of one.
    private func insideOperatorOutput(_ span: Range<Int>, in subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> Bool {
        var open = span.lowerBound
        while open > 0, span.lowerBound - open < 80 {
            let b = subject[open - 1]
            if b == UInt8(ascii: "[") { break }
            if b == UInt8(ascii: "]") || b == 0x20 || b == 0x0A { return false }
            open -= 1
        }
        guard open > 0, subject[open - 1] == UInt8(ascii: "[") else { return false }
        var close = span.upperBound
        while close < subject.count, close - span.upperBound < 80, subject[close] != UInt8(ascii: "]") {
            if subject[close] == 0x20 || subject[close] == 0x0A { return false }
            close += 1
        }
        guard close < subject.count, subject[close] == UInt8(ascii: "]") else { return false }
        let token = UnsafeBufferPointer(rebasing: subject[(open - 1)...close])
        return (try? operatorOutput.firstMatch(in: token, from: 0, scratch: scratch)) == true
    }

    /// The span to redact after the filters, or nil; with `trimTrailingGroup`, a candidate the
    /// validator rejects is retried without its last separated group until one passes.
    private func acceptedSpan(
        _ span: Range<Int>, in subject: UnsafeBufferPointer<UInt8>, pattern: CompiledPattern, scratch: MatchScratch
    ) -> Range<Int>? {
        var end = span.upperBound
        while true {
            let candidate = span.lowerBound..<end
            if accepts(UnsafeBufferPointer(rebasing: subject[candidate]), pattern: pattern, scratch: scratch) { return candidate }
            guard pattern.spec.trimTrailingGroup,
                let separator = subject[candidate].lastIndex(where: { $0 == 0x20 || $0 == UInt8(ascii: "-") }),
                separator > span.lowerBound
            else { return nil }
            end = separator
        }
    }

    /// Applies the filters after a regex match: our own output, allowlists, entropy, validator.
    private func accepts(_ span: UnsafeBufferPointer<UInt8>, pattern: CompiledPattern, scratch: MatchScratch) -> Bool {
        func matchesWhole(_ regex: Regex) -> Bool {
            // Allowlist regexes are anchored by their authors; a limit hit means "not allowed".
            (try? regex.firstMatch(in: span, from: 0, scratch: scratch)) == true
        }
        if matchesWhole(operatorOutput) { return false }
        if !globalAllowValues.isEmpty || !pattern.allowValues.isEmpty {
            let value = Array(span)
            if globalAllowValues.contains(value) || pattern.allowValues.contains(value) { return false }
        }
        if globalAllowRegexes.contains(where: matchesWhole) || pattern.allowRegexes.contains(where: matchesWhole) {
            return false
        }
        if let minEntropy = pattern.spec.minEntropy, Validators.shannonEntropy(span) < minEntropy { return false }
        if let validator = pattern.spec.validator, !validator.accepts(span) { return false }
        return true
    }

    static func lineStart(_ buffer: UnsafeBufferPointer<UInt8>, before offset: Int) -> Int {
        var i = min(offset, buffer.count)
        while i > 0, buffer[i - 1] != UInt8(ascii: "\n") { i -= 1 }
        return i
    }

    static func lineEnd(_ buffer: UnsafeBufferPointer<UInt8>, from offset: Int) -> Int {
        var i = offset
        while i < buffer.count, buffer[i] != UInt8(ascii: "\n") { i += 1 }
        return i
    }

    /// The offset of the next UTF-8 lead byte after `offset`, so a search never restarts mid-character.
    static func nextScalar(_ buffer: UnsafeBufferPointer<UInt8>, after offset: Int) -> Int {
        var i = offset + 1
        while i < buffer.count, buffer[i] & 0xC0 == 0x80 { i += 1 }
        return i
    }
}
