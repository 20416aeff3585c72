#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sanitizes a text stream chunk by chunk with bounded memory.
///
/// Text is processed in whole lines, so no finding is cut by a read boundary; a PEM block whose
/// `-----END` line has not arrived yet is held back until it does, up to `maxHeldBytes`. A line
/// longer than that is cut at a space where possible (and redacted by what matches in each part).
/// Placeholder numbering runs across the whole stream: it is one input.
public struct TextStream {
    let sanitizer: Sanitizer
    private var pending: [UInt8] = []
    private var workspace: Workspace
    private var context = RedactionContext()
    private var output: [UInt8] = []
    private var position = TextPosition()
    /// Set when an open private-key block had to be processed before its END line arrived: the
    /// key's remaining body lines (and its END line) are then redacted as they come (fail closed).
    private var continuingKey = false
    /// The label and pattern id of the key being continued, for the findings of its dropped lines.
    private var continuingPattern: (label: String, id: String)?
    /// How much input may be held back for an open private-key block.
    public var maxHeldBytes = 8 << 20
    /// A line longer than this (or than `maxHeldBytes`) is processed in parts, cut after a space.
    public var maxLineBytes = 1 << 20
    /// Called with each finding, with offsets into the whole stream.
    public var onFinding: ((Finding) -> Void)?
    /// How many threads search each block of lines (at least 1, the default: the calling thread
    /// only). A block is cut at line ends into up to that many parts of at least
    /// `minBytesPerThread`, searched at once and rewritten in order, so output, findings and
    /// placeholder numbers are the same for any value.
    public var threads = 1 {
        didSet {
            threads = max(1, threads)
            while helpers.count < threads - 1 { helpers.append(Workspace(set: sanitizer.set)) }
            helpers.removeLast(helpers.count - (threads - 1))
        }
    }
    /// The smallest part of a block given to a thread (64 KiB): below it, waking a thread costs
    /// more than the search it takes over.
    public var minBytesPerThread = 64 << 10
    /// Scratch for the threads other than the caller's.
    private var helpers: [Workspace] = []

    /// Findings per label so far.
    public var counts: [String: Int] { context.counts }
    /// Values redacted whole because a pattern hit a PCRE2 limit (fail closed).
    public var limitHits: Int { context.limitHits }
    /// Spans redacted whole because a pattern hit a PCRE2 limit, per pattern id (fail closed).
    public var failedClosed: [String: Int] { context.failedClosed }

    public init(sanitizer: Sanitizer) {
        self.sanitizer = sanitizer
        workspace = Workspace(set: sanitizer.set)
    }

    /// Adds input; `emit` receives sanitized output as soon as whole lines are available, in
    /// blocks of at most `maxLineBytes` (except a private-key block, held to its END line).
    public mutating func write(_ chunk: UnsafeRawBufferPointer, emit: ([UInt8]) throws -> Void) rethrows {
        let before = pending.count
        pending.append(contentsOf: chunk)
        // What is pending could not be cut before; that changes only when a line ends or the buffer
        // outgrows a limit. Checking just that keeps many small writes linear.
        func crossed(_ limit: Int) -> Bool { before <= limit && pending.count > limit }
        if !chunk.contains(UInt8(ascii: "\n")) && !crossed(min(maxLineBytes, maxHeldBytes)) && !crossed(maxHeldBytes) { return }
        while true {
            let cut = cutPoint()
            if cut == 0 { return }
            try process(upTo: cut, emit: emit)
        }
    }

    /// Ends the input; `emit` receives the rest.
    public mutating func finish(emit: ([UInt8]) throws -> Void) rethrows {
        while !pending.isEmpty {
            let cut = cutPoint()
            try process(upTo: cut == 0 ? pending.count : cut, emit: emit)
        }
    }

