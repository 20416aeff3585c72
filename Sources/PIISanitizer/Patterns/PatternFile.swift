/// A pattern file as written (schema version 1), before compilation.
///
/// The schema is documented in the README ("Pattern files"); `PatternFile+Reading.swift` enforces it.
struct PatternFile: Sendable {
    static let schemaVersion = 1

    var file: String
    var name: String?
    /// `["builtin"]` to start from the built-in set.
    var extends: [String] = []
    /// Ids of extended patterns to turn off.
    var disable: [String] = []
    var defaultOperator: RedactionOperator?
    var allowlist = Allowlist()
    var patterns: [PatternSpec] = []
    var keyRules: KeyRulesSpec?
}

/// Values that are never redacted even when a pattern matches them.
struct Allowlist: Sendable {
    /// Exact values.
    var values: [String] = []
    /// PCRE2 patterns that must match the whole span to allow it.
    var regexes: [String] = []
}

/// One value pattern.
struct PatternSpec: Sendable {
    enum Kind: String, Sendable { case regex, kvText = "kv_text" }
    enum Category: String, Sendable { case pii, secret, custom }
    /// The capture group whose span is redacted.
    enum Group: Sendable, Hashable {
        case number(Int)
        case name(String)
    }

    var id: String
    var label: String
    var category: Category
    var description: String?
    var enabled = true
    var kind = Kind.regex
    var regex: String
    var flags = ""
    var group = Group.number(0)
    var keywords: [String] = []
    /// Cheap scans for the lines where the regex can find anything; nil runs it on every block.
    var prefilter: [Prefilter.Rule]?
    /// Where a `kv_text` match can start, relative to its keywords; nil searches whole lines.
    var matchStart: MatchStart?
    var validator: ValidatorSpec?
    /// On a validator failure, retry without the last space- or dash-separated group (an IBAN or
    /// card followed by more digits, `4111 … 1111 12/25`).
    var trimTrailingGroup = false
    var minEntropy: Double?
    var allowlist = Allowlist()
    var priority = 50
    var `operator`: RedactionOperator?
    var examples = Examples()
    /// Where the pattern sits in its file, for error messages.
    var pointer: String
    var file: String
}

/// A `kv_text` pattern's promise about where its matches start: at the first byte of a run of
/// `wordBytes` (the byte before is not one) that holds one of the pattern's keywords at most
/// `maxKeywordOffset` bytes further on. The scan then tries only those starts, anchored.
struct MatchStart: Sendable, Equatable {
    /// Per byte value, true for a word byte (ASCII only).
    var wordBytes: [Bool]
    var maxKeywordOffset: Int
}

/// Examples every pattern carries; the test suite and `patterns test` run them through the full pipeline.
struct Examples: Sendable {
    struct Positive: Sendable {
        var text: String
        /// The exact span this pattern must redact.
        var match: String
    }

    var positive: [Positive] = []
    /// Near misses that must come out untouched.
    var negative: [String] = []
}

/// Sensitive key vocabulary as written in a pattern file.
struct KeyRulesSpec: Sendable {
    struct Term: Sendable {
        var term: String
        var label: String
        var mode: KeyRules.Term.Mode
    }

    var terms: [Term] = []
    var neutralizeAfter: [String] = []
    var neutralizeBefore: [String] = []
    var sensitiveExamples: [String] = []
    var notSensitiveExamples: [String] = []
}
