import Dispatch

/// Sanitizes one JSON document that arrives in chunks, with memory bounded by the largest single
/// token (and a 64 KiB look-ahead for pair objects), whatever the document size.
public struct JSONStream {
    private var rewriter: JSONRewriter
    private var pending: [UInt8] = []
    private var output: [UInt8] = []
    /// The buffer size when the last attempt consumed nothing; 0 when it made progress.
    private var stalledAt = 0

    /// Findings per label so far.
    public var counts: [String: Int] { rewriter.context.counts }
    /// Spans redacted whole because a pattern hit a PCRE2 limit, per pattern id (fail closed).
    public var failedClosed: [String: Int] { rewriter.context.failedClosed }
    /// Called with each finding (label, pattern id, JSON Pointer, positions — never the value).
    public var onFinding: ((Finding) -> Void)? {
        get { rewriter.onFinding }
        set { rewriter.onFinding = newValue }
    }

    public init(sanitizer: Sanitizer) {
        rewriter = JSONRewriter(sanitizer: sanitizer, maxDepth: sanitizer.maxJSONDepth)
    }

    /// Adds input; `emit` receives the rewritten bytes of every complete token.
    /// - Throws: `SanitizerError.invalidJSON` / `.jsonTooDeep`, or what `emit` throws.
    public mutating func write(_ chunk: UnsafeRawBufferPointer, emit: ([UInt8]) throws -> Void) throws {
        pending.append(contentsOf: chunk)
        // After a write that could consume nothing (a long token still arriving), wait until the
        // buffer has grown by half before trying again, so many small writes stay linear.
        if stalledAt > 0 && pending.count < stalledAt + max(4096, stalledAt / 2) { return }
        try run(isFinal: false, emit: emit)
    }

    /// Ends the input: an unfinished document is an error.
    public mutating func finish(emit: ([UInt8]) throws -> Void) throws {
        try run(isFinal: true, emit: emit)
    }

    private mutating func run(isFinal: Bool, emit: ([UInt8]) throws -> Void) throws {
        output.removeAll(keepingCapacity: true)
        let consumed = try pending.withUnsafeBufferPointer { buffer throws(SanitizerError) in
            try rewriter.feed(buffer, isFinal: isFinal, output: &output)
        }
        pending.removeFirst(consumed)
        stalledAt = consumed == 0 ? pending.count : 0
        if !output.isEmpty { try emit(output) }
    }
}

/// Sanitizes newline-delimited JSON line by line: each line is one document.
///
/// A line that is not valid JSON is never copied out raw: by default it is sanitized as text;
/// `report` is told its line number and the error (which never quotes content).
public struct NDJSONStream {
    /// What to do with a line that is not valid JSON.
    public enum InvalidLinePolicy: String, Sendable, CaseIterable {
        /// Sanitize it as text (the default).
        case text
        /// Drop it.
        case skip
        /// Stop with the error.
        case fail
    }

    private let sanitizer: Sanitizer
    private let policy: InvalidLinePolicy
    private let ordered: Bool
    /// The caller's thread's lines; its context holds the stream's counters.
    private var main: NDJSONLines
    /// The other threads' lines; their counters are added to `main`'s after each batch.
    private var helpers: [NDJSONLines] = []
    private var pending: [UInt8] = []
    private var lineNumber = 0
    /// Told about each invalid line: its 1-based number and the error.
    public var report: ((Int, SanitizerError) -> Void)?
    /// How many threads rewrite each batch of lines (at least 1, the default: the calling thread
    /// only). A batch is cut at line ends into up to that many parts of at least
    /// `minBytesPerThread`, each rewritten on its own thread; output, reports and findings are
    /// delivered in line order, so they are the same for any value. With a placeholder operator
    /// (numbered per distinct value across the whole input) the lines are rewritten in order on
    /// one thread.
    public var threads = 1 {
        didSet {
            threads = max(1, threads)
            while helpers.count < threads - 1 { helpers.append(NDJSONLines(sanitizer: sanitizer)) }
            helpers.removeLast(helpers.count - (threads - 1))
        }
    }
    /// The smallest part of a batch given to a thread (64 KiB).
    public var minBytesPerThread = 64 << 10

