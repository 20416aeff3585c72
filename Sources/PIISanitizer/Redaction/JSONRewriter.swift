#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One rewrite: the input range and the bytes written in its place.
struct JSONEdit {
    var range: Range<Int>
    var replacement: [UInt8]
}

/// Rewrites JSON as a stream of bytes: copies the input through and rewrites only the string
/// (and, under a sensitive key, number) values that need it.
///
/// Not a parse-and-reserialize: key order, whitespace, escapes and number literals come out as
/// they went in. The parse stack is explicit, so nesting is bounded by `maxDepth`, never by the
/// thread's stack. Memory is the largest single token plus the stack, whatever the document size.
struct JSONRewriter {
    struct Frame {
        var isObject = false
        var phase = Phase.first
        var index = 0
        /// The current member's name, decoded (reused across members: no allocation per key).
        var key: [UInt8] = []
        /// The label of the current member when its key is sensitive.
        var memberLabel: String?
        /// Set for a container under a sensitive key: every scalar inside is redacted.
        var inherited: String?
        /// Pair objects and `[name, value]` arrays: the label for the value member or element 1.
        var pairLabel: String?
    }

    enum Phase { case first, colon, value, next, afterComma }

    let set: PatternSet
    let redactor: Redactor
    let maxDepth: Int
    /// How far ahead a container is scanned for pair semantics (`{"name": …, "value": …}`).
    let pairWindow = 64 * 1024
    /// Strings holding JSON are rewritten as JSON up to this many levels of embedding.
    var embeddingBudget = 4

    var stack: [Frame] = []
    var depth = 0
    private(set) var finishedValue = false
    var line = 1
    var column = 1
    /// Absolute offset of the next byte to consume, for findings.
    var offset = 0
    var text = JSONStringBuffer()
    var keyLabels = KeyLabelCache()
    var workspace: Workspace
    var context = RedactionContext()
    var onFinding: ((Finding) -> Void)?
    /// When set, every rewrite is recorded (range in the input, bytes written instead), so a
    /// document embedded in a string can be spliced back without re-escaping the rest of it.
    var edits: [JSONEdit]?

    init(sanitizer: Sanitizer, maxDepth: Int) {
        set = sanitizer.set
        redactor = Redactor(patterns: sanitizer.set.patterns, hashKey: sanitizer.hashKey)
        self.maxDepth = maxDepth
        workspace = Workspace(set: sanitizer.set)
    }

    /// A rewriter for a JSON document embedded in a string of `outer`; it shares the outer
    /// document's placeholder numbering and counters.
    init(nestedIn outer: JSONRewriter) {
        set = outer.set
        redactor = outer.redactor
        maxDepth = outer.maxDepth
        workspace = outer.workspace
        context = outer.context
    }

    /// Starts a new document, keeping buffers (and placeholder numbering, which is per input).
    mutating func reset(line: Int = 1) {
        depth = 0
        finishedValue = false
        self.line = line
        column = 1
        offset = 0
    }

    private func fail(_ expected: String) -> SanitizerError {
        .invalidJSON(line: line, column: column, expected: expected)
    }

