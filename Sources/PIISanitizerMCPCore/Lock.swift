#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutual-exclusion lock over `pthread_mutex_t`.
///
/// Here rather than Foundation's `NSLock` so that this module, and the `pii-sanitize` binary that
/// links it, load no Foundation (a few MB of resident shared-library pages and milliseconds of
/// start-up); `Synchronization.Mutex` would need macOS 15 on Apple platforms.
final class Lock: @unchecked Sendable {
    // Safety: the mutex is initialized once at a heap address that never moves (a
    // `pthread_mutex_t` must not be copied) and is only used through pthread calls until `deinit`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
