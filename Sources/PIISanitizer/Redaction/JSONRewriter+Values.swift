#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONRewriter {
    /// Rewrites one string value (`raw` is the content between the quotes, starting at absolute
    /// offset `at`) and appends it with its quotes.
    ///
    /// Only redacted spans are re-escaped; the rest of the string keeps its original escapes.
    mutating func stringValue(_ raw: UnsafeBufferPointer<UInt8>, label: String?, output: inout [UInt8], at: Int) {
        output.append(UInt8(ascii: "\""))
        defer { output.append(UInt8(ascii: "\"")) }
        if raw.isEmpty { return }
        text.decode(raw)
        if let label {
            if isOperatorOutput() {
                output.append(contentsOf: raw)
                return
            }
            // A value that one pattern matches whole keeps that pattern's label (`[GITHUB_TOKEN]`
            // rather than the key's `[TOKEN]`), as it would in text.
            let specific = patternEdits(at: at, onlyWhole: true)
            if specific.isEmpty {
                let decoded = text.bytes
                decoded.withUnsafeBufferPointer { keyRuleRedaction($0, label: label, rawRange: at..<(at + raw.count), quoted: false, output: &output) }
                return
            }
            replacementsSplice(specific, raw: raw, output: &output, at: at)
            return
        }
        // Edits in decoded coordinates: replacement bytes are decoded text, escaped when spliced.
        var replacements: [JSONEdit] = []
        if embeddingBudget > 0, let embedded = embeddedEdits(at: at) {
            replacements = embedded
        } else {
            replacements = patternEdits(at: at)
        }
        if replacements.isEmpty {
            output.append(contentsOf: raw)
            return
        }
        replacementsSplice(replacements, raw: raw, output: &output, at: at)
    }

    /// Copies `raw` with each edit (in decoded coordinates) spliced in, escaped.
    private mutating func replacementsSplice(_ replacements: [JSONEdit], raw: UnsafeBufferPointer<UInt8>, output: inout [UInt8], at: Int) {
        var copied = 0
        var escaped: [UInt8] = []
        for edit in replacements {
            let rawSpan = text.rawRange(edit.range)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: raw[copied..<rawSpan.lowerBound]))
            escaped.removeAll(keepingCapacity: true)
            JSONStringBuffer.escape(edit.replacement, into: &escaped)
            output.append(contentsOf: escaped)
            edits?.append(JSONEdit(range: (at + rawSpan.lowerBound)..<(at + rawSpan.upperBound), replacement: escaped))
            copied = rawSpan.upperBound
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: raw[copied...]))
    }

    /// Runs the value patterns on the decoded string and returns the redactions as edits; with
    /// `onlyWhole`, only a single span covering the whole string counts (else nothing is done).
    private mutating func patternEdits(at: Int, onlyWhole: Bool = false) -> [JSONEdit] {
        var limitHits = 0
        let spans = text.bytes.withUnsafeBufferPointer { decoded in
            set.stableSpans(decoded, workspace: &workspace, limitHits: &limitHits, redactor: redactor)
        }
        context.limitHits += limitHits
        if spans.isEmpty { return [] }
        if onlyWhole && (spans.count != 1 || spans[0].start != 0 || spans[0].end != text.bytes.count) { return [] }
        var result: [JSONEdit] = []
        for span in spans {
            var replacement: [UInt8] = []
            let pattern = set.patterns[span.winner.pattern]
            text.bytes.withUnsafeBufferPointer { decoded in
                redactor.render(pattern.operator, label: span.winner.label, id: pattern.id,
                                value: UnsafeBufferPointer(rebasing: decoded[span.start..<span.end]), into: &replacement, context: &context)
            }
            context.counts[span.winner.label, default: 0] += 1
            if span.winner.failClosed { context.failedClosed[pattern.id, default: 0] += 1 }
            result.append(JSONEdit(range: span.start..<span.end, replacement: replacement))
            if let onFinding {
                let rawSpan = text.rawRange(span.start..<span.end)
                onFinding(finding(label: span.winner.label, patternID: pattern.id, rawRange: rawSpan, decoded: span.start..<span.end,
                                  base: at, failedClosed: span.winner.failClosed))
            }
        }
        return result
    }

    /// True when the decoded string is exactly an operator's output, so it is left alone (idempotence).
    /// The label a pair's name string (`["DB_PASSWORD", "…"]`, `{"name": "DB_PASSWORD", "value": …}`)
    /// gives the value, judged on the name as this run writes it: that is what a second run reads,
    /// so both runs agree. (`"4111 1111 1111 1111…token"` is prose, but once the card is
    /// `[CREDIT_CARD]` the name is key-like and ends in `token`: so it names a token in both runs.)
    /// Our own placeholders (`["[EMAIL]", 42]`) and prose are not key names.
    mutating func pairNameLabel(_ decoded: UnsafeBufferPointer<UInt8>) -> String? {
        var limitHits = 0  // counted when the string itself is rewritten
        let spans = set.stableSpans(decoded, workspace: &workspace, limitHits: &limitHits, redactor: redactor)
        var rendered: [UInt8] = []
        if !spans.isEmpty {
            var scratchContext = RedactionContext()
            redactor.apply(spans, to: decoded, output: &rendered, context: &scratchContext)
        }
        func label(_ name: UnsafeBufferPointer<UInt8>) -> String? {
            guard Self.isKeyLike(name), (try? set.operatorOutput.firstMatch(in: name, from: 0, scratch: workspace.scratch)) != true
            else { return nil }
            return set.keyRules.classify(name)
        }
        return spans.isEmpty ? label(decoded) : rendered.withUnsafeBufferPointer(label)
    }

    func isOperatorOutput() -> Bool {
        text.bytes.withUnsafeBufferPointer { (try? set.operatorOutput.firstMatch(in: $0, from: 0, scratch: workspace.scratch)) == true }
    }

    /// Redacts a whole value under a sensitive key with the key-rule operator; `rawRange` is the
    /// value's place in the document (string content, or the number literal when `quoted`).
    mutating func keyRuleRedaction(_ value: UnsafeBufferPointer<UInt8>, label: String, rawRange: Range<Int>, quoted: Bool, output: inout [UInt8]) {
        var replacement: [UInt8] = []
        redactor.render(set.keyRuleOperator, label: label, id: "key_rules", value: value, into: &replacement, context: &context)
        var escaped: [UInt8] = quoted ? [UInt8(ascii: "\"")] : []
        JSONStringBuffer.escape(replacement, into: &escaped)
        if quoted { escaped.append(UInt8(ascii: "\"")) }
        output.append(contentsOf: escaped)
        edits?.append(JSONEdit(range: rawRange, replacement: escaped))
        context.counts[label, default: 0] += 1
        if let onFinding {
            onFinding(finding(label: label, patternID: "key_rules", rawRange: 0..<rawRange.count, decoded: 0..<value.count,
                              base: rawRange.lowerBound, failedClosed: false, whole: true))
        }
    }

    /// When the decoded string is itself a JSON document, rewrites it as JSON (its keys respected)
    /// and returns its edits in decoded coordinates; nil when it is not JSON.
    private mutating func embeddedEdits(at: Int) -> [JSONEdit]? {
        guard let first = text.bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let last = text.bytes.last(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            last == UInt8(ascii: "}") || last == UInt8(ascii: "]")
        else { return nil }
        var inner = JSONRewriter(nestedIn: self)
        inner.embeddingBudget = embeddingBudget - 1
        // The key cache moves in and back out, never copied (a copy would be written anew).
        swap(&inner.keyLabels, &keyLabels)
        defer { swap(&inner.keyLabels, &keyLabels) }
        inner.edits = []
        let collector = FindingCollector()
        if onFinding != nil { inner.onFinding = { collector.findings.append($0) } }
        let document = text.bytes
        var discarded: [UInt8] = []
        let ok = document.withUnsafeBufferPointer { buffer in
            (try? inner.feed(buffer, isFinal: true, output: &discarded)) != nil
        }
        guard ok else { return nil }
        context = inner.context
        if let onFinding {
            // Inner positions are in the decoded string; point them into this document.
            let outer = pointer()
            for var f in collector.findings {
                let inner = f.byteRange.clamped(to: 0..<document.count)
                let raw = inner.isEmpty ? inner : text.rawRange(inner)
                f = f.moved(byteRange: (at + raw.lowerBound)..<(at + raw.upperBound), pointer: outer + (f.jsonPointer ?? ""),
                            line: line, column: column)
                onFinding(f)
            }
        }
        return inner.edits ?? []
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
                p += TreeReader.escape(String(decoding: f.key, as: UTF8.self))
            } else {
                p += String(f.index)
            }
        }
        return p
    }

    enum PairResult { case none, needMore, label(String) }

    /// Whether `bytes` holds `alue"`, the end of every `"value"` or `"Value"` member name
    /// (found with memchr on its `l`: glibc's memmem is not visible to Swift).
    static func containsValueKeyEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, bytes.count >= 5 else { return false }
        var at = 1
        // `l` is at offset 1 of the needle, so it is searched in [1, count - 3).
        while at < bytes.count - 3, let hit = memchr(base + at, Int32(UInt8(ascii: "l")), bytes.count - 3 - at) {
            let l = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            if base[l - 1] == UInt8(ascii: "a") && base[l + 1] == UInt8(ascii: "u") && base[l + 2] == UInt8(ascii: "e")
                && base[l + 3] == UInt8(ascii: "\"")
            {
                return true
            }
            at = l + 1
        }
        return false
    }

    /// Looks at the container starting at `i`: an object with a name field (`name`, `key`, `header`…)
    /// whose value is a sensitive key and a `value` field, or a two-element array whose first element
    /// is a sensitive key. Only containers that close within `pairWindow` bytes are considered.
    mutating func pairLookahead(_ input: UnsafeBufferPointer<UInt8>, at i: Int, isFinal: Bool) -> PairResult {
        let limit = min(input.count, i + pairWindow)
        // An object is a pair only with a `value` member: without `alue"` in the window it is
        // none, known without walking it (most objects), once no more input can extend the window.
        if input[i] == UInt8(ascii: "{"), isFinal || limit == i + pairWindow,
            !Self.containsValueKeyEnd(UnsafeBufferPointer(rebasing: input[i..<limit]))
        {
            return .none
        }
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
                        if Self.isPairValueField(UnsafeBufferPointer(rebasing: input[content])) { hasValueField = true }
                    } else if isObject, let key = lastKey, Self.isPairNameField(UnsafeBufferPointer(rebasing: input[key])) {
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
                    return decoded.bytes.withUnsafeBufferPointer { pairNameLabel($0) }.map(PairResult.label) ?? .none
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
