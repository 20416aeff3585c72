/// How a finding is rewritten. Operators see only the span and its label, never other text.
public enum RedactionOperator: Sendable, Hashable {
    /// A fixed template; `{label}` and `{id}` are substituted: `[EMAIL]`, `[REDACTED:EMAIL]`.
    case replace(template: String)
    /// Every character becomes `character` except separators (ASCII punctuation and spaces) and the
    /// last `keepLast` letters or digits: `**** **** **** 1111`.
    case mask(keepLast: Int, character: Character)
    /// HMAC-SHA256 of the value under the sanitizer's hash key, as `[LABEL:hex]` with `length`
    /// hex digits: the same value always gives the same token, so events stay joinable.
    case hash(length: Int)
    /// `[LABEL_n]`, numbered per distinct value within one input; `{label}` and `{n}` are substituted.
    case placeholder(template: String)
    /// Deletes the span.
    case remove

    /// The built-in default: `[LABEL]`.
    public static let defaultReplace = RedactionOperator.replace(template: "[{label}]")
    /// The default masking: keep the last 4 letters or digits.
    public static let defaultMask = RedactionOperator.mask(keepLast: 4, character: "*")
    /// The default hash length: 16 hex digits (64 bits).
    public static let defaultHash = RedactionOperator.hash(length: 16)
    /// The default numbered placeholder `[EMAIL_1]`.
    public static let defaultPlaceholder = RedactionOperator.placeholder(template: "[{label}_{n}]")

    /// The operator's name as the pattern file and the CLI spell it.
    public var name: String {
        switch self {
        case .replace: "replace"
        case .mask: "mask"
        case .hash: "hash"
        case .placeholder: "placeholder"
        case .remove: "remove"
        }
    }

    /// The default operator of each kind, by name; nil for an unknown name.
    public init?(name: String) {
        switch name {
        case "replace": self = .defaultReplace
        case "mask": self = .defaultMask
        case "hash": self = .defaultHash
        case "placeholder": self = .defaultPlaceholder
        case "remove": self = .remove
        default: return nil
        }
    }
}
