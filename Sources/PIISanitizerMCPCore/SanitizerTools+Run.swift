import PIISanitizer

/// What a tool call produced, before a transport encodes it.
package struct ToolResult {
    /// The `text` content: the sanitized text or JSON exactly as the CLI prints it, the listing,
    /// or the error message.
    package var text: [UInt8]
    /// The `structuredContent` object as JSON bytes; nil for errors.
    package var structured: [UInt8]?
    package var isError: Bool
    /// Findings per label (never values), for the result and the audit log.
    var counts: [String: Int] = [:]

    package static func error(_ message: String) -> ToolResult {
        ToolResult(text: Array(message.utf8), structured: nil, isError: true)
    }
}

/// The call was cancelled by the client (`notifications/cancelled`); it gets no response.
package struct ToolCancelled: Error {}

extension SanitizerTools {
    /// Input is fed to the streams in blocks of this size, as the CLI reads it; cancellation is
    /// checked between blocks.
    static let blockSize = 1 << 20

    /// Runs a validated call.
    /// - Parameter isCancelled: polled between blocks of input.
    /// - Throws: `ToolCancelled` when `isCancelled` turned true.
    package func run(_ request: ToolRequest, isCancelled: () -> Bool = { false }) throws(ToolCancelled) -> ToolResult {
        let chosen: Sanitizer
        do {
            chosen = try sanitizer(labels: request.labels, operatorName: request.operatorName)
        } catch {
            return .error("\(request.tool.rawValue): \(error.description). Change `labels` or `operator` and call again.")
        }
        switch request.input {
        case let .text(bytes):
            return try sanitizeText(bytes, with: chosen, isCancelled: isCancelled)
        case let .json(bytes):
            return try sanitizeJSON(bytes, with: chosen, isCancelled: isCancelled)
        case .none:
            return listing()
        }
    }

    /// `pii-sanitize --format text`: a `TextStream` fed block by block, so the output is the CLI's.
    private func sanitizeText(_ input: [UInt8], with sanitizer: Sanitizer, isCancelled: () -> Bool) throws(ToolCancelled) -> ToolResult {
        var stream = TextStream(sanitizer: sanitizer)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var cancelled = false
        input.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                if isCancelled() { cancelled = true; return }
                let end = min(offset + Self.blockSize, raw.count)
                stream.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) { output.append(contentsOf: $0) }
                offset = end
            }
            stream.finish { output.append(contentsOf: $0) }
        }
        if cancelled { throw ToolCancelled() }
        let counts = stream.counts
        var structured: [UInt8] = []
        structured.reserveCapacity(output.count + 64)
        JSONValue.object([
            ("text", .raw(Self.stringLiteral(output))),
            ("counts", .counts(counts)),
            ("total", .int(counts.values.reduce(0, +))),
        ]).encode(into: &structured)
        return ToolResult(text: output, structured: structured, isError: false, counts: counts)
    }

    /// `pii-sanitize --format json`: a `JSONStream` fed block by block.
    private func sanitizeJSON(_ input: [UInt8], with sanitizer: Sanitizer, isCancelled: () -> Bool) throws(ToolCancelled) -> ToolResult {
        var stream = JSONStream(sanitizer: sanitizer)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var failure: (any Error)?
        var cancelled = false
        input.withUnsafeBytes { raw in
            do {
                var offset = 0
                while offset < raw.count {
                    if isCancelled() { cancelled = true; return }
                    let end = min(offset + Self.blockSize, raw.count)
                    try stream.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) { output.append(contentsOf: $0) }
                    offset = end
                }
                try stream.finish { output.append(contentsOf: $0) }
            } catch {
                failure = error
            }
        }
        if cancelled { throw ToolCancelled() }
        if let failure {
            let reason = (failure as? SanitizerError)?.description ?? "invalid JSON"
            return .error("sanitize_json: the `json` argument is not a valid JSON document (\(reason)). Pass a JSON object or array directly as `json`, or a string that holds one complete JSON document; for plain text call sanitize_text.")
        }
        let counts = stream.counts
        // `structuredContent.json` embeds the sanitized document itself (valid JSON, since the
        // input was), so clients get a value, not a string to parse again. A BOM the CLI would
        // keep is not JSON inside another document, so it stays only in the text content.
        var document = output[...]
        if document.starts(with: [0xEF, 0xBB, 0xBF]) { document = document.dropFirst(3) }
        var structured: [UInt8] = []
        structured.reserveCapacity(output.count + 64)
        JSONValue.object([
            ("json", .raw(Array(document))),
            ("counts", .counts(counts)),
            ("total", .int(counts.values.reduce(0, +))),
        ]).encode(into: &structured)
        return ToolResult(text: output, structured: structured, isError: false, counts: counts)
    }

    /// `list_pii_types`: the labels and pattern ids, each with a one-line description.
    private func listing() -> ToolResult {
        ToolResult(text: listingJSON, structured: listingJSON, isError: false)
    }

    /// The listing document; the same bytes serve as text and structured content. Built once, in
    /// `init`: it depends only on the pattern set and the options.
    static func listingJSON(sanitizer: Sanitizer, labels: [String], operatorNames: [String], maxInputBytes: Int) -> [UInt8] {
        let patterns = sanitizer.patternDescriptions.filter { $0.enabled && labels.contains($0.label) }
        let labelEntries: [JSONValue] = labels.map { label in
            let own = patterns.filter { $0.label == label }
            let description: String
            if own.count == 1, let only = own[0].description {
                description = only
            } else if !own.isEmpty {
                // Several patterns: the lead phrase of each ("International phone numbers;
                // North American numbers; …"), so the line stays one line.
                description = own.map { Self.leadPhrase($0.description ?? $0.id) }.joined(separator: "; ") + "."
            } else {
                description = "A value under a sensitive key (JSON member name, key=value text, header) that the key rules classify as \(label)."
            }
            return .object([
                ("label", .string(label)),
                ("description", .string(Self.oneLine(description))),
                ("patternIds", .array(own.map { .string($0.id) })),
            ])
        }
        let patternEntries: [JSONValue] = patterns.map {
            .object([
                ("id", .string($0.id)),
                ("label", .string($0.label)),
                ("category", .string($0.category)),
                ("description", .string(Self.oneLine($0.description ?? $0.label))),
            ])
        }
        return JSONValue.object([
            ("labels", .array(labelEntries)),
            ("patterns", .array(patternEntries)),
            ("operators", .array(operatorNames.map { .string($0) })),
            ("maxInputBytes", .int(maxInputBytes)),
        ]).bytes
    }

    /// `s` up to its first `, `, `: `, ` (`, `. ` or `; `, without leading or trailing ` .;`.
    /// Byte-wise: the separators and trimmed characters are ASCII.
    private static func leadPhrase(_ s: String) -> String {
        let bytes = Array(s.utf8)
        var end = bytes.count
        for separator in [", ", ": ", " (", ". ", "; "] {
            let (a, b) = (separator.utf8.first!, separator.utf8.last!)
            if let i = bytes.indices.dropLast().first(where: { bytes[$0] == a && bytes[$0 + 1] == b }), i < end { end = i }
        }
        let trimmed: Set<UInt8> = [0x20, 0x2E, 0x3B]  // " .;"
        var start = 0
        while start < end, trimmed.contains(bytes[start]) { start += 1 }
        while end > start, trimmed.contains(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func oneLine(_ s: String) -> String {
        String(s.split(whereSeparator: \.isNewline).first ?? "")
    }

    static func stringLiteral(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        JSONBytes.appendString(bytes, to: &out)
        return out
    }
}
