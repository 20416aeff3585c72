extension JSONRewriter {
    /// Rewrites one string value (`raw` is the content between the quotes, starting at absolute
    /// offset `at`) and appends it with its quotes.
    mutating func stringValue(_ raw: UnsafeBufferPointer<UInt8>, label: String?, output: inout [UInt8], at: Int) {
        output.append(UInt8(ascii: "\""))
        defer { output.append(UInt8(ascii: "\"")) }
        if raw.isEmpty { return }
        text.decode(raw)
        if let label {
            if isOperatorOutput() {
                output.append(contentsOf: raw)
            } else {
                let decoded = text.bytes
                decoded.withUnsafeBufferPointer { keyRuleRedaction($0, label: label, rawLength: raw.count, output: &output, at: at) }
            }
            return
        }
        if embeddingBudget > 0, let nested = rewriteEmbeddedJSON() {
            JSONStringBuffer.escape(nested, into: &output)
            return
        }
        workspace.raw.removeAll(keepingCapacity: true)
        var limitHits = 0
        text.bytes.withUnsafeBufferPointer { decoded in
            set.scan(decoded, scratch: workspace.scratch, found: &workspace.found, into: &workspace.raw, limitHits: &limitHits)
        }
        context.limitHits += limitHits
        if workspace.raw.isEmpty {
            output.append(contentsOf: raw)
            return
        }
        let spans = SpanResolver.resolve(&workspace.raw, patterns: set.patterns)
        var copied = 0
        var replacement: [UInt8] = []
        for span in spans {
            let rawSpan = text.rawRange(span.start..<span.end)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: raw[copied..<rawSpan.lowerBound]))
            replacement.removeAll(keepingCapacity: true)
            let pattern = set.patterns[span.winner.pattern]
            text.bytes.withUnsafeBufferPointer { decoded in
                redactor.render(pattern.operator, label: span.winner.label, id: pattern.id,
                                value: UnsafeBufferPointer(rebasing: decoded[span.start..<span.end]), into: &replacement, context: &context)
            }
            JSONStringBuffer.escape(replacement, into: &output)
            context.counts[span.winner.label, default: 0] += 1
            copied = rawSpan.upperBound
            if let onFinding {
                onFinding(finding(label: span.winner.label, patternID: pattern.id, rawRange: rawSpan, decoded: span.start..<span.end,
                                  base: at, failedClosed: span.winner.failClosed))
            }
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: raw[copied...]))
    }

    /// True when the decoded string is exactly an operator's output, so it is left alone (idempotence).
    private func isOperatorOutput() -> Bool {
        text.bytes.withUnsafeBufferPointer { (try? set.operatorOutput.firstMatch(in: $0, from: 0, scratch: workspace.scratch)) == true }
    }

    /// Redacts a whole value under a sensitive key with the key-rule operator.
    mutating func keyRuleRedaction(_ value: UnsafeBufferPointer<UInt8>, label: String, rawLength: Int, output: inout [UInt8], at: Int) {
        var replacement: [UInt8] = []
        redactor.render(set.keyRuleOperator, label: label, id: "key_rules", value: value, into: &replacement, context: &context)
        JSONStringBuffer.escape(replacement, into: &output)
        context.counts[label, default: 0] += 1
        if let onFinding {
            onFinding(finding(label: label, patternID: "key_rules", rawRange: 0..<rawLength, decoded: 0..<value.count, base: at, failedClosed: false, whole: true))
        }
    }

    /// When the decoded string is itself a JSON document, rewrites it as JSON (its keys respected)
    /// and returns the new decoded content; nil when it is not JSON or nothing changed.
    private mutating func rewriteEmbeddedJSON() -> [UInt8]? {
        guard let first = text.bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let last = text.bytes.last(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            last == UInt8(ascii: "}") || last == UInt8(ascii: "]")
        else { return nil }
        var inner = JSONRewriter(nestedIn: self)
        inner.embeddingBudget = embeddingBudget - 1
        if let onFinding {
            // Findings inside the embedded document point into it from the string that holds it.
            let outer = pointer(), line = line, column = column
            inner.onFinding = { f in
                var f = f
                f.jsonPointer = outer + (f.jsonPointer ?? "")
                f.line = line
                f.column = column
                onFinding(f)
            }
        }
        let document = text.bytes
        var rewritten: [UInt8] = []
        let ok = document.withUnsafeBufferPointer { buffer in
            (try? inner.feed(buffer, isFinal: true, output: &rewritten)) != nil
        }
        guard ok else { return nil }
        context = inner.context
        return rewritten == document ? nil : rewritten
    }

    /// A finding for the value at the current position; `rawRange` is within the string content
    /// starting at absolute offset `base`.
    private func finding(
        label: String, patternID: String, rawRange: Range<Int>, decoded: Range<Int>, base: Int, failedClosed: Bool,
        whole: Bool = false
    ) -> Finding {
        var characters = 0, start = 0
        if !whole {
            for (k, b) in text.bytes.enumerated() where k < decoded.upperBound {
                if k == decoded.lowerBound { start = characters }
                if b & 0xC0 != 0x80 { characters += 1 }
            }
        }
        var f = Finding(label: label, patternID: patternID, byteRange: (base + rawRange.lowerBound)..<(base + rawRange.upperBound),
                        characterRange: whole ? 0..<0 : start..<characters, failedClosed: failedClosed)
        f.jsonPointer = pointer()
        f.line = line
        f.column = column
        return f
    }

    /// The RFC 6901 pointer of the current position.
    func pointer() -> String {
        var p = ""
        for k in 0..<depth {
            let f = stack[k]
            p += "/"
            if f.isObject {
                p += String(decoding: f.key, as: UTF8.self).replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            } else {
                p += String(f.index)
            }
        }
        return p
    }

    enum PairResult { case none, needMore, label(String) }

    /// Looks at the container starting at `i`: an object with a name field (`name`, `key`, `header`…)
    /// whose value is a sensitive key and a `value` field, or a two-element array whose first element
    /// is a sensitive key. Only containers that close within `pairWindow` bytes are considered.
    func pairLookahead(_ input: UnsafeBufferPointer<UInt8>, at i: Int, isFinal: Bool) -> PairResult {
        let limit = min(input.count, i + pairWindow)
        var k = i + 1
        var level = 1
        var elements = 0
        var firstString: Range<Int>?
        var nameValue: Range<Int>?
        var hasValueField = false
        var expectKey = input[i] == UInt8(ascii: "{")
        var lastKey: Range<Int>?
        let isObject = expectKey
        while k < limit {
            let c = input[k]
            if c == UInt8(ascii: "\"") {
                var e = k + 1
                while e < limit, input[e] != UInt8(ascii: "\"") { e += input[e] == UInt8(ascii: "\\") ? 2 : 1 }
                guard e < limit else { break }
                if level == 1 {
                    let content = (k + 1)..<e
                    if isObject && expectKey {
                        lastKey = content
                        let key = Array(input[content])
                        if Self.pairValueFields.contains(key) { hasValueField = true }
                    } else if isObject, let key = lastKey, Self.pairNameFields.contains(Array(input[key])) {
                        nameValue = content
                    } else if !isObject && elements == 0 {
                        firstString = content
                    }
                }
                k = e + 1
                continue
            }
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["): level += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                level -= 1
                if level == 0 {
                    let candidate = isObject ? (hasValueField ? nameValue : nil) : (elements == 1 ? firstString : nil)
                    guard let candidate else { return .none }
                    var decoded = JSONStringBuffer()
                    decoded.decode(UnsafeBufferPointer(rebasing: input[candidate]))
                    return decoded.bytes.withUnsafeBufferPointer { set.keyRules.classify($0) }.map(PairResult.label) ?? .none
                }
            case UInt8(ascii: ":") where level == 1: expectKey = false
            case UInt8(ascii: ",") where level == 1:
                expectKey = isObject
                elements += 1
            default: break
            }
            k += 1
        }
        // Not closed within the window: wait for more input unless the window is already full.
        return (limit == input.count && limit < i + pairWindow && !isFinal) ? .needMore : .none
    }
}
