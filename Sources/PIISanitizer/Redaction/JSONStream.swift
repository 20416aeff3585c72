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
    private var rewriter: JSONRewriter
    private let policy: InvalidLinePolicy
    private var pending: [UInt8] = []
    private var output: [UInt8] = []
    private var lineNumber = 0
    /// Told about each invalid line: its 1-based number and the error.
    public var report: ((Int, SanitizerError) -> Void)?

    /// Findings per label so far (lines sanitized as text included).
    public var counts: [String: Int] { rewriter.context.counts }
    /// Spans redacted whole because a pattern hit a PCRE2 limit, per pattern id (fail closed).
    public var failedClosed: [String: Int] { rewriter.context.failedClosed }
    /// Called with each finding in a JSON line.
    public var onFinding: ((Finding) -> Void)? {
        get { rewriter.onFinding }
        set { rewriter.onFinding = newValue }
    }

    public init(sanitizer: Sanitizer, onInvalid policy: InvalidLinePolicy = .text) {
        self.sanitizer = sanitizer
        rewriter = JSONRewriter(sanitizer: sanitizer, maxDepth: sanitizer.maxJSONDepth)
        self.policy = policy
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

    private mutating func process(upTo end: Int, emit: ([UInt8]) throws -> Void) throws {
        output.removeAll(keepingCapacity: true)
        var start = 0
        defer { pending.removeFirst(start) }
        while start < end {
            let newline = pending[start..<end].firstIndex(of: UInt8(ascii: "\n"))
            let lineEnd = newline ?? end
            lineNumber += 1
            do {
                if try line(start..<lineEnd), let newline { output.append(pending[newline]) }
            } catch {
                // Lines before the failing one are complete: write them, then stop.
                if !output.isEmpty { try emit(output) }
                start = lineEnd + (newline == nil ? 0 : 1)
                throw error
            }
            start = lineEnd + (newline == nil ? 0 : 1)
        }
        if !output.isEmpty { try emit(output) }
    }

    /// Rewrites one line into `output`. A line that is not JSON leaves no trace of the attempt
    /// (no output, counts or findings) before the policy applies.
    /// - Returns: false when the line was skipped, so its line break is dropped too.
    private mutating func line(_ range: Range<Int>) throws -> Bool {
        let mark = output.count
        let saved = rewriter.context
        rewriter.reset(line: lineNumber)
        var failure: SanitizerError?
        let forward = rewriter.onFinding
        // Only when someone listens: a collector is an allocation per line.
        let collector: FindingCollector? = forward != nil ? FindingCollector() : nil
        if let collector { rewriter.onFinding = { collector.findings.append($0) } }
        defer { rewriter.onFinding = forward }
        pending.withUnsafeBufferPointer { all in
            let line = UnsafeBufferPointer(rebasing: all[range])
            // A blank line is kept as it is.
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                output.append(contentsOf: line)
                return
            }
            do throws(SanitizerError) {
                _ = try rewriter.feed(line, isFinal: true, output: &output)
            } catch {
                failure = error
            }
        }
        guard let failure else {
            if let forward, let collector { collector.findings.forEach(forward) }
            return true
        }
        output.removeSubrange(mark...)
        rewriter.context = saved
        report?(lineNumber, failure)
        switch policy {
        case .fail:
            throw failure
        case .skip:
            return false
        case .text:
            pending.withUnsafeBufferPointer { all in
                let line = UnsafeBufferPointer(rebasing: all[range])
                let spans = sanitizer.redact(line, into: &output, context: &rewriter.context, workspace: &rewriter.workspace)
                if let forward {
                    var position = TextPosition(byte: 0, character: 0, line: lineNumber, column: 1)
                    Sanitizer.findings(for: spans, in: line, patterns: sanitizer.set.patterns, position: &position).forEach(forward)
                }
            }
            return true
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
