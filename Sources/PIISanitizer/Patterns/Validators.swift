#if canImport(Glibc)
import Glibc  // log2 (entropy)
#elseif canImport(Darwin)
import Darwin
#endif

/// Pure checks that confirm a regex candidate (UTF-8 bytes) really is what the pattern claims, to cut false positives.
///
/// Every check takes the matched span as an `UnsafeBufferPointer<UInt8>` and returns `true` when the span
/// passes. Checks never crash on any input (empty, huge, non-ASCII) and, except where noted, never allocate.
/// Related checks live in `Validators+IBAN.swift`, `Validators+Network.swift`, `Validators+Encoded.swift`
/// and `Validators+Literal.swift`.
package enum Validators {}

// MARK: - Byte classes shared by every validator file

extension Validators {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { isUpper(b) || isLower(b) }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b &- 0x09 < 5 }

    /// Value of an ASCII hex digit, or `nil` for any other byte.
    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        if isDigit(b) { return b &- 0x30 }
        let folded = b | 0x20  // ASCII lower-casing; only a–f survive the range test below
        if folded &- 0x61 < 6 { return folded &- 0x61 &+ 10 }
        return nil
    }
}

// MARK: - Number-shaped identifiers

extension Validators {
    /// True when the span is 12–19 digits, optionally split by one kind of separator (all spaces or all hyphens), not
    /// all one digit, and passes the mod-10 Luhn check.
    /// - Complexity: O(n) time, O(1) space, no allocation.
    package static func luhn(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var separator: UInt8 = 0
        var count = 0
        var sum = 0
        var first: UInt8 = 0
        var allSame = true
        // Walk right-to-left so the "double every second digit" rule needs no length up front.
        for b in s.reversed() {
            if isDigit(b) {
                let d = Int(b &- 0x30)
                if count == 0 { first = b } else if b != first { allSame = false }
                if count & 1 == 1 {
                    let doubled = d * 2
                    sum += doubled > 9 ? doubled - 9 : doubled
                } else {
                    sum += d
                }
                count += 1
                if count > 19 { return false }
            } else if b == UInt8(ascii: " ") || b == UInt8(ascii: "-") {
                if separator == 0 { separator = b } else if separator != b { return false }
            } else {
                return false
            }
        }
        return count >= 12 && !allSame && sum % 10 == 0
    }

    /// True when the span is exactly 9 digits (one consistent `-` or space separator kind allowed) with area not
    /// 000/666/900–999, group not 00, serial not 0000, not all one digit, and not a famous fake (078-05-1120,
    /// 219-09-9999, 123-45-6789, 987-65-4321).
    /// - Complexity: O(n) time, O(1) space, no allocation.
    package static func usSSN(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var separator: UInt8 = 0
        var value = 0
        var count = 0
        var first: UInt8 = 0
        var allSame = true
        for b in s {
            if isDigit(b) {
                if count == 0 { first = b } else if b != first { allSame = false }
                count += 1
                if count > 9 { return false }
                value = value * 10 + Int(b &- 0x30)
            } else if b == UInt8(ascii: "-") || b == UInt8(ascii: " ") {
                if separator == 0 { separator = b } else if separator != b { return false }
            } else {
                return false
            }
        }
        guard count == 9, !allSame else { return false }
        let area = value / 1_000_000
        let group = value / 10_000 % 100
        let serial = value % 10_000
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return false }
        // Published in ads, wallets and textbooks; they appear in text far more often than as anyone's SSN.
        switch value {
        case 078_051_120, 219_099_999, 123_456_789, 987_654_321: return false
        default: return true
        }
    }

    /// True when the span holds 7–15 ASCII digits (other bytes ignored) that are neither all one digit nor a strictly
    /// ascending +1 run such as `1234567`.
    /// - Complexity: O(n) time, O(1) space, no allocation.
    package static func phone(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var count = 0
        var first: UInt8 = 0
        var previous: UInt8 = 0
        var allSame = true
        var ascending = true
        for b in s where isDigit(b) {
            if count == 0 {
                first = b
            } else {
                if b != first { allSame = false }
                if b != previous &+ 1 { ascending = false }
            }
            previous = b
            count += 1
            if count > 15 { return false }
        }
        return count >= 7 && !allSame && !ascending
    }
}

// MARK: - Randomness

extension Validators {
    /// Shannon entropy of the span in bits per byte (0 for an empty span), computed over byte frequencies.
    /// - Complexity: O(n) time, O(1) space; the 256 counters live in a 1 KiB stack buffer.
    package static func shannonEntropy(_ s: UnsafeBufferPointer<UInt8>) -> Double {
        guard !s.isEmpty else { return 0 }
        // UInt32 keeps the table at 1 KiB, the size withUnsafeTemporaryAllocation always puts on the stack;
        // wrapping only skews the result for spans over 4 GiB, which are never secrets.
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 256) { counts in
            counts.initialize(repeating: 0)
            for b in s { counts[Int(b)] &+= 1 }
            let n = Double(s.count)
            var h = 0.0
            for c in counts where c != 0 {
                let p = Double(c) / n
                h -= p * log2(p)
            }
            return h
        }
    }

    /// True when the span looks like a generated token: (it has an ASCII digit and an ASCII letter, or it is at least
    /// 24 bytes with both upper- and lower-case letters) and its Shannon entropy is at least `minEntropy` bits per
    /// byte.
    /// - Complexity: O(n) time, O(1) space, no allocation.
    package static func tokenShape(_ s: UnsafeBufferPointer<UInt8>, minEntropy: Double) -> Bool {
        var digit = false
        var upper = false
        var lower = false
        for b in s {
            if isDigit(b) { digit = true } else if isUpper(b) { upper = true } else if isLower(b) { lower = true }
        }
        let shaped = (digit && (upper || lower)) || (s.count >= 24 && upper && lower)
        return shaped && shannonEntropy(s) >= minEntropy
    }
}
