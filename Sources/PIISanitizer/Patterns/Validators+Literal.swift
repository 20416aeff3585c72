extension Validators {
    /// True when the value of a `key=value` finding looks like a literal secret rather than code, a placeholder or a
    /// type name.
    ///
    /// The exact rule, applied to the value after trimming ASCII whitespace, then trailing `;`/`,`, then one pair of
    /// matching surrounding quotes (`'`, `"` or `` ` ``), then whitespace again:
    /// 1. It is at least `minLength` bytes long (and never empty).
    /// 2. It contains an ASCII letter or digit, or any non-ASCII byte (non-English passwords count).
    /// 3. Its last byte is not `)`, `]`, `:` or `(` — calls, subscripts and `key:` labels are code.
    /// 4. It does not start with a `0x`/`0X` hex literal.
    /// 5. It is not a placeholder: a whole printf spec (`%s`, `%-8.3f`, `%(name)s`, `%1$s`); `{…}` (`{name}`,
    ///    `{{ x }}`); `<…>`; `$VAR`; `%VAR%`; something that contains `${`, `{{` or `%(name)`; a mask made only of
    ///    `x`/`X`, punctuation and `•`/`●` (`xxx`, `XXXX-XXXX`, `••••`); or a leading bracket tag of upper-case letters,
    ///    digits, `_` and `-` optionally followed by `:…` (`[PASSWORD]`, `[EMAIL_1]`, `[SECRET:abc123]`).
    /// 6. It is not, case-insensitively, one of: yes no none null nil true false undefined required optional
    ///    string str int bool redacted hidden, the type names number boolean float double bytes object any void,
    ///    or the state words empty unset placeholder masked. Weak real passwords such as `changeme`, `hunter2`
    ///    or `password` are deliberately *not* listed: they are secrets.
    /// 7. Unless `allowIdentifiers` is true, it is not code naming another value:
    ///    - a dotted/scoped path of two or more identifier segments (`[A-Za-z_$][A-Za-z0-9_$]*`) joined by `.`,
    ///      `::` or `->`, e.g. `config.db.password`, `os.environ.get`, `self.token`, `Config::KEY`;
    ///    - a snake_case word: only letters and `_`, at least one `_`, and letters all lower-case
    ///      (`user_password`, `_token`) or all upper-case (`DB_PASSWORD`);
    ///    - a camelCase word: only letters, first letter lower-case, at least one upper-case letter, and upper-case
    ///      letters at most a third of the word (`getToken`, `userID`) — random mixed-case strings fail that ratio.
    ///    Plain words such as `hunter` or `changeme` match none of these and stay secrets either way.
    /// - Complexity: O(n) time, O(1) space, no allocation.
    package static func literalValue(_ s: UnsafeBufferPointer<UInt8>, minLength: Int, allowIdentifiers: Bool) -> Bool {
        let v = literalCore(s)
        guard v.count >= max(minLength, 1), let last = v.last else { return false }
        guard v.contains(where: { isAlnum($0) || $0 >= 0x80 }) else { return false }
        switch last {
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: ":"), UInt8(ascii: "("): return false
        default: break
        }
        if v.count >= 3, v[0] == UInt8(ascii: "0"), v[1] | 0x20 == UInt8(ascii: "x"), hexValue(v[2]) != nil {
            return false
        }
        if isPlaceholder(v) || isStopWord(v) { return false }
        if !allowIdentifiers, isIdentifierPath(v) || isSnakeCase(v) || isCamelCase(v) { return false }
        return true
    }

    /// The value with whitespace, trailing `;`/`,` and one pair of matching surrounding quotes removed.
    private static func literalCore(_ s: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0
        var hi = s.count
        while lo < hi, isSpace(s[lo]) { lo += 1 }
        while hi > lo, isSpace(s[hi - 1]) || s[hi - 1] == UInt8(ascii: ";") || s[hi - 1] == UInt8(ascii: ",") {
            hi -= 1
        }
        if hi - lo >= 2, s[lo] == s[hi - 1],
            s[lo] == UInt8(ascii: "\"") || s[lo] == UInt8(ascii: "'") || s[lo] == UInt8(ascii: "`")
        {
            lo += 1
            hi -= 1
            while lo < hi, isSpace(s[lo]) { lo += 1 }
            while hi > lo, isSpace(s[hi - 1]) { hi -= 1 }
        }
        return UnsafeBufferPointer(rebasing: s[lo..<hi])
    }

    /// Rule 5 of `literalValue`: format, template and redaction placeholders.
    private static func isPlaceholder(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = v.count
        guard let first = v.first, let last = v.last else { return true }
        if first == UInt8(ascii: "{"), last == UInt8(ascii: "}") { return true }
        if first == UInt8(ascii: "<"), last == UInt8(ascii: ">") { return true }
        if first == UInt8(ascii: "$"), n >= 2, isIdentifierRun(v, 1, n, allowDollar: false) { return true }
        if first == UInt8(ascii: "%"), last == UInt8(ascii: "%"), n >= 3,
            isIdentifierRun(v, 1, n - 1, allowDollar: false)
        {
            return true
        }
        if first == UInt8(ascii: "%"), printfSpecEnd(v, 0) == n { return true }
        for i in 0..<(n - 1) {
            let a = v[i]
            let b = v[i + 1]
            if a == UInt8(ascii: "$"), b == UInt8(ascii: "{") { return true }
            if a == UInt8(ascii: "{"), b == UInt8(ascii: "{") { return true }
            if a == UInt8(ascii: "%"), b == UInt8(ascii: "("), printfSpecEnd(v, i) != nil { return true }
        }
        if isMask(v) { return true }
        if first == UInt8(ascii: "[") {
            var i = 1
            var hasUpper = false
            while i < n, isUpper(v[i]) || isDigit(v[i]) || v[i] == UInt8(ascii: "_") || v[i] == UInt8(ascii: "-") {
                if isUpper(v[i]) { hasUpper = true }
                i += 1
            }
            if hasUpper, i < n, v[i] == UInt8(ascii: "]") { return true }
            if hasUpper, i < n, v[i] == UInt8(ascii: ":"), firstIndex(of: UInt8(ascii: "]"), in: v, i + 1, n) != nil {
                return true
            }
        }
        return false
    }

    /// True when `v` is only `x`/`X`, ASCII punctuation and the bullets `•` (U+2022) / `●` (U+25CF) that UIs print for
    /// hidden text.
    private static func isMask(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < v.count {
            let b = v[i]
            if b < 0x80 {
                guard !isAlnum(b) || b | 0x20 == UInt8(ascii: "x") else { return false }
                i += 1
            } else if i + 2 < v.count, b == 0xE2,
                (v[i + 1] == 0x80 && v[i + 2] == 0xA2) || (v[i + 1] == 0x97 && v[i + 2] == 0x8F)
            {
                i += 3
            } else {
                return false
            }
        }
        return true
    }

    /// End index of a printf conversion starting at `v[start] == "%"`: `%`, optional `(name)`, then flags, position,
    /// width, precision and length modifiers, then one conversion letter or `@`.
    private static func printfSpecEnd(_ v: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        let n = v.count
        var i = start + 1
        if i < n, v[i] == UInt8(ascii: "(") {
            guard let close = firstIndex(of: UInt8(ascii: ")"), in: v, i + 1, n), close > i + 1,
                isIdentifierRun(v, i + 1, close, allowDollar: false)
            else { return nil }
            i = close + 1
        }
        // Position (`1$`), flags, width and precision.
        while i < n, "0123456789$.*-+# ".utf8.contains(v[i]) { i += 1 }
        // Length modifiers (h, hh, l, ll, L, q, j, z, t) precede the conversion letter.
        while i + 1 < n, "hlLqjzt".utf8.contains(v[i]), isLetter(v[i + 1]) { i += 1 }
        guard i < n, isLetter(v[i]) || v[i] == UInt8(ascii: "@") else { return nil }
        return i + 1
    }

    /// Rule 6 of `literalValue`: case-insensitive match against the non-secret word list.
    private static func isStopWord(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        guard v.count <= 11 else { return false }  // longest listed word is "placeholder"
        return stopWords.withUTF8Buffer { list in
            var start = 0
            while start < list.count {
                var end = start
                while end < list.count, list[end] != UInt8(ascii: "|") { end += 1 }
                if end - start == v.count {
                    var equal = true
                    for k in 0..<v.count where v[k] | 0x20 != list[start + k] || !isLetter(v[k]) {
                        equal = false
                        break
                    }
                    if equal { return true }
                }
                start = end + 1
            }
            return false
        }
    }

    private static let stopWords: StaticString = """
        yes|no|none|null|nil|true|false|undefined|required|optional|string|str|int|bool|redacted|hidden|\
        number|boolean|float|double|bytes|object|any|void|empty|unset|placeholder|masked
        """

    /// True when `v[start..<end]` is one identifier segment `[A-Za-z_][A-Za-z0-9_]*` (`$` also allowed when
    /// `allowDollar`).
    private static func isIdentifierRun(
        _ v: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, allowDollar: Bool
    ) -> Bool {
        guard start < end else { return false }
        for i in start..<end {
            let b = v[i]
            let ok = isLetter(b) || b == UInt8(ascii: "_") || (allowDollar && b == UInt8(ascii: "$"))
            if !ok, !(i > start && isDigit(b)) { return false }
        }
        return true
    }

    /// Rule 7, first bullet: two or more identifier segments joined by `.`, `::` or `->`.
    private static func isIdentifierPath(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = v.count
        var segmentStart = 0
        var segments = 0
        var i = 0
        while i <= n {
            var separatorLength = 0
            if i == n {
                separatorLength = 0
            } else if v[i] == UInt8(ascii: ".") {
                separatorLength = 1
            } else if i + 1 < n, v[i] == UInt8(ascii: ":"), v[i + 1] == UInt8(ascii: ":") {
                separatorLength = 2
            } else if i + 1 < n, v[i] == UInt8(ascii: "-"), v[i + 1] == UInt8(ascii: ">") {
                separatorLength = 2
            } else {
                i += 1
                continue
            }
            guard isIdentifierRun(v, segmentStart, i, allowDollar: true) else { return false }
            segments += 1
            if i == n { break }
            i += separatorLength
            segmentStart = i
        }
        return segments >= 2
    }

    /// Rule 7, second bullet: letters and underscores, at least one underscore, letters of a single case.
    private static func isSnakeCase(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        var underscore = false
        var upper = false
        var lower = false
        for b in v {
            if b == UInt8(ascii: "_") {
                underscore = true
            } else if isUpper(b) {
                upper = true
            } else if isLower(b) {
                lower = true
            } else {
                return false
            }
        }
        return underscore && (upper != lower)
    }

    /// Rule 7, third bullet: letters only, lower-case first, some upper-case, at most one upper-case letter in three.
    private static func isCamelCase(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = v.first, isLower(first) else { return false }
        var upper = 0
        for b in v {
            guard isLetter(b) else { return false }
            if isUpper(b) { upper += 1 }
        }
        return upper >= 1 && upper * 3 <= v.count
    }
}
