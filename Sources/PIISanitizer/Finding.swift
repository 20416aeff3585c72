/// One redacted span: what kind of data it was and where — never the value itself.
public struct Finding: Sendable, Hashable {
    /// The entity label, such as `EMAIL` or `PASSWORD`.
    public let label: String
    /// The id of the pattern that decided the label (for key-value text, the `kv_text` pattern).
    public let patternID: String
    /// UTF-8 byte offsets in the input.
    public let byteRange: Range<Int>
    /// Character offsets in the input, counted in Unicode scalars (code points), as Python's `str`
    /// and JavaScript's `codePointAt` count them. Invalid UTF-8 bytes count one each.
    public let characterRange: Range<Int>
    /// 1-based line of the span's start (for JSON, of the string value holding it); nil when unknown.
    public var line: Int? = nil
    /// 1-based column, in characters, of the span's start (for JSON, of the value); nil when unknown.
    public var column: Int? = nil
    /// For JSON input, the RFC 6901 pointer of the value the span is in; nil for text.
    /// In JSON, `byteRange` is in the raw document and `characterRange` is within the decoded string.
    public var jsonPointer: String? = nil
    /// True when the span was redacted whole because a pattern hit its match limit (fail closed).
    public let failedClosed: Bool
}

/// A sanitized text and what was redacted in it.
public struct SanitizedText: Sendable, Hashable {
    public let text: String
    public let findings: [Finding]
}

extension Finding {
    /// The same finding at another place (used for findings inside JSON embedded in a string).
    func moved(byteRange: Range<Int>, pointer: String?, line: Int?, column: Int?) -> Finding {
        var f = Finding(label: label, patternID: patternID, byteRange: byteRange, characterRange: characterRange,
                        failedClosed: failedClosed)
        f.jsonPointer = pointer
        f.line = line
        f.column = column
        return f
    }
}
