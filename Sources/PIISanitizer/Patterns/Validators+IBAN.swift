extension Validators {
    /// True when the span is an IBAN: upper-case letters and digits (single spaces between groups allowed), a country
    /// from the ISO 13616 registry at exactly its registered length, check digits 02–98, and the ISO 7064 mod-97
    /// remainder equal to 1.
    /// - Complexity: O(n) time (two passes), O(1) space, no allocation.
    package static func ibanMod97(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = s.count
        // An IBAN is at most 34 characters, plus at most one space between each pair of them.
        guard n >= 15, n <= 67 else { return false }
        var length = 0
        var country: (UInt8, UInt8) = (0, 0)
        for i in 0..<n {
            let b = s[i]
            if b == UInt8(ascii: " ") {
                // Only single spaces strictly between two characters are group separators.
                guard i > 0, i + 1 < n, s[i - 1] != b, s[i + 1] != b else { return false }
                continue
            }
            let allowed: Bool
            switch length {
            case 0:
                allowed = isUpper(b)
                country.0 = b
            case 1:
                allowed = isUpper(b)
                country.1 = b
            case 2, 3: allowed = isDigit(b)
            default: allowed = isUpper(b) || isDigit(b)
            }
            guard allowed else { return false }
            length += 1
        }
        guard let expected = ibanLength(country.0, country.1), length == expected else { return false }

        var remainder = 0
        var position = 0
        var headStart = 0  // index in `s` where the fourth character ends
        for i in 0..<n where s[i] != UInt8(ascii: " ") {
            if position == 3 { headStart = i + 1 }
            if position >= 4 { remainder = ibanStep(remainder, s[i]) }
            position += 1
        }
        // Rearranged order: BBAN first, then country code and check digits.
        var checkDigits = 0
        position = 0
        for i in 0..<headStart where s[i] != UInt8(ascii: " ") {
            remainder = ibanStep(remainder, s[i])
            if position >= 2 { checkDigits = checkDigits * 10 + Int(s[i] &- 0x30) }
            position += 1
        }
        return checkDigits >= 2 && checkDigits <= 98 && remainder == 1
    }

    /// Folds one IBAN character into a running mod-97 remainder, letters counting as the two digits 10–35.
    @inline(__always) private static func ibanStep(_ remainder: Int, _ b: UInt8) -> Int {
        if isDigit(b) { return (remainder * 10 + Int(b &- 0x30)) % 97 }
        return (remainder * 100 + Int(b &- 0x41) + 10) % 97
    }

    /// Registered IBAN length for a country code, or `nil` when the country is not in the registry.
    static func ibanLength(_ c0: UInt8, _ c1: UInt8) -> Int? {
        ibanRegistry.withUTF8Buffer { table -> Int? in
            // Fixed-width records "CCnn" keep the lookup a branch-light scan over a static, never-copied table.
            var i = 0
            while i + 3 < table.count {
                if table[i] == c0, table[i + 1] == c1 {
                    return Int(table[i + 2] &- 0x30) * 10 + Int(table[i + 3] &- 0x30)
                }
                i += 4
            }
            return nil
        }
    }

    /// SWIFT IBAN Registry (ISO 13616), country code and total IBAN length, sorted by code.
    ///
    /// Territories that issue IBANs under a parent prefix (Åland under FI; French overseas departments and
    /// collectivities under FR; Jersey, Guernsey and the Isle of Man under GB) have no entries of their own.
    private static let ibanRegistry: StaticString = """
        AD24AE23AL28AT20AZ28BA20BE16BG22BH22BI27BR29BY28CH21CR22CY28CZ24\
        DE22DJ27DK18DO28EE20EG29ES24FI18FK18FO18FR27GB22GE22GI23GL18GR27\
        GT28HN28HR21HU28IE22IL23IQ23IS26IT27JO30KW30KZ20LB28LC32LI21LT20\
        LU20LV21LY25MC27MD24ME22MK19MN20MR27MT31MU30NI28NL18NO15OM23PK24\
        PL28PS29PT25QA29RO24RS22RU33SA24SC31SD18SE24SI19SK24SM27SO23ST25\
        SV28TL23TN24TR26UA29VA22VG24XK20YE30
        """
}