    /// Findings per label so far (lines sanitized as text included).
    public var counts: [String: Int] { main.rewriter.context.counts }
    /// Spans redacted whole because a pattern hit a PCRE2 limit, per pattern id (fail closed).
    public var failedClosed: [String: Int] { main.rewriter.context.failedClosed }
    /// Called with each finding, in line order.
    public var onFinding: ((Finding) -> Void)?

    public init(sanitizer: Sanitizer, onInvalid policy: InvalidLinePolicy = .text) {
        self.sanitizer = sanitizer
        main = NDJSONLines(sanitizer: sanitizer)
        self.policy = policy
        ordered = Self.numbersPlaceholders(sanitizer)
    }

    /// Adds input; `emit` receives the sanitized lines completed so far.
    /// - Throws: with policy `.fail`, the first invalid line's error; or what `emit` throws.
    public mutating func write(_ chunk: UnsafeRawBufferPointer, emit: ([UInt8]) throws -> Void) throws {
        let before = pending.count
        pending.append(contentsOf: chunk)
        // Only the new bytes can hold the first line end: earlier ones were searched already.
        guard let lastNewline = pending[before...].lastIndex(of: UInt8(ascii: "\n")) else { return }
        try process(upTo: lastNewline + 1, emit: emit)
    }

    /// Ends the input; a last line without a newline is processed as it is.
    public mutating func finish(emit: ([UInt8]) throws -> Void) throws {
        try process(upTo: pending.count, emit: emit)
    }

    /// Rewrites the lines in `pending[..<end]` (split among the threads), then hands out what
    /// each part produced, in order: its reports and findings in line order, then its output. With policy `.fail`, stops after
    /// the part holding the first invalid line, having written the lines before it.
    private mutating func process(upTo end: Int, emit: ([UInt8]) throws -> Void) throws {
        var consumed = 0
        defer { pending.removeFirst(consumed) }
        let context = NDJSONLines.Context(sanitizer: sanitizer, policy: policy, listening: onFinding != nil)
        let parts = threads > 1 && !ordered ? Self.parts(of: pending, upTo: end, count: threads, minPart: minBytesPerThread) : [0..<end]
        let firstLines = parts.count == 1 ? [lineNumber + 1] : Self.firstLineNumbers(of: parts, in: pending, after: lineNumber)
        pending.withUnsafeBufferPointer { all in
            if parts.count == 1 {
                main.run(all, parts[0], firstLine: firstLines[0], context)
                return
            }
            // Safety: part 0 uses `main` and part k the helper k - 1; `all` is only read meanwhile.
            withUnsafeMutablePointer(to: &main) { main in
                helpers.withUnsafeMutableBufferPointer { helpers in
                    nonisolated(unsafe) let (main, helpers, all) = (main, helpers, all)
                    DispatchQueue.concurrentPerform(iterations: parts.count) { k in
                        let lines = k == 0 ? main : helpers.baseAddress! + (k - 1)
                        lines.pointee.run(all, parts[k], firstLine: firstLines[k], context)
                    }
                }
            }
        }
        for k in parts.indices {
            let failure: SanitizerError?
            if k == 0 {
                failure = try Self.deliver(&main, report: report, onFinding: onFinding, emit: emit)
                lineNumber = main.lastLine
            } else {
                failure = try Self.deliver(&helpers[k - 1], report: report, onFinding: onFinding, emit: emit)
                lineNumber = helpers[k - 1].lastLine
                main.rewriter.context.absorb(&helpers[k - 1].rewriter.context)
            }
            if let failure {
                // The parts after the failing one are dropped with their counters.
                for h in helpers.indices { helpers[h].rewriter.context = RedactionContext() }
                consumed = k == 0 ? main.end : helpers[k - 1].end
                throw failure
            }
            consumed = parts[k].upperBound
        }
    }