    /// Consumes as much of `input` as forms whole tokens and appends the rewritten bytes.
    /// - Parameter isFinal: no more input follows; an unfinished token is then an error.
    /// - Returns: the number of bytes consumed; the caller keeps the rest for the next call.
    /// - Throws: `SanitizerError.invalidJSON` or `.jsonTooDeep`, with the position.
    mutating func feed(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, output: inout [UInt8]) throws(SanitizerError) -> Int {
        var i = 0
        let n = input.count
        // A UTF-8 byte order mark before a document is copied through, like whitespace.
        if offset == 0 && depth == 0 && !finishedValue && n > 0 && input[0] == 0xEF {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            let available = min(3, n)
            if input.starts(with: bom) {
                output.append(contentsOf: bom)
                offset = 3
                i = 3
            } else if !isFinal && available < 3 && Array(input[0..<available]) == Array(bom[0..<available]) {
                return 0
            }
        }
        while i < n {
            let b = input[i]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                output.append(b)
                advance(b == 0x0A)
                i += 1
                continue
            }
            if finishedValue && depth == 0 { throw fail("end of input") }
            var expectValue = depth == 0
            if depth > 0 {
                // Two fields, not the frame: copying a `Frame` retains its key and labels.
                let isObject = stack[depth - 1].isObject
                switch (isObject, stack[depth - 1].phase, b) {
                case (true, .first, UInt8(ascii: "}")), (false, .first, UInt8(ascii: "]")),
                    (true, .next, UInt8(ascii: "}")), (false, .next, UInt8(ascii: "]")):
                    output.append(b)
                    step(1)
                    i += 1
                    depth -= 1
                    valueDone()
                    continue
                case (_, .next, UInt8(ascii: ",")):
                    output.append(b)
                    step(1)
                    i += 1
                    stack[depth - 1].phase = .afterComma
                    if !isObject { stack[depth - 1].index += 1 }
                    continue
                case (true, .colon, UInt8(ascii: ":")):
                    output.append(b)
                    step(1)
                    i += 1
                    stack[depth - 1].phase = .value
                    continue
                case (true, .first, UInt8(ascii: "\"")), (true, .afterComma, UInt8(ascii: "\"")):
                    guard let end = try stringEnd(input, from: i, isFinal: isFinal) else { return i }
                    readKey(UnsafeBufferPointer(rebasing: input[(i + 1)..<(end - 1)]))
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<end]))
                    stepString(input, i, end)
                    i = end
                    continue
                case (true, .first, _): throw fail("a member name in quotes or '}'")
                case (true, .afterComma, _): throw fail("a member name in quotes")
                case (true, .colon, _): throw fail("':' after the member name")
                case (true, .next, _): throw fail("',' or '}'")
                case (false, .next, _): throw fail("',' or ']'")
                default: expectValue = true
                }
            }
            precondition(expectValue)
            guard let consumed = try value(input, at: i, isFinal: isFinal, output: &output) else { return i }
            i = consumed
        }
        if isFinal {
            if depth > 0 { throw fail(stack[depth - 1].isObject ? "'}' to close the object" : "']' to close the array") }
            if !finishedValue { throw fail("a value") }
        }
        return n
    }

    private mutating func advance(_ newline: Bool) {
        offset += 1
        if newline {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    private mutating func step(_ bytes: Int) {
        offset += bytes
        column += bytes
    }

    private mutating func stepString(_ input: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        offset += end - start
        for k in start..<end where input[k] & 0xC0 != 0x80 { column += 1 }
    }

    private mutating func valueDone() {
        if depth == 0 {
            finishedValue = true
        } else {
            stack[depth - 1].phase = .next
        }
    }

    /// After a string value: when it is the name member of a pair object (`"name": "DB_PASSWORD"`),
    /// the object's `value` member takes its label, however large the object is.
    private mutating func notePairName() {
        guard depth > 0, stack[depth - 1].isObject, stack[depth - 1].inherited == nil, stack[depth - 1].pairLabel == nil,
            stack[depth - 1].key.withUnsafeBufferPointer(Self.isPairNameField)
        else { return }
        let name = text.bytes
        stack[depth - 1].pairLabel = name.withUnsafeBufferPointer { pairNameLabel($0) }
    }

    /// A string that can name a key: short, with no spaces (so prose in a `name` field is not one)
    /// and no JSON punctuation (so a JSON document in a string, which the first pass rewrites, is
    /// not one either: its words would differ between passes).
    static func isKeyLike(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.count <= 128 && !bytes.contains {
            $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "\"")
        }
    }

    /// The label that applies to a value at the current position, if any.
    private func positionLabel() -> String? {
        guard depth > 0 else { return nil }
        if let inherited = stack[depth - 1].inherited { return inherited }
        return stack[depth - 1].isObject ? stack[depth - 1].memberLabel : (stack[depth - 1].index == 1 ? stack[depth - 1].pairLabel : nil)
    }

    private mutating func readKey(_ raw: UnsafeBufferPointer<UInt8>) {
        let top = depth - 1
        stack[top].key.removeAll(keepingCapacity: true)
        stack[top].phase = .colon
        var label: String?
        if raw.contains(UInt8(ascii: "\\")) {
            text.decode(raw)
            stack[top].key.append(contentsOf: text.bytes)
            if stack[top].inherited != nil { return }
            label = text.bytes.withUnsafeBufferPointer { set.keyRules.classify($0) }
        } else {
            // No escapes: the name is its raw bytes, and most names were seen before.
            stack[top].key.append(contentsOf: raw)
            if stack[top].inherited != nil { return }
            label = keyLabels.label(of: raw, rules: set.keyRules)
        }
        if label == nil, let pair = stack[top].pairLabel, stack[top].key.withUnsafeBufferPointer(Self.isPairValueField) { label = pair }
        stack[top].memberLabel = label
    }

    /// `name`, `key`, `header` or `field`, first letter in either case: the member of a pair
    /// object that names the key. Compared in place: this runs for every member name that the
    /// pair look-ahead meets, so it must not build an array or hash one.
    static func isPairNameField(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = b.first, first | 0x20 == UInt8(ascii: "n") || first | 0x20 == UInt8(ascii: "k")
            || first | 0x20 == UInt8(ascii: "h") || first | 0x20 == UInt8(ascii: "f")
        else { return false }
        let lowered = first | 0x20
        let rest = UnsafeBufferPointer(rebasing: b.dropFirst())
        switch lowered {
        case UInt8(ascii: "n"): return rest.elementsEqual("ame".utf8)
        case UInt8(ascii: "k"): return rest.elementsEqual("ey".utf8)
        case UInt8(ascii: "h"): return rest.elementsEqual("eader".utf8)
        default: return rest.elementsEqual("ield".utf8)
        }
    }

    /// `value` or `Value`: the member of a pair object that holds the value.
    static func isPairValueField(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        b.count == 5 && b[0] | 0x20 == UInt8(ascii: "v") && UnsafeBufferPointer(rebasing: b.dropFirst()).elementsEqual("alue".utf8)
    }

    /// Handles one value starting at `i`; returns where it ended, or nil when more input is needed.
    private mutating func value(
        _ input: UnsafeBufferPointer<UInt8>, at i: Int, isFinal: Bool, output: inout [UInt8]
    ) throws(SanitizerError) -> Int? {
        let b = input[i]
        let label = positionLabel()
        switch b {
        case UInt8(ascii: "\""):
            guard let end = try stringEnd(input, from: i, isFinal: isFinal) else { return nil }
            stringValue(UnsafeBufferPointer(rebasing: input[(i + 1)..<(end - 1)]), label: label, output: &output, at: offset + 1)
            notePairName()
            stepString(input, i, end)
            valueDone()
            return end
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < maxDepth else { throw .jsonTooDeep(line: line, column: column, limit: maxDepth) }
            var pair: String?
            if label == nil {
                switch pairLookahead(input, at: i, isFinal: isFinal) {
                case .needMore: return nil
                case let .label(l): pair = l
                case .none: break
                }
            }
            if stack.count == depth { stack.append(Frame()) }
            stack[depth].isObject = b == UInt8(ascii: "{")
            stack[depth].phase = .first
            stack[depth].index = 0
            stack[depth].memberLabel = nil
            stack[depth].inherited = label
            stack[depth].pairLabel = pair
            stack[depth].key.removeAll(keepingCapacity: true)
            depth += 1
            output.append(b)
            step(1)
            return i + 1
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let end = try numberEnd(input, from: i, isFinal: isFinal) else { return nil }
            let literal = UnsafeBufferPointer(rebasing: input[i..<end])
            if let label {
                // A redacted number becomes a string: its operator output is text.
                keyRuleRedaction(literal, label: label, rawRange: offset..<(offset + literal.count), quoted: true, output: &output)
            } else {
                output.append(contentsOf: literal)
            }
            step(end - i)
            valueDone()
            return end
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let word: StaticString = b == UInt8(ascii: "t") ? "true" : b == UInt8(ascii: "f") ? "false" : "null"
            let length = word.utf8CodeUnitCount
            let available = min(length, input.count - i)
            for k in 0..<available where input[i + k] != word.utf8Start[k] { throw fail("a value") }
            if available < length {
                if isFinal { throw fail("a value") }
                return nil
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<(i + length)]))
            step(length)
            valueDone()
            return i + length
        default:
            throw fail(depth == 0 ? "a JSON value" : "a value")
        }
    }

    /// The offset just past the closing quote of the string at `start`, or nil if it is not complete.
    private func stringEnd(_ input: UnsafeBufferPointer<UInt8>, from start: Int, isFinal: Bool) throws(SanitizerError) -> Int? {
        var k = start + 1
        let n = input.count
        while k < n {
            let c = input[k]
            if c == UInt8(ascii: "\"") { return k + 1 }
            if c == UInt8(ascii: "\\") {
                guard k + 1 < n else { break }
                switch input[k + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    k += 2
                case UInt8(ascii: "u"):
                    guard k + 6 <= n else { k = n; break }
                    for h in (k + 2)..<(k + 6) where !Self.isHex(input[h]) { throw failAt(input, start, k, "4 hex digits after \\u") }
                    k += 6
                default:
                    throw failAt(input, start, k, "a valid escape sequence")
                }
                continue
            }
            if c < 0x20 { throw failAt(input, start, k, "'\"' to close the string (control characters must be escaped)") }
            k += 1
        }
        if isFinal { throw failAt(input, start, n, "'\"' to close the string") }
        return nil
    }

    /// An error at `k` inside the string token that starts at `start`.
    private func failAt(_ input: UnsafeBufferPointer<UInt8>, _ start: Int, _ k: Int, _ expected: String) -> SanitizerError {
        var col = column
        for j in start..<min(k, input.count) where input[j] & 0xC0 != 0x80 { col += 1 }
        return .invalidJSON(line: line, column: col, expected: expected)
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 6
    }

    /// The end of the number at `start` (checked against the JSON grammar), or nil if the input may continue it.
    private func numberEnd(_ input: UnsafeBufferPointer<UInt8>, from start: Int, isFinal: Bool) throws(SanitizerError) -> Int? {
        var k = start
        let n = input.count
        func digits(_ k: inout Int) -> Int {
            let s = k
            while k < n, input[k] &- 0x30 < 10 { k += 1 }
            return k - s
        }
        if input[k] == UInt8(ascii: "-") { k += 1 }
        let intStart = k
        let intDigits = digits(&k)
        if k == n && !isFinal { return nil }
        guard intDigits > 0 else { throw failAt(input, start, k, "a digit") }
        if intDigits > 1 && input[intStart] == UInt8(ascii: "0") { throw failAt(input, start, intStart + 1, "no leading zero") }
        if k < n, input[k] == UInt8(ascii: ".") {
            k += 1
            let fraction = digits(&k)
            if k == n && !isFinal { return nil }
            guard fraction > 0 else { throw failAt(input, start, k, "a digit after '.'") }
        }
        if k < n, input[k] | 0x20 == UInt8(ascii: "e") {
            k += 1
            if k < n, input[k] == UInt8(ascii: "+") || input[k] == UInt8(ascii: "-") { k += 1 }
            let exponent = digits(&k)
            if k == n && !isFinal { return nil }
            guard exponent > 0 else { throw failAt(input, start, k, "a digit in the exponent") }
        }
        if k == n && !isFinal { return nil }
        return k
    }
}

