/// A validator named in a pattern file, with its parameters; the registry is fixed in code.
enum ValidatorSpec: Sendable {
    /// Luhn over 13-19 digits.
    case luhn
    case ibanMod97
    case usSSN
    case ipv4(skip: Validators.IPv4Skip)
    case ipv6
    case mac
    case jwt
    /// Digit count within `minDigits...maxDigits` (national numbers need more digits than a date has).
    case phone(minDigits: Int, maxDigits: Int)
    case tokenShape(minEntropy: Double)
    case basicAuth
    case literalValue(minLength: Int, allowIdentifiers: Bool)

    /// Names a pattern file may use.
    static let names = [
        "luhn", "iban_mod97", "us_ssn", "ipv4", "ipv6", "mac", "jwt", "phone", "token_shape", "basic_auth",
        "literal_value",
    ]

    /// True when `span` passes.
    /// - Complexity: O(span.count); allocation-free.
    func accepts(_ span: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        // Real card numbers have at least 13 digits; a trimmed candidate must still have them.
        case .luhn: span.reduce(0) { $0 + ($1 &- 0x30 < 10 ? 1 : 0) } >= 13 && Validators.luhn(span)
        case .ibanMod97: Validators.ibanMod97(span)
        case .usSSN: Validators.usSSN(span)
        case let .ipv4(skip): Validators.ipv4(span, skip: skip)
        case .ipv6: Validators.ipv6(span)
        case .mac: Validators.mac(span)
        case .jwt: Validators.jwt(span)
        case let .phone(minDigits, maxDigits):
            (minDigits...maxDigits).contains(span.reduce(0) { $0 + ($1 &- 0x30 < 10 ? 1 : 0) }) && Validators.phone(span)
        case let .tokenShape(minEntropy): Validators.tokenShape(span, minEntropy: minEntropy)
        case .basicAuth: Validators.basicAuth(span)
        case let .literalValue(minLength, allowIdentifiers):
            Validators.literalValue(span, minLength: minLength, allowIdentifiers: allowIdentifiers)
        }
    }
}

