import PIISanitizer

/// Decoding JSON string literals to bytes and writing bytes as JSON string literals.
///
/// Both work on bytes, not `String`, so text reaches the sanitizer exactly as the client sent
/// it and comes back without a round trip through any other representation.
enum JSONBytes {
    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The unescaped content of the string literal at `range` (quotes included), which the
    /// parser has validated. A lone surrogate escape becomes U+FFFD, as in the core library.
    /// Not the core's `JSONStringBuffer.decode`: that one also maps every byte back to its raw
    /// offset (the rewriter splices with it), which a 5 MB argument does not need and pays for.
    /// - Complexity: O(range.count).
    static func decodeString(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound + 1
        let end = range.upperBound - 1
        while i < end {
            // Copy the run up to the next escape in one go.
            var j = i
            while j < end, bytes[j] != UInt8(ascii: "\\") { j += 1 }
            if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j])) }
            i = j
            guard i < end else { break }
            let e = bytes[i + 1]
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = hex4(bytes, i + 2)
                i += 6
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    let low = hex4(bytes, i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                out.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}")!)
                continue
            default: out.append(e)  // \" \\ \/
            }
            i += 2
        }
        return out
    }

    /// The decoded string literal at `range`, as a `String` (for names and small values).
    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: decodeString(bytes, range), as: UTF8.self)
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 4 | (hexValue(bytes[at + $1]) ?? 0) }
    }

    /// Appends `value` as a JSON string literal: `"` and `\` and control characters escaped,
    /// everything else copied. Invalid UTF-8 becomes U+FFFD, because the JSON-RPC stream must
    /// be UTF-8 (a client decoding it strictly would otherwise drop the connection).
    /// - Complexity: O(value.count).
    static func appendString(_ value: some Collection<UInt8>, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + value.count + 2)
        out.append(UInt8(ascii: "\""))
        let valid = value.withContiguousStorageIfAvailable { isValidUTF8($0) } ?? isValidUTF8(Array(value))
        if valid {
            JSONStringBuffer.escape(value, into: &out)
        } else {
            JSONStringBuffer.escape(String(decoding: value, as: UTF8.self).utf8, into: &out)
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendString(_ value: String, to out: inout [UInt8]) {
        appendString(value.utf8, to: &out)
    }

    /// True when `bytes` is well-formed UTF-8.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let need: Int
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0...0xEF: need = 2
            case 0xF0...0xF4: need = 3
            default: return false
            }
            guard i + need < n else { return false }
            for k in 1...need where bytes[i + k] & 0xC0 != 0x80 { return false }
            let b1 = bytes[i + 1]
            if b == 0xE0 && b1 < 0xA0 { return false }       // overlong
            if b == 0xED && b1 >= 0xA0 { return false }      // surrogate
            if b == 0xF0 && b1 < 0x90 { return false }       // overlong
            if b == 0xF4 && b1 >= 0x90 { return false }      // past U+10FFFF
            i += need + 1
        }
        return true
    }

    private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValidUTF8($0) }
    }
}