/// The labels of member names seen before. Documents, and NDJSON lines above all, repeat the same
/// few names; classifying one splits it into words and looks each up, a lookup here hashes it.
/// Direct-mapped and fixed in size, so memory stays bounded and a miss allocates nothing. A small
/// document never fills it: it is set up after `warmUp` names, so one-shot calls stay lean.
struct KeyLabelCache {
    private static let slots = 256
    private static let warmUp = 64
    /// Per slot, the length of its name (0: empty) and then up to `slotBytes - 1` bytes of it;
    /// longer names are classified every time.
    private static let slotBytes = 48
    private var names: [UInt8] = []
    private var labels: [String?] = []
    private var uncached = 0

    /// `rules.classify(key)`, from the cache when `key` was the last name classified in its slot.
    mutating func label(of key: UnsafeBufferPointer<UInt8>, rules: KeyRules) -> String? {
        guard !key.isEmpty, key.count < Self.slotBytes else { return rules.classify(key) }
        if names.isEmpty {
            uncached += 1
            if uncached < Self.warmUp { return rules.classify(key) }
            names = [UInt8](repeating: 0, count: Self.slots * Self.slotBytes)
            labels = [String?](repeating: nil, count: Self.slots)
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for b in key { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        let slot = Int(truncatingIfNeeded: hash ^ (hash >> 32)) & (Self.slots - 1)
        let offset = slot * Self.slotBytes
        let hit = names.withUnsafeBufferPointer { names in
            Int(names[offset]) == key.count && memcmp(names.baseAddress! + offset + 1, key.baseAddress!, key.count) == 0
        }
        if hit { return labels[slot] }
        let label = rules.classify(key)
        names.withUnsafeMutableBufferPointer { names in
            names[offset] = UInt8(key.count)
            _ = UnsafeMutableBufferPointer(rebasing: names[(offset + 1)...].prefix(key.count)).initialize(from: key)
        }
        labels[slot] = label
        return label
    }
}
