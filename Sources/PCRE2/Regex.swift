internal import CPCRE2

/// A compiled PCRE2 pattern, immutable and shareable across threads.
///
/// Compiled with `PCRE2_UTF | PCRE2_MATCH_INVALID_UTF`, so any byte sequence is a valid subject and
/// no call re-validates UTF-8 (a looped `pcre2_match` with UTF checking is quadratic).
package final class Regex: @unchecked Sendable {
    // Safety: `code` is written once in init and only read afterwards; PCRE2 documents compiled
    // code (including JIT code) as safe for concurrent matching. Per-match state lives in
    // `MatchScratch`, which is not shared.
    private let code: OpaquePointer
    /// Number of capture groups (group 0 excluded).
    package let captureCount: Int
    /// True when matches run through `pcre2_jit_match`.
    package let isJITCompiled: Bool

    /// Compiles `pattern`.
    /// - Throws: `PCRE2Error` with PCRE2's message and the pattern offset; with `.always`, also when
    ///   JIT compilation fails.
    package init(_ pattern: String, options: RegexOptions = [], jit: JITChoice = .attempt) throws(PCRE2Error) {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let flags = options.rawValue | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF
        let compiled: OpaquePointer? = pattern.utf8CString.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: bytes.count) {
                pcre2_compile_8($0, bytes.count - 1, flags, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else { throw PCRE2Error(code: errorCode, patternOffset: errorOffset) }
        var jitted = false
        if jit != .never {
            let rc = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE)
            if rc == 0 {
                jitted = true
            } else if jit == .always {
                pcre2_code_free_8(compiled)
                throw PCRE2Error(code: rc)
            }
        }
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.code = compiled
        self.captureCount = Int(count)
        self.isJITCompiled = jitted
    }

    deinit { pcre2_code_free_8(code) }

    /// The number of the named group `name`, or nil when the pattern has no such group.
    package func groupNumber(named name: String) -> Int? {
        let n = name.utf8CString.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: bytes.count) {
                pcre2_substring_number_from_name_8(code, $0)
            }
        }
        return n > 0 ? Int(n) : nil
    }

    /// Finds the first match at or after `start`; the ranges are then read from `scratch`.
    ///
    /// The whole `subject` is passed so lookbehinds see bytes before `start`.
    /// - Returns: true on a match, false on no match.
    /// - Throws: `PCRE2Error` when a limit was hit or matching failed; the caller fails closed.
    /// - Complexity: bounded by `MatchLimits.matchLimit` steps.
    package func firstMatch(
        in subject: UnsafeBufferPointer<UInt8>, from start: Int, scratch: MatchScratch
    ) throws(PCRE2Error) -> Bool {
        precondition(scratch.captureCapacity > captureCount, "scratch too small for this pattern")
        // An empty buffer may have a nil base address; PCRE2 needs a pointer even for length 0.
        let rc: Int32 = withUnsafePointer(to: 0 as UInt8) { empty in
            let base = subject.baseAddress ?? empty
            if isJITCompiled {
                return pcre2_jit_match_8(code, base, subject.count, start, 0, scratch.matchData, scratch.context)
            }
            return pcre2_match_8(code, base, subject.count, start, 0, scratch.matchData, scratch.interpreterContext)
        }
        if rc >= 0 { return true }  // rc == 0 only when the ovector is too small; precondition rules it out.
        if rc == PCRE2_ERROR_NOMATCH { return false }
        throw PCRE2Error(code: rc)
    }
}
