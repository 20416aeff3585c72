/// Decoding and encoding of JSON string contents, keeping a map back to the raw bytes so a
/// rewritten string can keep every original escape outside its redacted spans.
package struct JSONStringBuffer {
    /// The unescaped bytes (UTF-8; a lone surrogate escape becomes U+FFFD).
    var bytes: [UInt8] = []
    /// For each unescaped byte, the offset in the raw content of the escape or byte it came from.
    var rawStart: [Int] = []
    /// For each unescaped byte, the raw offset just past the escape or byte it came from.
    var rawEnd: [Int] = []
    /// True when the raw content had no escapes, so unescaped and raw offsets coincide.
    var isVerbatim = true

    /// Decodes `raw` (the content between the quotes, already known to be well-formed).
    /// - Complexity: O(raw.count); reuses the buffers' capacity.
    mutating func decode(_ raw: UnsafeBufferPointer<UInt8>) {
        bytes.removeAll(keepingCapacity: true)
        rawStart.removeAll(keepingCapacity: true)
        rawEnd.removeAll(keepingCapacity: true)
        isVerbatim = !raw.contains(UInt8(ascii: "\\"))
        if isVerbatim {
            bytes.append(contentsOf: raw)
            return
        }
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\") else {
                bytes.append(b); rawStart.append(i); rawEnd.append(i + 1)
                i += 1
                continue
            }
            // The main parser validates escapes first, but look-ahead decodes unvalidated input:
            // a truncated or malformed escape is taken literally rather than read past the end.
            guard i + 1 < raw.count else {
                bytes.append(b); rawStart.append(i); rawEnd.append(i + 1)
                i += 1
                continue
            }
            let e = raw[i + 1]
            if e == UInt8(ascii: "u"), i + 6 > raw.count || !(2..<6).allSatisfy({ Self.isHex(raw[i + $0]) }) {
                bytes.append(b); rawStart.append(i); rawEnd.append(i + 1)
                i += 1
                continue
            }
            var decoded: UInt8?
            switch e {
            case UInt8(ascii: "n"): decoded = 0x0A
            case UInt8(ascii: "t"): decoded = 0x09
            case UInt8(ascii: "r"): decoded = 0x0D
            case UInt8(ascii: "b"): decoded = 0x08
            case UInt8(ascii: "f"): decoded = 0x0C
            case UInt8(ascii: "u"): break
            default: decoded = e  // \" \\ \/
            }
            if let decoded {
                bytes.append(decoded); rawStart.append(i); rawEnd.append(i + 2)
                i += 2
                continue
            }
            var scalar = Self.hex4(raw, i + 2)
            var end = i + 6
            if (0xD800..<0xDC00).contains(scalar), end + 6 <= raw.count, raw[end] == UInt8(ascii: "\\"),
                raw[end + 1] == UInt8(ascii: "u"), (2..<6).allSatisfy({ Self.isHex(raw[end + $0]) })
            {
                let low = Self.hex4(raw, end + 2)
                if (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    end += 6
                }
            }
            let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"  // lone surrogates match as U+FFFD
            for u in UTF8.encode(value)! {
                bytes.append(u); rawStart.append(i); rawEnd.append(end)
            }
            i = end
        }
    }

    /// The raw range that holds unescaped range `range`, widened to whole escapes.
    func rawRange(_ range: Range<Int>) -> Range<Int> {
        if isVerbatim { return range }
        return rawStart[range.lowerBound]..<rawEnd[range.upperBound - 1]
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 6
    }

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            let c = raw[k]
            let d: UInt8 = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// Appends `value` escaped for the inside of a JSON string: quote, backslash and control
    /// characters are escaped; everything else (UTF-8 included) is copied.
    package static func escape(_ value: some Sequence<UInt8>, into output: inout [UInt8]) {
        let copied: Void? = value.withContiguousStorageIfAvailable { bytes in
            // Runs of bytes that need no escape are copied whole: most text has no escape at all.
            var start = 0
            for i in bytes.indices where needsEscape(bytes[i]) {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                appendEscape(bytes[i], to: &output)
                start = i + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        if copied != nil { return }
        for b in value {
            if needsEscape(b) { appendEscape(b, to: &output) } else { output.append(b) }
        }
    }

    private static func needsEscape(_ b: UInt8) -> Bool {
        b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\")
    }

    /// The escape of a quote, a backslash or a control character.
    private static func appendEscape(_ b: UInt8, to output: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        // Byte by byte: an array literal per escape would be an allocation per character.
        output.append(0x5C)
        switch b {
        case UInt8(ascii: "\""): output.append(0x22)
        case UInt8(ascii: "\\"): output.append(0x5C)
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        default:
            output.append(UInt8(ascii: "u")); output.append(0x30); output.append(0x30)
            output.append(hex.utf8Start[Int(b >> 4)]); output.append(hex.utf8Start[Int(b & 0xF)])
        }
    }
}
