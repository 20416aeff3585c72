/// Writes a buffer with its resolved spans rewritten by their operators; every other byte is copied.
struct Redactor {
    let patterns: [CompiledPattern]
    let hashKey: HashKey?

    /// Appends `buffer` to `output` with `spans` (sorted, disjoint) rewritten.
    /// - Complexity: O(buffer.count + total replacement length).
    func apply(
        _ spans: [ResolvedSpan], to buffer: UnsafeBufferPointer<UInt8>, output: inout [UInt8],
        context: inout RedactionContext
    ) {
        var copied = 0
        for span in spans {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied..<span.start]))
            let value = UnsafeBufferPointer(rebasing: buffer[span.start..<span.end])
            let pattern = patterns[span.winner.pattern]
            render(pattern.operator, label: span.winner.label, id: pattern.id, value: value, into: &output, context: &context)
            context.counts[span.winner.label, default: 0] += 1
            if span.winner.failClosed { context.failedClosed[pattern.id, default: 0] += 1 }
            copied = span.end
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied...]))
    }

    /// Appends the operator's output for one value.
    func render(
        _ op: RedactionOperator, label: String, id: String, value: UnsafeBufferPointer<UInt8>,
        into output: inout [UInt8], context: inout RedactionContext
    ) {
        switch op {
        case let .replace(template):
            if template == "[{label}]" {
                // The default template, written without building a dictionary per finding.
                output.append(UInt8(ascii: "["))
                output.append(contentsOf: label.utf8)
                output.append(UInt8(ascii: "]"))
            } else {
                substitute(template, ["{label}": label, "{id}": id], into: &output)
            }
        case let .placeholder(template):
            let n = context.placeholderNumber(label: label, value: value)
            substitute(template, ["{label}": label, "{n}": String(n)], into: &output)
        case let .hash(length):
            // Sanitizer.init refuses a hash operator without a key, so the fallback never runs;
            // it still fails closed.
            guard let hashKey else { return substitute("[{label}]", ["{label}": label], into: &output) }
            output.append(contentsOf: hashKey.token(label: label, value: value, length: length))
        case let .mask(keepLast, character):
            mask(value, keepLast: keepLast, character: character, into: &output)
        case .remove:
            break
        }
    }

    /// Appends `template` with `{label}`, `{id}` and `{n}` replaced; other braces are copied.
    private func substitute(_ template: String, _ values: [String: String], into output: inout [UInt8]) {
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output.append(contentsOf: rest[..<open].utf8)
            if let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[open...close])] {
                output.append(contentsOf: value.utf8)
                rest = rest[rest.index(after: close)...]
            } else {
                output.append(UInt8(ascii: "{"))
                rest = rest[rest.index(after: open)...]
            }
        }
        output.append(contentsOf: rest.utf8)
    }

    /// Masks letters and digits (and any non-ASCII character) but keeps ASCII separators and the
    /// last `keepLast` letters or digits.
    private func mask(_ value: UnsafeBufferPointer<UInt8>, keepLast: Int, character: Character, into output: inout [UInt8]) {
        let maskBytes = Array(String(character).utf8)
        // Find where the kept tail begins.
        var keepFrom = value.count
        var kept = 0
        while keepFrom > 0, kept < keepLast {
            let b = value[keepFrom - 1]
            if b < 0x80 && !Self.isAlphanumeric(b) { keepFrom -= 1; continue }
            if b >= 0x80 { break }  // never keep non-ASCII text: it may be a name
            kept += 1
            keepFrom -= 1
        }
        var i = 0
        while i < value.count {
            let b = value[i]
            if i >= keepFrom || (b < 0x80 && !Self.isAlphanumeric(b)) {
                output.append(b)
                i += 1
            } else {
                output.append(contentsOf: maskBytes)
                i += 1
                while i < value.count, value[i] & 0xC0 == 0x80 { i += 1 }  // one mask per character
            }
        }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b &- 0x30) < 10 || ((b | 0x20) &- 0x61) < 26
    }
}
