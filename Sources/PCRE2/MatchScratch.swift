internal import CPCRE2

/// Per-thread match state: match data, match context with limits, and a JIT stack.
///
/// Not `Sendable`: one scratch per call or per thread (rust-pcre2 keeps scratch space the same way).
package final class MatchScratch {
    let matchData: OpaquePointer
    /// The match context for JIT-compiled patterns (JIT stack, JIT match limit).
    let context: OpaquePointer
    /// The match context for the interpreter (its lower match limit, depth limit).
    let interpreterContext: OpaquePointer
    private let jitStack: OpaquePointer?
    private let ovector: UnsafeMutablePointer<Int>
    /// Capture pairs the ovector holds, group 0 included.
    package let captureCapacity: Int

    /// Creates scratch space for patterns with at most `captureCapacity - 1` groups.
    package init(captureCapacity: Int, limits: MatchLimits = MatchLimits()) {
        let capacity = max(1, captureCapacity)
        guard let data = pcre2_match_data_create_8(UInt32(capacity), nil),
            let context = pcre2_match_context_create_8(nil),
            let interpreterContext = pcre2_match_context_create_8(nil)
        else { fatalError("PCRE2 could not allocate match data (out of memory)") }
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        pcre2_set_match_limit_8(interpreterContext, limits.interpreterMatchLimit)
        pcre2_set_depth_limit_8(interpreterContext, limits.depthLimit)
        let stack = pcre2_jit_stack_create_8(32 * 1024, max(32 * 1024, limits.jitStackBytes), nil)
        if let stack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(stack)) }
        self.matchData = data
        self.context = context
        self.interpreterContext = interpreterContext
        self.jitStack = stack
        self.ovector = pcre2_get_ovector_pointer_8(data)
        self.captureCapacity = capacity
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        pcre2_match_context_free_8(interpreterContext)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }

    /// The byte range of `group` in the last successful match, or nil when it did not participate.
    package func range(of group: Int) -> Range<Int>? {
        guard group < captureCapacity else { return nil }
        let start = ovector[2 * group], end = ovector[2 * group + 1]
        if start == cpcre2_unset() { return nil }
        return start..<end
    }
}
