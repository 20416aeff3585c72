import PCRE2

/// One pattern ready to run: regex compiled (and JIT-compiled), operator chosen, filters resolved.
///
/// A class: the scan loops touch every pattern for every buffer (each JSON string value), and a
/// struct holding the whole `PatternSpec` was copied, with a retain per member, on each touch.
final class CompiledPattern: Sendable {
    let spec: PatternSpec
    let regex: Regex
    /// The capture group whose span is redacted.
    let group: Int
    /// For `kv_text` patterns, the group holding the key that the key rules classify.
    let keyGroup: Int?
    /// Indexes into `PatternSet.keywords`; empty means the pattern always runs.
    let keywordIDs: [Int]
    /// When set, the regex runs only on the lines holding a candidate (see `Prefilter`).
    let prefilter: Prefilter?
    /// With `spec.matchStart`: the regex compiled anchored, tried only at the declared starts.
    let anchored: Regex?
    let allowValues: Set<[UInt8]>
    let allowRegexes: [Regex]
    let `operator`: RedactionOperator

    init(
        spec: PatternSpec, regex: Regex, group: Int, keyGroup: Int?, keywordIDs: [Int], prefilter: Prefilter?, anchored: Regex?,
        allowValues: Set<[UInt8]>, allowRegexes: [Regex], operator: RedactionOperator
    ) {
        self.spec = spec
        self.regex = regex
        self.group = group
        self.keyGroup = keyGroup
        self.keywordIDs = keywordIDs
        self.prefilter = prefilter
        self.anchored = anchored
        self.allowValues = allowValues
        self.allowRegexes = allowRegexes
        self.operator = `operator`
    }

    var id: String { spec.id }
    var label: String { spec.label }
    var priority: Int { spec.priority }
}

/// A candidate accepted by its pattern's filters, before overlaps are resolved.
struct RawFinding: Sendable {
    var start: Int
    var end: Int
    /// Index into `PatternSet.patterns`.
    var pattern: Int
    /// The key rule's label for `kv_text` findings; otherwise the pattern's.
    var label: String
    /// True when the span stands for a value redacted whole because matching hit a limit.
    var failClosed = false
}
