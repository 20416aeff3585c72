import Dispatch
import PCRE2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds PII and secrets in text and rewrites them, leaving every other byte as it was.
///
/// A `Sanitizer` is immutable and `Sendable`: build it once (compiling and JIT-compiling the
/// pattern set) and share it across threads. Each call uses its own scratch space.
///
/// ```swift
/// let sanitizer = try Sanitizer()
/// sanitizer.sanitize("mail bob@example.com")   // "mail [EMAIL]"
/// ```
public struct Sanitizer: Sendable {
    /// Choices that apply to every call of one sanitizer.
    public struct Options: Sendable {
        /// Redact only these labels (`EMAIL`, `PASSWORD`, …); nil for all.
        public var onlyLabels: Set<String>?
        /// Pattern ids to turn off.
        public var disabledPatterns: Set<String>
        /// One operator for every finding, overriding the pattern file.
        public var operatorOverride: RedactionOperator?
        /// The key for the `hash` operator; required when any pattern uses it.
        public var hashKey: HashKey?
        /// Use PCRE2's JIT (the default); off runs the interpreter, for tests that prove both agree.
        public var useJIT: Bool
        /// The deepest JSON nesting accepted; deeper input is an error, never a crash.
        public var maxJSONDepth: Int = 1_000
        /// Use the patterns' prefilters (the default); off runs every pattern over whole blocks,
        /// for tests that prove both agree.
        var usePrefilters = true

        public init(
            onlyLabels: Set<String>? = nil, disabledPatterns: Set<String> = [],
            operatorOverride: RedactionOperator? = nil, hashKey: HashKey? = nil, useJIT: Bool = true
        ) {
            self.onlyLabels = onlyLabels
            self.disabledPatterns = disabledPatterns
            self.operatorOverride = operatorOverride
            self.hashKey = hashKey
            self.useJIT = useJIT
        }
    }

    let set: PatternSet
    let hashKey: HashKey?
    /// The deepest JSON nesting this sanitizer accepts (`Options.maxJSONDepth`, at least 1).
    public let maxJSONDepth: Int

    /// A sanitizer with the built-in pattern set.
    /// - Throws: `SanitizerError` when an option names an unknown label or id, or the hash
    ///   operator is chosen without a key.
    public init(options: Options = Options()) throws(SanitizerError) {
        try self.init(userFile: nil, options: options)
    }

