extension Validators {
    /// Address classes an IPv4 finding may be suppressed for, because they identify no host or person.
    package struct IPv4Skip: OptionSet, Sendable {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }

        /// `0.0.0.0`.
        package static let unspecified = IPv4Skip(rawValue: 1 << 0)
        /// `127.0.0.0/8`.
        package static let loopback = IPv4Skip(rawValue: 1 << 1)
        /// `255.255.255.255`.
        package static let broadcast = IPv4Skip(rawValue: 1 << 2)
        /// RFC 1918: `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`.
        package static let `private` = IPv4Skip(rawValue: 1 << 3)
        /// RFC 3927: `169.254.0.0/16`.
        package static let linkLocal = IPv4Skip(rawValue: 1 << 4)
        /// Every class above.
        package static let all: IPv4Skip = [.unspecified, .loopback, .broadcast, .private, .linkLocal]
    }

    /// True when the span is four dotted decimal octets 0–255 without leading zeros (a lone `0` is fine), optionally
    /// followed by a `/0`–`/32` CIDR suffix, and the address is in none of the `skip` classes.
    /// - Complexity: O(n) time, O(1) space, no allocation.
    package static func ipv4(_ s: UnsafeBufferPointer<UInt8>, skip: IPv4Skip) -> Bool {
        var end = s.count
        if let slash = firstIndex(of: UInt8(ascii: "/"), in: s, 0, end) {
            guard prefixLength(s, slash + 1, end, max: 32) else { return false }
            end = slash
        }
        guard let v = parseIPv4(s, 0, end) else { return false }
        if skip.contains(.unspecified), v == 0 { return false }
        if skip.contains(.loopback), v >> 24 == 127 { return false }
        if skip.contains(.broadcast), v == 0xFFFF_FFFF { return false }
        if skip.contains(.private), v >> 24 == 10 || v >> 20 == 0xAC1 || v >> 16 == 0xC0A8 { return false }
        if skip.contains(.linkLocal), v >> 16 == 0xA9FE { return false }
        return true
    }

    /// True when the span is an RFC 4291 IPv6 address (hex groups of 1–4 digits, `::` at most once, optional dotted
    /// IPv4 tail, optional `%zone` and `/0`–`/128` suffix) that is not `::` or `::1` and writes at least 3 non-empty
    /// hex groups or an IPv4 tail.
    ///
    /// The group minimum exists because `a::b`, `dead::beef` and C++ scopes such as `std::vector` are far more
    /// common in text than real two-group addresses.
    /// - Complexity: O(n) time, O(1) space, no allocation.
    package static func ipv6(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = s.count
        if let slash = firstIndex(of: UInt8(ascii: "/"), in: s, 0, end) {
            guard prefixLength(s, slash + 1, end, max: 128) else { return false }
            end = slash
        }
        if let percent = firstIndex(of: UInt8(ascii: "%"), in: s, 0, end) {
            guard percent + 1 < end else { return false }
            for i in (percent + 1)..<end {
                let b = s[i]
                guard isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") else {
                    return false
                }
            }
            end = percent
        }
        guard end >= 2 else { return false }

        let colon = UInt8(ascii: ":")
        var units = 0  // 16-bit groups the written text stands for, an IPv4 tail counting as two
        var written = 0  // non-empty hex groups actually written
        var nonZeroUnits = 0
        var lastUnit: UInt32 = 0
        var hasIPv4Tail = false
        var compressed = false
        var endsCompressed = false
        var i = 0
        if s[0] == colon {
            // A leading colon is only legal as the start of `::`.
            guard s[1] == colon else { return false }
            compressed = true
            endsCompressed = end == 2
            i = 2
        }
        while i < end {
            var j = i
            var hasDot = false
            while j < end, s[j] != colon {
                if s[j] == UInt8(ascii: ".") { hasDot = true }
                j += 1
            }
            guard j > i else { return false }  // `:::` or a second `::` run
            if hasDot {
                // The IPv4 tail must be the final piece.
                guard j == end, let v4 = parseIPv4(s, i, j) else { return false }
                hasIPv4Tail = true
                units += 2
                if v4 >> 16 != 0 { nonZeroUnits += 1 }
                if v4 & 0xFFFF != 0 { nonZeroUnits += 1 }
                lastUnit = v4 & 0xFFFF
            } else {
                guard j - i <= 4 else { return false }
                var unit: UInt32 = 0
                for k in i..<j {
                    guard let h = hexValue(s[k]) else { return false }
                    unit = unit << 4 | UInt32(h)
                }
                units += 1
                written += 1
                if unit != 0 { nonZeroUnits += 1 }
                lastUnit = unit
            }
            guard units <= 8 else { return false }
            if j == end { break }
            if j + 1 < end, s[j + 1] == colon {
                guard !compressed else { return false }
                compressed = true
                i = j + 2
                endsCompressed = i == end
            } else {
                guard j + 1 < end else { return false }  // a trailing single colon
                i = j + 1
            }
        }
        guard compressed ? units <= 7 : units == 8 else { return false }
        guard written >= 3 || hasIPv4Tail else { return false }
        // `::` (all zero) and `::1` (loopback, in any spelling) name no host.
        if nonZeroUnits == 0 { return false }
        if nonZeroUnits == 1, lastUnit == 1, !endsCompressed { return false }
        return true
    }

    /// True when the span is a MAC-48 address written `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff` (one separator kind
    /// throughout) or Cisco `aabb.ccdd.eeff`, and is neither all-zero nor the all-FF broadcast address.
    /// - Complexity: O(1) time and space, no allocation.
    package static func mac(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var allZero = true
        var allFF = true
        switch s.count {
        case 17:
            let separator = s[2]
            guard separator == UInt8(ascii: ":") || separator == UInt8(ascii: "-") else { return false }
            for k in 0..<6 {
                let at = k * 3
                if k < 5, s[at + 2] != separator { return false }
                guard let hi = hexValue(s[at]), let lo = hexValue(s[at + 1]) else { return false }
                let octet = hi << 4 | lo
                if octet != 0 { allZero = false }
                if octet != 0xFF { allFF = false }
            }
        case 14:
            guard s[4] == UInt8(ascii: "."), s[9] == UInt8(ascii: ".") else { return false }
            for k in 0..<3 {
                let at = k * 5
                for m in 0..<2 {
                    guard let hi = hexValue(s[at + 2 * m]), let lo = hexValue(s[at + 2 * m + 1]) else { return false }
                    let octet = hi << 4 | lo
                    if octet != 0 { allZero = false }
                    if octet != 0xFF { allFF = false }
                }
            }
        default:
            return false
        }
        return !allZero && !allFF
    }
}