    /// Hands out one part's reports and findings, as its lines produced them, then its output.
    /// - Returns: the error that stopped the part (policy `.fail`), if any.
    private static func deliver(
        _ lines: inout NDJSONLines, report: ((Int, SanitizerError) -> Void)?, onFinding: ((Finding) -> Void)?,
        emit: ([UInt8]) throws -> Void
    ) throws -> SanitizerError? {
        for event in lines.events {
            switch event {
            case let .report(line, error): report?(line, error)
            case let .finding(finding): onFinding?(finding)
            }
        }
        let failure = lines.failure
        defer { lines.reset() }
        if !lines.output.isEmpty { try emit(lines.output) }
        return failure
    }

    /// Whether the sanitizer numbers placeholders, whose numbers follow the order of the values in
    /// the whole input: then the lines are rewritten in order, on one thread.
    private static func numbersPlaceholders(_ sanitizer: Sanitizer) -> Bool {
        func numbered(_ op: RedactionOperator) -> Bool { if case .placeholder = op { true } else { false } }
        return numbered(sanitizer.set.keyRuleOperator) || sanitizer.set.patterns.contains { numbered($0.operator) }
    }

    /// `pending[..<end]` cut after line breaks into up to `count` parts of at least `minPart` bytes.
    private static func parts(of pending: [UInt8], upTo end: Int, count: Int, minPart: Int) -> [Range<Int>] {
        let count = min(count, end / max(1, minPart))
        guard count > 1 else { return [0..<end] }
        var parts: [Range<Int>] = []
        var start = 0
        for k in 1..<count {
            let target = max(start, end / count * k)
            guard let newline = pending[target..<end].firstIndex(of: UInt8(ascii: "\n")), newline + 1 < end else { break }
            parts.append(start..<(newline + 1))
            start = newline + 1
        }
        parts.append(start..<end)
        return parts
    }

    /// The number of the first line of each part, the line before the first being `last`.
    private static func firstLineNumbers(of parts: [Range<Int>], in pending: [UInt8], after last: Int) -> [Int] {
        var numbers: [Int] = []
        var line = last + 1
        for part in parts {
            numbers.append(line)
            line += pending[part].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        return numbers
    }
}

/// One thread's share of an NDJSON batch: a run of whole lines, rewritten with its own rewriter,
/// and what to hand out for them (output, reports, findings), kept until `NDJSONStream` delivers
/// them in line order.
struct NDJSONLines {
    /// What every part of a batch shares.
    struct Context: Sendable {
        let sanitizer: Sanitizer
        let policy: NDJSONStream.InvalidLinePolicy
        /// Whether findings are collected (someone listens).
        let listening: Bool
    }

    /// What a line tells the caller besides its output.
    enum Event {
        /// The line (its number) is not JSON.
        case report(Int, SanitizerError)
        case finding(Finding)
    }

    var rewriter: JSONRewriter
    private(set) var output: [UInt8] = []
    /// Reports and findings in the order the lines produced them: an invalid line's report
    /// comes before the findings of its text sanitizing, as on one thread.
    private(set) var events: [Event] = []
    /// The error of the invalid line that stopped the part (policy `.fail`).
    private(set) var failure: SanitizerError?
    /// The number of the last line rewritten (or the failing one).
    private(set) var lastLine = 0
    /// The offset in the batch just past the last line handled.
    private(set) var end = 0
    private let collector = FindingCollector()

    init(sanitizer: Sanitizer) {
        rewriter = JSONRewriter(sanitizer: sanitizer, maxDepth: sanitizer.maxJSONDepth)
    }

    /// Forgets what was delivered, keeping the buffers and the counters.
    mutating func reset() {
        output.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        failure = nil
    }

