internal import CPCRE2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// Idle `MatchScratch` kept for the next call on any thread.
///
/// Making a scratch costs three PCRE2 allocations and a JIT stack mapping (`mmap`, page faults
/// on first use, `munmap` when freed); for a short call — one MCP tool call, `sanitize(_:)` on a
/// log line — that was most of the work. A pattern set keeps one pool; each call leases a
/// scratch and the lease gives it back when the call's workspace goes away.
package final class MatchScratchPool: @unchecked Sendable {
    // Safety: `idle` is only read or written while `lock` is held, and a scratch in `idle` is
    // referenced by nothing else, so handing it to another thread is a transfer, not a share.
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private var idle: [MatchScratch] = []
    private let captureCapacity: Int
    /// Idle scratch kept at most: enough for every thread of a busy server; beyond it, a
    /// returned scratch is freed.
    private let keep: Int

    package init(captureCapacity: Int, keep: Int = 16) {
        self.captureCapacity = captureCapacity
        self.keep = keep
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_mutex_t())
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deinitialize(count: 1)
        lock.deallocate()
    }

    /// Lends an idle scratch, or a new one; it returns when the lease is released.
    package func lease() -> MatchScratchLease {
        pthread_mutex_lock(lock)
        let reused = idle.popLast()
        pthread_mutex_unlock(lock)
        return MatchScratchLease(reused ?? MatchScratch(captureCapacity: captureCapacity), pool: self)
    }

    fileprivate func giveBack(_ scratch: MatchScratch) {
        pthread_mutex_lock(lock)
        if idle.count < keep { idle.append(scratch) }
        pthread_mutex_unlock(lock)
    }

    /// Idle scratch in the pool (for tests).
    package var idleCount: Int {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return idle.count
    }
}

/// One call's use of a pooled `MatchScratch`, returned to the pool when the lease is freed.
///
/// A class so that copies of the workspace holding it share one lease and the scratch returns
/// once, after the last copy is gone. Not `Sendable`, like the scratch it holds.
package final class MatchScratchLease {
    package let scratch: MatchScratch
    private let pool: MatchScratchPool

    fileprivate init(_ scratch: MatchScratch, pool: MatchScratchPool) {
        self.scratch = scratch
        self.pool = pool
    }

    deinit { pool.giveBack(scratch) }
}