// MARK: - Shared parsing helpers

extension Validators {
    /// First index of `byte` in `s[start..<end]`, or `nil`.
    static func firstIndex(of byte: UInt8, in s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end {
            if s[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// Parses `s[start..<end]` as dotted-quad IPv4 (octets 0–255, no leading zeros) into its 32-bit value.
    static func parseIPv4(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        var i = start
        while i < end {
            let b = s[i]
            if isDigit(b) {
                // A second digit after a lone 0 would be a leading zero, which some parsers read as octal.
                if digits == 1, octet == 0 { return nil }
                digits += 1
                octet = octet * 10 + UInt32(b &- 0x30)
                guard digits <= 3, octet <= 255 else { return nil }
            } else if b == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                dots += 1
                value = value << 8 | octet
                octet = 0
                digits = 0
            } else {
                return nil
            }
            i += 1
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | octet
    }

    /// True when `s[start..<end]` is a decimal prefix length 0...max written without leading zeros.
    static func prefixLength(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, max: Int) -> Bool {
        let count = end - start
        guard count >= 1, count <= 3 else { return false }
        if count > 1, s[start] == UInt8(ascii: "0") { return false }
        var value = 0
        for i in start..<end {
            guard isDigit(s[i]) else { return false }
            value = value * 10 + Int(s[i] &- 0x30)
        }
        return value <= max
    }
}