    /// Rewrites the lines of `all[range]`, the first numbered `firstLine`.
    mutating func run(_ all: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, firstLine: Int, _ context: Context) {
        var start = range.lowerBound
        var number = firstLine
        defer { end = start }
        while start < range.upperBound {
            let rest = UnsafeBufferPointer(rebasing: all[start..<range.upperBound])
            let lineEnd = rest.firstIndex(of: UInt8(ascii: "\n")).map { start + $0 }
            let stop = lineEnd ?? range.upperBound
            lastLine = number
            let kept = line(UnsafeBufferPointer(rebasing: all[start..<stop]), number: number, context)
            if kept, let lineEnd { output.append(all[lineEnd]) }
            start = stop + (lineEnd == nil ? 0 : 1)
            if failure != nil { return }
            number += 1
        }
    }

    /// Rewrites one line into `output`. A line that is not JSON leaves no trace of the attempt
    /// (no output, counts or findings) before the policy applies.
    /// - Returns: false when the line was skipped (or stopped the part), so its line break is dropped too.
    private mutating func line(_ line: UnsafeBufferPointer<UInt8>, number: Int, _ context: Context) -> Bool {
        // A blank line is kept as it is.
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            output.append(contentsOf: line)
            return true
        }
        let mark = output.count
        let saved = rewriter.context
        rewriter.reset(line: number)
        if context.listening {
            // A line's findings count only once it is known to be JSON.
            if rewriter.onFinding == nil {
                let collector = collector
                rewriter.onFinding = { collector.findings.append($0) }
            }
            collector.findings.removeAll(keepingCapacity: true)
        }
        do throws(SanitizerError) {
            _ = try rewriter.feed(line, isFinal: true, output: &output)
            for finding in collector.findings { events.append(.finding(finding)) }
            return true
        } catch {
            output.removeSubrange(mark...)
            rewriter.context = saved
            events.append(.report(number, error))
            switch context.policy {
            case .fail:
                failure = error
                return false
            case .skip:
                return false
            case .text:
                let spans = context.sanitizer.redact(line, into: &output, context: &rewriter.context, workspace: &rewriter.workspace)
                if context.listening {
                    var position = TextPosition(byte: 0, character: 0, line: number, column: 1)
                    for finding in Sanitizer.findings(for: spans, in: line, patterns: context.sanitizer.set.patterns, position: &position) {
                        events.append(.finding(finding))
                    }
                }
                return true
            }
        }
    }
}

/// The kinds of input the CLI and the MCP adapter tell apart.
public enum InputFormat: String, Sendable, CaseIterable {
    case text, json, ndjson

    /// Guesses the format from the start of the input: text unless the first non-blank byte opens
    /// an object or array; NDJSON when the first line is a whole JSON value and more follows.
    /// - Parameter prefix: the first bytes of the input (at least its first line when possible).
    public static func detect(_ prefix: [UInt8], sanitizer: Sanitizer) -> InputFormat {
        var start = prefix.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < prefix.count, [0x20, 0x09, 0x0A, 0x0D].contains(prefix[start]) { start += 1 }
        guard start < prefix.count, prefix[start] == UInt8(ascii: "{") || prefix[start] == UInt8(ascii: "[") else { return .text }
        let newline = prefix[start...].firstIndex(of: UInt8(ascii: "\n")) ?? prefix.count
        // The first line must be JSON so far (complete, or a valid beginning of a pretty-printed
        // document); `[2024-05-14 10:22:31] INFO …` is a log line.
        var rewriter = JSONRewriter(sanitizer: sanitizer, maxDepth: sanitizer.maxJSONDepth)
        var scratch: [UInt8] = []
        let valid = prefix.withUnsafeBufferPointer { all in
            (try? rewriter.feed(UnsafeBufferPointer(rebasing: all[start..<newline]), isFinal: false, output: &scratch)) != nil
        }
        guard valid else { return .text }
        let complete = rewriter.finishedValue && rewriter.depth == 0
        let more = newline < prefix.count && prefix[(newline + 1)...].contains { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return complete && more ? .ndjson : .json
    }
}