    /// Where the next block ends: after the last newline within the window, before an open
    /// private-key block; 0 when more input is needed.
    private func cutPoint() -> Int {
        pending.withUnsafeBufferPointer { buffer in
            let window = min(buffer.count, max(1, min(maxLineBytes, maxHeldBytes)))
            guard let lastNewline = UnsafeBufferPointer(rebasing: buffer[..<window]).lastIndex(of: UInt8(ascii: "\n")) else {
                return buffer.count > window ? Self.softCut(UnsafeBufferPointer(rebasing: buffer[..<window])) : 0
            }
            var cut = lastNewline + 1
            // Only whole lines count: an END line still arriving does not close the block.
            if let key = PrivateKeyBlocks(buffer, before: cut).firstOpen(in: buffer) {
                cut = key.hold
                if cut == 0 {
                    // The block starts with an open key: take it through its END line once that
                    // has arrived, or as it is once it is too large to hold (fail closed after).
                    if let end = Self.closingLine(in: buffer, after: key.open) { return end }
                    if buffer.count > maxHeldBytes { return buffer.count }
                }
            }
            return cut
        }
    }

    /// The offset just past the first complete line holding a key's END after `begin`, or nil.
    private static func closingLine(in buffer: UnsafeBufferPointer<UInt8>, after begin: Int) -> Int? {
        let from = markerEnd(buffer, at: begin, prefix: 10, to: buffer.count) ?? begin
        guard let end = keyEnd(in: buffer, from: from, to: buffer.count) else { return nil }
        // The pattern cannot reach an END past an invalid byte (any of 0x80 or above counts, to
        // be safe): such a block stays open, held like one without an END (`PrivateKeyBlocks`).
        if PrivateKeyBlocks.hasHighByte(buffer, from..<end) { return nil }
        let lineEnd = PatternSet.lineEnd(buffer, from: end)
        return lineEnd < buffer.count ? lineEnd + 1 : nil
    }

    /// The first `-----END…PRIVATE KEY-----` in `from..<to`, as the pattern's END reads it
    /// (`-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`): any other `-----END` does not
    /// close a key, so it may not end a held block either, or a stream would cut a truncated key
    /// where a one-shot run does not.
    static func keyEnd(in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        let end = Array("-----END".utf8)
        var at = from
        while let e = find(end, in: buffer, from: at, to: to) {
            if markerEnd(buffer, at: e, prefix: end.count, to: to) != nil { return e }
            at = e + 1
        }
        return nil
    }

    /// Where the key marker `PREFIX[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----` that starts at
    /// `at` (its `prefix`-byte `-----BEGIN` or `-----END` already found there) ends at the latest,
    /// within `to`; nil when there is none. The latest end: the marker's class holds `-`, `E`, `N`
    /// and `D`, so `-----BEGIN-----END PRIVATE KEY-----` is one BEGIN marker, not a BEGIN and an END.
    static func markerEnd(_ b: UnsafeBufferPointer<UInt8>, at: Int, prefix: Int, to: Int) -> Int? {
        func has(_ word: StaticString, at i: Int) -> Bool {
            let n = word.utf8CodeUnitCount
            guard i + n <= to else { return false }
            return (0..<n).allSatisfy { b[i + $0] == word.utf8Start[$0] }
        }
        func inClass(_ c: UInt8) -> Bool {
            c == 0x20 || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || (c &- 0x41) < 26 || (c &- 0x30) < 10
        }
        let first = at + prefix
        var latest: Int?
        var j = first
        while j <= min(to, first + 100) {
            if has("PRIVATE KEY", at: j) {
                if has(" BLOCK", at: j + 11) && has("-----", at: j + 17) { latest = j + 22 }
                else if has("-----", at: j + 11) { latest = j + 16 }
            }
            guard j < to, inClass(b[j]) else { break }
            j += 1
        }
        return latest
    }

    /// A cut for an over-long line: after the last space or tab, else everything.
    private static func softCut(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        var i = buffer.count
        while i > buffer.count / 2 {
            if buffer[i - 1] == 0x20 || buffer[i - 1] == 0x09 { return i }
            i -= 1
        }
        return buffer.count
    }

