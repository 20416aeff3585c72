extension Validators {
    /// True when the span has at least 3 dot-separated base64url parts, a non-empty header and payload, and a header
    /// that decodes (padding optional) to a `{…}` JSON object containing an `"alg"` or `"enc"` key.
    ///
    /// Decoding the header uses a scratch buffer from `withUnsafeTemporaryAllocation` (stack for typical headers).
    /// - Complexity: O(n) time, O(h) scratch space for a header of h bytes.
    package static func jwt(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let dot = UInt8(ascii: ".")
        let pad = UInt8(ascii: "=")
        var dots = 0
        var firstDot = -1
        var secondDot = -1
        for i in 0..<s.count {
            let b = s[i]
            if b == dot {
                dots += 1
                if firstDot < 0 { firstDot = i } else if secondDot < 0 { secondDot = i }
            } else if b != pad, base64Value(b, url: true) == invalidBase64 {
                return false
            }
        }
        // JWS has 3 parts, JWE 5; the signature may be empty for `alg: none`, but header and payload never are.
        guard dots >= 2, firstDot > 0, secondDot > firstDot + 1 else { return false }
        var headerEnd = firstDot
        var padding = 0
        while headerEnd > 0, s[headerEnd - 1] == pad {
            headerEnd -= 1
            padding += 1
        }
        guard headerEnd > 0, padding == 0 || (padding <= 2 && firstDot % 4 == 0) else { return false }
        // Certificate chains (`x5c`) make headers a few KiB at most; anything far larger is not a JWT header.
        guard headerEnd <= 16_384 else { return false }

        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: headerEnd * 3 / 4 + 1) { out in
            guard let count = decodeBase64(s, 0, headerEnd, url: true, strict: false, into: out) else { return false }
            return looksLikeJOSEHeader(UnsafeBufferPointer(rebasing: out[0..<count]))
        }
    }

    /// True when the span is strict standard base64 (alphabet `A–Z a–z 0–9 + /`, length a multiple of 4, `=` padding
    /// only at the end, zero unused bits) that decodes to valid, printable UTF-8 (no C0/C1 controls or DEL) containing
    /// a `:`.
    ///
    /// Decoding uses a scratch buffer from `withUnsafeTemporaryAllocation` (stack for typical credentials).
    /// - Complexity: O(n) time, O(n) scratch space.
    package static func basicAuth(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = s.count
        guard n >= 4, n % 4 == 0 else { return false }
        var end = n
        while end > 0, n - end < 2, s[end - 1] == UInt8(ascii: "=") { end -= 1 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: end * 3 / 4 + 1) { out in
            guard let count = decodeBase64(s, 0, end, url: false, strict: true, into: out) else { return false }
            var bytes = UnsafeBufferPointer(rebasing: out[0..<count]).makeIterator()
            var decoder = Unicode.UTF8()
            var hasColon = false
            while true {
                switch decoder.decode(&bytes) {
                case .scalarValue(let scalar):
                    let v = scalar.value
                    if v < 0x20 || (v >= 0x7F && v <= 0x9F) { return false }
                    if v == 0x3A { hasColon = true }
                case .emptyInput:
                    return hasColon
                case .error:
                    return false
                }
            }
        }
    }
}

// MARK: - Base64 and JOSE helpers

extension Validators {
    /// Marker returned by `base64Value` for bytes outside the alphabet.
    static let invalidBase64: UInt8 = 0xFF

    /// Six-bit value of a base64 (or, when `url`, base64url) alphabet byte, or `invalidBase64`.
    @inline(__always) static func base64Value(_ b: UInt8, url: Bool) -> UInt8 {
        if isUpper(b) { return b &- 0x41 }
        if isLower(b) { return b &- 0x61 &+ 26 }
        if isDigit(b) { return b &- 0x30 &+ 52 }
        switch b {
        case UInt8(ascii: "+"): return url ? invalidBase64 : 62
        case UInt8(ascii: "/"): return url ? invalidBase64 : 63
        case UInt8(ascii: "-"): return url ? 62 : invalidBase64
        case UInt8(ascii: "_"): return url ? 63 : invalidBase64
        default: return invalidBase64
        }
    }

    /// Decodes the unpadded symbols `s[start..<end]` into `out`, returning the byte count, or `nil` on a bad symbol, an
    /// impossible length, or (when `strict`) non-zero unused trailing bits.
    static func decodeBase64(
        _ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, url: Bool, strict: Bool,
        into out: UnsafeMutableBufferPointer<UInt8>
    ) -> Int? {
        // One leftover symbol carries only 6 bits, less than a byte: no encoder produces that.
        guard (end - start) % 4 != 1 else { return nil }
        var accumulator: UInt32 = 0
        var bits: UInt32 = 0
        var count = 0
        for i in start..<end {
            let v = base64Value(s[i], url: url)
            guard v != invalidBase64 else { return nil }
            accumulator = accumulator << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                guard count < out.count else { return nil }
                out[count] = UInt8(truncatingIfNeeded: accumulator >> bits)
                count += 1
                accumulator &= (1 << bits) - 1
            }
        }
        if strict, accumulator != 0 { return nil }
        return count
    }

    /// True when `text` is `{…}` (surrounding whitespace allowed) and contains `"alg"` or `"enc"` followed by optional
    /// whitespace and `:`, i.e. used as a key.
    static func looksLikeJOSEHeader(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var lo = 0
        var hi = text.count
        while lo < hi, isSpace(text[lo]) { lo += 1 }
        while hi > lo, isSpace(text[hi - 1]) { hi -= 1 }
        guard hi - lo >= 2, text[lo] == UInt8(ascii: "{"), text[hi - 1] == UInt8(ascii: "}") else { return false }
        let quote = UInt8(ascii: "\"")
        var i = lo + 1
        while i + 5 <= hi - 1 {
            if text[i] == quote, text[i + 4] == quote {
                let a = text[i + 1]
                let b = text[i + 2]
                let c = text[i + 3]
                let isKeyName =
                    (a == UInt8(ascii: "a") && b == UInt8(ascii: "l") && c == UInt8(ascii: "g"))
                    || (a == UInt8(ascii: "e") && b == UInt8(ascii: "n") && c == UInt8(ascii: "c"))
                if isKeyName {
                    var k = i + 5
                    while k < hi, isSpace(text[k]) { k += 1 }
                    if k < hi, text[k] == UInt8(ascii: ":") { return true }
                }
            }
            i += 1
        }
        return false
    }
}