    /// A sanitizer with the pattern file at `path` (which may extend the built-in set).
    /// - Throws: `SanitizerError` naming the file, JSON Pointer and pattern id of any problem.
    public init(patternFile path: String, options: Options = Options()) throws(SanitizerError) {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw .unreadablePatternFile(file: path, reason: error.reason)
        }
        try self.init(patternFileContents: bytes, name: path, options: options)
    }

    /// A sanitizer with a pattern file held in memory; `name` is used in error messages.
    public init(patternFileContents: some Sequence<UInt8>, name: String, options: Options = Options()) throws(SanitizerError) {
        try self.init(userFile: try PatternFile(bytes: Array(patternFileContents), file: name), options: options)
    }

    private init(userFile: PatternFile?, options: Options) throws(SanitizerError) {
        let selection = PatternSet.Selection(
            onlyLabels: options.onlyLabels, disabledIDs: options.disabledPatterns,
            operatorOverride: options.operatorOverride, jit: options.useJIT ? .attempt : .never,
            prefilters: options.usePrefilters)
        set = try PatternSet(userFile: userFile, selection: selection)
        hashKey = options.hashKey
        maxJSONDepth = max(1, options.maxJSONDepth)
        if hashKey == nil, let p = set.patterns.first(where: { if case .hash = $0.operator { true } else { false } }) {
            throw .missingHashKey(reason: "pattern '\(p.id)' uses the hash operator; set a key (PII_SANITIZE_HASH_KEY or --hash-key-file)")
        }
    }

    /// Returns `text` with every finding rewritten.
    /// - Complexity: O(n) in the length of `text` for each pattern whose keywords occur in it.
    public func sanitize(_ text: String) -> String {
        sanitizeWithFindings(text).text
    }

    /// Returns the sanitized text and what was redacted (labels and positions, never values).
    public func sanitizeWithFindings(_ text: String) -> SanitizedText {
        var workspace = Workspace(set: set)
        var context = RedactionContext()
        var output: [UInt8] = []
        var findings: [Finding] = []
        var input = text
        input.withUTF8 { buffer in
            let spans = redact(buffer, into: &output, context: &context, workspace: &workspace)
            var position = TextPosition()
            findings = Self.findings(for: spans, in: buffer, patterns: set.patterns, position: &position)
        }
        return SanitizedText(text: String(decoding: output, as: UTF8.self), findings: findings)
    }

    /// Sanitizes raw bytes, which need not be valid UTF-8; invalid sequences are copied through.
    public func sanitize(bytes: some Sequence<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var workspace = Workspace(set: set)
        var context = RedactionContext()
        var output: [UInt8] = []
        input.withUnsafeBufferPointer { _ = redact($0, into: &output, context: &context, workspace: &workspace) }
        return output
    }

    /// Scans, resolves and rewrites one buffer; returns the resolved spans for reporting.
    ///
    /// With `helpers`, the buffer is searched in up to `helpers.count + 1` parts at once (one per
    /// workspace), cut at line ends as a stream may cut it, so the spans are the ones a stream
    /// reading those parts one by one would find; replacements are still written in order, with
    /// one context, so placeholder numbers and counts do not depend on the split.
    func redact(
        _ buffer: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], context: inout RedactionContext,
        workspace: inout Workspace, helpers: inout [Workspace], minPart: Int = 64 << 10
    ) -> [ResolvedSpan] {
        let redactor = Redactor(patterns: set.patterns, hashKey: hashKey)
        let parts = helpers.isEmpty ? [] : Self.parts(of: buffer, count: helpers.count + 1, minPart: minPart)
        let spans: [ResolvedSpan]
        if parts.count > 1 {
            spans = spansInParallel(buffer, parts: parts, workspace: &workspace, helpers: &helpers,
                                    limitHits: &context.limitHits, redactor: redactor)
        } else {
            spans = set.stableSpans(buffer, workspace: &workspace, limitHits: &context.limitHits, redactor: redactor)
        }
        output.reserveCapacity(output.count + buffer.count)
        redactor.apply(spans, to: buffer, output: &output, context: &context)
        return spans
    }

    func redact(
        _ buffer: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], context: inout RedactionContext,
        workspace: inout Workspace
    ) -> [ResolvedSpan] {
        var none: [Workspace] = []
        return redact(buffer, into: &output, context: &context, workspace: &workspace, helpers: &none)
    }

    /// Cuts `buffer` into up to `count` parts of similar size, each ending at a line end, except
    /// where a private-key block is still open (it may run on into the next part): the only
    /// pattern whose matches cross lines. Fewer parts when parts would be under `minPart` bytes.
    static func parts(of buffer: UnsafeBufferPointer<UInt8>, count: Int, minPart: Int) -> [Range<Int>] {
        let count = min(count, buffer.count / max(1, minPart))
        guard count > 1, let base = buffer.baseAddress else { return [] }
        var parts: [Range<Int>] = []
        var start = 0
        for k in 1..<count {
            let target = max(start, buffer.count / count * k)
            guard target < buffer.count, let hit = memchr(base + target, 0x0A, buffer.count - target) else { break }
            let cut = UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
            guard cut < buffer.count else { break }
            if TextStream.lastOpenPEM(in: UnsafeBufferPointer(rebasing: buffer[start..<cut]), before: cut - start) != nil { continue }
            parts.append(start..<cut)
            start = cut
        }
        parts.append(start..<buffer.count)
        return parts
    }

    /// The spans of each part, found on as many threads as there are parts, shifted to buffer
    /// offsets and concatenated in order.
    private func spansInParallel(
        _ buffer: UnsafeBufferPointer<UInt8>, parts: [Range<Int>], workspace: inout Workspace, helpers: inout [Workspace],
        limitHits: inout Int, redactor: Redactor
    ) -> [ResolvedSpan] {
        // Each part's spans and the limits it hit.
        var results = [(spans: [ResolvedSpan], limitHits: Int)](repeating: ([], 0), count: parts.count)
        // Safety: part 0 uses `workspace` and part k the helper k - 1, each iteration touches only
        // its own element of `results`, and `buffer` is only read meanwhile.
        withUnsafeMutablePointer(to: &workspace) { main in
            results.withUnsafeMutableBufferPointer { results in
                helpers.withUnsafeMutableBufferPointer { helpers in
                    nonisolated(unsafe) let (main, results, helpers, buffer) = (main, results, helpers, buffer)
                    DispatchQueue.concurrentPerform(iterations: parts.count) { k in
                        let part = UnsafeBufferPointer(rebasing: buffer[parts[k]])
                        let workspace = k == 0 ? main : helpers.baseAddress! + (k - 1)
                        results[k].spans = set.stableSpans(part, workspace: &workspace.pointee, limitHits: &results[k].limitHits,
                                                           redactor: redactor)
                    }
                }
            }
        }
        limitHits += results.reduce(0) { $0 + $1.limitHits }
        var spans = results[0].spans
        for k in 1..<parts.count {
            let shift = parts[k].lowerBound
            spans.append(contentsOf: results[k].spans.lazy.map { span in
                var span = span
                span.start += shift
                span.end += shift
                span.winner.start += shift
                span.winner.end += shift
                return span
            })
        }
        return spans
    }

    /// Converts resolved spans to public findings, advancing `position` (which starts at the
    /// buffer's first byte) to the end of the buffer.
    static func findings(
        for spans: [ResolvedSpan], in buffer: UnsafeBufferPointer<UInt8>, patterns: [CompiledPattern],
        position: inout TextPosition
    ) -> [Finding] {
        var findings: [Finding] = []
        let base = position.byte
        for span in spans {
            position.advance(over: buffer, to: span.start, base: base)
            let start = position
            position.advance(over: buffer, to: span.end, base: base)
            var f = Finding(
                label: span.winner.label, patternID: patterns[span.winner.pattern].id,
                byteRange: start.byte..<position.byte, characterRange: start.character..<position.character,
                failedClosed: span.winner.failClosed)
            f.line = start.line
            f.column = start.column
            findings.append(f)
        }
        position.advance(over: buffer, to: buffer.count, base: base)
        return findings
    }
}

