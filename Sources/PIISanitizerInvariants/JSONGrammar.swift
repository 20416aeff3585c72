/// An independent recogniser for the JSON the sanitizer accepts, used as the oracle for "output is
/// valid JSON exactly when the input is": RFC 8259's grammar over bytes, plus a leading UTF-8 byte
/// order mark (copied through by the rewriter). String contents are bytes: anything from 0x20 up
/// except an unescaped `"` or `\`, so invalid UTF-8 and lone `\uD800` escapes are accepted, as the
/// rewriter (byte-faithful) accepts them.
///
/// Written separately from `JSONRewriter` on purpose — a shared helper would share its bugs — and
/// iterative, so a deeply nested input cannot overflow the stack.
public enum JSONGrammar {
    /// Whether `bytes` is one JSON value with optional surrounding whitespace.
    public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        Array(bytes).withUnsafeBufferPointer { isValid($0) }
    }

    /// How deeply `bytes` nests arrays and objects (0 for a scalar); meaningful for valid input.
    public static func depth(_ bytes: some Collection<UInt8>) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1; deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    private enum Container { case array, object }

    static func isValid(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = s.count
        if n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF { i = 3 }
        var stack: [Container] = []

        func skipSpace() {
            while i < n, s[i] == 0x20 || s[i] == 0x0A || s[i] == 0x0D || s[i] == 0x09 { i += 1 }
        }
        func string() -> Bool {
            guard i < n, s[i] == UInt8(ascii: "\"") else { return false }
            i += 1
            while i < n {
                let c = s[i]
                if c == UInt8(ascii: "\"") { i += 1; return true }
                if c < 0x20 { return false }
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < n else { return false }
                    switch s[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    case UInt8(ascii: "u"):
                        guard i + 6 <= n else { return false }
                        for h in (i + 2)..<(i + 6) {
                            let x = s[h]
                            guard (x >= 0x30 && x <= 0x39) || (x | 0x20 >= 0x61 && x | 0x20 <= 0x66) else { return false }
                        }
                        i += 6
                    default: return false
                    }
                    continue
                }
                i += 1
            }
            return false
        }
        func digits() -> Int {
            let start = i
            while i < n, s[i] >= 0x30 && s[i] <= 0x39 { i += 1 }
            return i - start
        }
        func number() -> Bool {
            if i < n, s[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, s[i] >= 0x30 && s[i] <= 0x39 else { return false }
            if s[i] == 0x30 { i += 1 } else { _ = digits() }
            if i < n, s[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { return false }
            }
            if i < n, s[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < n, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { return false }
            }
            return true
        }
        func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard i + count <= n else { return false }
            for k in 0..<count where s[i + k] != word.utf8Start[k] { return false }
            i += count
            return true
        }

        // Each turn parses one value; containers push a frame and loop back for their members.
        skipSpace()
        while true {
            // A value.
            guard i < n else { return false }
            switch s[i] {
            case UInt8(ascii: "["):
                i += 1
                skipSpace()
                if i < n, s[i] == UInt8(ascii: "]") { i += 1; break }
                stack.append(.array)
                continue
            case UInt8(ascii: "{"):
                i += 1
                skipSpace()
                if i < n, s[i] == UInt8(ascii: "}") { i += 1; break }
                stack.append(.object)
                guard string() else { return false }
                skipSpace()
                guard i < n, s[i] == UInt8(ascii: ":") else { return false }
                i += 1
                skipSpace()
                continue
            case UInt8(ascii: "\""): guard string() else { return false }
            case UInt8(ascii: "t"): guard literal("true") else { return false }
            case UInt8(ascii: "f"): guard literal("false") else { return false }
            case UInt8(ascii: "n"): guard literal("null") else { return false }
            default: guard number() else { return false }
            }
            // After a value: close containers or move to the next member.
            while true {
                skipSpace()
                guard let top = stack.last else {
                    return i == n
                }
                guard i < n else { return false }
                if s[i] == UInt8(ascii: ",") {
                    i += 1
                    skipSpace()
                    if top == .object {
                        guard string() else { return false }
                        skipSpace()
                        guard i < n, s[i] == UInt8(ascii: ":") else { return false }
                        i += 1
                        skipSpace()
                    }
                    break
                }
                guard s[i] == (top == .array ? UInt8(ascii: "]") : UInt8(ascii: "}")) else { return false }
                i += 1
                stack.removeLast()
            }
        }
    }
}
