internal import CPCRE2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled PCRE2 pattern, immutable and shareable across threads.
///
/// Compiled with `PCRE2_UTF | PCRE2_MATCH_INVALID_UTF`, so any byte sequence is a valid subject and
/// no call re-validates UTF-8 (a looped `pcre2_match` with UTF checking is quadratic).
///
/// With `JITChoice.attempt` the JIT compiles the pattern on its first match, not in `init`: most
/// runs of the CLI touch a few of the built-in patterns, and JIT-compiling all of them was a sixth
/// of its start-up. `.always` compiles in `init`, so that a failure is an error there.
package final class Regex: @unchecked Sendable {
    // Safety: `code` is written in init; afterwards only `pcre2_jit_compile` writes to the block it
    // points to, once, under `jitLock`, and before `engine` is published with release ordering.
    // Every match first reads `engine` with acquire ordering and, while it is `undecided`, takes
    // `jitLock` itself, so no match reads the block while the JIT writes it (the protocol the
    // pcre2api man page, "Multithreading", asks for). PCRE2 documents compiled code (including
    // JIT code) as safe for concurrent matching. Per-match state lives in `MatchScratch`.
    private let code: OpaquePointer
    /// Number of capture groups (group 0 excluded).
    package let captureCount: Int
    /// One of the `Engine` raw values; read and written only through the acquire/release helpers.
    private let engine: UnsafeMutablePointer<Int32>
    /// Serializes the one JIT compilation; nil when the engine was decided in `init`.
    private let jitLock: UnsafeMutablePointer<pthread_mutex_t>?

    private enum Engine: Int32 {
        case undecided = 0, jit, interpreter
    }

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
        var decided = Engine.undecided
        switch jit {
        case .never:
            decided = .interpreter
        case .always:
            let rc = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE)
            guard rc == 0 else {
                pcre2_code_free_8(compiled)
                throw PCRE2Error(code: rc)
            }
            decided = .jit
        case .attempt:
            break
        }
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.code = compiled
        self.captureCount = Int(count)
        engine = .allocate(capacity: 1)
        engine.initialize(to: decided.rawValue)
        if decided == .undecided {
            let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
            lock.initialize(to: pthread_mutex_t())
            pthread_mutex_init(lock, nil)
            jitLock = lock
        } else {
            jitLock = nil
        }
    }

    deinit {
        pcre2_code_free_8(code)
        engine.deallocate()
        if let jitLock {
            pthread_mutex_destroy(jitLock)
            jitLock.deinitialize(count: 1)
            jitLock.deallocate()
        }
    }

    /// True when matches run through `pcre2_jit_match`. With `.attempt`, asking JIT-compiles the
    /// pattern if no match has yet.
    package var isJITCompiled: Bool { usesJIT() }

    /// True once the engine is chosen: at once with `.never` and `.always`, at the first match
    /// (or `isJITCompiled`) with `.attempt`.
    package var isEngineDecided: Bool { cpcre2_load_acquire(engine) != Engine.undecided.rawValue }

    /// The engine for the next match, JIT-compiling first if this is the first match.
    @inline(__always) private func usesJIT() -> Bool {
        switch cpcre2_load_acquire(engine) {
        case Engine.jit.rawValue: true
        case Engine.interpreter.rawValue: false
        default: decideEngine()
        }
    }

    /// JIT-compiles under `jitLock` unless another thread already has; a pattern the JIT rejects
    /// (no executable memory, say) runs on the interpreter, as it did when compiled in `init`.
    @inline(never) private func decideEngine() -> Bool {
        guard let jitLock else { return cpcre2_load_acquire(engine) == Engine.jit.rawValue }
        pthread_mutex_lock(jitLock)
        defer { pthread_mutex_unlock(jitLock) }
        if cpcre2_load_acquire(engine) == Engine.undecided.rawValue {
            let rc = pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE)
            cpcre2_store_release(engine, (rc == 0 ? Engine.jit : .interpreter).rawValue)
        }
        return cpcre2_load_acquire(engine) == Engine.jit.rawValue
    }

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
        let jitted = usesJIT()
        // An empty buffer may have a nil base address; PCRE2 needs a pointer even for length 0.
        let rc: Int32 = withUnsafePointer(to: 0 as UInt8) { empty in
            let base = subject.baseAddress ?? empty
            if jitted {
                return pcre2_jit_match_8(code, base, subject.count, start, 0, scratch.matchData, scratch.context)
            }
            return pcre2_match_8(code, base, subject.count, start, 0, scratch.matchData, scratch.interpreterContext)
        }
        if rc >= 0 { return true }  // rc == 0 only when the ovector is too small; precondition rules it out.
        if rc == PCRE2_ERROR_NOMATCH { return false }
        throw PCRE2Error(code: rc)
    }
}