/// A position in a text: byte and character (Unicode scalar) offsets, 1-based line and column.
struct TextPosition {
    var byte = 0
    var character = 0
    var line = 1
    var column = 1

    /// Moves to offset `to` of `buffer`, whose first byte is at `base`. A well-formed UTF-8
    /// sequence counts as one character; every byte of an ill-formed one counts as one.
    mutating func advance(over buffer: UnsafeBufferPointer<UInt8>, to offset: Int, base: Int) {
        while byte - base < offset {
            let i = byte - base
            let b = buffer[i]
            let length = Self.sequenceLength(buffer, at: i)
            byte += length
            character += 1
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
    }

    /// The length of the well-formed UTF-8 sequence at `i`, or 1 for an ill-formed byte.
    static func sequenceLength(_ buffer: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = buffer[i]
        let need: Int
        switch b {
        case 0xC2...0xDF: need = 1
        case 0xE0...0xEF: need = 2
        case 0xF0...0xF4: need = 3
        default: return 1
        }
        for k in 1...need {
            guard i + k < buffer.count, buffer[i + k] & 0xC0 == 0x80 else { return 1 }
        }
        return need + 1
    }
}

/// Per-call scratch: PCRE2 match state and reusable arrays, so hot loops do not allocate.
struct Workspace {
    /// The PCRE2 match state, leased from the pattern set's pool and returned with the last
    /// copy of this workspace.
    private let lease: MatchScratchLease
    var scratch: MatchScratch { lease.scratch }
    var keywords: KeywordScanner.State
    var raw: [RawFinding] = []
    /// Scratch for `PatternSet.stableSpans`, kept so a value with findings allocates nothing new.
    var rendered: [UInt8] = []
    var tokens: [Range<Int>] = []
    var extra: [RawFinding] = []

    init(set: PatternSet) {
        lease = set.scratchPool.lease()
        keywords = KeywordScanner.State(set.keywords)
    }
}