    /// The offset of the last private-key `-----BEGIN` line before `limit` with no `-----END`
    /// after it before `limit`. Other PEM blocks (certificates) are not held back.
    static func lastOpenPEM(in buffer: UnsafeBufferPointer<UInt8>, before limit: Int) -> Int? {
        let begin = Array("-----BEGIN".utf8)
        var last: (begin: Int, markerEnd: Int)?
        var from = 0
        while let b = find(begin, in: buffer, from: from, to: limit) {
            if let end = markerEnd(buffer, at: b, prefix: begin.count, to: limit) { last = (b, end) }
            from = b + begin.count
        }
        guard let last else { return nil }
        return keyEnd(in: buffer, from: last.markerEnd, to: limit) == nil ? last.begin : nil
    }

    static func find(_ needle: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = buffer.baseAddress else { return nil }
        // memchr finds candidates at memory speed; glibc's memmem is not exported to Swift.
        var at = from
        while to - at >= needle.count, let hit = memchr(base + at, Int32(needle[0]), to - at - needle.count + 1) {
            let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            if memcmp(base + offset, needle, needle.count) == 0 { return offset }
            at = offset + 1
        }
        return nil
    }

    private mutating func process(upTo cut: Int, emit: ([UInt8]) throws -> Void) rethrows {
        output.removeAll(keepingCapacity: true)
        var flushedOpenKey = false
        var skipped = 0
        if continuingKey { skipped = skipKeyBody(upTo: cut) }
        pending.withUnsafeBufferPointer { all in
            if skipped > 0 {
                // The dropped lines are the rest of one value: reported as a finding of the key's
                // pattern (its replacement was written with the block before), so every byte
                // missing from the output is accounted for.
                let start = position
                position.advance(over: UnsafeBufferPointer(rebasing: all[..<skipped]), to: skipped, base: position.byte)
                if let onFinding, let key = continuingPattern {
                    var f = Finding(label: key.label, patternID: key.id, byteRange: start.byte..<position.byte,
                                    characterRange: start.character..<position.character, failedClosed: false)
                    f.line = start.line
                    f.column = start.column
                    onFinding(f)
                }
            }
            let block = UnsafeBufferPointer(rebasing: all[skipped..<cut])
            let spans = sanitizer.redact(block, into: &output, context: &context, workspace: &workspace, helpers: &helpers,
                                         minPart: minBytesPerThread)
            // Still inside a key only if a span starting at its BEGIN ran to the end of the block:
            // a BEGIN line no pattern took (no key body after it) is text like any other.
            if let begin = Self.lastOpenPEM(in: block, before: block.count),
                let open = spans.first(where: { $0.start == begin && $0.end == block.count })
            {
                flushedOpenKey = true
                let pattern = sanitizer.set.patterns[open.winner.pattern]
                continuingPattern = (open.winner.label, pattern.id)
            }
            if let onFinding {
                for f in Sanitizer.findings(for: spans, in: block, patterns: sanitizer.set.patterns, position: &position) {
                    onFinding(f)
                }
            } else {
                position.byte += cut
            }
        }
        // Still inside a key whose body filled this whole block, or a forced flush cut one open.
        continuingKey = (continuingKey && skipped == cut) || flushedOpenKey
        pending.removeFirst(cut)
        try emit(output)
    }

    /// Drops the body lines of a key whose start was already redacted, through its END line, and
    /// counts them; returns how many bytes of `pending` were dropped.
    private mutating func skipKeyBody(upTo cut: Int) -> Int {
        var start = 0
        while start < cut {
            let end = pending[start..<cut].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? cut
            let line = pending[start..<end]
            if line.starts(with: Array("-----END".utf8)),
                pending.withUnsafeBufferPointer({ Self.markerEnd($0, at: start, prefix: 8, to: end) != nil })
            {
                // The key ends with its END line; the line break after it is ordinary text.
                continuingKey = false
                var keep = end
                if keep > start, pending[keep - 1] == 0x0A { keep -= 1 }
                if keep > start, pending[keep - 1] == 0x0D { keep -= 1 }
                return keep
            }
            let isBody = line.allSatisfy { b in
                (b &- 0x30) < 10 || ((b | 0x20) &- 0x61) < 26 || b == UInt8(ascii: "+") || b == UInt8(ascii: "/")
                    || b == UInt8(ascii: "=") || b == 0x0A || b == 0x0D
            }
            guard isBody else { break }
            start = end
        }
        continuingKey = start == cut
        return start
    }
}
