import Foundation
import GRDB

/// How a connection waits for SQLite's write lock when another process holds it.
///
/// SQLite's own busy timeout sleeps on a fixed back-off (1, 2, 5 … up to 100 ms a
/// sleep): a writer that has waited a while sleeps long and loses the lock to
/// newcomers, which makes tails of hundreds of milliseconds under contention. Here a
/// waiter sleeps briefly (tens to a few hundred microseconds, with jitter so waiters do
/// not wake in lockstep) and tries again, so the lock goes to a waiter soon after it
/// frees, and no waiter is starved for long. After `limit` seconds the write gives up
/// with SQLITE_BUSY, which the command line reports as a busy database.
enum WriteLockWait {
    /// Seconds a write waits for the lock before it is refused: 15, or `CASEDESK_LOCK_WAIT`.
    static let limit: TimeInterval = {
        if let text = ProcessInfo.processInfo.environment["CASEDESK_LOCK_WAIT"], let s = TimeInterval(text), s >= 0 { return s }
        return 15
    }()

    /// When the current wait started and when the handler last ran, per thread (each
    /// connection waits on its own thread).
    private static let started = ThreadLocalClock()
    private static let lastCall = ThreadLocalClock()

    static func busyMode(limit: TimeInterval = limit) -> Database.BusyMode {
        .callback { tries in
            let now = monotonicNow()
            // A new wait: the first try, or the handler has not run for a while (SQLite does
            // not reset its count for every kind of wait, a checkpoint's for one).
            if tries == 0 || now - lastCall.get(default: 0) > 0.1 { started.set(now) }
            lastCall.set(now)
            guard now - started.get(default: now) < limit else { return false }
            // 50 µs at first, growing to at most 500 µs, each with ±50% jitter.
            let base = min(50 + 25 * Double(tries), 500)
            usleep(useconds_t(base * Double.random(in: 0.5...1.5)))
            return true
        }
    }

    static func monotonicNow() -> TimeInterval {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// A per-thread timestamp without Foundation's thread dictionary (this runs inside SQLite's busy callback).
final class ThreadLocalClock: @unchecked Sendable {
    private var key = pthread_key_t()

    init() {
        pthread_key_create(&key) { pointer in pointer?.deallocate() }
    }

    func set(_ value: Double) {
        if let p = pthread_getspecific(key) {
            p.assumingMemoryBound(to: Double.self).pointee = value
        } else {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: 1)
            p.initialize(to: value)
            pthread_setspecific(key, p)
        }
    }

    func get(default value: Double) -> Double {
        pthread_getspecific(key)?.assumingMemoryBound(to: Double.self).pointee ?? value
    }
}
