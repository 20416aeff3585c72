internal import CPCRE2

/// Compile flags a pattern file may ask for; UTF and invalid-UTF tolerance are always on.
package struct RegexOptions: OptionSet, Sendable, Hashable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let caseless = RegexOptions(rawValue: PCRE2_CASELESS)
    package static let multiline = RegexOptions(rawValue: PCRE2_MULTILINE)
    package static let dotAll = RegexOptions(rawValue: PCRE2_DOTALL)
    package static let extended = RegexOptions(rawValue: PCRE2_EXTENDED)
    /// Matches only at the start offset (a compile-time option, so the JIT keeps it).
    package static let anchored = RegexOptions(rawValue: PCRE2_ANCHORED)
}

/// Whether to JIT-compile (rust-pcre2's three-way choice).
package enum JITChoice: Sendable, Hashable {
    /// Interpreter only; used by tests to prove both engines agree.
    case never
    /// JIT or fail: a pattern that cannot be JIT-compiled is an error.
    case always
    /// JIT when possible, interpreter otherwise; the JIT compiles on the pattern's first match, so
    /// patterns that never run cost no JIT time or memory.
    case attempt
}

/// Per-match resource limits; a match that hits one reports `PCRE2Error.isResourceLimit`.
///
/// The defaults bound one undecidable value to well under 100 ms on either engine (measured in
/// HostileInputTests): a JIT step costs a few nanoseconds, an interpreter step ten times more, so
/// the interpreter gets a tenth of the JIT's step budget.
package struct MatchLimits: Sendable, Hashable {
    /// `pcre2_set_match_limit` for JIT-compiled patterns.
    package var matchLimit: UInt32
    /// `pcre2_set_match_limit` for patterns run by the interpreter.
    package var interpreterMatchLimit: UInt32
    /// `pcre2_set_depth_limit`: bounds interpreter recursion (ignored by JIT).
    package var depthLimit: UInt32
    /// Largest JIT stack in bytes.
    package var jitStackBytes: Int

    package init(
        matchLimit: UInt32 = 5_000_000, interpreterMatchLimit: UInt32 = 500_000, depthLimit: UInt32 = 10_000,
        jitStackBytes: Int = 1 << 20
    ) {
        self.matchLimit = matchLimit
        self.interpreterMatchLimit = interpreterMatchLimit
        self.depthLimit = depthLimit
        self.jitStackBytes = jitStackBytes
    }
}
